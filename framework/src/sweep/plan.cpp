#include "plan.hpp"

#include <algorithm>
#include <set>

#include "rnnlab/error.hpp"
#include "rnnlab/network.hpp"
#include "rnnlab/sweep.hpp"

namespace rnnlab::sweep {
namespace {

using json = nlohmann::json;

Value to_value(const json& j, const std::string& where) {
  if (j.is_boolean()) return j.get<bool>();
  if (j.is_number()) return j.get<double>();
  if (j.is_string()) return j.get<std::string>();
  throw Error(where + " must be a boolean, number or string, got " + std::string(j.type_name()));
}

std::map<std::string, Value> to_params(const json& j, const std::string& where) {
  std::map<std::string, Value> out;
  if (j.is_null() || (j.is_array() && j.empty())) return out;
  if (!j.is_object()) throw Error(where + " must be a table of name = value");
  for (const auto& [k, v] : j.items()) out[k] = to_value(v, where + "." + k);
  return out;
}

// "name", { "name", { params } } or { name = "name", params = { ... } }.
Component component(const json& j, const std::string& where) {
  if (j.is_string()) return {j.get<std::string>(), {}};
  if (j.is_array() && !j.empty() && j[0].is_string())
    return {j[0].get<std::string>(), j.size() > 1 ? to_params(j[1], where + " parameters") : std::map<std::string, Value>{}};
  if (j.is_object() && j.contains("name") && j["name"].is_string())
    return {j["name"].get<std::string>(), j.contains("params") ? to_params(j["params"], where + ".params") : std::map<std::string, Value>{}};
  throw Error(where + " must be a name or { name, { parameters } }");
}

bool declares(const ParamSpecs& specs, const std::string& key) {
  return std::any_of(specs.begin(), specs.end(), [&](const ParamSpec& s) { return s.name == key; });
}

std::string file_safe(std::string s) {
  for (char& c : s)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '+' || c == '=' || c == '_'))
      c = '-';  // '+' stays: "1e+200" must not become "1e-200"
  return s;
}

void expect_only(const json& j, const std::set<std::string>& valid, const std::string& where) {
  for (const auto& [k, v] : j.items()) {
    (void)v;
    if (!valid.count(k)) {
      std::vector<std::string> names(valid.begin(), valid.end());
      throw Error(where + ": unknown field '" + k + "'; valid: " + join(names));
    }
  }
}

enum class Target { Seed, Network, Task, Optimizer, Rule };

struct GridKey {
  std::string key;    // as written
  std::string param;  // without prefix
  Target target = Target::Network;
  std::vector<Value> values;
};

}  // namespace

Plan make_plan(const Registry& registry, const json& raw) {
  if (!raw.is_object()) throw Error("lab.sweep{...} expects a table");
  expect_only(raw,
              {"out", "task", "network", "grid", "protocol", "optimizer", "analyses", "log_every", "seed", "fresh"},
              "lab.sweep");
  Plan plan;
  plan.config = raw;
  plan.config.erase("out");
  plan.hash = stable_hash(plan.config.dump());
  plan.out = raw.value("out", std::string());

  if (!raw.contains("task")) throw Error("lab.sweep: 'task' is required, e.g. task = { \"romo\", {} }");
  if (!raw.contains("protocol") || !raw["protocol"].is_array() || raw["protocol"].empty())
    throw Error("lab.sweep: 'protocol' must be a list of phases, e.g. { { rule = \"bptt\", iterations = 1000 } }");
  const Component task = component(raw["task"], "lab.sweep: task");
  const Component default_optimizer =
      raw.contains("optimizer") ? component(raw["optimizer"], "lab.sweep: optimizer") : Component{"adam", {}};
  const std::map<std::string, Value> network =
      raw.contains("network") ? to_params(raw["network"], "lab.sweep: network") : std::map<std::string, Value>{};
  std::size_t log_every = 1;
  if (raw.contains("log_every")) {
    if (!raw["log_every"].is_number_integer() || raw["log_every"].get<long long>() < 1)
      throw Error("lab.sweep: log_every must be a positive integer");
    log_every = raw["log_every"].get<std::size_t>();
  }
  std::uint64_t base_seed = 1;
  if (raw.contains("seed")) {
    if (!raw["seed"].is_number_integer() || raw["seed"].get<long long>() < 0)
      throw Error("lab.sweep: seed must be a non-negative integer");
    base_seed = raw["seed"].get<std::uint64_t>();
  }

  std::vector<Phase> phases;
  for (std::size_t i = 0; i < raw["protocol"].size(); ++i) {
    const json& p = raw["protocol"][i];
    const std::string where = "lab.sweep: protocol[" + std::to_string(i + 1) + "]";
    if (!p.is_object()) throw Error(where + " must be a table { rule = ..., iterations = ... }");
    expect_only(p, {"rule", "iterations", "params", "optimizer"}, where);
    if (!p.contains("rule")) throw Error(where + ": 'rule' is required");
    if (!p.contains("iterations") || !p["iterations"].is_number_integer() || p["iterations"].get<long long>() < 0)
      throw Error(where + ": 'iterations' must be a non-negative integer");
    Phase phase;
    phase.rule = component(p["rule"], where + ".rule");
    if (p.contains("params")) phase.rule.params = to_params(p["params"], where + ".params");
    phase.optimizer = p.contains("optimizer") ? component(p["optimizer"], where + ".optimizer") : default_optimizer;
    phase.iterations = p["iterations"].get<std::size_t>();
    registry.info(PluginKind::Rule, phase.rule.name);
    registry.info(PluginKind::Optimizer, phase.optimizer.name);
    phases.push_back(phase);
  }
  std::vector<Component> before, after;
  if (raw.contains("analyses")) {
    const json& a = raw["analyses"];
    if (!a.is_object()) throw Error("lab.sweep: analyses must be { before = {...}, after = {...} }");
    expect_only(a, {"before", "after"}, "lab.sweep: analyses");
    for (const char* when : {"before", "after"}) {
      if (!a.contains(when)) continue;
      if (!a[when].is_array()) throw Error(std::string("lab.sweep: analyses.") + when + " must be a list");
      for (const auto& item : a[when]) {
        Component c = component(item, std::string("lab.sweep: analyses.") + when);
        registry.info(PluginKind::Analysis, c.name);
        (std::string(when) == "before" ? before : after).push_back(c);
      }
    }
  }

  // Grid keys: resolve each to the component it parameterises.
  const PluginInfo& task_info = registry.info(PluginKind::Task, task.name);
  std::vector<GridKey> keys;
  if (raw.contains("grid")) {
    if (!raw["grid"].is_object()) throw Error("lab.sweep: grid must be a table of key = { values }");
    for (const auto& [key, values] : raw["grid"].items()) {
      if (!values.is_array() || values.empty())
        throw Error("lab.sweep: grid." + key + " must be a non-empty list of values");
      GridKey g;
      g.key = key;
      for (std::size_t i = 0; i < values.size(); ++i)
        g.values.push_back(to_value(values[i], "lab.sweep: grid." + key + "[" + std::to_string(i + 1) + "]"));
      const auto dot = key.find('.');
      const std::string prefix = dot == std::string::npos ? "" : key.substr(0, dot);
      g.param = dot == std::string::npos ? key : key.substr(dot + 1);
      auto in_rules = [&] {
        return std::any_of(phases.begin(), phases.end(), [&](const Phase& p) {
          return declares(registry.info(PluginKind::Rule, p.rule.name).params, g.param);
        });
      };
      auto in_optimizers = [&] {
        return std::any_of(phases.begin(), phases.end(), [&](const Phase& p) {
          return declares(registry.info(PluginKind::Optimizer, p.optimizer.name).params, g.param);
        });
      };
      if (prefix.empty() && g.param == "seed") g.target = Target::Seed;
      else if (prefix == "network" || (prefix.empty() && g.param != "dt" && declares(Network::specs(), g.param)))
        g.target = Target::Network;
      else if (prefix == "task" || (prefix.empty() && declares(task_info.params, g.param))) g.target = Target::Task;
      else if (prefix == "optimizer" || (prefix.empty() && in_optimizers())) g.target = Target::Optimizer;
      else if (prefix == "rule" || (prefix.empty() && in_rules())) g.target = Target::Rule;
      else if (!prefix.empty())
        throw Error("lab.sweep: grid key '" + key + "': prefix must be network, task, optimizer or rule");
      else
        throw Error("lab.sweep: grid key '" + key + "' is not a parameter of the network, task '" + task.name +
                    "', the optimizers or the rules of the protocol");
      if (g.target == Target::Seed)
        for (const auto& v : g.values)
          if (!std::holds_alternative<double>(v) || std::get<double>(v) < 0 ||
              std::get<double>(v) != static_cast<double>(static_cast<std::uint64_t>(std::get<double>(v))))
            throw Error("lab.sweep: grid.seed values must be non-negative integers");
      if (g.target == Target::Rule && !in_rules())
        throw Error("lab.sweep: grid key '" + key + "': no rule of the protocol has a parameter '" + g.param + "'");
      keys.push_back(std::move(g));
    }
  }
  std::sort(keys.begin(), keys.end(), [](const GridKey& a, const GridKey& b) { return a.key < b.key; });
  for (const auto& k : keys) plan.grid_keys.push_back(k.key);

  // Cartesian product, first key slowest.
  std::map<std::string, std::size_t> ids;  // run id -> index, to refuse two runs with one id
  std::size_t total = 1;
  for (const auto& k : keys) total *= k.values.size();
  for (std::size_t index = 0; index < total; ++index) {
    RunSpec run;
    run.index = index;
    run.seed = base_seed;
    run.task = task;
    run.network = network;
    run.phases = phases;
    run.before = before;
    run.after = after;
    run.log_every = log_every;
    std::size_t rest = index;
    std::vector<std::size_t> choice(keys.size());
    for (std::size_t k = keys.size(); k-- > 0;) {
      choice[k] = rest % keys[k].values.size();
      rest /= keys[k].values.size();
    }
    std::string id;
    for (std::size_t k = 0; k < keys.size(); ++k) {
      const GridKey& g = keys[k];
      const Value& v = g.values[choice[k]];
      run.grid.emplace_back(g.key, v);
      id += (id.empty() ? "" : "_") + g.key + "=" +
            (std::holds_alternative<std::string>(v) ? std::get<std::string>(v) : describe(v));
      switch (g.target) {
        case Target::Seed: run.seed = static_cast<std::uint64_t>(std::get<double>(v)); break;
        case Target::Network: run.network[g.param] = v; break;
        case Target::Task: run.task.params[g.param] = v; break;
        case Target::Optimizer:
          for (auto& p : run.phases)
            if (declares(registry.info(PluginKind::Optimizer, p.optimizer.name).params, g.param))
              p.optimizer.params[g.param] = v;
          break;
        case Target::Rule:
          for (auto& p : run.phases)
            if (declares(registry.info(PluginKind::Rule, p.rule.name).params, g.param)) p.rule.params[g.param] = v;
          break;
      }
    }
    run.id = id.empty() ? "run" : file_safe(id);
    // One id, one result file: a repeated grid value (or two values that
    // differ only in characters not safe in file names) would make the
    // second run look complete, or overwrite the first.
    if (const auto [it, fresh] = ids.emplace(run.id, index); !fresh)
      throw Error("lab.sweep: runs " + std::to_string(it->second + 1) + " and " + std::to_string(index + 1) +
                  " would both be stored as '" + run.id + "'; remove the repeated grid value");
    // Everything a run will make is made once now, so a bad value stops
    // the sweep before any work, with the offending run named.
    try {
      auto t = registry.make_task(run.task.name, run.task.params);
      const TaskInfo info = t->info();
      run.network["inputs"] = static_cast<double>(info.inputs);
      run.network["outputs"] = static_cast<double>(info.outputs);
      if (!run.network.count("alpha") && !run.network.count("dt")) run.network["dt"] = info.dt;
      run.network["seed"] = static_cast<double>(run.seed);
      Network::config_from(ParamSet::validate(Network::specs(), run.network, "network"));
      for (const auto& p : run.phases) {
        registry.make_rule(p.rule.name, p.rule.params);
        registry.make_optimizer(p.optimizer.name, p.optimizer.params);
      }
      for (const auto* list : {&run.before, &run.after})
        for (const auto& a : *list) registry.make_analysis(a.name, a.params);
    } catch (const Error& e) {
      throw Error("lab.sweep: run '" + run.id + "': " + e.what());
    }
    plan.runs.push_back(std::move(run));
  }
  return plan;
}

}  // namespace rnnlab::sweep
