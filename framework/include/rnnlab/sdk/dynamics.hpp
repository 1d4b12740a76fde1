#pragma once
// Forward pass of eq. 1, readout error and the backward recursion through
// time. This is the shared maths of every gradient-based rule: rules differ
// only in which feedback matrix carries the readout error back and which
// parts of the state Jacobian J[t] = α I + (1−α) W_h D[t] they keep.
#include <armadillo>
#include <memory>

#include "rnnlab/sdk/export.hpp"
#include "rnnlab/sdk/batch.hpp"
#include "rnnlab/sdk/network.hpp"
#include "rnnlab/sdk/plugin.hpp"

namespace rnnlab {

/// States of one forward pass, in arithmetic T. Reused across iterations:
/// no allocation happens when the shapes stay the same.
template <class T>
struct TrajectoryOf {
  arma::Cube<T> h;     ///< N × B × (T+1): h[0] … h[T]
  arma::Cube<T> r;     ///< N × B × (T+1): f(h[t])
  arma::Cube<T> yhat;  ///< Nout × B × T: ŷ[t] = W_out f(h[t+1]) + b_out
  std::size_t steps() const { return yhat.n_slices; }
};
using Trajectory = TrajectoryOf<double>;

/// Runs eq. 1 on inputs x (Nin × B × T) from h[0] = 0.
RNNLAB_EXPORT void forward(const Network& net, const arma::cube& x, Trajectory& traj);
/// Eq. 1 with additive state noise u (N × B × T, double):
/// h[t+1] = α h[t] + (1−α)(W_h f(h[t]) + W_x x[t] + b) + u[t].
RNNLAB_EXPORT void forward(const Network& net, const arma::cube& x, const arma::cube& noise, Trajectory& traj);

/// f and f' of an activation, elementwise.
RNNLAB_EXPORT void activate(Activation a, const arma::mat& h, arma::mat& out);
RNNLAB_EXPORT void activate_derivative(Activation a, const arma::mat& h, arma::mat& out);

/// Masked loss of SPEC §4 and its gradient δ = ∂L/∂ŷ (same shape as ŷ).
/// Returns L. Non-finite outputs give a non-finite L (never throws).
RNNLAB_EXPORT double loss_and_error(const Batch& batch, const arma::cube& yhat, arma::cube& delta);
/// Loss only.
RNNLAB_EXPORT double loss(const Batch& batch, const arma::cube& yhat);
/// Each trial's term of the masked loss: B values whose sum is loss().
RNNLAB_EXPORT arma::vec trial_losses(const Batch& batch, const arma::cube& yhat);

/// The loss, as loss() defines it, of the best output that is the same on
/// every trial of `batches` apart from when the trial's decision period is:
/// one output vector c_D at every step with decision > 0, another c_N at
/// every other step (all steps form one class if no batch marks a decision
/// period). For MSE, c is the mask-weighted mean of the targets of its
/// class, and the level the mask-weighted mean over steps and channels of
/// the squared deviations from it; for cross-entropy, softmax(c) is the
/// class's mask-weighted mean target, and the level the mean cross-entropy
/// of the targets against it. Throws Error if the batches' masks sum to 0
/// or their loss kinds or output counts differ.
RNNLAB_EXPORT double constant_answer_loss(const std::vector<const Batch*>& batches);
RNNLAB_EXPORT double constant_answer_loss(const Batch& batch);

/// Which parts of the state Jacobian the backward recursion keeps.
struct Backprop {
  bool leak = true;       ///< the α I term (neuron-intrinsic memory)
  bool recurrent = true;  ///< the (1−α) W_hᵀ D term (propagation across units)
  /// Truncation: an error injected at h[t] reaches back at most this many
  /// Jacobians (to h[t−k]); 0 = unlimited (full BPTT).
  std::size_t truncation = 0;
};

/// Backward recursion for G (N × B × T), slice s = ∂L/∂h[s+1] under the
/// approximation `keep`, from E (N × B × T), slice s = the readout error
/// sent to the hidden units at step s (e.g. W_outᵀ δ[s]):
///   G[T−1]   = D[T] ⊙ E[T−1]
///   G[s−1]   = leak·α G[s] + D[s] ⊙ (E[s−1] + recurrent·(1−α) W_hᵀ G[s])
/// With keep.truncation = k > 0 the sum over paths is cut at k Jacobians:
///   G[s] = Σ_{d=0..k} J[s+1]ᵀ ⋯ J[s+d]ᵀ e[s+d],  e[s] = D[s+1] ⊙ E[s],
/// computed with one product per step over a window of k+1 ages.
/// `work` is scratch space reused between calls.
RNNLAB_EXPORT void backward(const Network& net, const Trajectory& traj, const arma::cube& E, Backprop keep,
                            arma::cube& G, arma::cube& work);

/// Sends the readout error to the hidden units: E = op(feedback) · δ, an
/// N × Nout matrix (exact gradients: feedback = W_out, transpose = true).
RNNLAB_EXPORT void project_error(const arma::mat& feedback, bool transpose, const arma::cube& delta, arma::cube& E);

/// Weight gradients from the state gradients:
///   dW_h = (1−α) Σ_s G[s] f(h[s])ᵀ,  dW_x = (1−α) Σ_s G[s] x[s]ᵀ,
///   db = (1−α) Σ G,  dW_out = Σ_s δ[s] f(h[s+1])ᵀ,  db_out = Σ δ.
/// Each is one matrix product over all steps.
RNNLAB_EXPORT void weight_gradients(const Network& net, const Trajectory& traj, const arma::cube& x,
                                    const arma::cube& delta, const arma::cube& G, ParameterBlocks& grad);

/// The exact readout part alone: dW_out = Σ_s δ[s] f(h[s+1])ᵀ, db_out = Σ δ.
RNNLAB_EXPORT void readout_gradients(const Network& net, const Trajectory& traj, const arma::cube& delta, ParameterBlocks& grad);

/// Scratch space of the gradient pipeline (forward states, errors, the
/// single-precision copies of the weights, packed products), kept by a rule
/// between calls so that no pass allocates once the shapes are known. It is
/// opaque and one pointer wide: its contents are the framework's own and
/// never part of the plugin ABI. A copy is a new, empty workspace.
class RNNLAB_EXPORT GradientWorkspace {
 public:
  GradientWorkspace();
  ~GradientWorkspace();
  GradientWorkspace(GradientWorkspace&&) noexcept;
  GradientWorkspace& operator=(GradientWorkspace&&) noexcept;
  GradientWorkspace(const GradientWorkspace&);
  GradientWorkspace& operator=(const GradientWorkspace&);

  struct Impl;  ///< defined in the framework
  Impl& impl();

 private:
  std::unique_ptr<Impl> impl_;
};

/// The whole pipeline of a backprop-style rule: forward pass, loss and
/// readout error, E = op(feedback)·δ (nullptr: exact, W_outᵀ), backward
/// recursion under `keep`, weight gradients. Fills out.params and out.loss.
/// Runs in the network's precision (NetworkConfig::precision); the
/// gradient is returned in double either way.
/// A non-null `feedback` (B) must be N × Nout (hidden × outputs): see
/// check_feedback.
RNNLAB_EXPORT void backprop_gradient(const Network& net, const Batch& batch, const arma::mat* feedback, Backprop keep,
                                     GradientWorkspace& ws, Gradient& out);

/// Throws Error "feedback must be 64×2, got 2×64" unless `feedback` is
/// hidden × outputs for `shape`. backprop_gradient and trace_gradient
/// check their feedback with it.
RNNLAB_EXPORT void check_feedback(const arma::mat& feedback, const Shape& shape);

}  // namespace rnnlab
