#pragma once
// The state Jacobian of each trial on its active units (internal: the QR
// method of lyapunov.cpp and its adjoint).
#include <armadillo>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "blas.hpp"
#include "kernels.hpp"

namespace rnnlab::detail {

// Element-wise loops of the per-trial Jacobian, compiled for AVX-512, AVX2
// and baseline x86-64 (kernels.hpp). None has a reduction, so every
// version gives bitwise the same result.

/// out (m × cols) = scale_c · X(idx_c, j): rows idx of the N × cols matrix X.
template <class eT>
static RNNLAB_VECTOR_CLONES void gather_rows(const eT* __restrict X, arma::uword N, arma::uword cols,
                                      const std::int32_t* __restrict idx, const eT* __restrict scale, arma::uword m,
                                      eT* __restrict out) {
  for (arma::uword j = 0; j < cols; ++j) {
    const eT* x = X + j * N;
    eT* o = out + j * m;
    if (scale)
      for (arma::uword c = 0; c < m; ++c) o[c] = scale[c] * x[idx[c]];
    else
      for (arma::uword c = 0; c < m; ++c) o[c] = x[idx[c]];
  }
}

/// y = a · x (n values).
template <class eT>
static RNNLAB_VECTOR_CLONES void scaled_copy(arma::uword n, eT a, const eT* __restrict x, eT* __restrict y) {
  for (arma::uword i = 0; i < n; ++i) y[i] = a * x[i];
}

/// y = d ⊙ x (n values).
template <class eT>
static RNNLAB_VECTOR_CLONES void scale_rows(arma::uword n, const eT* __restrict d, const eT* __restrict x, eT* __restrict y) {
  for (arma::uword i = 0; i < n; ++i) y[i] = d[i] * x[i];
}

/// y += x (n values).
template <class eT>
static RNNLAB_VECTOR_CLONES void add_to(arma::uword n, const eT* __restrict x, eT* __restrict y) {
  for (arma::uword i = 0; i < n; ++i) y[i] += x[i];
}

// The Jacobian of one trial at one step on the units it depends on. A unit
// with f'(h_i) = 0 (an inactive ReLU unit) contributes nothing to
// W_h D Q, so with A = {i : f'(h_i) ≠ 0}, m = |A|,
//   J Q = α Q + (1−α) W_h[:, A] (d_A ⊙ Q[A, :]),
// an N × m × k product instead of N × N × k: exact (the skipped terms are
// zeros), and about half the work on a ReLU network. Reverse mode on the
// same units: W̄_h[:, A] += (1−α) M̄ (d_A ⊙ Q[A, :])ᵀ and
// Q̄ = α M̄ + (1−α) D W_hᵀ M̄, whose rows outside A are α M̄; W_hᵀ M̄ on A
// is W_hᵀ[A, :] M̄, with W_hᵀ formed once per pass.
template <class eT>
class TrialJacobian {
 public:
  /// Chooses the units of trial d (N values of f'); all of them when
  /// `dense` (the full W_hᵀ M̄ is wanted). For apply() pass W_hT = nullptr
  /// (W_h[:, A] is kept); for adjoint() pass W_hᵀ (W_hᵀ[A, :] is kept).
  void select(const arma::Mat<eT>& W_h, const arma::Mat<eT>* W_hT, const eT* d, bool dense) {
    const arma::uword N = W_h.n_rows;
    active_.clear();
    d_active_.clear();
    for (arma::uword i = 0; i < N; ++i)
      if (dense || d[i] != eT(0)) {
        active_.push_back(static_cast<std::int32_t>(i));
        d_active_.push_back(d[i]);
      }
    all_ = active_.size() == N;
    const arma::uword m = active_.size();
    if (all_ || m == 0) return;
    if (W_hT) {  // W_hᵀ[A, :] (m × N), for adjoint()
      W_rows_.set_size(m, N);
      gather_rows<eT>(W_hT->memptr(), N, N, active_.data(), nullptr, m, W_rows_.memptr());
    } else {  // W_h[:, A] (N × m), for apply()
      W_cols_.set_size(N, m);
      for (arma::uword c = 0; c < m; ++c)
        std::copy(W_h.colptr(active_[c]), W_h.colptr(active_[c]) + N, W_cols_.colptr(c));
    }
  }

  /// DQ = d_A ⊙ Q[A, :] for the N × k block at q (m × k).
  void gather(const eT* q, arma::uword N, arma::uword k) {
    const arma::uword m = active_.size();
    DQ_.set_size(m, k);
    if (all_) {  // every unit: D Q, no gather
      for (arma::uword j = 0; j < k; ++j) scale_rows<eT>(N, d_active_.data(), q + j * N, DQ_.colptr(j));
    } else if (m > 0) {
      gather_rows<eT>(q, N, k, active_.data(), d_active_.data(), m, DQ_.memptr());
    }
  }

  /// out = α Q + c W_h[:, A] DQ for the block at q (gather() done).
  void apply(const arma::Mat<eT>& W_h, eT alpha, eT c, const eT* q, arma::uword k, eT* out) const {
    const arma::uword N = W_h.n_rows, m = active_.size();
    scaled_copy<eT>(N * k, alpha, q, out);
    if (m > 0) gemm(false, false, N, k, m, c, all_ ? W_h.memptr() : W_cols_.memptr(), N, DQ_.memptr(), m, eT(1), out, N);
  }

  /// Reverse mode of apply() for the block's M̄ (gather() done on its Q):
  /// W̄_h[:, A] += c M̄ DQᵀ and Q̄ = α M̄ + c D W_hᵀ M̄. P receives W_hᵀ M̄
  /// on the units A (m × k; all N rows after a dense select()).
  void adjoint(const arma::Mat<eT>& W_h, const arma::Mat<eT>& W_hT, eT alpha, eT c, const eT* m_bar, arma::uword k,
               arma::Mat<eT>& W_bar, eT* q_bar, arma::Mat<eT>& P) {
    const arma::uword N = W_h.n_rows, m = active_.size();
    scaled_copy<eT>(N * k, alpha, m_bar, q_bar);
    if (m == 0) return;
    if (all_) {
      gemm(false, true, N, N, k, c, m_bar, N, DQ_.memptr(), m, eT(1), W_bar.memptr(), N);
    } else {
      T_.set_size(N, m);
      gemm(false, true, N, m, k, c, m_bar, N, DQ_.memptr(), m, eT(0), T_.memptr(), N);
      for (arma::uword col = 0; col < m; ++col) add_to<eT>(N, T_.colptr(col), W_bar.colptr(active_[col]));
    }
    P.set_size(m, k);
    gemm(false, false, m, k, N, eT(1), all_ ? W_hT.memptr() : W_rows_.memptr(), m, m_bar, N, eT(0), P.memptr(), m);
    for (arma::uword j = 0; j < k; ++j) {
      const eT* pj = P.colptr(j);
      eT* qj = q_bar + j * N;
      for (arma::uword col = 0; col < m; ++col) qj[active_[col]] += c * (d_active_[col] * pj[col]);
    }
  }

 private:
  std::vector<std::int32_t> active_;
  std::vector<eT> d_active_;
  bool all_ = false;
  arma::Mat<eT> W_cols_, W_rows_, DQ_, T_;
};

}  // namespace rnnlab::detail
