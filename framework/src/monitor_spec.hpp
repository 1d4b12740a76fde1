#pragma once
// The `monitor` and `stop_when` fields of a training phase (lab.train and a
// sweep's protocol), parsed from their JSON form (a Lua table becomes JSON
// as in lab.sweep: a table mixing list items and fields is an object whose
// list items sit under the keys "1", "2", ...).
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "rnnlab/app/trainer.hpp"
#include "rnnlab/sdk/registry.hpp"

namespace rnnlab {

struct MonitorSpec {
  std::string name;                     ///< the analysis
  std::map<std::string, Value> params;  ///< its parameters
  std::size_t every = 0;                ///< 0: not given (the phase's log_every)
};

/// Parses `monitor = { "accuracy", { "lyapunov", { exponents = 1 }, every = 100 }, ... }`:
/// checks the analyses exist and take these parameters. `where` prefixes
/// errors (e.g. "lab.train: monitor"). Throws Error.
/// A parameter value of a JSON config (boolean, number or string); throws
/// Error naming `where` for anything else.
Value value_from_json(const nlohmann::json& j, const std::string& where);

std::vector<MonitorSpec> parse_monitors(const Registry& registry, const nlohmann::json& list, const std::string& where);

/// Parses `stop_when = { analysis, key, above = x }` (or below = x); the
/// analysis must be one of `monitors`. Throws Error.
StopWhen parse_stop_when(const nlohmann::json& stop_when, const std::vector<MonitorSpec>& monitors, const std::string& where);

/// The analyses of `specs`, made once, and the trainer's view of them.
struct MonitorSet {
  std::vector<std::shared_ptr<Analysis>> analyses;
  std::vector<Monitor> monitors;
};
MonitorSet make_monitors(const Registry& registry, const std::vector<MonitorSpec>& specs, std::size_t default_every);

}  // namespace rnnlab
