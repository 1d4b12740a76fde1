#include "record.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>

#include "../hdf5_file.hpp"
#include "rnnlab/sdk/error.hpp"
#include "rnnlab/sdk/io.hpp"
#include "rnnlab/sdk/version.hpp"

namespace rnnlab::sweep {

namespace fs = std::filesystem;

void write_text_atomically(const std::string& path, const std::string& text) {
  write_atomically(path, [&](std::ostream& f) { f << text; });
}

void write_atomically(const std::string& path, const std::function<void(std::ostream&)>& write) {
  const std::string tmp = h5::temporary_path_for(path);
  {
    errno = 0;
    std::ofstream f(tmp, std::ios::binary);
    write(f);
    f.flush();
    if (!f) {
      const int err = errno;
      h5::discard_temporary(tmp);
      throw IoError("cannot write '" + path + "': " +
                    (err ? std::string(std::strerror(err)) : std::string("disk full or not writable?")));
    }
  }
  h5::commit_temporary(tmp, path);
}

void write_run(const std::string& runs_dir, const Network& net, const RunRecord& r) {
  const std::string base = (fs::path(runs_dir) / r.id).string();
  {
    std::vector<double> loss;
    std::vector<std::int64_t> iteration, phase;
    for (const auto& p : r.curve) {
      loss.push_back(p.loss);
      iteration.push_back(static_cast<std::int64_t>(p.iteration));
      phase.push_back(static_cast<std::int64_t>(p.phase));
    }
    save_network_with(base + ".h5", net, [&](h5::File& f) {
      f.set_attr("run_id", r.id);
      // Everything needed to understand and redo the run without its folder.
      f.set_attr("config", r.config_hash);
      f.set_attr("rnnlab_version", std::string(version()));
      f.set_attr("grid", r.grid.dump());
      for (const auto& [key, value] : r.grid.items()) {
        const std::string name = "grid_" + key;
        if (value.is_boolean()) f.set_attr(name, static_cast<std::int64_t>(value.get<bool>()));
        else if (value.is_number()) f.set_attr(name, value.get<double>());
        else if (value.is_string()) f.set_attr(name, value.get<std::string>());
      }
      if (!r.task.is_null()) f.set_attr("task", r.task.dump());
      if (!r.protocol.is_null()) f.set_attr("protocol", r.protocol.dump());
      // save_network_with wrote the weights the network itself recorded before training.
      if (!net.has_initial_params() && r.initial_theta.n_elem == net.params().theta.n_elem) {
        ParameterBlocks initial(net.shape());
        std::copy(r.initial_theta.begin(), r.initial_theta.end(), initial.theta.begin());
        write_blocks(f, initial, "initial_");
      }
      f.set_attr("final_loss", r.final_loss);
      f.set_attr("diverged", static_cast<std::int64_t>(r.diverged));
      const hsize_t n = loss.size();
      f.write("curve_iteration", {n}, iteration.data());
      f.write("curve_phase", {n}, phase.data());
      f.write("curve_loss", {n}, loss.data());
      for (const auto& [name, values] : r.arrays) f.write(name, {values.size()}, values.data());
      // monitor_<name>_phase, _iteration and one dataset per number.
      for (const MonitorLog& m : r.monitors) {
        const std::string prefix = "monitor_" + m.name + "_";
        const std::vector<std::int64_t> phases(m.phases.begin(), m.phases.end()), iterations(m.iterations.begin(), m.iterations.end());
        f.write(prefix + "phase", {phases.size()}, phases.data());
        f.write(prefix + "iteration", {iterations.size()}, iterations.data());
        for (std::size_t k = 0; k < m.keys.size(); ++k) {
          std::vector<double> column;
          for (const auto& row : m.values) column.push_back(row[k]);
          f.write(prefix + m.keys[k], {column.size()}, column.data());
        }
      }
    });
  }
  nlohmann::json j;
  j["index"] = r.index;
  j["id"] = r.id;
  j["config"] = r.config_hash;
  j["grid"] = r.grid;
  j["seed"] = r.seed;
  // JSON has no NaN: non-finite numbers are stored as null.
  auto number = [](double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(); };
  j["final_loss"] = number(r.final_loss);
  j["diverged"] = r.diverged;
  j["seconds"] = r.seconds;
  j["scalars"] = nlohmann::json::object();
  for (const auto& [k, v] : r.scalars) j["scalars"][k] = number(v);
  auto& curve = j["curve"] = nlohmann::json::array();
  for (const auto& p : r.curve) curve.push_back({p.phase, p.rule, p.iteration, number(p.loss)});
  if (!r.monitors.empty()) {
    auto& monitors = j["monitor"] = nlohmann::json::object();
    for (const MonitorLog& m : r.monitors) {
      nlohmann::json values = nlohmann::json::object();
      for (std::size_t k = 0; k < m.keys.size(); ++k) {
        auto& column = values[m.keys[k]] = nlohmann::json::array();
        for (const auto& row : m.values) column.push_back(number(row[k]));
      }
      monitors[m.name] = {{"phase", m.phases}, {"iteration", m.iterations}, {"values", std::move(values)}};
    }
  }
  write_text_atomically(base + ".json", j.dump());
}

namespace {

nlohmann::json parse_json_file(const fs::path& path) {
  std::ifstream f(path);
  if (!f) throw IoError("cannot read '" + path.string() + "'");
  try {
    return nlohmann::json::parse(f);
  } catch (const std::exception& e) {
    throw IoError("'" + path.string() + "' is corrupt (" + e.what() + ")");
  }
}

// The shape the tables rely on; a record not of that shape is corrupt.
std::string record_problem(const nlohmann::json& r, const SweepFile& sweep, const std::string& stem) {
  if (!r.is_object()) return "not a JSON object";
  if (!r.contains("index") || !r["index"].is_number_unsigned()) return "no 'index'";
  const auto index = r["index"].get<std::size_t>();
  if (index >= sweep.grid.size())
    return "index " + std::to_string(index) + " is outside the grid of " + std::to_string(sweep.grid.size()) + " runs";
  const std::string expected = sweep.grid.id(index);
  if (!r.contains("id") || !r["id"].is_string() || r["id"].get<std::string>() != expected)
    return "its id is not '" + expected + "', the id of run " + std::to_string(index + 1) + " of the grid";
  if (stem != expected) return "its file name is not '" + expected + ".json'";
  if (r.contains("config") && (!r["config"].is_string() || r["config"].get<std::string>() != sweep.hash))
    return "it was made by another sweep configuration (" + (r["config"].is_string() ? r["config"].get<std::string>() : "?") +
           ", this folder's sweep.json has " + sweep.hash + "): the folder mixes two sweeps";
  if (!r.contains("grid") || !r["grid"].is_object()) return "no 'grid' table";
  const auto choice = sweep.grid.choice(index);
  for (std::size_t k = 0; k < choice.size(); ++k) {
    const auto& key = sweep.grid.keys()[k];
    const Value v = key.value(choice[k]);
    const auto it = r["grid"].find(key.key);
    const bool same = it != r["grid"].end() &&
                      ((std::holds_alternative<double>(v) && it->is_number() && it->get<double>() == std::get<double>(v)) ||
                       (std::holds_alternative<bool>(v) && it->is_boolean() && it->get<bool>() == std::get<bool>(v)) ||
                       (std::holds_alternative<std::string>(v) && it->is_string() &&
                        it->get<std::string>() == std::get<std::string>(v)));
    if (!same) return "its grid value of '" + key.key + "' is not the grid's";
  }
  if (r["grid"].size() != choice.size()) return "its grid has keys the sweep's grid has not";
  if (!r.contains("diverged") || !r["diverged"].is_boolean()) return "no 'diverged'";
  for (const char* number : {"final_loss", "seconds"})
    if (!r.contains(number) || !(r[number].is_number() || r[number].is_null())) return std::string("no '") + number + "'";
  if (!r.contains("scalars") || !r["scalars"].is_object()) return "no 'scalars' table";
  for (const auto& [k, v] : r["scalars"].items())
    if (!(v.is_number() || v.is_null())) return "scalar '" + k + "' is not a number";
  if (!r.contains("curve") || !r["curve"].is_array()) return "no 'curve'";
  for (const auto& p : r["curve"])
    if (!p.is_array() || p.size() != 4 || !p[0].is_number_unsigned() || !p[1].is_string() || !p[2].is_number_unsigned() ||
        !(p[3].is_number() || p[3].is_null()))
      return "a curve point is not [phase, rule, iteration, loss]";
  if (r.contains("monitor")) {
    if (!r["monitor"].is_object()) return "'monitor' is not a table";
    for (const auto& [name, m] : r["monitor"].items()) {
      const std::string bad = "monitor '" + name + "' is not { phase, iteration, values }";
      if (!m.is_object() || !m.contains("phase") || !m.contains("iteration") || !m.contains("values") ||
          !m["phase"].is_array() || !m["iteration"].is_array() || !m["values"].is_object() ||
          m["phase"].size() != m["iteration"].size())
        return bad;
      for (const auto* list : {&m["phase"], &m["iteration"]})
        for (const auto& v : *list)
          if (!v.is_number_unsigned()) return bad;
      for (const auto& [key, column] : m["values"].items()) {
        if (!column.is_array() || column.size() != m["iteration"].size()) return bad;
        for (const auto& v : column)
          if (!(v.is_number() || v.is_null())) return "monitor '" + name + "': '" + key + "' holds a value that is not a number";
      }
    }
  }
  return "";
}

}  // namespace

bool is_sweep_document(const nlohmann::json& j) {
  return j.is_object() && j.contains("hash") && j["hash"].is_string() && j.contains("config");
}

SweepFile read_sweep_file(const std::string& out) {
  const fs::path path = fs::path(out) / "sweep.json";
  if (!fs::exists(path)) throw IoError("'" + out + "' is not a sweep output directory (no sweep.json)");
  const auto j = parse_json_file(path);
  if (!is_sweep_document(j))
    throw IoError("'" + path.string() + "' is not an rnnlab sweep file");
  SweepFile s;
  s.hash = j["hash"].get<std::string>();
  try {
    s.grid = Grid::parse(j["config"]);
  } catch (const Error& e) {
    throw IoError("'" + path.string() + "' holds a bad grid: " + e.what());
  }
  return s;
}

void for_each_record(const std::string& runs_dir, const SweepFile& sweep,
                     const std::function<void(nlohmann::json&&)>& f) {
  std::error_code ec;
  if (!fs::is_directory(runs_dir, ec)) return;
  for (const auto& entry : fs::directory_iterator(runs_dir, ec)) {
    if (entry.path().extension() != ".json") continue;
    nlohmann::json r;
    try {
      r = parse_json_file(entry.path());
    } catch (const IoError& e) {
      throw IoError(std::string(e.what()) + "; delete it to rerun that run");
    }
    const std::string problem = record_problem(r, sweep, entry.path().stem().string());
    if (!problem.empty())
      throw IoError("'" + entry.path().string() + "' is not a run record of this sweep: " + problem);
    f(std::move(r));
  }
}

std::vector<nlohmann::json> read_records(const std::string& runs_dir, const SweepFile& sweep) {
  std::vector<nlohmann::json> out;
  for_each_record(runs_dir, sweep, [&](nlohmann::json&& r) { out.push_back(std::move(r)); });
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a["index"] < b["index"]; });
  return out;
}

}  // namespace rnnlab::sweep
