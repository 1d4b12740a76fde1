#pragma once
// A sweep config resolved into concrete runs: every grid key assigned to
// the component it parameterises, every plugin checked before any run.
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "rnnlab/params.hpp"
#include "rnnlab/registry.hpp"

namespace rnnlab::sweep {

struct Component {
  std::string name;
  std::map<std::string, Value> params;
};

struct Phase {
  Component rule;
  Component optimizer;
  std::size_t iterations = 0;
};

struct RunSpec {
  std::size_t index = 0;                   ///< position in the grid
  std::string id;                          ///< file-name-safe, from the grid point
  std::vector<std::pair<std::string, Value>> grid;  ///< key → value, sorted by key
  std::uint64_t seed = 1;
  Component task;
  std::map<std::string, Value> network;    ///< lab.network parameters (sizes filled from the task)
  std::vector<Phase> phases;
  std::vector<Component> before, after;    ///< analyses
  std::size_t log_every = 1;
};

struct Plan {
  nlohmann::json config;    ///< as given, minus "out"
  std::string hash;         ///< stable_hash(config.dump())
  std::string out;
  std::vector<std::string> grid_keys;  ///< sorted
  std::vector<RunSpec> runs;
};

/// Resolves and validates; throws Error naming the offending key.
Plan make_plan(const Registry& registry, const nlohmann::json& config);

}  // namespace rnnlab::sweep
