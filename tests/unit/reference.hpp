#pragma once
// Independent reference implementations for gradient tests: explicit
// per-trial Jacobian matrices and element-wise loops, sharing no code with
// the framework's backward pass beyond forward() and the readout error
// (each tested on its own).
#include <rnnlab/sdk/dynamics.hpp>

#include <limits>

namespace ref {

enum class Jacobian { Full, LeakOnly, Zero };

struct Pass {
  rnnlab::Trajectory traj;
  arma::cube delta;  // ∂L/∂ŷ
  double loss = 0;
};

inline Pass run(const rnnlab::Network& net, const rnnlab::Batch& batch) {
  Pass p;
  rnnlab::forward(net, batch.x, p.traj);
  p.loss = rnnlab::loss_and_error(batch, p.traj.yhat, p.delta);
  return p;
}

inline double fprime(rnnlab::Activation a, double h) {
  switch (a) {
    case rnnlab::Activation::ReLU: return h > 0 ? 1.0 : 0.0;
    case rnnlab::Activation::Tanh: return 1.0 - std::tanh(h) * std::tanh(h);
    default: return 1.0;
  }
}

// J[t] = ∂h[t+1]/∂h[t] for trial b, as an explicit N × N matrix.
inline arma::mat jacobian(const rnnlab::Network& net, const Pass& p, std::size_t t, std::size_t b, Jacobian kind) {
  const std::size_t N = net.shape().hidden;
  const double a = net.alpha();
  arma::mat J(N, N, arma::fill::zeros);
  if (kind == Jacobian::Zero) return J;
  J.diag().fill(a);
  if (kind == Jacobian::LeakOnly) return J;
  for (std::size_t i = 0; i < N; ++i)
    for (std::size_t j = 0; j < N; ++j)
      J(i, j) += (1 - a) * net.params().W_h(i, j) * fprime(net.activation(), p.traj.h(j, b, t));
  return J;
}

// State gradients G[s] = ∂L/∂h[s+1] (N × B × T) summed over paths of at
// most `max_jacobians` Jacobians, with the readout error sent back by
// `feedback` (N × Nout).
inline arma::cube state_gradients(const rnnlab::Network& net, const Pass& p, const arma::mat& feedback, Jacobian kind,
                                  std::size_t max_jacobians = std::numeric_limits<std::size_t>::max()) {
  const std::size_t N = net.shape().hidden, B = p.delta.n_cols, T = p.delta.n_slices;
  arma::cube G(N, B, T, arma::fill::zeros);
  for (std::size_t b = 0; b < B; ++b) {
    for (std::size_t t = 0; t < T; ++t) {  // error injected at h[t+1]
      arma::vec e = feedback * arma::vec(p.delta.slice(t).col(b));
      for (std::size_t i = 0; i < N; ++i) e(i) *= fprime(net.activation(), p.traj.h(i, b, t + 1));
      arma::mat chain = arma::eye(N, N);  // ∂h[t+1]/∂h[s+1]ᵀ products
      for (std::size_t s = t + 1; s-- > 0;) {
        const std::size_t d = t - s;
        if (d > max_jacobians) break;
        if (d > 0) chain = chain * jacobian(net, p, s + 1, b, kind);  // ∂h[t+1]/∂h[s+1]
        G.slice(s).col(b) += chain.t() * e;
      }
    }
  }
  return G;
}

// Weight gradients from state gradients, element by element.
inline arma::vec weight_gradients(const rnnlab::Network& net, const Pass& p, const rnnlab::Batch& batch,
                                  const arma::cube& G) {
  rnnlab::ParameterBlocks g(net.shape());
  const std::size_t N = net.shape().hidden, B = batch.size(), T = batch.steps();
  const double c = 1 - net.alpha();
  for (std::size_t s = 0; s < T; ++s)
    for (std::size_t b = 0; b < B; ++b)
      for (std::size_t i = 0; i < N; ++i) {
        for (std::size_t j = 0; j < N; ++j) g.W_h(i, j) += c * G(i, b, s) * p.traj.r(j, b, s);
        for (std::size_t k = 0; k < batch.inputs(); ++k) g.W_x(i, k) += c * G(i, b, s) * batch.x(k, b, s);
        if (net.shape().bias) g.b(i) += c * G(i, b, s);
      }
  for (std::size_t s = 0; s < T; ++s)
    for (std::size_t b = 0; b < B; ++b)
      for (std::size_t k = 0; k < batch.outputs(); ++k) {
        for (std::size_t j = 0; j < N; ++j) g.W_out(k, j) += p.delta(k, b, s) * p.traj.r(j, b, s + 1);
        if (net.shape().bias) g.b_out(k) += p.delta(k, b, s);
      }
  return g.theta;
}

}  // namespace ref
