#include "record.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>

#include "../hdf5_file.hpp"
#include "rnnlab/error.hpp"
#include "rnnlab/io.hpp"

namespace rnnlab::sweep {

namespace fs = std::filesystem;

void write_text_atomically(const std::string& path, const std::string& text) {
  const std::string tmp = h5::temporary_path_for(path);
  {
    errno = 0;
    std::ofstream f(tmp, std::ios::binary);
    f << text;
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
      f.set_attr("final_loss", r.final_loss);
      f.set_attr("diverged", static_cast<std::int64_t>(r.diverged));
      const hsize_t n = loss.size();
      f.write("curve_iteration", {n}, iteration.data());
      f.write("curve_phase", {n}, phase.data());
      f.write("curve_loss", {n}, loss.data());
      for (const auto& [name, values] : r.arrays) f.write(name, {values.size()}, values.data());
    });
  }
  nlohmann::json j;
  j["index"] = r.index;
  j["id"] = r.id;
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
  write_text_atomically(base + ".json", j.dump());
}

std::vector<nlohmann::json> read_records(const std::string& runs_dir) {
  std::vector<nlohmann::json> out;
  std::error_code ec;
  if (!fs::is_directory(runs_dir, ec)) return out;
  for (const auto& entry : fs::directory_iterator(runs_dir, ec)) {
    if (entry.path().extension() != ".json") continue;
    std::ifstream f(entry.path());
    try {
      out.push_back(nlohmann::json::parse(f));
    } catch (const std::exception& e) {
      throw IoError("'" + entry.path().string() + "' is corrupt (" + e.what() + "); delete it to rerun that run");
    }
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a["index"] < b["index"]; });
  return out;
}

}  // namespace rnnlab::sweep
