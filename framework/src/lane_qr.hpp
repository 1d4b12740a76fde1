#pragma once
// Householder QR of several trials at once, one per SIMD lane (internal:
// the QR method of lyapunov.cpp).
#include <armadillo>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "kernels.hpp"

namespace rnnlab::detail {

// ---- Householder QR of several trials at once -------------------------------
//
// The QRs of a step are many small factorisations of the same shape (one
// n × k block per trial). LAPACK does each with level-2 calls whose cost at
// n = 64, k = 32 is mostly call overhead and horizontal sums. Here kLanes
// trials are factored together, trial l in lane l of every vector: each
// arithmetic operation of the Householder method acts on all of them, the
// sums over rows run inside each lane (no horizontal sums), and the order
// of every sum is that of the scalar method, so the result does not depend
// on the instruction set. Storage: a[(c·n + i)·kLanes + l] = entry (i, c)
// of trial l. The reflectors follow LAPACK's geqr2/org2r (v_j = 1,
// β = −sign(α)‖x‖, τ = (β − α)/β, H = I when the column below the diagonal
// is zero); squared norms are summed in double, so single-precision
// vectors may grow up to the float range between QR steps.
constexpr std::size_t kLanes = 8;
/// kLanes values of one entry, one per trial (GCC vector extension: every
/// operator acts lane by lane).
template <class eT>
struct LaneType;
template <>
struct LaneType<float> {
  typedef float type __attribute__((vector_size(kLanes * sizeof(float))));
};
template <>
struct LaneType<double> {
  typedef double type __attribute__((vector_size(kLanes * sizeof(double))));
};
template <class eT>
using Lanes = typename LaneType<eT>::type;
/// Storage of Lanes at their full alignment: without AVX enabled, GCC
/// gives a 32- or 64-byte vector type a 16-byte alignof, which the
/// AVX-512 and AVX2 versions of the kernels would not honour.
template <class eT>
struct alignas(sizeof(Lanes<eT>)) LaneSlot {
  Lanes<eT> v;
};
using LanesDouble = double __attribute__((vector_size(kLanes * sizeof(double))));

/// Householder reflectors of the k columns of kLanes interleaved n × k
/// matrices, in place (a[c·n + i]: R above the diagonal, v below it); tau
/// and diag (k entries) get τ_j and R_jj.
template <class eT>
static RNNLAB_VECTOR_CLONES void lane_householder(Lanes<eT>* __restrict a, arma::uword n, arma::uword k,
                                           Lanes<eT>* __restrict tau, Lanes<eT>* __restrict diag) {
  using V = Lanes<eT>;
  for (arma::uword j = 0; j < k; ++j) {
    V* v = a + j * n;
    LanesDouble xnorm2 = {};
    for (arma::uword i = j + 1; i < n; ++i) {
      const LanesDouble x = __builtin_convertvector(v[i], LanesDouble);
      xnorm2 += x * x;
    }
    const LanesDouble alpha = __builtin_convertvector(v[j], LanesDouble);
    V t, scale;
    for (std::size_t l = 0; l < kLanes; ++l) {
      const double norm = std::sqrt(alpha[l] * alpha[l] + xnorm2[l]);
      const bool identity = xnorm2[l] == 0.0;
      const double beta = identity ? alpha[l] : (alpha[l] >= 0 ? -norm : norm);
      t[l] = identity ? eT(0) : static_cast<eT>((beta - alpha[l]) / beta);
      scale[l] = identity ? eT(0) : static_cast<eT>(1.0 / (alpha[l] - beta));
      diag[j][l] = static_cast<eT>(beta);
    }
    tau[j] = t;
    v[j] = V{} + eT(1);
    for (arma::uword i = j + 1; i < n; ++i) v[i] *= scale;
    for (arma::uword c = j + 1; c < k; ++c) {  // A[j:, c] ← H_j A[j:, c]
      V* x = a + c * n;
      V w = x[j];
      for (arma::uword i = j + 1; i < n; ++i) w += v[i] * x[i];
      w *= t;
      for (arma::uword i = j; i < n; ++i) x[i] -= w * v[i];
    }
  }
}

/// Q = H_0 … H_{k−1} I[:, :k] from lane_householder's reflectors (org2r).
template <class eT>
static RNNLAB_VECTOR_CLONES void lane_form_q(const Lanes<eT>* __restrict a, arma::uword n, arma::uword k,
                                      const Lanes<eT>* __restrict tau, Lanes<eT>* __restrict q) {
  using V = Lanes<eT>;
  std::fill(q, q + n * k, V{});
  for (arma::uword c = 0; c < k; ++c) q[c * n + c] = V{} + eT(1);
  for (arma::uword j = k; j-- > 0;) {
    const V* v = a + j * n;  // v_j = 1 (stored), v_i for i > j
    for (arma::uword c = j; c < k; ++c) {
      V* x = q + c * n;
      V w = x[j];
      for (arma::uword i = j + 1; i < n; ++i) w += v[i] * x[i];
      w *= tau[j];
      x[j] -= w;
      for (arma::uword i = j + 1; i < n; ++i) x[i] -= w * v[i];
    }
  }
}

/// The positive-diagonal QR of the blocks of trials [first, first + count)
/// of the blocked n × (k·B) matrix at M, in place, with R_b written at
/// R + b·k·k (k × k, column-major); count ≤ kLanes. Unused lanes repeat
/// the first trial.
template <class eT>
class LaneQR {
 public:
  void factor(eT* M, arma::uword n, arma::uword k, std::size_t first, std::size_t count, eT* R) {
    static_assert(sizeof(LaneSlot<eT>) == sizeof(Lanes<eT>));
    slots_.resize(2 * n * k + 2 * k);
    Lanes<eT>* a = &slots_[0].v;
    Lanes<eT>* q = a + n * k;
    Lanes<eT>* tau = q + n * k;
    Lanes<eT>* diag = tau + k;
    for (std::size_t l = 0; l < kLanes; ++l) {
      const eT* m = M + (first + (l < count ? l : 0)) * n * k;
      for (arma::uword e = 0; e < n * k; ++e) a[e][l] = m[e];
    }
    lane_householder<eT>(a, n, k, tau, diag);
    lane_form_q<eT>(a, n, k, tau, q);
    for (std::size_t l = 0; l < count; ++l) {
      eT* m = M + (first + l) * n * k;
      eT* r = R + (first + l) * k * k;
      for (arma::uword c = 0; c < k; ++c) {  // diag(R) ≥ 0: flip row c of R and column c of Q
        const eT sign = diag[c][l] < eT(0) ? eT(-1) : eT(1);
        for (arma::uword i = 0; i < n; ++i) m[c * n + i] = sign * q[c * n + i][l];
        for (arma::uword j = 0; j < k; ++j)  // R(c, j), row c
          r[j * k + c] = j < c ? eT(0) : sign * (j == c ? diag[c][l] : a[j * n + c][l]);
      }
    }
  }

 private:
  std::vector<LaneSlot<eT>> slots_;  // a (n × k), q (n × k), tau (k), diag (k)
};

}  // namespace rnnlab::detail
