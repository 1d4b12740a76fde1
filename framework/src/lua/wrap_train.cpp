// lab.train{net, task, rule, optimizer, iterations, log_every, seed, quiet, monitor, stop_when, ...}
#include <cstdio>
#include <set>

#include <cmath>
#include <optional>
#include <sstream>

#include "../sweep/group.hpp"
#include "../checkpoint.hpp"
#include "bindings.hpp"
#include "../progress.hpp"
#include "../monitor_spec.hpp"
#include <nlohmann/json.hpp>
#include "rnnlab/sdk/error.hpp"
#include "rnnlab/app/trainer.hpp"

namespace rnnlab::lua {
namespace {

// A recorded batch used in place of a task: every iteration sees it.
class FixedBatchTask final : public Task {
 public:
  explicit FixedBatchTask(std::shared_ptr<Batch> b) : batch_(std::move(b)) {}
  TaskInfo info() const override { return {batch_->inputs(), batch_->outputs(), batch_->dt, batch_->loss}; }
  void generate(std::uint64_t, Batch& out) const override { out = *batch_; }

 private:
  std::shared_ptr<Batch> batch_;
};

// The bytes of n doubles, appended to a text to hash (exact, and a third
// of the length of their decimal digits).
void append_bytes(std::string& text, const double* values, std::size_t n) {
  text.append(reinterpret_cast<const char*>(values), n * sizeof(double));
}

const ParamSpecs& train_specs() {
  static const ParamSpecs specs = {
      ParamSpec::integer("iterations", 0).at_least(0).means("training iterations of this phase (required)"),
      ParamSpec::integer("log_every", 1).at_least(1).means("record the loss every n iterations (and the last)"),
      ParamSpec::integer("seed", 0).range(0, 9007199254740992.0).means("seed of the batches and rule streams (default: net.seed)"),
      ParamSpec::boolean("quiet", false).means("no progress output for this phase"),
      ParamSpec::text("checkpoint", "").means("HDF5 file of learning-state checkpoints: continue from it if it exists"),
      ParamSpec::number("checkpoint_every", 60).at_least(0).means("seconds of training between checkpoints"),
      ParamSpec::integer("eval_batch", 0).at_least(0).means("trials of the monitors' evaluation batch; 0 = the task's batch size"),
  };
  return specs;
}

template <class T>
std::shared_ptr<T>& field_object(lua_State* L, const char* key, const char* expected) {
  lua_getfield(L, 1, key);
  auto* p = test<T>(L, -1);
  if (!p) {
    const std::string got = lua_isnil(L, -1) ? "nothing" : type_of(L, -1);
    lua_pop(L, 1);
    throw Error(std::string("lab.train: '") + key + "' must be " + expected + ", got " + got);
  }
  lua_pop(L, 1);  // the table still holds the userdata, so *p stays alive
  return *p;
}

int train(lua_State* L) {
  if (!lua_istable(L, 1)) throw Error("lab.train{...} expects a table, got " + type_of(L, 1));
  const std::set<std::string> objects = {"net", "task", "rule", "optimizer", "monitor", "stop_when"};
  std::map<std::string, Value> scalars;
  lua_pushnil(L);
  while (lua_next(L, 1)) {
    const std::string key = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : "?";
    if (!objects.count(key)) {
      bool known = false;
      for (const auto& s : train_specs()) known |= s.name == key;
      if (!known) {
        lua_pop(L, 2);
        throw Error("lab.train: unknown field '" + key + "'; valid: net, task, rule, optimizer, monitor, stop_when, " +
                    join_names(train_specs()));
      }
      scalars[key] = to_value(L, -1, key, "lab.train");
    }
    lua_pop(L, 1);
  }
  const ParamSet p = ParamSet::validate(train_specs(), scalars, "lab.train");
  if (!p.was_given("iterations")) throw Error("lab.train: 'iterations' is required");

  auto& net = field_object<Network>(L, "net", "an rnnlab.Network (lab.network{...})");
  auto& rule = field_object<RuleObject>(L, "rule", "an rnnlab.Rule (lab.rule(name, params))");
  auto& optimizer = field_object<OptimizerObject>(L, "optimizer", "an rnnlab.Optimizer (lab.optimizer(name, params))");
  std::shared_ptr<Task> task;
  std::string task_description;  // for a checkpoint's identity
  lua_getfield(L, 1, "task");
  if (auto* t = test<TaskObject>(L, -1)) {
    task = (*t)->object;
    task_description = (*t)->name + "(" + (*t)->params + ")";
  } else if (auto* b = test<Batch>(L, -1)) {
    task = std::make_shared<FixedBatchTask>(*b);
    std::string d = "batch|" + std::to_string((*b)->dt) + "|" + std::to_string(static_cast<int>((*b)->loss));
    append_bytes(d, (*b)->x.memptr(), (*b)->x.n_elem);
    append_bytes(d, (*b)->y.memptr(), (*b)->y.n_elem);
    append_bytes(d, (*b)->mask.memptr(), (*b)->mask.n_elem);
    task_description = stable_hash(d);
  }
  lua_pop(L, 1);
  if (!task) throw Error("lab.train: 'task' must be an rnnlab.Task or rnnlab.Batch");

  TrainOptions options;
  options.iterations = static_cast<std::size_t>(p.integer("iterations"));
  options.log_every = static_cast<std::size_t>(p.integer("log_every"));
  options.seed = p.was_given("seed") ? static_cast<std::uint64_t>(p.integer("seed")) : net->config().seed;

  // monitor = { {"accuracy", every = 10}, ... }: analyses of a held-out
  // batch during training; stop_when = {"lyapunov", "max", above = x}.
  const Registry& registry = *context(L).registry;
  nlohmann::json monitor_json, stop_json;
  lua_getfield(L, 1, "monitor");
  if (!lua_isnil(L, -1)) monitor_json = to_json(L, -1, "lab.train: monitor");
  lua_pop(L, 1);
  lua_getfield(L, 1, "stop_when");
  if (!lua_isnil(L, -1)) stop_json = to_json(L, -1, "lab.train: stop_when");
  lua_pop(L, 1);
  const std::vector<MonitorSpec> monitor_specs = parse_monitors(registry, monitor_json, "lab.train: monitor");
  if (!stop_json.is_null()) options.stop_when = parse_stop_when(stop_json, monitor_specs, "lab.train: stop_when");
  const auto eval_size = static_cast<std::size_t>(p.integer("eval_batch"));
  if (eval_size > 0 && monitor_specs.empty())
    throw Error("lab.train: eval_batch is the size of the monitors' batch; there is no monitor");
  const MonitorSet monitor_set = make_monitors(registry, monitor_specs, options.log_every);
  auto eval_batch_object = std::make_shared<Batch>();
  Batch& eval_batch = *eval_batch_object;
  if (!monitor_specs.empty()) {
    lua_getfield(L, 1, "task");
    auto* t = test<TaskObject>(L, -1);
    lua_pop(L, 1);
    if (!t) {
      // A recorded batch: the monitors see that batch.
      if (eval_size > 0) throw Error("lab.train: eval_batch needs a task; the task is a recorded batch, which the monitors use as it is");
      task->generate(0, eval_batch);
    } else if (eval_size > 0) {
      const auto& declared = registry.info(PluginKind::Task, (*t)->name).params;
      if (std::none_of(declared.begin(), declared.end(), [](const ParamSpec& s) { return s.name == "batch"; }))
        throw Error("lab.train: eval_batch: task '" + (*t)->name + "' has no parameter 'batch'");
      auto values = (*t)->values;
      values["batch"] = static_cast<double>(eval_size);
      eval_batch = evaluation_batch(*registry.make_task((*t)->name, values), options.seed);
    } else {
      eval_batch = evaluation_batch(*task, options.seed);
    }
    options.monitors = monitor_set.monitors;
    options.eval_batch = &eval_batch;
    options.registry = &registry;
  }

  // checkpoint = "file.h5": the phase's learning state is saved every
  // checkpoint_every seconds, on Ctrl-C and at the end; a later call of the
  // same training (same initial weights, plugins, parameters, task,
  // iterations and seed) continues from it, or returns at once if done.
  const std::string checkpoint_path = p.text("checkpoint");
  std::optional<checkpoint::Data> saved;
  std::string identity;
  const arma::vec initial = net->params().theta;
  if (!checkpoint_path.empty()) {
    std::ostringstream id;
    id.precision(17);
    id << "lab.train|" << rule->name << "(" << rule->params << ")|" << optimizer->name << "(" << optimizer->params
       << ")|task " << task_description << "|" << options.iterations << "|" << options.log_every << "|"
       << options.seed << "|" << net->params().theta.n_elem << "|" << net->config().alpha << "|"
       << static_cast<int>(net->config().precision) << "|";
    if (!monitor_specs.empty())  // what the monitors record, and where the phase may stop
      id << "monitor " << monitor_json.dump() << "|stop_when " << stop_json.dump() << "|" << eval_size << "|";
    std::string text = id.str();
    append_bytes(text, initial.memptr(), initial.n_elem);  // the initial weights, exactly
    identity = stable_hash(text);
    saved = checkpoint::read(checkpoint_path, identity);
    if (saved) options.resume = &saved->state;
    options.checkpoint_seconds = p.number("checkpoint_every");
    options.checkpoint = [&](const PhaseState& state) {
      checkpoint::Data d;
      d.identity = identity;
      d.state = state;
      d.initial = initial;
      d.final_loss = std::nan("");
      checkpoint::write(checkpoint_path, d);
    };
  }

  // Iterations a checkpoint restored count as done, not in the rate.
  ProgressPrinter printer("train " + rule->name, "iterations", "it/s", options.iterations,
                          context(L).quiet || p.boolean("quiet"), saved ? saved->state.done : 0);
  options.progress = [&printer](const TrainProgress& progress) {
    char loss[32];
    std::snprintf(loss, sizeof loss, "loss %.4g", progress.loss);
    printer.update(progress.iteration, loss, progress.seconds);
  };

  const TrainResult r = rnnlab::train(*net, *task, *rule->object, *optimizer->object, options);
  if (!checkpoint_path.empty() && !r.diverged && r.iterations_done == options.iterations)
    options.checkpoint(PhaseState{r.iterations_done, net->params().theta, optimizer->object->state(),
                                  rule->object->state(), r.losses, r.monitors});
  char summary[160];
  if (r.diverged) {
    // final_loss is NaN; the last loss measured tells how it diverged.
    const double last = r.losses.empty() ? r.final_loss : r.losses.back().second;
    std::snprintf(summary, sizeof summary, "DIVERGED at iteration %zu/%zu (loss %g) after %.2f s",
                  r.iterations_done + 1, options.iterations, last, r.seconds);
  } else {
    std::snprintf(summary, sizeof summary, "%zu iterations in %.2f s, loss %.6g -> %.6g%s", r.iterations_done,
                  r.seconds, r.losses.empty() ? 0.0 : r.losses.front().second, r.final_loss,
                  r.stopped ? " (stopped: stop_when held)" : "");
  }
  printer.summary(summary);

  lua_createtable(L, 0, 5);
  lua_createtable(L, static_cast<int>(r.losses.size()), 0);
  for (std::size_t i = 0; i < r.losses.size(); ++i) {
    lua_createtable(L, 2, 2);
    lua_pushinteger(L, static_cast<lua_Integer>(r.losses[i].first));
    lua_pushvalue(L, -1);
    lua_rawseti(L, -3, 1);
    lua_setfield(L, -2, "iteration");
    lua_pushnumber(L, r.losses[i].second);
    lua_pushvalue(L, -1);
    lua_rawseti(L, -3, 2);
    lua_setfield(L, -2, "loss");
    lua_rawseti(L, -2, static_cast<lua_Integer>(i + 1));
  }
  lua_setfield(L, -2, "losses");
  lua_pushnumber(L, r.final_loss);
  lua_setfield(L, -2, "final_loss");
  lua_pushboolean(L, r.diverged);
  lua_setfield(L, -2, "diverged");
  lua_pushnumber(L, r.seconds);
  lua_setfield(L, -2, "seconds");
  lua_pushinteger(L, static_cast<lua_Integer>(r.iterations_done));
  lua_setfield(L, -2, "iterations");
  if (r.stopped) {
    lua_pushinteger(L, static_cast<lua_Integer>(*r.stopped));
    lua_setfield(L, -2, "stopped");
  }
  // monitor.<name>[j] = { iteration = i, <key> = value, ... }
  lua_createtable(L, 0, static_cast<int>(r.monitors.size()));
  for (const MonitorLog& log : r.monitors) {
    lua_createtable(L, static_cast<int>(log.iterations.size()), 0);
    for (std::size_t j = 0; j < log.iterations.size(); ++j) {
      lua_createtable(L, 0, static_cast<int>(log.keys.size() + 1));
      for (std::size_t k = 0; k < log.keys.size(); ++k) {
        lua_pushnumber(L, log.values[j][k]);
        lua_setfield(L, -2, log.keys[k].c_str());
      }
      lua_pushinteger(L, static_cast<lua_Integer>(log.iterations[j]));
      lua_setfield(L, -2, "iteration");
      lua_rawseti(L, -2, static_cast<lua_Integer>(j + 1));
    }
    lua_setfield(L, -2, log.name.c_str());
  }
  lua_setfield(L, -2, "monitor");
  if (!monitor_specs.empty()) {
    push(L, eval_batch_object);  // the batch the monitors saw
    lua_setfield(L, -2, "eval_batch");
  }
  return 1;
}

}  // namespace

void open_train(lua_State* L) {
  static const luaL_Reg functions[] = {{"train", guarded<train>}, {nullptr, nullptr}};
  luaL_setfuncs(L, functions, 0);
}

}  // namespace rnnlab::lua
