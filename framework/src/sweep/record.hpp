#pragma once
// One finished run: what it wrote and what the tables are made from.
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "rnnlab/network.hpp"

namespace rnnlab::sweep {

struct CurvePoint {
  std::size_t phase = 0;  ///< 1-based
  std::string rule;
  std::size_t iteration = 0;
  double loss = 0;
};

struct RunRecord {
  std::size_t index = 0;
  std::string id;
  nlohmann::json grid = nlohmann::json::object();  ///< key → value
  std::uint64_t seed = 0;
  double final_loss = 0;
  bool diverged = false;
  double seconds = 0;
  std::vector<CurvePoint> curve;
  std::map<std::string, double> scalars;               ///< e.g. lyapunov_max_before
  std::map<std::string, std::vector<double>> arrays;   ///< e.g. lyapunov_spectrum_before
};

/// runs/<id>.h5 (weights, curve, arrays), then runs/<id>.json (the record,
/// completion marker). Both atomic; safe to call from several threads.
void write_run(const std::string& runs_dir, const Network& net, const RunRecord& record);

/// The records of every complete run in runs_dir, sorted by index.
std::vector<nlohmann::json> read_records(const std::string& runs_dir);

/// Writes `text` to `path` atomically (temporary file, then rename).
void write_text_atomically(const std::string& path, const std::string& text);

}  // namespace rnnlab::sweep
