#pragma once
// Eligibility traces: the shared maths of e-prop (Bellec et al. 2020) and
// RFLO (Murray 2019) on the model of eq. 1. Because the weights enter eq. 1
// outside the nonlinearity, the trace of W_h[i, j] depends on j alone, so
// traces are filtered presynaptic activity (N × B per step), and each weight
// gradient is one matrix product over all steps — never an N × N × B tensor.
#include <armadillo>
#include <cstdint>

#include "rnnlab/sdk/export.hpp"
#include "rnnlab/sdk/dynamics.hpp"
#include "rnnlab/sdk/plugin.hpp"

namespace rnnlab {

/// A fixed random feedback matrix B (N × Nout) with entries
/// U(−1/√N, 1/√N): the distribution of W_outᵀ at initialisation, so random
/// and symmetric feedback start at the same scale.
RNNLAB_EXPORT arma::mat random_feedback(const Shape& shape, std::uint64_t seed);

/// A rule's random feedback matrix B (N × Nout), kept for a training phase:
/// drawn by begin() from the phase's seed, saved and restored with the
/// rule's learning state (entry "feedback"), and drawn from the network's
/// own seed when the rule is used outside a phase on a network it does not
/// fit. A supplied B (supply()) replaces the draw in every later begin().
class RNNLAB_EXPORT RandomFeedback {
 public:
  /// B = the supplied matrix if there is one (checked: "feedback must be
  /// N×Nout, got R×C"), else random_feedback(shape, derive_seed(seed,
  /// "feedback")).
  void begin(const Network& net, std::uint64_t seed);
  /// B for `net`, drawn (or the supplied one checked) first if it does not fit.
  const arma::mat& for_network(const Network& net);
  LearningState state() const { return {{"feedback", matrix_}}; }
  /// Puts back a saved B (same shape as the one begin() drew).
  void restore(const LearningState& state);
  /// Uses `B` from now on: at once, and in every later begin() instead of a
  /// random draw. Its shape is checked against the network at begin().
  void supply(const arma::mat& B);
  bool supplied() const { return !supplied_.is_empty(); }

 private:
  arma::mat matrix_;
  arma::mat supplied_;
};

/// ε[s+1] = decay·ε[s] + scale·u[s], ε[0] = 0, for s = 0 … T−1, where u[s]
/// is slice `first + s` of `source`; out slice s holds ε[s+1].
RNNLAB_EXPORT void filter_traces(const arma::cube& source, arma::uword first, arma::uword T, double decay, double scale,
                                 arma::cube& out);

struct TraceOptions {
  const arma::mat* feedback = nullptr;  ///< B (N × Nout); nullptr: symmetric, W_outᵀ
  double decay = 0;  ///< trace filter: α (the leak, "trace = leak") or 0 ("trace = none")
};

/// The trace-rule gradient:
///   learning signal  L[s] = D[s+1] ⊙ (B δ[s])
///   traces           ε_r[s+1] = decay·ε_r[s] + (1−α) f(h[s]),  ε_x likewise with x[s],
///                    ε_1[s+1] = decay·ε_1[s] + (1−α) for the bias
///   dW_h = Σ_s L[s] ε_r[s+1]ᵀ,  dW_x = Σ_s L[s] ε_x[s+1]ᵀ,  db = Σ_s ε_1[s+1] L[s]
///   dW_out, db_out exact (readout_gradients).
/// Fills out.params and out.loss.
RNNLAB_EXPORT void trace_gradient(const Network& net, const Batch& batch, const TraceOptions& options, GradientWorkspace& ws,
                                  Gradient& out);

}  // namespace rnnlab
