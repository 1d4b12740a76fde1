#pragma once
// A sweep config resolved into concrete runs: every grid key assigned to
// the component it parameterises, every plugin checked before any run.
// Runs are made on demand (index → run), so a grid of any size is planned
// in memory proportional to its description, not to its number of points.
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "../monitor_spec.hpp"
#include "rnnlab/sdk/params.hpp"
#include "rnnlab/sdk/registry.hpp"

namespace rnnlab::sweep {

struct Component {
  std::string name;
  std::map<std::string, Value> params;
};

struct Phase {
  Component rule;
  Component optimizer;
  std::size_t iterations = 0;  ///< the cap, with stop_when
  std::vector<MonitorSpec> monitors;
  std::optional<StopWhen> stop_when;
};

struct RunSpec {
  std::size_t index = 0;                   ///< position in the grid
  std::string id;                          ///< file-name-safe, from the grid point
  std::vector<std::pair<std::string, Value>> grid;  ///< key → value, sorted by key
  std::uint64_t seed = 1;
  Component task;
  std::map<std::string, Value> network;    ///< lab.network parameters (sizes filled from the task)
  Component init;                          ///< network.init; no name: the default (gaussian)
  std::vector<Phase> phases;
  std::vector<Component> before, after;    ///< analyses
  std::size_t log_every = 1;
  std::size_t eval_batch = 0;  ///< trials of the monitors' batch; 0: the task's batch
};

/// The grid of a sweep config alone: its keys (sorted) and values, and the
/// index → point → run id mapping (first key slowest). Needs no plugin, so
/// that `merge` and resume can check a run record's id and index.
class Grid {
 public:
  /// A key and its values; a list of numbers only (the usual long list)
  /// is kept as 8 bytes a value.
  struct Key {
    std::string key;
    std::vector<double> numbers;  ///< all values, when all are numbers
    std::vector<Value> values;    ///< all values, otherwise
    std::size_t size() const { return values.empty() ? numbers.size() : values.size(); }
    Value value(std::size_t i) const { return values.empty() ? Value(numbers[i]) : values[i]; }
  };
  /// Parses config["grid"] (absent: one point, id "run"). Throws Error.
  static Grid parse(const nlohmann::json& config);

  std::size_t size() const { return size_; }
  const std::vector<Key>& keys() const { return keys_; }
  std::vector<std::string> key_names() const;
  /// The value index of each key at run `index`.
  std::vector<std::size_t> choice(std::size_t index) const;
  std::string id(std::size_t index) const;

 private:
  std::vector<Key> keys_;
  std::size_t size_ = 1;
};

struct Plan {
  nlohmann::json config;    ///< as given, minus "out"
  std::string hash;         ///< stable_hash(config.dump())
  std::string out;
  Grid grid;
  /// Seconds of training between learning-state checkpoints of a run
  /// (config "checkpoint_every", default 60; 0 = none). Not part of the hash.
  double checkpoint_seconds = 60;

  std::size_t size() const { return grid.size(); }
  /// The run at `index` (< size()), made on demand.
  RunSpec run(const Registry& registry, std::size_t index) const;

  // Resolved once by make_plan.
  /// Init: the initializer's name (network.init) or, with a parameter
  /// name, one of its parameters (init.p).
  enum class Target { Seed, Network, Task, Optimizer, Rule, Init };
  std::vector<Target> targets;     ///< per grid key
  std::vector<std::string> params; ///< per grid key: the parameter name without prefix
  std::vector<std::size_t> phases; ///< per grid key: the phase (from 1) it is limited to by a `phaseK.` prefix; 0 = all
  RunSpec base;                    ///< everything but the grid's values
};

/// Resolves and validates; throws Error naming the offending key. Small
/// grids are validated run by run; large ones value by value (every value
/// of every key, with the other keys at their first value).
Plan make_plan(const Registry& registry, nlohmann::json config);

/// File names are limited to 255 bytes: a longer run id is refused.
inline constexpr std::size_t max_run_id_length = 200;

}  // namespace rnnlab::sweep
