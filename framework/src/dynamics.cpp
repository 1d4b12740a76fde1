#include "rnnlab/dynamics.hpp"

#include <cmath>

#include "rnnlab/error.hpp"
#include "rnnlab/linalg.hpp"

namespace rnnlab {
namespace {

// Calls body(f) with the activation as a compile-time functor so the
// elementwise loops inline it.
template <class Body>
void with_activation(Activation a, Body&& body) {
  switch (a) {
    case Activation::ReLU: body([](double v) { return v > 0.0 ? v : 0.0; }); break;
    case Activation::Tanh: body([](double v) { return std::tanh(v); }); break;
    case Activation::Identity: body([](double v) { return v; }); break;
  }
}

// f'(h) given h and r = f(h); f'(0) = 0 for ReLU.
template <class Body>
void with_derivative(Activation a, Body&& body) {
  switch (a) {
    case Activation::ReLU: body([](double h, double) { return h > 0.0 ? 1.0 : 0.0; }); break;
    case Activation::Tanh: body([](double, double r) { return 1.0 - r * r; }); break;
    case Activation::Identity: body([](double, double) { return 1.0; }); break;
  }
}

}  // namespace

void activate(Activation a, const arma::mat& h, arma::mat& out) {
  out.set_size(h.n_rows, h.n_cols);
  with_activation(a, [&](auto f) {
    for (arma::uword i = 0; i < h.n_elem; ++i) out[i] = f(h[i]);
  });
}

void activate_derivative(Activation a, const arma::mat& h, arma::mat& out) {
  out.set_size(h.n_rows, h.n_cols);
  with_activation(a, [&](auto f) {
    with_derivative(a, [&](auto df) {
      for (arma::uword i = 0; i < h.n_elem; ++i) out[i] = df(h[i], f(h[i]));
    });
  });
}

void forward(const Network& net, const arma::cube& x, Trajectory& traj) {
  const auto& P = net.params();
  const auto& s = net.shape();
  const arma::uword N = s.hidden, B = x.n_cols, T = x.n_slices;
  if (x.n_rows != s.inputs) throw Error("internal: forward() input size mismatch");
  traj.h.set_size(N, B, T + 1);
  traj.r.set_size(N, B, T + 1);
  traj.yhat.set_size(s.outputs, B, T);
  traj.h.slice(0).zeros();
  traj.r.slice(0).zeros();  // f(0) = 0 for every activation offered
  if (T == 0) return;

  // Input drive of every step in one product: h[1..T] ← W_x x[0..T−1] + b.
  arma::mat drive = slices_as_matrix(traj.h, 1, T);
  gemm(false, false, 1.0, P.W_x, slices_as_matrix(x, 0, T), 0.0, drive);
  if (s.bias) drive.each_col() += P.b;

  const double a = net.alpha(), c = 1.0 - a;
  const arma::uword n = N * B;
  with_activation(net.activation(), [&](auto f) {
    for (arma::uword t = 0; t < T; ++t) {
      arma::mat next = slice_view(traj.h, t + 1);
      if (t > 0) gemm(false, false, 1.0, P.W_h, slice_view(traj.r, t), 1.0, next);  // r[0] = 0
      const double* hp = traj.h.slice_memptr(t);
      double* hn = traj.h.slice_memptr(t + 1);
      double* rn = traj.r.slice_memptr(t + 1);
      for (arma::uword i = 0; i < n; ++i) {
        const double v = a * hp[i] + c * hn[i];
        hn[i] = v;
        rn[i] = f(v);
      }
    }
  });

  // Readout of every step in one product: ŷ[t] = W_out f(h[t+1]) + b_out.
  arma::mat yhat = slices_as_matrix(traj.yhat, 0, T);
  gemm(false, false, 1.0, P.W_out, slices_as_matrix(traj.r, 1, T), 0.0, yhat);
  if (s.bias) yhat.each_col() += P.b_out;
}

namespace {

double mask_total(const Batch& batch) {
  const double w = arma::accu(batch.mask);
  if (!(w > 0.0)) throw Error("batch" + (batch.task.empty() ? "" : " of task '" + batch.task + "'") +
                              ": the loss mask sums to " + std::to_string(w) + " (must be positive)");
  return w;
}

// Per (t, b) term ℓ and, if delta is given, ∂(m·ℓ/W)/∂ŷ written into it.
template <bool WithDelta>
double masked_loss(const Batch& batch, const arma::cube& yhat, arma::cube* delta) {
  const arma::uword K = yhat.n_rows, B = yhat.n_cols, T = yhat.n_slices;
  if (batch.y.n_rows != K || batch.y.n_cols != B || batch.y.n_slices != T)
    throw Error("internal: loss() output size mismatch");
  const double W = mask_total(batch);
  if constexpr (WithDelta) delta->set_size(K, B, T);
  double total = 0.0;
  for (arma::uword t = 0; t < T; ++t) {
    for (arma::uword b = 0; b < B; ++b) {
      const double m = batch.mask(b, t);
      const double* out = yhat.slice_memptr(t) + b * K;
      const double* target = batch.y.slice_memptr(t) + b * K;
      double* d = WithDelta ? delta->slice_memptr(t) + b * K : nullptr;
      if (batch.loss == LossKind::MSE) {
        double sq = 0.0;
        for (arma::uword k = 0; k < K; ++k) {
          const double diff = out[k] - target[k];
          sq += diff * diff;
          if constexpr (WithDelta) d[k] = m * 2.0 * diff / (static_cast<double>(K) * W);
        }
        total += m * sq / static_cast<double>(K);
      } else {
        double top = out[0];
        for (arma::uword k = 1; k < K; ++k) top = std::max(top, out[k]);
        double sum = 0.0, mass = 0.0;
        for (arma::uword k = 0; k < K; ++k) {
          sum += std::exp(out[k] - top);
          mass += target[k];
        }
        const double log_z = top + std::log(sum);
        double nll = 0.0;
        for (arma::uword k = 0; k < K; ++k) {
          nll -= target[k] * (out[k] - log_z);
          if constexpr (WithDelta) d[k] = m * (std::exp(out[k] - log_z) * mass - target[k]) / W;
        }
        total += m * nll;
      }
    }
  }
  return total / W;
}

}  // namespace

double loss_and_error(const Batch& batch, const arma::cube& yhat, arma::cube& delta) {
  return masked_loss<true>(batch, yhat, &delta);
}

double loss(const Batch& batch, const arma::cube& yhat) { return masked_loss<false>(batch, yhat, nullptr); }

void project_error(const arma::mat& feedback, bool transpose, const arma::cube& delta, arma::cube& E) {
  const arma::uword N = transpose ? feedback.n_cols : feedback.n_rows;
  E.set_size(N, delta.n_cols, delta.n_slices);
  arma::mat e = slices_as_matrix(E, 0, delta.n_slices);
  gemm(transpose, false, 1.0, feedback, slices_as_matrix(delta, 0, delta.n_slices), 0.0, e);
}

void backward(const Network& net, const Trajectory& traj, const arma::cube& E, Backprop keep, arma::cube& G,
              arma::cube& work) {
  const arma::uword N = E.n_rows, B = E.n_cols, T = E.n_slices;
  G.set_size(N, B, T);
  if (T == 0) return;
  const double a = net.alpha(), c = 1.0 - a;
  const double leak = keep.leak ? a : 0.0;
  const arma::uword n = N * B;
  // W_hᵀ made once per pass: the per-step products are then plain (NN)
  // GEMMs, which OpenBLAS serves with its small-matrix kernels instead of
  // re-packing W_h at every step.
  const arma::mat W_hT = keep.recurrent ? arma::mat(net.params().W_h.t()) : arma::mat();
  const bool propagates = keep.leak || keep.recurrent;
  if (keep.truncation == 0 || !propagates) {
    with_derivative(net.activation(), [&](auto df) {
      // G[s] = ∂L/∂h[s+1]; h[s+1] is traj.h slice s+1.
      for (arma::uword s = T; s-- > 0;) {
        double* g = G.slice_memptr(s);
        const double* e = E.slice_memptr(s);
        const double* h = traj.h.slice_memptr(s + 1);
        const double* r = traj.r.slice_memptr(s + 1);
        if (s + 1 == T || !propagates) {
          for (arma::uword i = 0; i < n; ++i) g[i] = df(h[i], r[i]) * e[i];
          continue;
        }
        const double* g_next = G.slice_memptr(s + 1);
        if (keep.recurrent) {
          arma::mat gm = slice_view(G, s);
          gemm(false, false, c, W_hT, slice_view(G, s + 1), 0.0, gm);
          for (arma::uword i = 0; i < n; ++i) g[i] = leak * g_next[i] + df(h[i], r[i]) * (e[i] + g[i]);
        } else {
          for (arma::uword i = 0; i < n; ++i) g[i] = leak * g_next[i] + df(h[i], r[i]) * e[i];
        }
      }
    });
    return;
  }
  // Truncated: a window of ages. work slices [0, k] hold A_d[s+1] for
  // d = 0..k (A_0 = e), slices [k+1, 2k+1] receive A_d[s]; they swap roles.
  const arma::uword k = std::min<arma::uword>(keep.truncation, T - 1);
  work.set_size(N, B, 2 * (k + 1));
  work.zeros();
  arma::uword current = 0, next = k + 1;  // first slice of each half
  with_derivative(net.activation(), [&](auto df) {
    for (arma::uword s = T; s-- > 0;) {
      const double* h = traj.h.slice_memptr(s + 1);
      const double* r = traj.r.slice_memptr(s + 1);
      // Ages 1..k: J[s+1]ᵀ applied to ages 0..k−1 of step s+1, in one product.
      if (s + 1 < T && k > 0) {
        const arma::mat older = slices_as_matrix(work, current, k);
        arma::mat aged = slices_as_matrix(work, next + 1, k);
        if (keep.recurrent)
          gemm(false, false, c, W_hT, older, 0.0, aged);
        else
          aged.zeros();
        // J[s+1]ᵀ v = leak·v + D[s+1] ⊙ ((1−α) W_hᵀ v), D from h[s+1], per age.
        for (arma::uword j = 0; j < k; ++j) {
          double* out = work.slice_memptr(next + 1 + j);
          const double* in = work.slice_memptr(current + j);
          for (arma::uword i = 0; i < n; ++i) out[i] = leak * in[i] + df(h[i], r[i]) * out[i];
        }
      } else {
        slices_as_matrix(work, next + 1, k).zeros();
      }
      // Age 0: the error injected at h[s+1].
      double* fresh = work.slice_memptr(next);
      const double* e = E.slice_memptr(s);
      for (arma::uword i = 0; i < n; ++i) fresh[i] = df(h[i], r[i]) * e[i];
      double* g = G.slice_memptr(s);
      std::fill(g, g + n, 0.0);
      for (arma::uword d = 0; d <= k; ++d) {
        const double* part = work.slice_memptr(next + d);
        for (arma::uword i = 0; i < n; ++i) g[i] += part[i];
      }
      std::swap(current, next);
    }
  });
}

void weight_gradients(const Network& net, const Trajectory& traj, const arma::cube& x, const arma::cube& delta,
                      const arma::cube& G, ParameterBlocks& grad) {
  const arma::uword T = G.n_slices;
  const double c = 1.0 - net.alpha();
  const arma::mat Gm = slices_as_matrix(G, 0, T);
  gemm(false, true, c, Gm, slices_as_matrix(traj.r, 0, T), 0.0, grad.W_h);
  gemm(false, true, c, Gm, slices_as_matrix(x, 0, T), 0.0, grad.W_x);
  if (net.shape().bias) grad.b = c * arma::sum(Gm, 1);
  readout_gradients(net, traj, delta, grad);
}

void readout_gradients(const Network& net, const Trajectory& traj, const arma::cube& delta, ParameterBlocks& grad) {
  const arma::uword T = delta.n_slices;
  const arma::mat Dm = slices_as_matrix(delta, 0, T);
  gemm(false, true, 1.0, Dm, slices_as_matrix(traj.r, 1, T), 0.0, grad.W_out);
  if (net.shape().bias) grad.b_out = arma::sum(Dm, 1);
}

void backprop_gradient(const Network& net, const Batch& batch, const arma::mat* feedback, Backprop keep,
                       GradientWorkspace& ws, Gradient& out) {
  check_compatible(net, batch);
  if (!(out.params.shape() == net.shape())) out.params = ParameterBlocks(net.shape());
  forward(net, batch.x, ws.traj);
  out.loss = loss_and_error(batch, ws.traj.yhat, ws.delta);
  if (feedback)
    project_error(*feedback, false, ws.delta, ws.E);
  else
    project_error(net.params().W_out, true, ws.delta, ws.E);
  backward(net, ws.traj, ws.E, keep, ws.G, ws.work);
  weight_gradients(net, ws.traj, batch.x, ws.delta, ws.G, out.params);
}

}  // namespace rnnlab
