#include "rnnlab/app/help.hpp"

#include <algorithm>
#include <sstream>

namespace rnnlab {

namespace {
// Width in terminal columns of UTF-8 text (symbols such as "τ", "Δt").
std::size_t columns(const std::string& s) {
  return static_cast<std::size_t>(std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}
}  // namespace

std::string format_param_table(const ParamSpecs& specs) {
  std::vector<std::vector<std::string>> rows = {{"name", "symbol", "unit", "default", "range", "meaning"}};
  for (const auto& s : specs)
    rows.push_back({s.name, s.symbol.empty() ? "-" : s.symbol, s.unit.empty() ? "-" : s.unit,
                    describe(s.default_value), s.valid_range(), s.meaning});
  std::vector<std::size_t> width(6, 0);
  for (const auto& r : rows)
    for (std::size_t i = 0; i < 6; ++i) width[i] = std::max(width[i], columns(r[i]));
  std::ostringstream os;
  for (std::size_t k = 0; k < rows.size(); ++k) {
    std::string line;
    for (std::size_t i = 0; i < 6; ++i) {
      line += rows[k][i];
      if (i < 5) line += std::string(width[i] - columns(rows[k][i]) + 2, ' ');
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    os << "  " << line << "\n";
  }
  if (specs.empty()) os << "  (no parameters)\n";
  return os.str();
}

std::string format_help(const PluginInfo& info) {
  std::ostringstream os;
  os << to_string(info.kind) << " '" << info.name << "' " << info.version << " — " << info.summary << "\n";
  if (!info.file.empty()) os << "  file: " << info.file << "\n";
  if (!info.exact.empty()) os << "  exact gradient (at the defaults): " << info.exact << "\n";
  os << "\nparameters:\n" << format_param_table(info.params);
  return os.str();
}

}  // namespace rnnlab
