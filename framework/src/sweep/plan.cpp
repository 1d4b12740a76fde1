#include "group.hpp"
#include "plan.hpp"

#include <algorithm>
#include <cctype>
#include <limits>
#include <ostream>
#include <set>

#include "rnnlab/sdk/error.hpp"
#include "rnnlab/sdk/network.hpp"
#include "rnnlab/app/sweep.hpp"

namespace rnnlab::sweep {
namespace {

using json = nlohmann::json;

std::map<std::string, Value> to_params(const json& j, const std::string& where) {
  std::map<std::string, Value> out;
  if (j.is_null() || (j.is_array() && j.empty())) return out;
  if (!j.is_object()) throw Error(where + " must be a table of name = value");
  for (const auto& [k, v] : j.items()) out[k] = value_from_json(v, where + "." + k);
  return out;
}

void expect_only(const json& j, const std::set<std::string>& valid, const std::string& where);

// "name", { "name", { params } } or { name = "name", params = { ... } }.
Component component(const json& j, const std::string& where) {
  if (j.is_string()) return {j.get<std::string>(), {}};
  if (j.is_array() && !j.empty() && j[0].is_string()) {
    if (j.size() > 2)
      throw Error(where + " has " + std::to_string(j.size()) + " elements; expected { name, { parameters } }");
    return {j[0].get<std::string>(), j.size() > 1 ? to_params(j[1], where + " parameters") : std::map<std::string, Value>{}};
  }
  if (j.is_object() && j.contains("name") && j["name"].is_string()) {
    expect_only(j, {"name", "params"}, where);
    return {j["name"].get<std::string>(), j.contains("params") ? to_params(j["params"], where + ".params") : std::map<std::string, Value>{}};
  }
  throw Error(where + " must be a name or { name, { parameters } }");
}

// A grid value as it appears in a run id.
std::string value_text(const Value& v) {
  return std::holds_alternative<std::string>(v) ? std::get<std::string>(v) : describe(v);
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

}  // namespace

namespace {

// FNV-1a (64 bit) of what is written into it, as 16 hex digits: one
// implementation for stable_hash(text) and for a JSON document streamed
// into it without its text in memory.
class HashBuffer : public std::streambuf {
 public:
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  std::string hex() const {
    char text[17];
    std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(hash));
    return text;
  }

 protected:
  int_type overflow(int_type c) override {
    if (c != traits_type::eof()) add(static_cast<char>(c));
    return c;
  }
  std::streamsize xsputn(const char* s, std::streamsize n) override {
    for (std::streamsize i = 0; i < n; ++i) add(s[i]);
    return n;
  }

 private:
  void add(char c) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 0x100000001b3ULL;
  }
};

// stable_hash(j.dump()): operator<< without a width writes exactly dump().
std::string stable_hash_of(const json& j) {
  HashBuffer buffer;
  std::ostream os(&buffer);
  os << j;
  return buffer.hex();
}

}  // namespace

Grid Grid::parse(const json& config) {
  Grid g;
  if (!config.contains("grid")) return g;
  const json& grid = config["grid"];
  if (!grid.is_object()) throw Error("lab.sweep: grid must be a table of key = { values }");
  for (const auto& [key, values] : grid.items()) {  // json objects iterate sorted by key
    if (!values.is_array() || values.empty())
      throw Error("lab.sweep: grid." + key + " must be a non-empty list of values");
    Key k;
    k.key = key;
    if (std::all_of(values.begin(), values.end(), [](const json& v) { return v.is_number(); })) {
      k.numbers.reserve(values.size());
      for (const auto& v : values) k.numbers.push_back(v.get<double>());
    } else {
      k.values.reserve(values.size());
      for (std::size_t i = 0; i < values.size(); ++i)
        k.values.push_back(value_from_json(values[i], "lab.sweep: grid." + key + "[" + std::to_string(i + 1) + "]"));
    }
    if (g.size_ > std::numeric_limits<std::size_t>::max() / k.size())
      throw Error("lab.sweep: the grid has more points than can be counted");
    g.size_ *= k.size();
    g.keys_.push_back(std::move(k));
  }
  // One id, one result file: two values of a key that differ only in
  // characters not safe in file names (or repeat) would make the second run
  // look complete, or overwrite the first. Ids join "key=value" with '_';
  // with no '_' or '=' in any value they are distinct exactly when each
  // key's values are; otherwise every id is compared.
  bool ambiguous = false;
  std::size_t stride = g.size_;
  for (const auto& k : g.keys_) {
    stride /= k.size();
    auto repeated = [&](std::size_t first, std::size_t second) {
      if (first > second) std::swap(first, second);
      return Error("lab.sweep: runs " + std::to_string(first * stride + 1) + " and " + std::to_string(second * stride + 1) +
                   " would both be stored as '" + g.id(second * stride) + "'; remove the repeated grid value");
    };
    // Numbers: their text is monotone in their value, so equal texts are
    // neighbours once sorted (8 bytes a value, however long the list).
    std::vector<double> numbers;
    std::map<std::string, std::size_t> texts;
    for (std::size_t i = 0; i < k.size(); ++i) {
      const Value v = k.value(i);
      if (const double* d = std::get_if<double>(&v)) {
        numbers.push_back(*d);
        continue;
      }
      const std::string text = file_safe(value_text(v));
      ambiguous |= text.find_first_of("_=") != std::string::npos;
      if (const auto [it, fresh] = texts.emplace(text, i); !fresh) throw repeated(it->second, i);
    }
    std::sort(numbers.begin(), numbers.end());
    for (std::size_t i = 1; i < numbers.size(); ++i)
      if (numbers[i] == numbers[i - 1] || describe(numbers[i]) == describe(numbers[i - 1])) {
        // Found: name the two runs (a linear search, once).
        std::vector<std::size_t> at;
        for (std::size_t j = 0; j < k.size() && at.size() < 2; ++j) {
          const Value v = k.value(j);
          if (std::holds_alternative<double>(v) &&
              (std::get<double>(v) == numbers[i] || std::get<double>(v) == numbers[i - 1]))
            at.push_back(j);
        }
        throw repeated(at.at(0), at.at(1));
      }
    ambiguous |= !numbers.empty() && !texts.empty();  // the string "1" and the number 1 look alike
  }
  if (ambiguous) {
    std::map<std::string, std::size_t> ids;
    for (std::size_t index = 0; index < g.size_; ++index)
      if (const auto [it, fresh] = ids.emplace(g.id(index), index); !fresh)
        throw Error("lab.sweep: runs " + std::to_string(it->second + 1) + " and " + std::to_string(index + 1) +
                    " would both be stored as '" + it->first + "'; remove the repeated grid value");
  }
  // The longest id is made of each key's longest value.
  std::size_t longest = 0;
  for (const auto& k : g.keys_) {
    std::size_t value = 0;
    for (std::size_t i = 0; i < k.size(); ++i) value = std::max(value, value_text(k.value(i)).size());
    longest += (longest ? 1 : 0) + k.key.size() + 1 + value;
  }
  if (longest > max_run_id_length)
    throw Error("lab.sweep: a run id would be " + std::to_string(longest) + " characters long (at most " +
                std::to_string(max_run_id_length) + ": it names the run's files); shorten the grid keys or values");
  return g;
}

std::vector<std::string> Grid::key_names() const {
  std::vector<std::string> names;
  for (const auto& k : keys_) names.push_back(k.key);
  return names;
}

std::vector<std::size_t> Grid::choice(std::size_t index) const {
  std::vector<std::size_t> c(keys_.size());
  for (std::size_t k = keys_.size(); k-- > 0;) {
    c[k] = index % keys_[k].size();
    index /= keys_[k].size();
  }
  return c;
}

std::string Grid::id(std::size_t index) const {
  if (keys_.empty()) return "run";
  const auto c = choice(index);
  std::string id;
  for (std::size_t k = 0; k < keys_.size(); ++k)
    id += (k ? "_" : "") + keys_[k].key + "=" + value_text(keys_[k].value(c[k]));
  return file_safe(id);
}

namespace {

bool in_phases(const Registry& registry, const std::vector<Phase>& phases, PluginKind kind, const std::string& param) {
  return std::any_of(phases.begin(), phases.end(), [&](const Phase& p) {
    return declares(registry.info(kind, kind == PluginKind::Rule ? p.rule.name : p.optimizer.name).params, param);
  });
}

// Makes everything the run will make, so that a bad value stops the sweep
// before any work, with the offending run named.
void validate(const Registry& registry, const RunSpec& run) {
  try {
    Network::config_from(ParamSet::validate(Network::specs(), run.network, "network"));
    if (!run.init.name.empty()) registry.make<Initializer>(run.init.name, run.init.params);
    for (const auto& p : run.phases) {
      registry.make_rule(p.rule.name, p.rule.params);
      registry.make_optimizer(p.optimizer.name, p.optimizer.params);
    }
    for (const auto* list : {&run.before, &run.after})
      for (const auto& a : *list) registry.make_analysis(a.name, a.params);
  } catch (const Error& e) {
    throw Error("lab.sweep: run '" + run.id + "': " + e.what());
  }
}

}  // namespace

RunSpec Plan::run(const Registry& registry, std::size_t index) const {
  RunSpec run = base;
  run.index = index;
  const auto c = grid.choice(index);
  for (std::size_t k = 0; k < c.size(); ++k) run.grid.emplace_back(grid.keys()[k].key, grid.keys()[k].value(c[k]));
  // Keys for every phase first, then phaseK. keys: the phase's own value
  // wins whatever the keys' order.
  std::vector<std::size_t> order(c.size());
  for (std::size_t k = 0; k < c.size(); ++k) order[k] = k;
  std::stable_partition(order.begin(), order.end(), [&](std::size_t k) { return phases[k] == 0; });
  for (const std::size_t k : order) {
    const std::string& param = params[k];
    const Value& v = run.grid[k].second;
    switch (targets[k]) {
      case Target::Seed: run.seed = static_cast<std::uint64_t>(std::get<double>(v)); break;
      case Target::Network: run.network[param] = v; break;
      case Target::Task: run.task.params[param] = v; break;
      case Target::Optimizer:
        for (std::size_t i = 0; i < run.phases.size(); ++i) {
          auto& p = run.phases[i];
          if ((phases[k] == 0 || phases[k] == i + 1) &&
              declares(registry.info(PluginKind::Optimizer, p.optimizer.name).params, param))
            p.optimizer.params[param] = v;
        }
        break;
      case Target::Rule:
        for (std::size_t i = 0; i < run.phases.size(); ++i) {
          auto& p = run.phases[i];
          if ((phases[k] == 0 || phases[k] == i + 1) && declares(registry.info(PluginKind::Rule, p.rule.name).params, param))
            p.rule.params[param] = v;
        }
        break;
      case Target::Init:
        if (param.empty()) run.init.name = std::get<std::string>(v);
        else run.init.params[param] = v;
        break;
    }
  }
  // When the grid chooses the initializer or its parameters, each run's
  // initializer takes those it has (as a rule takes the grid's rule
  // parameters it has); a name no initializer has stays, to be refused.
  if (std::find(targets.begin(), targets.end(), Target::Init) != targets.end()) {
    const auto& own = registry.info(PluginKind::Initializer, run.init.name.empty() ? "gaussian" : run.init.name).params;
    const auto names = registry.names(PluginKind::Initializer);
    std::erase_if(run.init.params, [&](const auto& kv) {
      return !declares(own, kv.first) && std::any_of(names.begin(), names.end(), [&](const std::string& n) {
        return declares(registry.info(PluginKind::Initializer, n).params, kv.first);
      });
    });
  }
  run.id = grid.id(index);
  try {
    const TaskInfo info = registry.make_task(run.task.name, run.task.params)->info();
    // The task decides the network's sizes: a different value given for
    // them would be overridden here yet recorded as given.
    for (const auto& [name, size] : {std::pair{"inputs", info.inputs}, std::pair{"outputs", info.outputs}}) {
      const auto it = run.network.find(name);
      if (it != run.network.end() &&
          !(std::holds_alternative<double>(it->second) && std::get<double>(it->second) == static_cast<double>(size)))
        throw Error(std::string("network.") + name + " = " + describe(it->second) + ", but task '" + run.task.name +
                    "' has " + std::to_string(size) + " " + name + "; leave it out (the task sets it)");
      run.network[name] = static_cast<double>(size);
    }
    if (!run.network.count("alpha") && !run.network.count("dt")) run.network["dt"] = info.dt;
  } catch (const Error& e) {
    throw Error("lab.sweep: run '" + run.id + "': " + e.what());
  }
  run.network["seed"] = static_cast<double>(run.seed);
  return run;
}

Plan make_plan(const Registry& registry, json raw) {
  if (!raw.is_object()) throw Error("lab.sweep{...} expects a table");
  expect_only(raw,
              {"out", "task", "network", "grid", "protocol", "optimizer", "analyses", "log_every", "seed", "fresh",
               "checkpoint_every", "monitor", "eval_batch"},
              "lab.sweep");
  Plan plan;
  plan.out = raw.value("out", std::string());

  if (!raw.contains("task")) throw Error("lab.sweep: 'task' is required, e.g. task = { \"romo\", {} }");
  if (!raw.contains("protocol") || !raw["protocol"].is_array() || raw["protocol"].empty())
    throw Error("lab.sweep: 'protocol' must be a list of phases, e.g. { { rule = \"bptt\", iterations = 1000 } }");
  RunSpec& base = plan.base;
  base.task = component(raw["task"], "lab.sweep: task");
  const Component default_optimizer =
      raw.contains("optimizer") ? component(raw["optimizer"], "lab.sweep: optimizer") : Component{"adam", {}};
  if (raw.contains("network")) {
    json network = raw["network"];
    if (network.is_object() && network.contains("init")) {
      base.init = component(network["init"], "lab.sweep: network.init");
      network.erase("init");
    }
    base.network = to_params(network, "lab.sweep: network");
  }
  if (base.network.count("seed"))
    throw Error("lab.sweep: network.seed is not used in a sweep; set the sweep's seed, or grid.seed");
  if (raw.contains("log_every")) {
    if (!raw["log_every"].is_number_integer() || raw["log_every"].get<long long>() < 1)
      throw Error("lab.sweep: log_every must be a positive integer");
    base.log_every = raw["log_every"].get<std::size_t>();
  }
  if (raw.contains("checkpoint_every")) {
    if (!raw["checkpoint_every"].is_number() || !(raw["checkpoint_every"].get<double>() >= 0))
      throw Error("lab.sweep: checkpoint_every must be a number of seconds >= 0 (0: no checkpoints)");
    plan.checkpoint_seconds = raw["checkpoint_every"].get<double>();
  }
  if (raw.contains("seed")) {
    if (!raw["seed"].is_number_integer() || raw["seed"].get<long long>() < 0)
      throw Error("lab.sweep: seed must be a non-negative integer");
    base.seed = raw["seed"].get<std::uint64_t>();
  }

  // monitor: the default of every phase that has none of its own.
  const std::vector<MonitorSpec> default_monitors =
      raw.contains("monitor") ? parse_monitors(registry, raw["monitor"], "lab.sweep: monitor") : std::vector<MonitorSpec>{};
  if (raw.contains("eval_batch")) {
    if (!raw["eval_batch"].is_number_integer() || raw["eval_batch"].get<long long>() < 1)
      throw Error("lab.sweep: eval_batch must be a positive integer (trials of the monitors' batch)");
    if (!declares(registry.info(PluginKind::Task, base.task.name).params, "batch"))
      throw Error("lab.sweep: eval_batch: task '" + base.task.name + "' has no parameter 'batch'");
    base.eval_batch = raw["eval_batch"].get<std::size_t>();
  }
  bool monitored = false;
  for (std::size_t i = 0; i < raw["protocol"].size(); ++i) {
    const json& p = raw["protocol"][i];
    const std::string where = "lab.sweep: protocol[" + std::to_string(i + 1) + "]";
    if (!p.is_object()) throw Error(where + " must be a table { rule = ..., iterations = ... }");
    expect_only(p, {"rule", "iterations", "params", "optimizer", "monitor", "stop_when"}, where);
    if (!p.contains("rule")) throw Error(where + ": 'rule' is required");
    if (!p.contains("iterations") || !p["iterations"].is_number_integer() || p["iterations"].get<long long>() < 0)
      throw Error(where + ": 'iterations' must be a non-negative integer");
    Phase phase;
    phase.rule = component(p["rule"], where + ".rule");
    if (p.contains("params")) phase.rule.params = to_params(p["params"], where + ".params");
    phase.optimizer = p.contains("optimizer") ? component(p["optimizer"], where + ".optimizer") : default_optimizer;
    phase.iterations = p["iterations"].get<std::size_t>();
    phase.monitors = p.contains("monitor") ? parse_monitors(registry, p["monitor"], where + ".monitor") : default_monitors;
    if (p.contains("stop_when")) phase.stop_when = parse_stop_when(p["stop_when"], phase.monitors, where + ".stop_when");
    monitored |= !phase.monitors.empty();
    registry.info(PluginKind::Rule, phase.rule.name);
    registry.info(PluginKind::Optimizer, phase.optimizer.name);
    base.phases.push_back(phase);
  }
  if (base.eval_batch > 0 && !monitored)
    throw Error("lab.sweep: eval_batch is the size of the monitors' batch; no phase has a monitor");
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
        (std::string(when) == "before" ? base.before : base.after).push_back(c);
      }
    }
  }

  // Grid keys: resolve each to the component it parameterises.
  plan.grid = Grid::parse(raw);
  const PluginInfo& task_info = registry.info(PluginKind::Task, base.task.name);
  for (const auto& g : plan.grid.keys()) {
    const std::string& key = g.key;
    // "phaseK.": the key sets a rule or optimizer parameter of phase K only
    // (e.g. phase1.lr: the learning rate of the first phase).
    std::size_t phase = 0;
    std::string rest = key;
    if (key.rfind("phase", 0) == 0 && key.size() > 5 && std::isdigit(static_cast<unsigned char>(key[5]))) {
      const auto end = key.find('.');
      const std::string number = key.substr(5, end == std::string::npos ? std::string::npos : end - 5);
      if (end == std::string::npos || number.size() > 6 ||
          !std::all_of(number.begin(), number.end(), [](unsigned char c) { return std::isdigit(c); }))
        throw Error("lab.sweep: grid key '" + key + "': write phaseK.<parameter>, K the phase's number from 1");
      phase = std::stoul(number);
      if (phase < 1 || phase > base.phases.size())
        throw Error("lab.sweep: grid key '" + key + "': the protocol has " + std::to_string(base.phases.size()) +
                    " phase(s); phases count from 1");
      rest = key.substr(end + 1);
    }
    const auto dot = rest.find('.');
    const std::string prefix = dot == std::string::npos ? "" : rest.substr(0, dot);
    const std::string param = dot == std::string::npos ? rest : rest.substr(dot + 1);
    std::vector<Phase> scope = base.phases;
    if (phase) scope = {base.phases[phase - 1]};
    const bool in_rules = in_phases(registry, scope, PluginKind::Rule, param);
    if (phase && !(prefix.empty() || prefix == "rule" || prefix == "optimizer"))
      throw Error("lab.sweep: grid key '" + key + "': a phaseK. key sets a rule or optimizer parameter");
    Plan::Target target;
    if (phase && (prefix == "optimizer" || (prefix.empty() && in_phases(registry, scope, PluginKind::Optimizer, param))))
      target = Plan::Target::Optimizer;
    else if (phase && (prefix == "rule" || (prefix.empty() && in_rules))) target = Plan::Target::Rule;
    else if (phase)
      throw Error("lab.sweep: grid key '" + key + "': phase " + std::to_string(phase) + "'s rule '" +
                  scope[0].rule.name + "' and optimizer '" + scope[0].optimizer.name + "' have no parameter '" + param + "'");
    else if (prefix.empty() && param == "seed") target = Plan::Target::Seed;
    else if (key == "init" || key == "network.init" || prefix == "init") target = Plan::Target::Init;
    else if (prefix == "network" || (prefix.empty() && param != "dt" && declares(Network::specs(), param)))
      target = Plan::Target::Network;
    else if (prefix == "task" || (prefix.empty() && declares(task_info.params, param))) target = Plan::Target::Task;
    else if (prefix == "optimizer" || (prefix.empty() && in_phases(registry, base.phases, PluginKind::Optimizer, param)))
      target = Plan::Target::Optimizer;
    else if (prefix == "rule" || (prefix.empty() && in_rules)) target = Plan::Target::Rule;
    else if (!prefix.empty())
      throw Error("lab.sweep: grid key '" + key + "': prefix must be network, task, optimizer, rule or init");
    else
      throw Error("lab.sweep: grid key '" + key + "' is not a parameter of the network, task '" + base.task.name +
                  "', the optimizers or the rules of the protocol");
    if (target == Plan::Target::Seed)
      for (std::size_t i = 0; i < g.size(); ++i)
        if (const Value v = g.value(i); !std::holds_alternative<double>(v) || std::get<double>(v) < 0 || std::get<double>(v) >= 0x1p63 ||
            std::get<double>(v) != static_cast<double>(static_cast<std::uint64_t>(std::get<double>(v))))
          throw Error("lab.sweep: grid.seed values must be integers in 0 … 2^63 - 1");
    if (target == Plan::Target::Network && (param == "seed"))
      throw Error("lab.sweep: grid key '" + key + "': use grid.seed for the seed of each run");
    if (target == Plan::Target::Rule && !in_rules)
      throw Error("lab.sweep: grid key '" + key + "': no rule of the protocol has a parameter '" + param + "'");
    if (target == Plan::Target::Init && prefix != "init") {
      for (std::size_t i = 0; i < g.size(); ++i) {
        const Value v = g.value(i);
        if (!std::holds_alternative<std::string>(v))
          throw Error("lab.sweep: grid key '" + key + "': values must be initializer names, got " + describe(v));
        registry.info(PluginKind::Initializer, std::get<std::string>(v));
      }
    }
    if (target == Plan::Target::Init && prefix == "init") {
      const auto names = registry.names(PluginKind::Initializer);
      if (std::none_of(names.begin(), names.end(), [&](const std::string& n) {
            return declares(registry.info(PluginKind::Initializer, n).params, param);
          }))
        throw Error("lab.sweep: grid key '" + key + "': no initializer has a parameter '" + param + "'");
    }
    if (target == Plan::Target::Optimizer && !in_phases(registry, scope, PluginKind::Optimizer, param))
      throw Error("lab.sweep: grid key '" + key + "': no optimizer of the protocol has a parameter '" + param + "'");
    plan.targets.push_back(target);
    plan.phases.push_back(phase);
    plan.params.push_back(target == Plan::Target::Init && prefix != "init" ? std::string() : param);
  }

  // Validate: every run of a small grid; of a large one, every value of
  // every key once (the other keys at their first value), so that planning
  // stays quick whatever the grid's size.
  constexpr std::size_t validate_every_run_up_to = 4096;
  if (plan.size() <= validate_every_run_up_to) {
    for (std::size_t index = 0; index < plan.size(); ++index) validate(registry, plan.run(registry, index));
  } else {
    validate(registry, plan.run(registry, 0));
    std::size_t stride = plan.size();
    for (std::size_t k = 0; k < plan.grid.keys().size(); ++k) {
      const std::size_t values = plan.grid.keys()[k].size();
      stride /= values;
      if (plan.targets[k] == Plan::Target::Seed) continue;  // any seed is valid (checked above)
      for (std::size_t i = 1; i < values; ++i) validate(registry, plan.run(registry, i * stride));
    }
  }
  // The config as given, without where it goes and whether it starts
  // afresh: its hash names the sweep (moved, not copied: it may be long).
  raw.erase("out");
  raw.erase("fresh");
  raw.erase("checkpoint_every");
  plan.hash = stable_hash_of(raw);
  plan.config = std::move(raw);
  return plan;
}

}  // namespace rnnlab::sweep

namespace rnnlab {

std::string stable_hash(const std::string& text) {
  sweep::HashBuffer buffer;
  buffer.sputn(text.data(), static_cast<std::streamsize>(text.size()));
  return buffer.hex();
}

}  // namespace rnnlab
