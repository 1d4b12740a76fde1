#pragma once
// Numbers in the files users read (tables, figure CSVs): the shortest text
// that reads back as the same double, so 0.2 is "0.2", not
// "0.20000000000000001", and nothing is lost.
#include <charconv>
#include <cmath>
#include <string>
#include <system_error>

namespace rnnlab {

/// The shortest decimal text that parses back to exactly `v`
/// (std::to_chars); "nan", "inf" and "-inf" for non-finite values.
inline std::string number_text(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  char buf[32];  // the longest shortest form is 24 characters (-2.2250738585072014e-308)
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  if (ec != std::errc()) return "nan";  // cannot happen with 32 characters
  return std::string(buf, end);
}

}  // namespace rnnlab
