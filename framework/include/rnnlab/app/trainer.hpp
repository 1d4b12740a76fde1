#pragma once
// Runs one training phase: a rule and an optimizer for a number of
// iterations on fresh batches of a task. Orchestration only: no
// learning-rule maths lives here.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "rnnlab/sdk/export.hpp"
#include "rnnlab/sdk/plugin.hpp"

namespace rnnlab {

struct TrainProgress {
  std::size_t iteration = 0, iterations = 0;
  double loss = 0;
  double seconds = 0;
};

/// The numbers one monitor recorded: at each evaluation (phase,
/// iteration), one value per key (NaN where an evaluation lacked a key).
struct RNNLAB_EXPORT MonitorLog {
  std::string name;               ///< the monitor's name: its analysis
  std::vector<std::string> keys;  ///< the analysis' numbers, as first returned
  std::vector<std::size_t> phases, iterations;
  std::vector<std::vector<double>> values;  ///< values[j][k]: evaluation j, key k
  /// Appends the evaluations of `other` (same name; keys matched by name).
  void append(const MonitorLog& other);
};

/// An analysis evaluated on the phase's evaluation batch during training.
struct Monitor {
  std::string name;             ///< the analysis' name (names the recorded numbers)
  Analysis* analysis = nullptr;
  std::size_t every = 1;        ///< at every every-th iteration of the phase (and its first and last)
};

/// Ends a phase early: after an evaluation of monitor `monitor` whose
/// number `key` is above (or below) `threshold`, strictly.
struct StopWhen {
  std::string monitor, key;
  bool above = true;
  double threshold = 0;
};

/// Everything that determines the rest of a phase after `done` iterations
/// (batches are made from the seed and the iteration number, so no random
/// stream needs saving): what a checkpoint holds.
struct PhaseState {
  std::size_t done = 0;      ///< iterations completed
  arma::vec theta;           ///< the weights after them
  LearningState optimizer;   ///< Optimizer::state()
  LearningState rule;        ///< Rule::state()
  std::vector<std::pair<std::size_t, double>> losses;  ///< logged so far
  std::vector<MonitorLog> monitors;                    ///< recorded so far
};

struct TrainOptions {
  std::size_t iterations = 100;
  std::size_t log_every = 1;  ///< record the loss every n iterations (and the last)
  std::uint64_t seed = 1;     ///< batches: derive_seed(seed,"task"); rule: derive_seed(seed,"rule")
  std::size_t first_iteration = 1;  ///< numbering continues across phases
  std::function<void(const TrainProgress&)> progress;  ///< called every iteration
  /// Continue the phase from this state instead of from iteration 1
  /// (weights, optimizer and rule state replaced after begin/reset).
  const PhaseState* resume = nullptr;
  /// Called with the phase's state every `checkpoint_seconds` of training
  /// (not after the last iteration); 0 or no function: never.
  double checkpoint_seconds = 0;
  std::function<void(const PhaseState&)> checkpoint;
  /// Analyses evaluated on `eval_batch` (required with monitors) with the
  /// network as it is after iteration first_iteration − 1 (the phase's
  /// start), after every every-th iteration of the phase and after its last
  /// one; each with the seed derive_seed(seed, "monitor." + name).
  std::vector<Monitor> monitors;
  const Batch* eval_batch = nullptr;
  std::optional<StopWhen> stop_when;  ///< names one of `monitors`
  std::size_t phase = 1;       ///< 1-based, recorded with the monitors' values
  const Registry* registry = nullptr;  ///< handed to the monitors' analyses
};

struct TrainResult {
  std::vector<std::pair<std::size_t, double>> losses;  ///< (iteration, loss)
  double final_loss = 0;       ///< loss of the last iteration (NaN if none ran or the phase diverged)
  bool diverged = false;        ///< a non-finite loss, gradient or update stopped the phase
  std::size_t iterations_done = 0;
  double seconds = 0;
  std::vector<MonitorLog> monitors;  ///< one per monitor, in the order given
  /// The iteration after which `stop_when` held (the phase stopped there), if it did.
  std::optional<std::size_t> stopped;
};

/// The held-out evaluation batch of a training with seed `seed`: made once
/// by `task` with derive_seed(seed, "monitor"), a stream no training batch uses.
RNNLAB_EXPORT Batch evaluation_batch(const Task& task, std::uint64_t seed);

/// Trains `net` in place. On divergence the offending update is not
/// applied (the weights stay finite), final_loss is NaN and the phase stops. Throws Interrupted (between iterations)
/// when interrupt_requested() becomes true.
RNNLAB_EXPORT TrainResult train(Network& net, const Task& task, Rule& rule, Optimizer& optimizer,
                                const TrainOptions& options);

/// Set by a signal handler; checked at safe points.
RNNLAB_EXPORT void request_interrupt();
RNNLAB_EXPORT void clear_interrupt();
RNNLAB_EXPORT bool interrupt_requested();

}  // namespace rnnlab
