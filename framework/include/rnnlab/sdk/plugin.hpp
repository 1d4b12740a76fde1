#pragma once
// The plugin interfaces. Each is small and works at batch/step
// granularity; everything inside is Armadillo. Objects are created by a
// plugin's factory from a validated ParamSet (see registry.hpp).
//
// Call order within a training phase (see trainer.hpp):
//   rule.begin(net, seed); optimizer.reset(n)
//   repeat: task.generate(seed_i, batch); rule.gradient(net, batch, grad);
//           optimizer.update(theta, grad)
#include <cstdint>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "rnnlab/sdk/export.hpp"
#include "rnnlab/sdk/batch.hpp"
#include "rnnlab/sdk/network.hpp"
#include "rnnlab/sdk/params.hpp"

namespace rnnlab {

class Registry;

/// What a task produces, known before any batch is made.
struct TaskInfo {
  std::size_t inputs = 0, outputs = 0;
  double dt = 0;  ///< ms per step
  LossKind loss = LossKind::MSE;
};

/// A source of trials.
class RNNLAB_EXPORT Task {
 public:
  virtual ~Task();
  virtual TaskInfo info() const = 0;
  /// Fills `out` with one batch. Deterministic in `seed`; must be
  /// thread-safe (const, no shared mutable state). `out` may hold the
  /// previous batch: reuse its memory.
  virtual void generate(std::uint64_t seed, Batch& out) const = 0;
  /// The "same answer on every trial" level: the lowest loss of an output
  /// that knows when a trial's decision period is but not what the answer
  /// is (one constant output vector in every decision step, another in
  /// every other step; see constant_answer_loss). The default pools the
  /// batches generate(derive_seed(seed, i)), i = 0, 1, ..., until 4096
  /// trials; a task that knows the level exactly may return it instead.
  virtual double constant_loss(std::uint64_t seed) const;
};

/// A gradient estimate in the network's parameter layout.
struct Gradient {
  ParameterBlocks params;
  double loss = 0;   ///< task loss of the batch at the current weights
  std::string rule;  ///< name of the rule that made it
};

/// The learning state a rule or optimizer carries from one iteration to
/// the next (moments, feedback matrices, running baselines), as named
/// arrays: what a checkpoint saves and restores. Vectors are n×1.
using LearningState = std::vector<std::pair<std::string, arma::mat>>;

/// A learning rule: turns (network, batch) into a gradient estimate.
class RNNLAB_EXPORT Rule {
 public:
  virtual ~Rule();
  /// Start of a training phase: drop any state (traces, feedback drawn for
  /// another network) and draw what the phase needs from `seed`.
  virtual void begin(const Network& net, std::uint64_t seed);
  /// Gradient estimate at the current weights. Never changes `net`. `out`
  /// may be reused between calls.
  virtual void gradient(const Network& net, const Batch& batch, Gradient& out) = 0;
  /// The state that carries across iterations after begin() (default:
  /// none). A rule with such state must return all of it, so that
  /// restore(state()) after begin() continues exactly where it was.
  virtual LearningState state() const;
  /// Puts back what state() returned, after begin(). The default accepts
  /// only an empty state.
  virtual void restore(const LearningState& state);
};

/// Turns gradients into parameter updates.
class RNNLAB_EXPORT Optimizer {
 public:
  virtual ~Optimizer();
  /// Fresh state (moments) for `n` parameters.
  virtual void reset(std::size_t n) = 0;
  /// One step: theta ← theta − update(grad).
  virtual void step(arma::vec& theta, const arma::vec& grad) = 0;
  /// Clips grad to the global norm `clip` (if > 0), then step().
  void update(arma::vec& theta, arma::vec& grad);
  /// The state carried across steps (moments, step count; default: none),
  /// and its restoration after reset(n): restore(state()) continues exactly.
  virtual LearningState state() const;
  virtual void restore(const LearningState& state);
  double clip = 0;  ///< global gradient-norm clipping; 0 = off
};

/// Values an analysis reports, by name.
using AnalysisValue = std::variant<double, std::vector<double>, std::string>;
using AnalysisResult = std::vector<std::pair<std::string, AnalysisValue>>;

/// Where an analysis gets its inputs: a task (batches made on demand) or
/// a fixed batch.
struct RNNLAB_EXPORT AnalysisInput {
  const Task* task = nullptr;
  const Batch* batch = nullptr;
  /// The plugins in use, for analyses that make other plugins (e.g. a rule
  /// to compare against); may be null outside the Lua runtime.
  const Registry* registry = nullptr;
  /// The fixed batch, or a new one from the task with `seed`.
  Batch make(std::uint64_t seed) const;
};

/// Reads a network (never changes it) and reports named values.
class RNNLAB_EXPORT Analysis {
 public:
  virtual ~Analysis();
  virtual AnalysisResult run(const Network& net, const AnalysisInput& input,
                             std::uint64_t seed) = 0;
};

/// Draws a new network's weights (W_h, W_x, W_out and, with bias, b and
/// b_out) from the network's configuration. Deterministic in config.seed:
/// draw each block from its own stream, derive_seed(config.seed, "init.W_h")
/// and so on. The built-in `gaussian` is the scheme Network(config) uses.
class RNNLAB_EXPORT Initializer {
 public:
  virtual ~Initializer();
  /// Fills every block of `params` (already sized to config.shape).
  virtual void initialize(const NetworkConfig& config, ParameterBlocks& params) const = 0;
};

/// The entry `name` of a saved state, checked to be rows × cols; throws
/// Error naming it otherwise (for restore() implementations).
RNNLAB_EXPORT const arma::mat& state_entry(const LearningState& state, const std::string& name, arma::uword rows, arma::uword cols);

/// Throws Error if `net` cannot consume `batch` (sizes differ).
RNNLAB_EXPORT void check_compatible(const Network& net, const Batch& batch);

}  // namespace rnnlab
