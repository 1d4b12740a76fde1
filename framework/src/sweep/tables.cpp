// runs.csv and summary.csv, rebuilt from the run records; and merging of
// shard directories.
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>

#include "../number_text.hpp"
#include "folder.hpp"
#include "record.hpp"
#include "rnnlab/sdk/error.hpp"
#include "rnnlab/app/sweep.hpp"

namespace rnnlab {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

std::string cell(const json& v) {
  if (v.is_null()) return "nan";
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  if (v.is_number_integer() || v.is_number_unsigned()) return v.dump();
  if (v.is_number()) return number_text(v.get<double>());
  std::string s = v.get<std::string>();
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string quoted = "\"";
  for (char c : s) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

json read_json(const std::string& path) {
  std::ifstream f(path);
  if (!f) throw IoError("cannot read '" + path + "'");
  try {
    return json::parse(f);
  } catch (const std::exception& e) {
    throw IoError("'" + path + "' is corrupt (" + e.what() + ")");
  }
}

// monitors.csv: one row per (phase, iteration) at which a monitor of a run
// was evaluated; a column <monitor>_<number> per monitored number, empty
// where that monitor was not evaluated at that point. Written when a run
// has monitors.
void write_monitor_table(const std::string& out, const std::vector<std::string>& keys, const std::vector<json>& records) {
  std::set<std::string> columns;
  for (const auto& r : records)
    if (r.contains("monitor"))
      for (const auto& [name, m] : r["monitor"].items())
        for (const auto& [key, v] : m["values"].items()) {
          (void)v;
          columns.insert(name + "_" + key);
        }
  if (columns.empty()) return;
  std::ostringstream table;
  table << "run_id";
  for (const auto& k : keys) table << "," << k;
  table << ",phase,iteration";
  for (const auto& c : columns) table << "," << c;
  table << "\n";
  for (const auto& r : records) {
    if (!r.contains("monitor")) continue;
    std::map<std::pair<std::size_t, std::size_t>, std::map<std::string, std::string>> rows;  // (phase, iteration) → column → cell
    for (const auto& [name, m] : r["monitor"].items())
      for (std::size_t j = 0; j < m["iteration"].size(); ++j) {
        auto& row = rows[{m["phase"][j].get<std::size_t>(), m["iteration"][j].get<std::size_t>()}];
        for (const auto& [key, column] : m["values"].items()) row[name + "_" + key] = cell(column[j]);
      }
    std::string grid;
    for (const auto& k : keys) grid.append(",").append(cell(r["grid"].value(k, json())));
    for (const auto& [point, row] : rows) {
      table << cell(r["id"]) << grid << "," << point.first << "," << point.second;
      for (const auto& c : columns) {
        const auto it = row.find(c);
        table << "," << (it == row.end() ? std::string() : it->second);
      }
      table << "\n";
    }
  }
  sweep::write_text_atomically((fs::path(out) / "monitors.csv").string(), table.str());
}

}  // namespace

void write_sweep_tables(const std::string& out) { sweep::write_tables(out, sweep::read_sweep_file(out)); }

void sweep::write_tables(const std::string& out, const sweep::SweepFile& sweep) {
  const auto keys = sweep.grid.key_names();
  const auto records = sweep::read_records((fs::path(out) / "runs").string(), sweep);
  std::set<std::string> scalar_names;
  for (const auto& r : records)
    for (const auto& [k, v] : r["scalars"].items()) {
      (void)v;
      scalar_names.insert(k);
    }
  std::ostringstream runs, summary;
  runs << "run_id";
  summary << "run_id";
  for (const auto& k : keys) {
    runs << "," << k;
    summary << "," << k;
  }
  runs << ",phase,rule,iteration,loss\n";
  summary << ",final_loss,diverged,seconds";
  for (const auto& s : scalar_names) summary << "," << s;
  summary << "\n";
  for (const auto& r : records) {
    std::string grid;
    for (const auto& k : keys) grid.append(",").append(cell(r["grid"].value(k, json())));
    for (const auto& p : r["curve"])
      runs << cell(r["id"]) << grid << "," << p[0] << "," << cell(p[1]) << "," << p[2] << "," << cell(p[3]) << "\n";
    summary << cell(r["id"]) << grid << "," << cell(r["final_loss"]) << "," << cell(r["diverged"]) << ","
            << cell(r["seconds"]);
    for (const auto& s : scalar_names) summary << "," << cell(r["scalars"].value(s, json()));
    summary << "\n";
  }
  sweep::write_text_atomically((fs::path(out) / "runs.csv").string(), runs.str());
  sweep::write_text_atomically((fs::path(out) / "summary.csv").string(), summary.str());
  write_monitor_table(out, keys, records);
}

std::size_t merge_sweeps(const std::string& out, const std::vector<std::string>& sources) {
  std::error_code ec;
  sweep::check_sweep_folder(out);
  fs::create_directories(out, ec);
  if (ec) throw IoError("cannot create '" + out + "': " + ec.message());
  // One merge or sweep step at a time changes the folder.
  const sweep::FileLock lock = sweep::FileLock::acquire(sweep::folder_lock_path(out), true);
  const fs::path target = fs::path(out) / "runs";
  std::optional<sweep::SweepFile> identity;
  if (fs::exists(fs::path(out) / "sweep.json")) identity = sweep::read_sweep_file(out);
  std::size_t copied = 0;
  for (const auto& src : sources) {
    const sweep::SweepFile sweep = sweep::read_sweep_file(src);
    if (!identity) {
      sweep::write_text_atomically((fs::path(out) / "sweep.json").string(),
                                   read_json((fs::path(src) / "sweep.json").string()).dump(2) + "\n");
      identity = sweep;
    } else if (sweep.hash != identity->hash) {
      throw Error("cannot merge '" + src + "': it is a different sweep (config " + sweep.hash + ", expected " +
                  identity->hash + ")");
    }
    fs::create_directories(target, ec);
    if (ec) throw IoError("cannot create '" + target.string() + "': " + ec.message());
    if (fs::equivalent(src, out, ec)) continue;
    // Every record is checked against the grid before its id names a file:
    // the paths below stay inside the two runs/ folders.
    sweep::for_each_record((fs::path(src) / "runs").string(), *identity, [&](json&& r) {
      const std::string id = r["id"];
      if (fs::exists(target / (id + ".json"))) return;
      // Weights first, then the record that marks the run complete.
      for (const char* ext : {".h5", ".json"}) {
        const fs::path from = fs::path(src) / "runs" / (id + ext), to = target / (id + ext);
        if (!fs::is_regular_file(fs::symlink_status(from, ec)))
          throw IoError("cannot merge '" + from.string() + "': not a regular file");
        const fs::path tmp = to.string() + ".merge-tmp";
        fs::copy_file(from, tmp, fs::copy_options::overwrite_existing, ec);
        if (!ec) fs::rename(tmp, to, ec);
        if (ec) throw IoError("cannot copy '" + from.string() + "' to '" + to.string() + "': " + ec.message());
      }
      ++copied;
    });
  }
  if (!identity) throw Error("nothing to merge: give the output directory and the shard directories");
  sweep::write_tables(out, *identity);
  return copied;
}

}  // namespace rnnlab
