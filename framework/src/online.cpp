// Forward-in-time gradients of eq. 1 (online.hpp): RTRL, SnAp-1 and UORO,
// written once for either arithmetic and run in the network's precision.
//
// The recurrent parameters θ = (W_h, W_x, b) are seen as one N × Q matrix
// [W_h W_x b], Q = N + Nin (+1 with biases), whose entry (i, q) is θ[i + N q]:
// the layout of ParameterBlocks. The immediate influence of entry (i, q) is
// (1−α) r̃_q[t] on unit i alone, r̃[t] = [f(h[t]); x[t]; 1].
#include "rnnlab/sdk/online.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <vector>

#include "kernels.hpp"
#include "rnnlab/sdk/random.hpp"

namespace rnnlab {

namespace {

using kernel::Model;

/// r̃[t] of trial b: [f(h[t]); x[t]; 1 (with biases)], Q values.
template <class T>
void presynaptic(const TrajectoryOf<T>& traj, const arma::Cube<T>& x, bool bias, arma::uword b, arma::uword t,
                 T* out) {
  const arma::uword N = traj.r.n_rows, Nin = x.n_rows;
  const T* r = traj.r.slice_memptr(t) + b * N;
  const T* u = x.slice_memptr(t) + b * Nin;
  std::copy(r, r + N, out);
  std::copy(u, u + Nin, out + N);
  if (bias) out[N + Nin] = T(1);
}

/// The gradient of θ (N × Q, θ's layout) into the weight blocks.
template <class T, class Blocks>
void store_recurrent(const arma::Mat<T>& g, arma::uword Nin, bool bias, Blocks& grad) {
  const arma::uword N = g.n_rows;
  grad.W_h = g.cols(0, N - 1);
  if (Nin > 0) grad.W_x = g.cols(N, N + Nin - 1);
  if (bias) grad.b = g.col(N + Nin);
}

bool all_zero(const double* v, arma::uword n) { return std::all_of(v, v + n, [](double a) { return a == 0.0; }); }
bool all_zero(const float* v, arma::uword n) { return std::all_of(v, v + n, [](float a) { return a == 0.0f; }); }

/// Exact RTRL, one trial at a time so that the trial's influence matrix
/// (P × N, stored transposed so that a unit's column is contiguous) stays
/// in cache over its T steps. Per step:
///   Mᵀ ← α Mᵀ + Mᵀ[:, A] Yᵀ,  Y = (1−α) W_h[:, A] diag f'(h_A[t])   (A: units with f' ≠ 0)
///   Mᵀ(i + N q, i) += (1−α) r̃_q[t],   g += Mᵀ e[t]
/// Units with f' = 0 (ReLU below threshold) are left out of the product,
/// which is exact.
template <class T>
void rtrl(const Model<T>& m, const TrajectoryOf<T>& traj, const arma::Cube<T>& x, const arma::Cube<T>& e,
          arma::Cube<T>& scratch, arma::Mat<T>& g) {
  const arma::uword N = m.W_h.n_rows, Nin = m.W_x.n_cols, Q = N + Nin + (m.bias ? 1 : 0), P = N * Q;
  const arma::uword B = e.n_cols, T_ = e.n_slices;
  const T a = m.alpha, c = T(1) - a;
  scratch.set_size(P, N, 2);
  arma::Mat<T> Mt(scratch.slice_memptr(0), P, N, false, true);
  T* gathered = scratch.slice_memptr(1);
  arma::Mat<T> Yt(N, N);
  arma::Mat<T> gv(P, 1, arma::fill::zeros);
  std::vector<T> rt(Q);
  kernel::with_derivative<T>(m.activation, [&](auto df) {
    for (arma::uword b = 0; b < B; ++b) {
      Mt.zeros();
      for (arma::uword t = 0; t < T_; ++t) {
        if (t > 0) {  // M[0] = 0: nothing to propagate at t = 0
          const T* h = traj.h.slice_memptr(t) + b * N;
          const T* r = traj.r.slice_memptr(t) + b * N;
          arma::uword active = 0;
          for (arma::uword k = 0; k < N; ++k) {
            const T d = df(h[k], r[k]);
            if (d == T(0)) continue;
            std::copy(Mt.colptr(k), Mt.colptr(k) + P, gathered + active * P);
            const T* w = m.W_h.colptr(k);
            T* y = Yt.colptr(active);
            const T s = c * d;
            for (arma::uword n = 0; n < N; ++n) y[n] = s * w[n];
            ++active;
          }
          if (active == 0) {
            Mt *= a;
          } else {
            const arma::Mat<T> X(gathered, P, active, false, true);
            const arma::Mat<T> Y(Yt.memptr(), N, active, false, true);
            gemm(false, true, T(1), X, Y, a, Mt);
          }
        }
        presynaptic(traj, x, m.bias, b, t, rt.data());
        T* M = Mt.memptr();
        for (arma::uword q = 0; q < Q; ++q) {
          const T v = c * rt[q];
          if (v == T(0)) continue;
          for (arma::uword i = 0; i < N; ++i) M[i + N * q + P * i] += v;
        }
        const T* et = e.slice_memptr(t) + b * N;
        if (all_zero(et, N)) continue;  // no error at this step (masked out)
        const arma::Mat<T> ev(const_cast<T*>(et), N, 1, false, true);
        gemm(false, false, T(1), Mt, ev, T(1), gv);
      }
    }
  });
  g = arma::reshape(gv, N, Q);
}

/// One SnAp-1 step of one trial over its N × Q sparse influence S:
///   S(i, q) ← d_i S(i, q) + c r̃_q,  g(i, q) += e_i S(i, q)  (e = nullptr: no error).
template <class T>
RNNLAB_VECTOR_CLONES void snap_step(arma::uword N, arma::uword Q, const T* __restrict d, const T* __restrict rt,
                                    T c, const T* __restrict e, T* __restrict S, T* __restrict g) {
  for (arma::uword q = 0; q < Q; ++q) {
    T* s = S + N * q;
    T* gq = g + N * q;
    const T v = c * rt[q];
    if (e) {
      for (arma::uword i = 0; i < N; ++i) {
        const T n = d[i] * s[i] + v;
        s[i] = n;
        gq[i] += e[i] * n;
      }
    } else {
      for (arma::uword i = 0; i < N; ++i) s[i] = d[i] * s[i] + v;
    }
  }
}

/// SnAp-1: the entries of the influence matrix that the immediate
/// influence fills, ∂h_i/∂θ(i, q), propagated by the diagonal of J alone.
template <class T>
void snap(const Model<T>& m, const TrajectoryOf<T>& traj, const arma::Cube<T>& x, const arma::Cube<T>& e,
          arma::Mat<T>& g) {
  const arma::uword N = m.W_h.n_rows, Nin = m.W_x.n_cols, Q = N + Nin + (m.bias ? 1 : 0);
  const arma::uword B = e.n_cols, T_ = e.n_slices;
  const T a = m.alpha, c = T(1) - a;
  arma::Mat<T> S(N, Q);
  g.zeros(N, Q);
  std::vector<T> d(N), rt(Q);
  const arma::Col<T> self = m.W_h.diag();
  kernel::with_derivative<T>(m.activation, [&](auto df) {
    for (arma::uword b = 0; b < B; ++b) {
      S.zeros();
      for (arma::uword t = 0; t < T_; ++t) {
        const T* h = traj.h.slice_memptr(t) + b * N;
        const T* r = traj.r.slice_memptr(t) + b * N;
        for (arma::uword i = 0; i < N; ++i) d[i] = a + c * self[i] * df(h[i], r[i]);
        presynaptic(traj, x, m.bias, b, t, rt.data());
        const T* et = e.slice_memptr(t) + b * N;
        snap_step(N, Q, d.data(), rt.data(), c, all_zero(et, N) ? nullptr : et, S.memptr(), g.memptr());
      }
    }
  });
}

/// v[i] = ±1 from bit i of the words w (1: +1), i < n.
template <class T>
RNNLAB_VECTOR_CLONES void expand_signs(const std::uint64_t* __restrict w, arma::uword n, T* __restrict v) {
  for (arma::uword k = 0; 64 * k < n; ++k) {
    const std::uint64_t word = w[k];
    const arma::uword m = std::min<arma::uword>(64, n - 64 * k);
    T* out = v + 64 * k;
    for (arma::uword j = 0; j < m; ++j) out[j] = static_cast<T>(static_cast<int>((word >> j) & 1u) * 2 - 1);
  }
}

/// Σ_{u<t} g[u] K[u] (ν_uᵀν_t), with ν_uᵀν_t = N − 2·(signs that differ)
/// from the sign bits of the trial's steps (`stride` words apart, `words`
/// each). Hardware popcount where the CPU has one.
template <class T>
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
__attribute__((target_clones("popcnt", "default")))
#endif
double sign_weighted_dot(const std::uint64_t* bits, arma::uword stride, arma::uword words, arma::uword N,
                         arma::uword t, const T* K, const T* g) {
  const std::uint64_t* wt = bits + t * stride;
  double sum = 0;
  for (arma::uword u = 0; u < t; ++u) {
    long differ = 0;
    for (arma::uword k = 0; k < words; ++k) differ += std::popcount(bits[u * stride + k] ^ wt[k]);
    sum += static_cast<double>(g[u]) * static_cast<double>(K[u]) * static_cast<double>(static_cast<long>(N) - 2 * differ);
  }
  return sum;
}

/// UORO without storing θ̃. After step t,
///   θ̃_b[t] = Σ_{s≤t} k_b[s] A_b(s, t) ν_b[s] r̃_b[s]ᵀ   (N × Q),  A_b(s, t) = Π_{u=s+1..t} 1/ρ₀_b[u],
/// with k = (1−α)/ρ₁. Its norm, which ρ₀ needs at the next step, follows from
///   ‖θ̃[t]‖² = ‖θ̃[t−1]‖²/ρ₀² + 2 (k/ρ₀) Σ_{s<t} k[s] A(s, t−1) (ν_sᵀν_t)(r̃_sᵀr̃_t) + k² N ‖r̃_t‖²,
/// where ν_sᵀν_t and r̃_sᵀr̃_t are two Gram matrices per trial (GEMMs). The gradient Σ_t s[t] θ̃[t], s[t] = e[t]ᵀh̃[t+1],
/// is Σ_s w[s] ν[s] r̃[s]ᵀ with w[s] = k[s] ω[s], ω[s] = s[s] + ω[s+1]/ρ₀[s+1]:
/// one product over all steps, like BPTT's weight gradients.
template <class T, class Blocks>
void uoro(const Model<T>& m, const TrajectoryOf<T>& traj, const arma::Cube<T>& x, const arma::Cube<T>& e,
          std::uint64_t seed, arma::Cube<T>& signs, arma::Cube<T>& gram, arma::Cube<T>& weighted, Blocks& grad) {
  const arma::uword N = m.W_h.n_rows, Nin = m.W_x.n_cols, Q = N + Nin + (m.bias ? 1 : 0);
  const arma::uword B = e.n_cols, T_ = e.n_slices;
  const T alpha = m.alpha, c = T(1) - alpha;
  // ν_b[t] = signs(:, b, t) ∈ {−1, 1}^N from the bits of ⌈N/64⌉ draws of
  // Rng(seed) per step and trial (bit i: unit i, 1 = +1), in the order (t, b).
  const arma::uword words = (N + 63) / 64;
  std::vector<std::uint64_t> bits(T_ * B * words);
  signs.set_size(N, B, T_);
  {
    Rng rng(seed);
    const std::uint64_t last = N % 64 ? (std::uint64_t(1) << (N % 64)) - 1 : ~std::uint64_t(0);
    for (arma::uword j = 0; j < T_ * B; ++j) {
      std::uint64_t* w = &bits[j * words];
      for (arma::uword k = 0; k < words; ++k) w[k] = rng.next();
      w[words - 1] &= last;
      expand_signs(w, N, signs.memptr() + j * N);
    }
  }
  // Per trial: the Gram matrix r̃_sᵀr̃_t of the steps, by a GEMM.
  gram.set_size(T_, T_, B);
  {
    arma::Mat<T> R(Q, T_, arma::fill::none);
    for (arma::uword b = 0; b < B; ++b) {
      for (arma::uword t = 0; t < T_; ++t) presynaptic(traj, x, m.bias, b, t, R.colptr(t));
      arma::Mat<T> K(gram.slice_memptr(b), T_, T_, false, true);
      gemm(true, false, T(1), R, R, T(0), K);
    }
  }

  // Forward in time, all trials at once for J h̃.
  arma::Mat<T> H(N, B, arma::fill::zeros), JH(N, B, arma::fill::none), DH(N, B, arma::fill::none);
  arma::mat inv_rho0(B, T_, arma::fill::none), k(B, T_, arma::fill::none), s(B, T_, arma::fill::none);
  // γ_b(u) = k[u] A(u, t−1) = scaled(u, b) · level(b), so that a step
  // rescales one number instead of t (renormalised when it drifts).
  arma::Mat<T> scaled(T_, B, arma::fill::none);
  arma::vec level(B, arma::fill::ones), norm2(B, arma::fill::zeros);
  kernel::with_derivative<T>(m.activation, [&](auto df) {
    for (arma::uword t = 0; t < T_; ++t) {
      if (t > 0) {  // J[t] h̃ = α h̃ + (1−α) W_h (f'(h[t]) ⊙ h̃); h̃[0] = 0
        const T* h = traj.h.slice_memptr(t);
        const T* r = traj.r.slice_memptr(t);
        for (arma::uword i = 0; i < N * B; ++i) DH[i] = df(h[i], r[i]) * H[i];
        JH = alpha * H;
        gemm(false, false, c, m.W_h, DH, T(1), JH);
      } else {
        JH.zeros();
      }
      for (arma::uword b = 0; b < B; ++b) {
        const double rr2 = gram(t, t, b);  // ‖r̃_t‖²
        const T* jb = JH.colptr(b);
        double nj = 0;
        for (arma::uword i = 0; i < N; ++i) nj += static_cast<double>(jb[i]) * jb[i];
        nj = std::sqrt(nj);
        const double nt = std::sqrt(norm2[b]);
        const double rho0 = nj > 0 && nt > 0 ? std::sqrt(nt / nj) : 1.0;
        // ‖νᵀF‖ = (1−α) ‖ν‖ ‖r̃‖ for signs ν, so ρ₁ = √((1−α) ‖r̃‖).
        const double f = static_cast<double>(c) * std::sqrt(rr2);
        const double rho1 = f > 0 ? std::sqrt(f) : 1.0;
        const double kt = static_cast<double>(c) / rho1, a = 1.0 / rho0;
        const T* v = signs.slice_memptr(t) + b * N;
        T* hb = H.colptr(b);
        const T* et = e.slice_memptr(t) + b * N;
        double st = 0;
        for (arma::uword i = 0; i < N; ++i) {
          hb[i] = static_cast<T>(rho0 * jb[i] + rho1 * v[i]);
          st += static_cast<double>(et[i]) * hb[i];
        }
        // ‖θ̃[t]‖² from ‖θ̃[t−1]‖² and ν_tᵀ θ̃[t−1] r̃_t = Σ_{u<t} γ(u) (ν_uᵀν_t)(r̃_uᵀr̃_t).
        T* gb = scaled.colptr(b);
        const double cross =
            level[b] * sign_weighted_dot(&bits[b * words], B * words, words, N, t, gram.slice_memptr(b) + T_ * t, gb);
        norm2[b] = std::max(0.0, a * a * norm2[b] + 2.0 * a * kt * cross + kt * kt * static_cast<double>(N) * rr2);
        level[b] *= a;
        if (level[b] > 1e15 || level[b] < 1e-15) {
          for (arma::uword u = 0; u < t; ++u) gb[u] = static_cast<T>(gb[u] * level[b]);
          level[b] = 1;
        }
        gb[t] = static_cast<T>(kt / level[b]);
        inv_rho0(b, t) = a;
        k(b, t) = kt;
        s(b, t) = st;
      }
    }
  });

  // Backward over the steps for the weights w[s] of ν[s] r̃[s]ᵀ.
  weighted.set_size(N, B, T_);
  for (arma::uword b = 0; b < B; ++b) {
    double omega = 0;
    for (arma::uword t = T_; t-- > 0;) {
      omega = s(b, t) + (t + 1 < T_ ? inv_rho0(b, t + 1) * omega : 0.0);
      const T wt = static_cast<T>(k(b, t) * omega);
      const T* v = signs.slice_memptr(t) + b * N;
      T* out = weighted.slice_memptr(t) + b * N;
      for (arma::uword i = 0; i < N; ++i) out[i] = wt * v[i];
    }
  }
  kernel::sum_outer(T(1), weighted, traj.r, 0, grad.W_h);
  kernel::sum_outer(T(1), weighted, x, 0, grad.W_x);
  if (m.bias) grad.b = arma::sum(slices_as_matrix(weighted, 0, T_), 1);
}

template <class Body>
void online_pass(const Network& net, const Batch& batch, GradientWorkspace& ws, Gradient& out, Body&& body) {
  out.loss = kernel::in_precision(
      net, batch, nullptr, false, ws, out, [&](const auto& m, const auto& x, const auto*, auto& buffers, auto& grad) {
        using T = typename std::remove_cvref_t<decltype(x)>::elem_type;
        // Learning signals e[s] = D[s+1] (W_outᵀ δ[s]) in buffers.G: the
        // errors with no propagation through the Jacobian.
        const double loss = kernel::errors(m, batch, x, static_cast<const arma::Mat<T>*>(nullptr),
                                           {.leak = false, .recurrent = false}, buffers);
        body(m, buffers, x, grad);
        kernel::readout_gradients(m, buffers.traj, buffers.delta, grad);
        return loss;
      });
}

}  // namespace

void influence_gradient(const Network& net, const Batch& batch, Influence pattern, GradientWorkspace& ws,
                        Gradient& out) {
  online_pass(net, batch, ws, out, [&](const auto& m, auto& buffers, const auto& x, auto& grad) {
    using T = typename std::remove_cvref_t<decltype(x)>::elem_type;
    arma::Mat<T> g;  // N × Q: the gradient of [W_h W_x b]
    if (pattern == Influence::Full)
      rtrl(m, buffers.traj, x, buffers.G, buffers.work, g);
    else
      snap(m, buffers.traj, x, buffers.G, g);
    store_recurrent(g, m.W_x.n_cols, m.bias, grad);
  });
}

void uoro_gradient(const Network& net, const Batch& batch, std::uint64_t seed, GradientWorkspace& ws,
                   Gradient& out) {
  online_pass(net, batch, ws, out, [&](const auto& m, auto& buffers, const auto& x, auto& grad) {
    uoro(m, buffers.traj, x, buffers.G, seed, buffers.work2, buffers.work3, buffers.work, grad);
  });
}

std::uint64_t batch_seed(std::uint64_t seed, const Batch& batch) {
  std::uint64_t hash = 1469598103934665603ull;
  const auto mix = [&](const auto& data) {  // FNV-1a over the values' 64-bit patterns
    for (const double v : data) {
      hash ^= std::bit_cast<std::uint64_t>(v);
      hash *= 1099511628211ull;
    }
  };
  mix(batch.x);
  mix(batch.y);
  mix(batch.mask);
  return derive_seed(seed, hash);
}

}  // namespace rnnlab
