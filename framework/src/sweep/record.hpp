#pragma once
// One finished run: what it wrote and what the tables are made from.
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "plan.hpp"
#include "rnnlab/app/trainer.hpp"
#include "rnnlab/sdk/network.hpp"

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
  std::string config_hash;  ///< of the sweep config that made the run
  nlohmann::json grid = nlohmann::json::object();  ///< key → value
  std::uint64_t seed = 0;
  double final_loss = 0;
  bool diverged = false;
  double seconds = 0;
  std::vector<CurvePoint> curve;
  std::map<std::string, double> scalars;               ///< e.g. lyapunov_max_before
  std::map<std::string, std::vector<double>> arrays;   ///< e.g. lyapunov_spectrum_before
  std::vector<MonitorLog> monitors;                     ///< what the monitors recorded, all phases
  // What the run file adds so that it explains itself:
  arma::vec initial_theta;       ///< the weights before training (empty: not written)
  nlohmann::json task;           ///< { name, params }
  nlohmann::json protocol;       ///< [{ rule, rule_params, optimizer, optimizer_params, iterations }]
};

/// runs/<id>.h5 (weights, curve, arrays), then runs/<id>.json (the record,
/// completion marker). Both atomic; safe to call from several threads.
void write_run(const std::string& runs_dir, const Network& net, const RunRecord& record);

/// What a run record must agree with: the sweep.json of its folder.
struct SweepFile {
  std::string hash;
  Grid grid;
};

/// Whether a parsed sweep.json is one rnnlab wrote: an object with a
/// config hash and the config.
bool is_sweep_document(const nlohmann::json& j);

/// Reads OUT/sweep.json; throws IoError if it is missing or corrupt.
SweepFile read_sweep_file(const std::string& out);

/// Calls `f(record)` for the record of every complete run in runs_dir, in
/// no particular order, after checking it: a record must name a run of the
/// grid (index in range, id and file name as the grid makes them) and, when
/// it carries one, the config hash of `sweep`. Throws IoError naming the
/// file otherwise (a received folder cannot make us read or write
/// elsewhere, and a folder mixing two sweeps is found).
void for_each_record(const std::string& runs_dir, const SweepFile& sweep,
                     const std::function<void(nlohmann::json&&)>& f);

/// The records of every complete run in runs_dir, sorted by index.
std::vector<nlohmann::json> read_records(const std::string& runs_dir, const SweepFile& sweep);

/// Rebuilds OUT/runs.csv and OUT/summary.csv from the complete runs of
/// the sweep described by `sweep` (write_sweep_tables reads it from OUT).
void write_tables(const std::string& out, const SweepFile& sweep);

/// Writes `text` to `path` atomically (temporary file, then rename).
void write_text_atomically(const std::string& path, const std::string& text);

/// Writes what `write` puts into the stream to `path` atomically.
void write_atomically(const std::string& path, const std::function<void(std::ostream&)>& write);

}  // namespace rnnlab::sweep
