#include "monitor_spec.hpp"

#include <algorithm>

#include "rnnlab/sdk/error.hpp"

namespace rnnlab {
namespace {

using json = nlohmann::json;

// A phase's monitor item: "name", { name, { params } } or
// { name, { params }, every = n } (an object with keys "1", "2", "every").
MonitorSpec parse_item(const Registry& registry, const json& item, const std::string& where) {
  const std::string form = where + " must be an analysis name or { name, { parameters }, every = n }";
  json name, params, every;
  if (item.is_string()) {
    name = item;
  } else if (item.is_array()) {
    if (item.empty() || item.size() > 2) throw Error(form);
    name = item[0];
    if (item.size() > 1) params = item[1];
  } else if (item.is_object() && item.contains("1")) {
    for (const auto& [k, v] : item.items()) {
      if (k == "1") name = v;
      else if (k == "2") params = v;
      else if (k == "every") every = v;
      else throw Error(where + ": unknown field '" + k + "'; valid: every (after the name and the parameters)");
    }
  } else {
    throw Error(form);
  }
  if (!name.is_string()) throw Error(form);
  MonitorSpec spec;
  spec.name = name.get<std::string>();
  if (!params.is_null() && !(params.is_object() || (params.is_array() && params.empty())))
    throw Error(where + ": the parameters of '" + spec.name + "' must be a table of name = value");
  if (params.is_object())
    for (const auto& [k, v] : params.items()) spec.params[k] = value_from_json(v, where + ": parameter '" + k + "'");
  if (!every.is_null()) {
    if (!every.is_number_integer() || every.get<long long>() < 1)
      throw Error(where + ": every must be a positive integer (iterations), got " + every.dump());
    spec.every = every.get<std::size_t>();
  }
  try {
    registry.make_analysis(spec.name, spec.params);  // the name and the parameters
  } catch (const Error& e) {
    throw Error(where + ": " + e.what());
  }
  return spec;
}

}  // namespace

Value value_from_json(const json& j, const std::string& where) {
  if (j.is_boolean()) return j.get<bool>();
  if (j.is_number()) return j.get<double>();
  if (j.is_string()) return j.get<std::string>();
  throw Error(where + " must be a boolean, number or string, got " + std::string(j.type_name()));
}

std::vector<MonitorSpec> parse_monitors(const Registry& registry, const json& list, const std::string& where) {
  std::vector<MonitorSpec> specs;
  if (list.is_null() || (list.is_object() && list.empty())) return specs;
  if (list.is_string()) return {parse_item(registry, list, where + "[1]")};
  if (!list.is_array())
    throw Error(where + " must be a list of analyses, e.g. { { \"accuracy\", every = 10 } } (one monitor "
                        "needs braces of its own: { { \"accuracy\", every = 10 } })");
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::string at = where + "[" + std::to_string(i + 1) + "]";
    MonitorSpec spec = parse_item(registry, list[i], at);
    for (const auto& s : specs)
      if (s.name == spec.name) throw Error(at + ": '" + spec.name + "' is monitored twice");
    specs.push_back(std::move(spec));
  }
  return specs;
}

StopWhen parse_stop_when(const json& stop, const std::vector<MonitorSpec>& monitors, const std::string& where) {
  const std::string form = where + " must be { analysis, number, above = x } or { analysis, number, below = x }";
  if (!stop.is_object() || !stop.contains("1")) throw Error(form);
  StopWhen u;
  int bounds = 0;
  for (const auto& [k, v] : stop.items()) {
    if (k == "1" || k == "2") {
      if (!v.is_string()) throw Error(form);
      (k == "1" ? u.monitor : u.key) = v.get<std::string>();
    } else if (k == "above" || k == "below") {
      if (!v.is_number()) throw Error(where + ": " + k + " must be a number, got " + v.dump());
      u.above = k == "above";
      u.threshold = v.get<double>();
      ++bounds;
    } else {
      throw Error(where + ": unknown field '" + k + "'; valid: above, below");
    }
  }
  if (u.key.empty()) throw Error(form);
  if (bounds != 1) throw Error(where + ": give one of above = x or below = x");
  if (std::none_of(monitors.begin(), monitors.end(), [&](const MonitorSpec& m) { return m.name == u.monitor; }))
    throw Error(where + ": '" + u.monitor + "' is not monitored; add it to monitor, e.g. monitor = { { \"" +
                u.monitor + "\", every = 10 } }");
  return u;
}

MonitorSet make_monitors(const Registry& registry, const std::vector<MonitorSpec>& specs, std::size_t default_every) {
  MonitorSet set;
  for (const auto& s : specs) {
    set.analyses.push_back(registry.make_analysis(s.name, s.params));
    set.monitors.push_back({s.name, set.analyses.back().get(), s.every ? s.every : std::max<std::size_t>(1, default_every)});
  }
  return set;
}

}  // namespace rnnlab
