#pragma once
// Sweeps: a grid of runs, each a protocol of training phases with analyses
// before and after, executed on worker threads and written to
//   OUT/sweep.json          the sweep's full config (and its hash)
//   OUT/runs/<run_id>.h5    final weights, loss curves, analysis arrays
//   OUT/runs/<run_id>.json  the run's record; written last: marks completion
//   OUT/runs.csv            one row per logged point (regenerated)
//   OUT/summary.csv         one row per run (regenerated)
// Runs are independent and deterministic in their config, so any number of
// workers, shards, MPI ranks or interruptions give the same files.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "rnnlab/sdk/export.hpp"
#include "rnnlab/sdk/registry.hpp"

namespace rnnlab {

struct SweepOptions {
  std::string out;           ///< output directory (overrides config "out")
  int jobs = 0;              ///< worker threads; 0 = all cores
  int shard_index = 0;       ///< this shard, 0-based
  int shard_count = 1;       ///< number of shards
  bool quiet = false;        ///< no progress output
};

struct SweepReport {
  std::size_t runs = 0;      ///< runs in this shard (on all ranks of a SweepGroup)
  std::size_t completed = 0; ///< finished by this call
  std::size_t skipped = 0;   ///< already complete before this call
  std::size_t diverged = 0;  ///< among all complete runs of this shard
  double seconds = 0;
  std::string out;
};

/// Runs (or resumes) the sweep described by `config` (the Lua table of
/// SPEC §5 as JSON). Throws Error for a bad config before any run starts,
/// and Interrupted after finished runs are saved when Ctrl-C was pressed.
RNNLAB_EXPORT SweepReport run_sweep(const Registry& registry, nlohmann::json config, const SweepOptions& options);

/// Rebuilds OUT/runs.csv and OUT/summary.csv from the complete runs.
RNNLAB_EXPORT void write_sweep_tables(const std::string& out);

/// Copies the complete runs of each source into `out` (all must be shards
/// of the same sweep config) and rebuilds the tables of `out`.
RNNLAB_EXPORT std::size_t merge_sweeps(const std::string& out, const std::vector<std::string>& sources);

}  // namespace rnnlab
