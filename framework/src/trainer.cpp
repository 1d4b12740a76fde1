#include "rnnlab/app/trainer.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <limits>

#include "rnnlab/sdk/error.hpp"
#include "rnnlab/sdk/random.hpp"

namespace rnnlab {
namespace {
std::atomic<bool> g_interrupt{false};
}

void request_interrupt() { g_interrupt.store(true); }
void clear_interrupt() { g_interrupt.store(false); }
bool interrupt_requested() { return g_interrupt.load(std::memory_order_relaxed); }

void MonitorLog::append(const MonitorLog& other) {
  for (const auto& k : other.keys)
    if (std::find(keys.begin(), keys.end(), k) == keys.end()) {
      keys.push_back(k);
      for (auto& row : values) row.push_back(std::numeric_limits<double>::quiet_NaN());
    }
  for (std::size_t j = 0; j < other.iterations.size(); ++j) {
    std::vector<double> row(keys.size(), std::numeric_limits<double>::quiet_NaN());
    for (std::size_t k = 0; k < other.keys.size(); ++k)
      row[static_cast<std::size_t>(std::find(keys.begin(), keys.end(), other.keys[k]) - keys.begin())] =
          other.values[j][k];
    phases.push_back(other.phases[j]);
    iterations.push_back(other.iterations[j]);
    values.push_back(std::move(row));
  }
}

Batch evaluation_batch(const Task& task, std::uint64_t seed) {
  Batch batch;
  task.generate(derive_seed(seed, "monitor"), batch);
  return batch;
}

namespace {

// Evaluates monitor `m` at `iteration` and records its numbers in `log`;
// returns whether `stop_when` (if it names this monitor) holds.
bool evaluate(const Monitor& m, const Network& net, const TrainOptions& options, std::size_t iteration,
              MonitorLog& log) {
  AnalysisInput input;
  input.batch = options.eval_batch;
  input.registry = options.registry;
  const AnalysisResult result = m.analysis->run(net, input, derive_seed(options.seed, "monitor." + m.name));
  if (log.keys.empty()) {
    for (const auto& [key, value] : result)
      if (std::holds_alternative<double>(value)) log.keys.push_back(key);
    if (log.keys.empty())
      throw Error("monitor '" + m.name + "': the analysis returns no number to record (only lists or text)");
  }
  std::vector<double> row(log.keys.size(), std::numeric_limits<double>::quiet_NaN());
  for (const auto& [key, value] : result)
    if (const double* d = std::get_if<double>(&value))
      if (auto it = std::find(log.keys.begin(), log.keys.end(), key); it != log.keys.end())
        row[static_cast<std::size_t>(it - log.keys.begin())] = *d;
  log.phases.push_back(options.phase);
  log.iterations.push_back(iteration);
  log.values.push_back(std::move(row));
  if (!options.stop_when || options.stop_when->monitor != m.name) return false;
  const StopWhen& u = *options.stop_when;
  for (const auto& [key, value] : result) {
    if (key != u.key) continue;
    const double* d = std::get_if<double>(&value);
    if (!d) throw Error("stop_when: '" + u.key + "' of analysis '" + m.name + "' is not a number (a list or text)");
    return u.above ? *d > u.threshold : *d < u.threshold;
  }
  std::string numbers;
  for (const auto& k : log.keys) numbers += (numbers.empty() ? "" : ", ") + k;
  throw Error("stop_when: analysis '" + m.name + "' returns no number '" + u.key + "'; its numbers: " + numbers);
}

}  // namespace

TrainResult train(Network& net, const Task& task, Rule& rule, Optimizer& optimizer, const TrainOptions& options) {
  using clock = std::chrono::steady_clock;
  const auto start = clock::now();
  auto elapsed = [&] { return std::chrono::duration<double>(clock::now() - start).count(); };

  const TaskInfo info = task.info();
  const auto& s = net.shape();
  if (info.inputs != s.inputs || info.outputs != s.outputs)
    throw Error("network has " + std::to_string(s.inputs) + " inputs and " + std::to_string(s.outputs) +
                " outputs but the task has " + std::to_string(info.inputs) + " and " +
                std::to_string(info.outputs) + " (use inputs = task.inputs, outputs = task.outputs)");
  const std::size_t log_every = std::max<std::size_t>(1, options.log_every);

  net.keep_initial_params();  // the weights before the first training, for analyses such as weight_change
  rule.begin(net, derive_seed(options.seed, "rule"));
  optimizer.reset(net.params().theta.n_elem);
  const std::uint64_t task_seed = derive_seed(options.seed, "task");
  if (!options.monitors.empty() && !options.eval_batch) throw Error("train: monitors need an evaluation batch");
  if (options.stop_when && std::none_of(options.monitors.begin(), options.monitors.end(),
                                    [&](const Monitor& m) { return m.name == options.stop_when->monitor; }))
    throw Error("stop_when: '" + options.stop_when->monitor + "' is not monitored; add it to monitor");

  TrainResult result;
  result.final_loss = std::numeric_limits<double>::quiet_NaN();  // until a loss is measured
  std::size_t first = 0;  // 0-based iteration to start from
  if (options.resume) {
    const PhaseState& r = *options.resume;
    if (r.theta.n_elem != net.params().theta.n_elem)
      throw Error("checkpoint: the weights have " + std::to_string(r.theta.n_elem) + " values, the network " +
                  std::to_string(net.params().theta.n_elem));
    if (r.done > options.iterations)
      throw Error("checkpoint: " + std::to_string(r.done) + " iterations done, more than the phase's " +
                  std::to_string(options.iterations));
    std::copy(r.theta.begin(), r.theta.end(), net.params().theta.begin());
    optimizer.restore(r.optimizer);
    rule.restore(r.rule);
    result.losses = r.losses;
    result.monitors = r.monitors;
    result.iterations_done = first = r.done;
    if (!r.losses.empty()) result.final_loss = r.losses.back().second;
  }
  if (result.monitors.size() != options.monitors.size()) {
    result.monitors.assign(options.monitors.size(), MonitorLog{});
    for (std::size_t m = 0; m < options.monitors.size(); ++m) result.monitors[m].name = options.monitors[m].name;
  }
  // The monitors due after `count` iterations of the phase (all of them at
  // its start, its last iteration and where it stops); true: stop here.
  const auto monitor = [&](std::size_t count, std::size_t iteration, bool all) {
    std::vector<bool> done(options.monitors.size(), false);
    bool stop = false;
    for (std::size_t m = 0; m < options.monitors.size(); ++m)
      if (all || count % options.monitors[m].every == 0) {
        stop |= evaluate(options.monitors[m], net, options, iteration, result.monitors[m]);
        done[m] = true;
      }
    if (stop)
      for (std::size_t m = 0; m < options.monitors.size(); ++m)
        if (!done[m]) evaluate(options.monitors[m], net, options, iteration, result.monitors[m]);
    return stop;
  };
  if (first == 0 && !options.monitors.empty() && monitor(0, options.first_iteration - 1, true)) {
    result.stopped = options.first_iteration - 1;
    result.seconds = elapsed();
    return result;
  }
  double last_checkpoint = 0;
  Batch batch;
  Gradient grad;
  arma::vec& theta = net.params().theta;
  arma::vec before;  // the weights before an update, restored if it overflows
  // A diverged phase has no final loss: NaN, whatever the last measured value.
  const auto diverge = [&] {
    result.diverged = true;
    result.final_loss = std::numeric_limits<double>::quiet_NaN();
  };
  for (std::size_t i = first; i < options.iterations; ++i) {
    if (interrupt_requested()) {
      // Ctrl-C: keep the iterations done so far for a later resume.
      if (options.checkpoint && i > first)
        options.checkpoint(PhaseState{i, theta, optimizer.state(), rule.state(), result.losses, result.monitors});
      throw Interrupted();
    }
    const std::size_t iteration = options.first_iteration + i;
    task.generate(derive_seed(task_seed, static_cast<std::uint64_t>(iteration)), batch);
    rule.gradient(net, batch, grad);
    const bool last = i + 1 == options.iterations;
    const bool finite = std::isfinite(grad.loss) && grad.params.theta.is_finite();
    if (!finite || i == 0 || (i + 1) % log_every == 0 || last) result.losses.emplace_back(iteration, grad.loss);
    result.final_loss = grad.loss;
    if (!finite) {
      diverge();
      break;
    }
    before = theta;
    optimizer.update(theta, grad.params.theta);
    if (!theta.is_finite()) {
      // A finite gradient times a huge step can still overflow: the
      // network keeps its last finite weights (which net:save can write).
      std::copy(before.begin(), before.end(), theta.begin());
      if (result.losses.back().first != iteration) result.losses.emplace_back(iteration, grad.loss);
      diverge();
      break;
    }
    result.iterations_done = i + 1;
    if (!options.monitors.empty() && monitor(i + 1, iteration, last)) {
      // The phase ends here: its curve ends at this iteration, as at its last.
      if (result.losses.back().first != iteration) result.losses.emplace_back(iteration, grad.loss);
      result.stopped = iteration;
      if (options.progress) options.progress({i + 1, options.iterations, grad.loss, elapsed()});
      break;
    }
    if (options.progress) options.progress({i + 1, options.iterations, grad.loss, elapsed()});
    if (options.checkpoint && options.checkpoint_seconds > 0 && !last &&
        elapsed() - last_checkpoint >= options.checkpoint_seconds) {
      options.checkpoint(PhaseState{i + 1, theta, optimizer.state(), rule.state(), result.losses, result.monitors});
      last_checkpoint = elapsed();
    }
  }
  result.seconds = elapsed();
  return result;
}

}  // namespace rnnlab
