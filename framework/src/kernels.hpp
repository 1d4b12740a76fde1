#pragma once
// The gradient pipeline's kernels, written once for either arithmetic
// (float or double). dynamics.cpp and traces.cpp instantiate them; the
// public functions of dynamics.hpp and traces.hpp are thin wrappers that
// pick the precision. Weight blocks come as any type with members W_h, W_x,
// W_out, b, b_out (ParameterBlocks or SingleBlocks).
#include <algorithm>
#include <array>
#include <cmath>
#include <type_traits>

#include "packed_gemm.hpp"
#include "rnnlab/sdk/parallel.hpp"
#include "rnnlab/sdk/dynamics.hpp"
#include "workspace.hpp"
#include "rnnlab/sdk/error.hpp"
#include "blas.hpp"

namespace rnnlab::kernel {

/// The network as one pass sees it: weight blocks in arithmetic T, W_hᵀ
/// (needed only by backward passes that keep the recurrent term), and the
/// scalars of eq. 1.
template <class T>
struct Model {
  const arma::Mat<T>& W_h;
  const arma::Mat<T>& W_x;
  const arma::Mat<T>& W_out;
  const arma::Col<T>& b;
  const arma::Col<T>& b_out;
  const arma::Mat<T>* W_hT;
  T alpha;
  Activation activation;
  bool bias;
  /// W_h and W_hᵀ packed (single precision at large N), else nullptr: the
  /// per-step products then use them instead of BLAS.
  const PackedMatrix* packed_W_h = nullptr;
  const PackedMatrix* packed_W_hT = nullptr;
};

struct PackedWeights {
  PackedMatrix W_h, W_hT;
};

/// True when a pass in arithmetic T over N = n hidden units runs its
/// products on rnnlab's own micro-kernels: single precision on an AVX2 or
/// AVX-512 CPU, from N = 128 up, and at every N while OpenBLAS runs a core
/// weaker than the CPU's (own_for). Then neither the speed nor the bits
/// of the pass depend on which kernels BLAS picked. Double precision stays
/// with BLAS.
template <class T>
bool own_kernels(arma::uword n) {
  if constexpr (std::is_same_v<T, float>)
    return own_for(n);
  else
    return false;
}

/// C = alpha·A·X + beta·C (beta 0 or 1) on the own kernels; T is float.
template <class T>
void own_product(T alpha, const arma::Mat<T>& A, const arma::Mat<T>& X, T beta, arma::Mat<T>& C) {
  if (A.n_cols != X.n_rows || C.n_rows != A.n_rows || C.n_cols != X.n_cols)
    throw Error("internal: product size mismatch");
  product(C.n_rows, C.n_cols, A.n_cols, alpha, A.memptr(), A.n_rows, X.memptr(), X.n_rows, false, beta, C.memptr(),
          C.n_rows);
}

/// C = alpha·A·X + beta·C for one time step's product with W_h or W_hᵀ:
/// the packed matrix when there is one (split over the calling thread's
/// threads), else the own kernels (own_kernels), else BLAS. Then
/// rows_done(begin, end) over ranges of rows that cover C once, each on
/// the thread that computed those rows.
template <class T, class RowsDone>
void step_product(const PackedMatrix* packed, const arma::Mat<T>& A, T alpha, const arma::Mat<T>& X, T beta,
                  arma::Mat<T>& C, RowsDone&& rows_done) {
  if constexpr (std::is_same_v<T, float>) {
    if (packed || own_kernels<T>(C.n_rows)) {
      if (beta != T(0) && beta != T(1)) {  // the own kernels take β ∈ {0, 1}: scale C first, then add
        scale(C.n_rows, C.n_cols, beta, C.memptr(), C.n_rows);
        beta = T(1);
      }
      if (packed)
        return packed->multiply(alpha, X.memptr(), X.n_rows, X.n_cols, beta, C.memptr(), C.n_rows,
                                RowsRef(rows_done));
      own_product(alpha, A, X, beta, C);
      return rows_done(arma::uword{0}, C.n_rows);
    }
  }
  gemm(false, false, alpha, A, X, beta, C);
  rows_done(arma::uword{0}, C.n_rows);
}

template <class T>
void step_product(const PackedMatrix* packed, const arma::Mat<T>& A, T alpha, const arma::Mat<T>& X, T beta,
                  arma::Mat<T>& C) {
  step_product(packed, A, alpha, X, beta, C, [](arma::uword, arma::uword) {});
}

template <class T, class Blocks>
Model<T> model(const Network& net, const Blocks& w, const arma::Mat<T>* W_hT) {
  return {w.W_h, w.W_x, w.W_out, w.b, w.b_out, W_hT, static_cast<T>(net.alpha()), net.activation(),
          net.shape().bias};
}

// The element-wise passes are compiled for AVX-512, AVX2 and baseline
// x86-64, chosen at load time (GCC function multi-versioning). The build
// disables floating-point contraction (-ffp-contract=off), and these loops
// have no reductions, so every version gives bitwise the same result.
// GCC exports the dispatcher of a cloned template from a shared library
// whatever its visibility says, so for_each_index is static: each file
// that runs the passes has its own copy, and librnnlab exports none.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define RNNLAB_VECTOR_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define RNNLAB_VECTOR_CLONES
#endif

/// body(i) for i in [0, n): one element-wise pass.
template <class Body>
static RNNLAB_VECTOR_CLONES void for_each_index(arma::uword n, Body body) {
  for (arma::uword i = 0; i < n; ++i) body(i);
}

/// body(i) for the elements of rows [begin, end) of every column of an
/// N × B column-major block: an element-wise pass over a range of rows.
template <class Body>
void for_rows(arma::uword N, arma::uword B, arma::uword begin, arma::uword end, Body body) {
  if (begin == 0 && end == N) return for_each_index(N * B, body);
  for (arma::uword b = 0; b < B; ++b) {
    const arma::uword first = b * N + begin;
    for_each_index(end - begin, [=](arma::uword i) { body(first + i); });
  }
}

// The products over all steps of a pass are split into tasks for the
// calling thread's threads (parallel.hpp) at N ≥ kOuterSplitRows, in
// blocks of columns whose widths are fixed: the blocks depend on the sizes
// only, so results are the same for any thread count.
constexpr arma::uword kOuterSplitRows = 256, kOuterSplitCols = 128, kWideCols = 256;

/// wide_product() on the own kernels, which read A in place: op(A) = Aᵀ
/// (a readout's N × K) is copied first. Blocks of kWideCols columns when
/// `split`; the sums are the same either way.
template <class T>
void wide_own_product(bool trans_a, const arma::Mat<T>& A, const arma::Mat<T>& X, arma::Mat<T>& C, bool split) {
  thread_local arma::Mat<T> transposed;
  if (trans_a) transposed = A.t();
  const arma::Mat<T>& a = trans_a ? transposed : A;
  const arma::uword inner = X.n_rows, cols = X.n_cols;
  const arma::uword width = split ? kWideCols : std::max<arma::uword>(cols, 1);
  parallel::for_each_task(split ? (cols + kWideCols - 1) / kWideCols : 1, [&](std::size_t block) {
    const arma::uword begin = block * width, w = std::min(width, cols - begin);
    product(C.n_rows, w, inner, T(1), a.memptr(), a.n_rows, X.colptr(begin), inner, false, T(0), C.colptr(begin),
            C.n_rows);
  });
}

/// C = op(A) · X for an X of many columns (every step of a pass at once:
/// the input drive, the error projection, and on the own kernels the
/// readout); in blocks of kWideCols columns at N ≥ kOuterSplitRows. (With
/// BLAS, not the readout, whose inner dimension is N: OpenBLAS sums that in
/// an order that depends on the block's width.)
template <class T>
void wide_product(bool trans_a, const arma::Mat<T>& A, const arma::Mat<T>& X, arma::Mat<T>& C) {
  const arma::uword inner = X.n_rows, cols = X.n_cols;
  if ((trans_a ? A.n_rows : A.n_cols) != inner || C.n_cols != cols || C.n_rows != (trans_a ? A.n_cols : A.n_rows))
    throw Error("internal: wide_product size mismatch");
  const bool split = std::max(C.n_rows, inner) >= kOuterSplitRows && cols >= 2 * kWideCols && inner > 0;
  if constexpr (std::is_same_v<T, float>) {
    if (own_kernels<T>(std::max(C.n_rows, inner))) return wide_own_product(trans_a, A, X, C, split);
  }
  if (!split) return gemm(trans_a, false, T(1), A, X, T(0), C);
  parallel::for_each_task((cols + kWideCols - 1) / kWideCols, [&](std::size_t block) {
    const arma::uword begin = block * kWideCols, width = std::min(kWideCols, cols - begin);
    gemm(trans_a, false, C.n_rows, width, inner, T(1), A.memptr(), A.n_rows, X.colptr(begin), inner, T(0),
         C.colptr(begin), C.n_rows);
  });
}

// Calls body(f) with the activation as a compile-time functor so the
// elementwise loops inline it.
template <class T, class Body>
void with_activation(Activation a, Body&& body) {
  switch (a) {
    case Activation::ReLU: body([](T v) { return v > T(0) ? v : T(0); }); break;
    case Activation::Tanh: body([](T v) { return std::tanh(v); }); break;
    case Activation::Identity: body([](T v) { return v; }); break;
  }
}

// f'(h) given h and r = f(h); f'(0) = 0 for ReLU.
template <class T, class Body>
void with_derivative(Activation a, Body&& body) {
  switch (a) {
    case Activation::ReLU: body([](T h, T) { return h > T(0) ? T(1) : T(0); }); break;
    case Activation::Tanh: body([](T, T r) { return T(1) - r * r; }); break;
    case Activation::Identity: body([](T, T) { return T(1); }); break;
  }
}

/// Eq. 1 from h[0] = 0; with `noise` (N × B × T), u[t] is added to h[t+1].
template <class T>
void forward(const Model<T>& m, const arma::Cube<T>& x, TrajectoryOf<T>& traj, const arma::Cube<T>* noise = nullptr) {
  const arma::uword N = m.W_h.n_rows, B = x.n_cols, T_ = x.n_slices;
  if (x.n_rows != m.W_x.n_cols) throw Error("internal: forward() input size mismatch");
  traj.h.set_size(N, B, T_ + 1);
  traj.r.set_size(N, B, T_ + 1);
  traj.yhat.set_size(m.W_out.n_rows, B, T_);
  traj.h.slice(0).zeros();
  traj.r.slice(0).zeros();  // f(0) = 0 for every activation offered
  if (T_ == 0) return;

  // Input drive of every step in one product: h[1..T] ← W_x x[0..T−1] + b.
  arma::Mat<T> drive = slices_as_matrix(traj.h, 1, T_);
  wide_product(false, m.W_x, slices_as_matrix(x, 0, T_), drive);
  if (m.bias) drive.each_col() += m.b;

  const T a = m.alpha, c = T(1) - a;
  with_activation<T>(m.activation, [&](auto f) {
    for (arma::uword t = 0; t < T_; ++t) {
      arma::Mat<T> next = slice_view(traj.h, t + 1);
      const T* hp = traj.h.slice_memptr(t);
      T* hn = traj.h.slice_memptr(t + 1);
      T* rn = traj.r.slice_memptr(t + 1);
      const T* u = noise ? noise->slice_memptr(t) : nullptr;
      auto update = [=](arma::uword begin, arma::uword end) {
        if (u)
          for_rows(N, B, begin, end, [=](arma::uword i) {
            const T v = a * hp[i] + c * hn[i] + u[i];
            hn[i] = v;
            rn[i] = f(v);
          });
        else
          for_rows(N, B, begin, end, [=](arma::uword i) {
            const T v = a * hp[i] + c * hn[i];
            hn[i] = v;
            rn[i] = f(v);
          });
      };
      if (t > 0)
        step_product(m.packed_W_h, m.W_h, T(1), slice_view(traj.r, t), T(1), next, update);
      else
        update(0, N);  // r[0] = 0: no product
    }
  });

  // Readout of every step in one product: ŷ[t] = W_out f(h[t+1]) + b_out.
  arma::Mat<T> yhat = slices_as_matrix(traj.yhat, 0, T_);
  // On the own kernels the readout is split into column blocks like the
  // input drive (the same sums, whatever the split); BLAS keeps one call.
  if (own_kernels<T>(N))
    wide_product(false, m.W_out, slices_as_matrix(traj.r, 1, T_), yhat);
  else
    gemm(false, false, T(1), m.W_out, slices_as_matrix(traj.r, 1, T_), T(0), yhat);
  if (m.bias) yhat.each_col() += m.b_out;
}

double mask_total(const Batch& batch);

// The masked loss of SPEC §4 (accumulated in double) and, if delta is
// given, ∂L/∂ŷ written into it in arithmetic T; if `trials` is given, each
// trial's term of the loss (B values) is written into it.
template <class T>
double masked_loss(const Batch& batch, const arma::Cube<T>& yhat, arma::Cube<T>* delta, arma::vec* trials = nullptr) {
  const arma::uword K = yhat.n_rows, B = yhat.n_cols, T_ = yhat.n_slices;
  if (batch.y.n_rows != K || batch.y.n_cols != B || batch.y.n_slices != T_)
    throw Error("internal: loss() output size mismatch");
  const double W = mask_total(batch);
  if (delta) delta->set_size(K, B, T_);
  if (trials) trials->zeros(B);
  double total = 0.0;
  for (arma::uword t = 0; t < T_; ++t) {
    for (arma::uword b = 0; b < B; ++b) {
      const double m = batch.mask(b, t);
      const T* out = yhat.slice_memptr(t) + b * K;
      const double* target = batch.y.slice_memptr(t) + b * K;
      T* d = delta ? delta->slice_memptr(t) + b * K : nullptr;
      if (batch.loss == LossKind::MSE) {
        double sq = 0.0;
        for (arma::uword k = 0; k < K; ++k) {
          const double diff = static_cast<double>(out[k]) - target[k];
          sq += diff * diff;
          if (d) d[k] = static_cast<T>(m * 2.0 * diff / (static_cast<double>(K) * W));
        }
        total += m * sq / static_cast<double>(K);
        if (trials) (*trials)[b] += m * sq / static_cast<double>(K);
      } else {
        double top = out[0];
        for (arma::uword k = 1; k < K; ++k) top = std::max<double>(top, out[k]);
        double sum = 0.0, mass = 0.0;
        for (arma::uword k = 0; k < K; ++k) {
          sum += std::exp(out[k] - top);
          mass += target[k];
        }
        const double log_z = top + std::log(sum);
        double nll = 0.0;
        for (arma::uword k = 0; k < K; ++k) {
          nll -= target[k] * (out[k] - log_z);
          if (d) d[k] = static_cast<T>(m * (std::exp(out[k] - log_z) * mass - target[k]) / W);
        }
        total += m * nll;
        if (trials) (*trials)[b] += m * nll;
      }
    }
  }
  if (trials) *trials /= W;
  return total / W;
}

/// E = op(feedback) · δ over all steps, in one product.
template <class T>
void project_error(const arma::Mat<T>& feedback, bool transpose, const arma::Cube<T>& delta, arma::Cube<T>& E) {
  const arma::uword N = transpose ? feedback.n_cols : feedback.n_rows;
  E.set_size(N, delta.n_cols, delta.n_slices);
  arma::Mat<T> e = slices_as_matrix(E, 0, delta.n_slices);
  wide_product(transpose, feedback, slices_as_matrix(delta, 0, delta.n_slices), e);
}

template <class T>
void backward(const Model<T>& m, const TrajectoryOf<T>& traj, const arma::Cube<T>& E, Backprop keep,
              arma::Cube<T>& G, arma::Cube<T>& work) {
  const arma::uword N = E.n_rows, B = E.n_cols, T_ = E.n_slices;
  G.set_size(N, B, T_);
  if (T_ == 0) return;
  const T a = m.alpha, c = T(1) - a;
  const T leak = keep.leak ? a : T(0);
  const arma::uword n = N * B;
  if (keep.recurrent && !m.W_hT) throw Error("internal: backward() needs W_hᵀ");
  // With W_hᵀ stored the per-step products are plain (NN) GEMMs, which
  // OpenBLAS serves with its small-matrix kernels instead of re-packing
  // W_h at every step.
  const bool propagates = keep.leak || keep.recurrent;
  if (keep.truncation == 0 || !propagates) {
    with_derivative<T>(m.activation, [&](auto df) {
      // G[s] = ∂L/∂h[s+1]; h[s+1] is traj.h slice s+1.
      for (arma::uword s = T_; s-- > 0;) {
        T* g = G.slice_memptr(s);
        const T* e = E.slice_memptr(s);
        const T* h = traj.h.slice_memptr(s + 1);
        const T* r = traj.r.slice_memptr(s + 1);
        if (s + 1 == T_ || !propagates) {
          for_each_index(n, [=](arma::uword i) { g[i] = df(h[i], r[i]) * e[i]; });
          continue;
        }
        const T* g_next = G.slice_memptr(s + 1);
        if (keep.recurrent) {
          arma::Mat<T> gm = slice_view(G, s);
          step_product(m.packed_W_hT, *m.W_hT, c, slice_view(G, s + 1), T(0), gm,
                       [=](arma::uword begin, arma::uword end) {
                         for_rows(N, B, begin, end, [=](arma::uword i) {
                           g[i] = leak * g_next[i] + df(h[i], r[i]) * (e[i] + g[i]);
                         });
                       });
        } else {
          for_each_index(n, [=](arma::uword i) { g[i] = leak * g_next[i] + df(h[i], r[i]) * e[i]; });
        }
      }
    });
    return;
  }
  // Truncated: a window of ages. work slices [0, k] hold A_d[s+1] for
  // d = 0..k (A_0 = e), slices [k+1, 2k+1] receive A_d[s]; they swap roles.
  const arma::uword k = std::min<arma::uword>(keep.truncation, T_ - 1);
  work.set_size(N, B, 2 * (k + 1));
  work.zeros();
  arma::uword current = 0, next = k + 1;  // first slice of each half
  with_derivative<T>(m.activation, [&](auto df) {
    for (arma::uword s = T_; s-- > 0;) {
      const T* h = traj.h.slice_memptr(s + 1);
      const T* r = traj.r.slice_memptr(s + 1);
      // Ages 1..k: J[s+1]ᵀ applied to ages 0..k−1 of step s+1, in one product.
      if (s + 1 < T_ && k > 0) {
        const arma::Mat<T> older = slices_as_matrix(work, current, k);
        arma::Mat<T> aged = slices_as_matrix(work, next + 1, k);
        if (keep.recurrent)
          step_product(m.packed_W_hT, *m.W_hT, c, older, T(0), aged);
        else
          aged.zeros();
        // J[s+1]ᵀ v = leak·v + D[s+1] ⊙ ((1−α) W_hᵀ v), D from h[s+1], per age.
        for (arma::uword j = 0; j < k; ++j) {
          T* out = work.slice_memptr(next + 1 + j);
          const T* in = work.slice_memptr(current + j);
          for (arma::uword i = 0; i < n; ++i) out[i] = leak * in[i] + df(h[i], r[i]) * out[i];
        }
      } else {
        slices_as_matrix(work, next + 1, k).zeros();
      }
      // Age 0: the error injected at h[s+1].
      T* fresh = work.slice_memptr(next);
      const T* e = E.slice_memptr(s);
      for (arma::uword i = 0; i < n; ++i) fresh[i] = df(h[i], r[i]) * e[i];
      T* g = G.slice_memptr(s);
      std::fill(g, g + n, T(0));
      for (arma::uword d = 0; d <= k; ++d) {
        const T* part = work.slice_memptr(next + d);
        for (arma::uword i = 0; i < n; ++i) g[i] += part[i];
      }
      std::swap(current, next);
    }
  });
}

/// C = alpha · Σ_s A[s] · B[first+s]ᵀ over the T slices of A: one small
/// GEMM per step, accumulating into C. At the model's sizes (B = 32
/// trials per step) OpenBLAS's small-matrix kernels run these without
/// packing, which profiles faster than one long product over all steps
/// (whose operand packing costs a third of its time at N = 64).
///
/// A C of at least kOuterSplitRows rows and two blocks of kOuterSplitCols
/// columns is computed in column blocks of that width, each over all
/// steps: one block of C stays in cache across the steps, and the blocks
/// are tasks for the calling thread's threads. A smaller C is one task.
template <class T>
struct Outer {
  T alpha;
  const arma::Cube<T>& A;
  const arma::Cube<T>& B;
  arma::uword first;
  arma::Mat<T>& C;

  arma::uword tasks() const {
    return split() ? (C.n_cols + kOuterSplitCols - 1) / kOuterSplitCols : 1;
  }
  bool split() const {
    return A.n_slices > 0 && A.n_cols > 0 && C.n_rows >= kOuterSplitRows && C.n_cols >= 2 * kOuterSplitCols;
  }
  void run(arma::uword task) const {
    if (A.n_slices == 0) {
      C.zeros();
      return;
    }
    if constexpr (std::is_same_v<T, float>) {
      if (own_kernels<T>(std::max(C.n_rows, C.n_cols))) return run_own(task);
    }
    if (!split()) {
      for (arma::uword s = 0; s < A.n_slices; ++s)
        gemm(false, true, alpha, slice_view(A, s), slice_view(B, first + s), s ? T(1) : T(0), C);
      return;
    }
    const arma::uword rows = C.n_rows, cols = C.n_cols, inner = A.n_cols;
    if (A.n_rows != rows || B.n_rows != cols || B.n_cols != inner || B.n_slices < first + A.n_slices)
      throw Error("internal: sum_outer size mismatch");
    const arma::uword begin = task * kOuterSplitCols, width = std::min(kOuterSplitCols, cols - begin);
    for (arma::uword s = 0; s < A.n_slices; ++s)
      gemm(false, true, rows, width, inner, alpha, A.slice_memptr(s), rows, B.slice_memptr(first + s) + begin, cols,
           s ? T(1) : T(0), C.colptr(begin), rows);
  }

  // On the own kernels: one product over all steps (the slices of a cube
  // are contiguous, so A's and B's steps are one long matrix each). A C of
  // few rows (W_out's K × N) is computed as Cᵀ = Σ B Aᵀ, N rows, and
  // transposed, so the kernels' row panels are not mostly padding.
  void run_own(arma::uword task) const {
    const arma::uword rows = C.n_rows, cols = C.n_cols, inner = A.n_cols, K = inner * A.n_slices;
    if (A.n_rows != rows || B.n_rows != cols || B.n_cols != inner || B.n_slices < first + A.n_slices)
      throw Error("internal: sum_outer size mismatch");
    if (rows < 16 && cols > rows) {
      thread_local arma::Mat<T> Ct;
      Ct.set_size(cols, rows);
      product(cols, rows, K, alpha, B.slice_memptr(first), cols, A.slice_memptr(0), rows, true, T(0), Ct.memptr(), cols);
      C = Ct.t();
      return;
    }
    const arma::uword begin = split() ? task * kOuterSplitCols : 0;
    const arma::uword width = split() ? std::min(kOuterSplitCols, cols - begin) : cols;
    product(rows, width, K, alpha, A.slice_memptr(0), rows, B.slice_memptr(first) + begin, cols, true, T(0),
            C.colptr(begin), rows);
  }
};

/// Several sums of outer products at once: the tasks of all of them in one
/// call, so a small one (W_x, W_out) runs beside the blocks of W_h.
template <class T, std::size_t K>
void sum_outers(const std::array<Outer<T>, K>& sums) {
  std::array<arma::uword, K + 1> start{};
  for (std::size_t j = 0; j < K; ++j) start[j + 1] = start[j] + sums[j].tasks();
  parallel::for_each_task(start[K], [&](std::size_t task) {
    std::size_t j = 0;
    while (task >= start[j + 1]) ++j;
    sums[j].run(task - start[j]);
  });
}

template <class T>
void sum_outer(T alpha, const arma::Cube<T>& A, const arma::Cube<T>& B, arma::uword first, arma::Mat<T>& C) {
  sum_outers(std::array<Outer<T>, 1>{Outer<T>{alpha, A, B, first, C}});
}

template <class T, class Blocks>
void readout_gradients(const Model<T>& m, const TrajectoryOf<T>& traj, const arma::Cube<T>& delta, Blocks& grad) {
  const arma::uword T_ = delta.n_slices;
  const arma::Mat<T> Dm = slices_as_matrix(delta, 0, T_);
  sum_outer(T(1), delta, traj.r, 1, grad.W_out);
  if (m.bias) grad.b_out = arma::sum(Dm, 1);
}

template <class T, class Blocks>
void weight_gradients(const Model<T>& m, const TrajectoryOf<T>& traj, const arma::Cube<T>& x,
                      const arma::Cube<T>& delta, const arma::Cube<T>& G, Blocks& grad) {
  const arma::uword T_ = G.n_slices;
  const T c = T(1) - m.alpha;
  sum_outers(std::array<Outer<T>, 3>{Outer<T>{c, G, traj.r, 0, grad.W_h}, Outer<T>{c, G, x, 0, grad.W_x},
                                     Outer<T>{T(1), delta, traj.r, 1, grad.W_out}});
  if (m.bias) {
    grad.b = c * arma::sum(slices_as_matrix(G, 0, T_), 1);
    grad.b_out = arma::sum(slices_as_matrix(delta, 0, T_), 1);
  }
}

/// Forward pass, loss, readout error E = op(feedback)·δ (feedback nullptr:
/// W_outᵀ) and the backward recursion under `keep`; returns the loss.
template <class T>
double errors(const Model<T>& m, const Batch& batch, const arma::Cube<T>& x, const arma::Mat<T>* feedback,
              Backprop keep, PassBuffers<T>& ws) {
  forward(m, x, ws.traj);
  const double loss = masked_loss(batch, ws.traj.yhat, &ws.delta);
  if (feedback)
    project_error(*feedback, false, ws.delta, ws.E);
  else
    project_error(m.W_out, true, ws.delta, ws.E);
  backward(m, ws.traj, ws.E, keep, ws.G, ws.work);
  return loss;
}

/// Runs `pass(model, x, feedback, buffers, grad)` in the network's
/// precision and leaves the gradient in out.params. Single narrows the
/// weights, inputs and feedback to float first and widens the gradient
/// after; Double works on the network's own memory.
/// Copies every weight block (W_h, W_x, W_out, b, b_out) into `to`'s
/// precision: ParameterBlocks ↔ SingleBlocks.
/// convert() of a large matrix in fixed blocks of columns, as tasks.
template <class From, class To>
void convert_wide(const arma::Mat<From>& src, arma::Mat<To>& dst) {
  constexpr arma::uword kBlock = 1 << 16;  // elements per task
  if (src.n_elem < 2 * kBlock || src.n_rows > kBlock) return convert(src, dst);
  dst.set_size(src.n_rows, src.n_cols);
  const arma::uword per_task = kBlock / src.n_rows, tasks = (src.n_cols + per_task - 1) / per_task;
  parallel::for_each_task(tasks, [&](std::size_t t) {
    const From* in = src.colptr(t * per_task);
    To* out = dst.colptr(t * per_task);
    const arma::uword n = std::min(per_task, src.n_cols - t * per_task) * src.n_rows;
    for (arma::uword i = 0; i < n; ++i) out[i] = static_cast<To>(in[i]);
  });
}

template <class From, class To>
void convert_blocks(const From& from, To& to) {
  convert_wide(from.W_h, to.W_h);
  convert(from.W_x, to.W_x);
  convert(from.W_out, to.W_out);
  convert(from.b, to.b);
  convert(from.b_out, to.b_out);
}

template <class Pass>
double in_precision(const Network& net, const Batch& batch, const arma::mat* feedback, bool needs_transpose,
                    GradientWorkspace& workspace, Gradient& out, Pass&& pass) {
  check_compatible(net, batch);
  if (feedback) check_feedback(*feedback, net.shape());
  GradientWorkspace::Impl& ws = workspace.impl();
  if (!(out.params.shape() == net.shape())) out.params = ParameterBlocks(net.shape());
  const ParameterBlocks& P = net.params();
  if (net.precision() == Precision::Double) {
    if (needs_transpose) ws.W_hT = P.W_h.t();
    return pass(model<double>(net, P, &ws.W_hT), batch.x, feedback, static_cast<PassBuffers<double>&>(ws),
                out.params);
  }
  SinglePass& sp = ws.single;
  convert_blocks(P, sp.weights);
  // Weights beyond float's range (|w| > 3.4e38) cannot be trained in
  // single precision: report a non-finite loss and gradient, which the
  // trainer treats as divergence, rather than a loss from inf weights.
  if (!sp.weights.W_h.is_finite() || !sp.weights.W_x.is_finite() || !sp.weights.W_out.is_finite() ||
      !sp.weights.b.is_finite() || !sp.weights.b_out.is_finite()) {
    out.params.theta.fill(arma::datum::nan);
    return arma::datum::nan;
  }
  convert(batch.x, sp.x);
  if (feedback) convert(*feedback, sp.feedback);
  sp.grad.resize(net.shape());
  Model<float> m = model<float>(net, sp.weights, &sp.W_hT);
  if (PackedMatrix::worthwhile(net.shape().hidden)) {
    // The per-step products use the packed copies only: W_hᵀ is packed
    // straight from W_h and sp.W_hT stays empty.
    if (!sp.packed) sp.packed = std::make_shared<PackedWeights>();
    sp.packed->W_h.pack(sp.weights.W_h);
    m.packed_W_h = &sp.packed->W_h;
    if (needs_transpose) {
      sp.packed->W_hT.pack(sp.weights.W_h, true);
      m.packed_W_hT = &sp.packed->W_hT;
    }
  } else if (needs_transpose) {
    sp.W_hT = sp.weights.W_h.t();
  }
  const double loss =
      pass(m, sp.x, feedback ? &sp.feedback : nullptr, static_cast<PassBuffers<float>&>(sp), sp.grad);
  convert_blocks(sp.grad, out.params);
  return loss;
}

}  // namespace rnnlab::kernel
