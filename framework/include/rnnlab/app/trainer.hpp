#pragma once
// Runs one training phase: a rule and an optimizer for a number of
// iterations on fresh batches of a task. Orchestration only: no
// learning-rule maths lives here.
#include <cstdint>
#include <functional>
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

/// Everything that determines the rest of a phase after `done` iterations
/// (batches are made from the seed and the iteration number, so no random
/// stream needs saving): what a checkpoint holds.
struct PhaseState {
  std::size_t done = 0;      ///< iterations completed
  arma::vec theta;           ///< the weights after them
  LearningState optimizer;   ///< Optimizer::state()
  LearningState rule;        ///< Rule::state()
  std::vector<std::pair<std::size_t, double>> losses;  ///< logged so far
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
};

struct TrainResult {
  std::vector<std::pair<std::size_t, double>> losses;  ///< (iteration, loss)
  double final_loss = 0;       ///< loss of the last iteration (NaN if none ran or the phase diverged)
  bool diverged = false;        ///< a non-finite loss, gradient or update stopped the phase
  std::size_t iterations_done = 0;
  double seconds = 0;
};

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
