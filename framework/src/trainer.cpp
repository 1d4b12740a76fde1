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
    result.iterations_done = first = r.done;
    if (!r.losses.empty()) result.final_loss = r.losses.back().second;
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
        options.checkpoint(PhaseState{i, theta, optimizer.state(), rule.state(), result.losses});
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
    if (options.progress) options.progress({i + 1, options.iterations, grad.loss, elapsed()});
    if (options.checkpoint && options.checkpoint_seconds > 0 && !last &&
        elapsed() - last_checkpoint >= options.checkpoint_seconds) {
      options.checkpoint(PhaseState{i + 1, theta, optimizer.state(), rule.state(), result.losses});
      last_checkpoint = elapsed();
    }
  }
  result.seconds = elapsed();
  return result;
}

}  // namespace rnnlab
