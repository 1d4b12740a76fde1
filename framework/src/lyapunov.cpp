#include "rnnlab/sdk/lyapunov.hpp"

#include <cblas.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <type_traits>
#include <vector>

#include "rnnlab/sdk/dynamics.hpp"
#include "rnnlab/sdk/error.hpp"
#include "blas.hpp"
#include "kernels.hpp"
#include "lane_qr.hpp"
#include "trial_jacobian.hpp"
#include "rnnlab/sdk/random.hpp"

namespace rnnlab {
namespace {

// The QR method is written once for both precisions (eT = double, float):
// the double path is the reference, the single path its fast variant.
template <class eT>
using Mat = arma::Mat<eT>;
template <class eT>
using Cube = arma::Cube<eT>;
using detail::kLanes;
using detail::LaneQR;
using detail::TrialJacobian;

// Columns of trial b in a blocked N × (k·B) matrix.
arma::span block(std::size_t b, std::size_t k) { return arma::span(b * k, b * k + k - 1); }

// The block of trial b as a matrix aliasing X's memory (blocks are
// contiguous in column-major storage), so per-trial work copies nothing.
template <class eT>
Mat<eT> block_view(Mat<eT>& X, std::size_t b, std::size_t k) {
  return Mat<eT>(X.colptr(b * k), X.n_rows, k, false, true);
}
template <class eT>
const Mat<eT> block_view(const Mat<eT>& X, std::size_t b, std::size_t k) {
  return Mat<eT>(const_cast<eT*>(X.colptr(b * k)), X.n_rows, k, false, true);
}

// Householder QR of the n × k matrix at `a` (leading dimension n) in
// place: `a` becomes Q, R (k × k, leading dimension ldr) is written to
// `r`; then the signs of diag(R) are moved into Q so diag(R) ≥ 0.
template <class eT>
void qr_in_place(eT* a, arma::uword n, arma::uword k, eT* r, arma::uword ldr) {
  if (k == 1) {  // one vector: the QR is its normalisation
    eT norm = 0;
    if constexpr (std::is_same_v<eT, double>) norm = cblas_dnrm2(static_cast<int>(n), a, 1);
    else norm = cblas_snrm2(static_cast<int>(n), a, 1);
    r[0] = norm;
    if (norm == eT(0)) {  // as LAPACK: R = 0, Q = e_1 (the exponent is then −inf)
      std::fill(a, a + n, eT(0));
      a[0] = eT(1);
      return;
    }
    for (arma::uword j = 0; j < n; ++j) a[j] /= norm;  // NaN and inf propagate, as through LAPACK
    return;
  }
  thread_local std::vector<eT> tau, work;
  arma::blas_int m = static_cast<arma::blas_int>(n), kk = static_cast<arma::blas_int>(k), lda = m, info = 0;
  arma::blas_int lwork = static_cast<arma::blas_int>(std::max<arma::uword>(1, 64 * k));
  tau.resize(k);
  work.resize(static_cast<std::size_t>(lwork));
  arma::lapack::geqrf(&m, &kk, a, &lda, tau.data(), work.data(), &lwork, &info);
  if (info != 0) throw Error("QR factorisation failed (LAPACK geqrf info " + std::to_string(info) + ")");
  for (arma::uword j = 0; j < k; ++j)
    for (arma::uword i = 0; i < k; ++i) r[i + j * ldr] = i <= j ? a[i + j * n] : eT(0);
  arma::lapack::orgqr(&m, &kk, &kk, a, &lda, tau.data(), work.data(), &lwork, &info);
  if (info != 0) throw Error("QR factorisation failed (LAPACK orgqr info " + std::to_string(info) + ")");
  for (arma::uword i = 0; i < k; ++i) {
    if (r[i + i * ldr] < eT(0)) {
      for (arma::uword j = i; j < k; ++j) r[i + j * ldr] = -r[i + j * ldr];
      for (arma::uword j = 0; j < n; ++j) a[j + i * n] = -a[j + i * n];
    }
  }
}

// B ← B R⁻ᵀ in place (R upper triangular k × k, B m × k).
void solve_right_upper_transposed(const Mat<double>& R, Mat<double>& B) {
  cblas_dtrsm(CblasColMajor, CblasRight, CblasUpper, CblasTrans, CblasNonUnit, static_cast<int>(B.n_rows),
              static_cast<int>(R.n_rows), 1.0, R.memptr(), static_cast<int>(R.n_rows), B.memptr(),
              static_cast<int>(B.n_rows));
}
void solve_right_upper_transposed(const Mat<float>& R, Mat<float>& B) {
  cblas_strsm(CblasColMajor, CblasRight, CblasUpper, CblasTrans, CblasNonUnit, static_cast<int>(B.n_rows),
              static_cast<int>(R.n_rows), 1.0f, R.memptr(), static_cast<int>(R.n_rows), B.memptr(),
              static_cast<int>(B.n_rows));
}

// Reverse mode of one positive-diagonal QR, M = Q R, for an R̄ that is
// diagonal (r_bar, or none: R̄ = 0), as the exponents give:
//   M̄ = (Q̄ + Q sym_lower(C)) R⁻ᵀ,  C = R R̄ᵀ − Q̄ᵀ Q,
// where R R̄ᵀ, R upper and R̄ diagonal, adds R_ii r̄_i to C's diagonal and
// nothing below it. C (k × k) is scratch. M_bar may not alias Q_bar.
template <class eT>
void qr_backward_diagonal(const Mat<eT>& Q, const Mat<eT>& R, const Mat<eT>& Q_bar, const eT* r_bar,
                          Mat<eT>& C, Mat<eT>& M_bar) {
  const arma::uword k = R.n_rows;
  gemm(true, false, eT(-1), Q_bar, Q, eT(0), C);
  for (arma::uword j = 0; j < k; ++j) {
    if (r_bar) C(j, j) += R(j, j) * r_bar[j];
    for (arma::uword i = j + 1; i < k; ++i) C(j, i) = C(i, j);
  }
  std::copy(Q_bar.begin(), Q_bar.end(), M_bar.begin());
  gemm(false, false, eT(1), Q, C, eT(1), M_bar);
  solve_right_upper_transposed(R, M_bar);
}

// out_b = d_b ⊙ X_b for every trial (rows of each block scaled by f').
template <class eT>
void scale_rows_by_trial(const Mat<eT>& d, const Mat<eT>& X, std::size_t k, Mat<eT>& out) {
  out.set_size(X.n_rows, X.n_cols);
  const arma::uword N = X.n_rows;
  for (arma::uword j = 0; j < X.n_cols; ++j) {
    const eT* dj = d.colptr(j / k);
    const eT* x = X.colptr(j);
    eT* o = out.colptr(j);
    for (arma::uword i = 0; i < N; ++i) o[i] = dj[i] * x[i];
  }
}

// M = J[t] Q per trial (blocked N × (k·B)), on each trial's active units.
template <class eT>
void jacobian_apply_trials(const Mat<eT>& W_h, eT alpha, const Mat<eT>& d, const Mat<eT>& Q, std::size_t k,
                           TrialJacobian<eT>& J, Mat<eT>& M) {
  const arma::uword N = Q.n_rows, B = d.n_cols;
  if (M.n_rows != N || M.n_cols != Q.n_cols) M.set_size(N, Q.n_cols);
  for (arma::uword b = 0; b < B; ++b) {
    J.select(W_h, nullptr, d.colptr(b), false);
    J.gather(Q.colptr(b * k), N, k);
    J.apply(W_h, alpha, eT(1) - alpha, Q.colptr(b * k), k, M.colptr(b * k));
  }
}

std::size_t exponents_per_trial(const arma::mat& d, const arma::mat& Q) {
  const std::size_t B = d.n_cols;
  if (B == 0 || Q.n_cols % B != 0 || Q.n_rows != d.n_rows)
    throw Error("internal: blocked tangent vectors (" + std::to_string(Q.n_rows) + " × " +
                std::to_string(Q.n_cols) + ") do not match " + std::to_string(B) + " trials of " +
                std::to_string(d.n_rows) + " units");
  return Q.n_cols / B;
}

// Factors every trial's block of M: Q_b R_b = M_b (Q blocked like M, R
// blocked k × (k·B)). Q and R may be cube slices: they are only resized
// when their size differs. Adds log diag(R_b) to column b of `logs`.
// Several trials (k ≥ 2) go through LaneQR, kLanes at a time; a single
// trial through LAPACK, whose blocked method suits one large matrix.
template <class eT>
void qr_blocks(const Mat<eT>& M, std::size_t k, Mat<eT>& Q, Mat<eT>& R, arma::mat* logs) {
  const std::size_t B = M.n_cols / k;
  if (Q.n_rows != M.n_rows || Q.n_cols != M.n_cols) Q.set_size(M.n_rows, M.n_cols);
  if (R.n_rows != k || R.n_cols != M.n_cols) R.set_size(k, M.n_cols);
  if (&Q != &M) std::copy(M.begin(), M.end(), Q.begin());
  if (k >= 2 && B >= 2) {
    thread_local LaneQR<eT> lanes;
    for (std::size_t b = 0; b < B; b += kLanes)
      lanes.factor(Q.memptr(), Q.n_rows, k, b, std::min(kLanes, B - b), R.memptr());
  } else {
    for (std::size_t b = 0; b < B; ++b) qr_in_place(Q.colptr(b * k), Q.n_rows, k, R.colptr(b * k), k);
  }
  if (logs)
    for (std::size_t b = 0; b < B; ++b)
      for (std::size_t i = 0; i < k; ++i) (*logs)(i, b) += std::log(static_cast<double>(R(i, b * k + i)));
}

void check_run(const arma::cube& d, const arma::mat& Q0, std::size_t warmup, std::size_t W_rows) {
  if (W_rows != d.n_rows) throw Error("internal: W_h and f'(h) sizes differ");
  exponents_per_trial(d.slice(0), Q0);
  if (warmup >= d.n_slices)
    throw Error("the warm-up (" + std::to_string(warmup) + " steps) must be shorter than the trajectory (" +
                std::to_string(d.n_slices) + " steps)");
}

// Whether step t (t = 0 … S−1) ends with a QR: every `reorth` steps, at the
// end of the warm-up and at the end of the run, so each block between two
// QRs lies wholly inside or wholly after the warm-up.
bool qr_after_step(std::size_t t, std::size_t reorth, std::size_t warmup, std::size_t S) {
  const std::size_t done = t + 1;
  return done % reorth == 0 || done == warmup || done == S;
}

template <class eT>
Mat<eT> converted(const arma::mat& X) {
  if constexpr (std::is_same_v<eT, double>) return X;
  else return arma::conv_to<Mat<eT>>::from(X);
}
template <class eT>
Cube<eT> converted(const arma::cube& X) {
  if constexpr (std::is_same_v<eT, double>) return X;
  else return arma::conv_to<Cube<eT>>::from(X);
}

template <class eT>
arma::mat exponents_t(const arma::mat& W_h_d, double alpha_d, const arma::cube& d_d, const arma::mat& Q0,
                      const LyapunovOptions& options) {
  const std::size_t B = d_d.n_cols, S = d_d.n_slices, k = Q0.n_cols / B, w = options.warmup;
  const Mat<eT> W_h = converted<eT>(W_h_d);
  const Cube<eT> d = converted<eT>(d_d);
  const eT alpha = static_cast<eT>(alpha_d);
  arma::mat sums(k, B, arma::fill::zeros);
  Mat<eT> Q = converted<eT>(Q0), M, R;
  TrialJacobian<eT> J;
  for (std::size_t t = 0; t < S; ++t) {
    jacobian_apply_trials<eT>(W_h, alpha, d.slice(t), Q, k, J, M);
    if (qr_after_step(t, options.reorth, w, S)) qr_blocks<eT>(M, k, M, R, t + 1 > w ? &sums : nullptr);
    Q.swap(M);
  }
  return sums / static_cast<double>(S - w);
}

template <class eT>
Cube<eT>& tape_Q(LyapunovTape& tape) {
  if constexpr (std::is_same_v<eT, double>) return tape.Q;
  else return tape.Q_single;
}
template <class eT>
Cube<eT>& tape_R(LyapunovTape& tape) {
  if constexpr (std::is_same_v<eT, double>) return tape.R;
  else return tape.R_single;
}
template <class eT>
const Cube<eT>& tape_Q(const LyapunovTape& tape) {
  if constexpr (std::is_same_v<eT, double>) return tape.Q;
  else return tape.Q_single;
}
template <class eT>
const Cube<eT>& tape_R(const LyapunovTape& tape) {
  if constexpr (std::is_same_v<eT, double>) return tape.R;
  else return tape.R_single;
}

template <class eT>
void record_t(const arma::mat& W_h_d, double alpha_d, const arma::cube& d_d, const arma::mat& Q0,
              LyapunovTape& tape) {
  const std::size_t N = d_d.n_rows, B = d_d.n_cols, S = d_d.n_slices, k = Q0.n_cols / B;
  const Mat<eT> W_h = converted<eT>(W_h_d);
  const eT alpha = static_cast<eT>(alpha_d);
  Cube<eT>& TQ = tape_Q<eT>(tape);
  Cube<eT>& TR = tape_R<eT>(tape);
  TQ.set_size(N, k * B, S + 1);
  TR.set_size(k, k * B, S);
  TQ.slice(0) = converted<eT>(Q0);
  const Cube<eT> d = converted<eT>(d_d);
  TrialJacobian<eT> J;
  for (std::size_t t = 0; t < S; ++t) {
    // M[t] = J[t] Q[t] straight into slice t+1, then factored in place (or
    // left unnormalised between QR steps: Q[t+1] = M[t]).
    Mat<eT>& M = TQ.slice(t + 1);
    jacobian_apply_trials<eT>(W_h, alpha, d.slice(t), TQ.slice(t), k, J, M);
    if (qr_after_step(t, tape.reorth, tape.warmup, S))
      qr_blocks<eT>(M, k, M, TR.slice(t), t >= tape.warmup ? &tape.lambda : nullptr);
  }
  tape.lambda /= static_cast<double>(S - tape.warmup);
}

template <class eT>
void backward_t(const arma::mat& W_h_d, double alpha_d, const arma::cube& d_d, const LyapunovTape& tape,
                const arma::mat& lambda_bar, arma::mat& W_h_bar_d, arma::cube* d_bar) {
  const std::size_t N = d_d.n_rows, B = d_d.n_cols, S = d_d.n_slices, k = tape.exponents();
  const Mat<eT> W_h = converted<eT>(W_h_d);
  const eT alpha = static_cast<eT>(alpha_d), c = eT(1) - alpha;
  const Cube<eT>& TQ = tape_Q<eT>(tape);
  const Cube<eT>& TR = tape_R<eT>(tape);
  // ∂L/∂ log R_ii, then ∂ log r / ∂r = 1/r per step (filled per QR step).
  const Mat<eT> count_bar = converted<eT>(lambda_bar / static_cast<double>(S - tape.warmup));
  if (d_bar) d_bar->set_size(N, B, S);
  Mat<eT> W_h_bar;
  if constexpr (std::is_same_v<eT, double>) {
    // accumulate straight into the caller's matrix
  } else {
    W_h_bar.zeros(N, N);
  }
  Mat<eT>& Wbar = [&]() -> Mat<eT>& {
    if constexpr (std::is_same_v<eT, double>) return W_h_bar_d;
    else return W_h_bar;
  }();

  const Cube<eT> d = converted<eT>(d_d);
  const Mat<eT> W_hT = W_h.t();
  Mat<eT> Q_bar(N, k * B, arma::fill::zeros), M_bar(N, k * B), P, C(k, k);
  TrialJacobian<eT> J;
  std::vector<eT> r_bar(k);
  for (std::size_t t = S; t-- > 0;) {
    const Mat<eT>& Q_t = TQ.slice(t);
    if (qr_after_step(t, tape.reorth, tape.warmup, S)) {
      const Mat<eT>& Q_next = TQ.slice(t + 1);
      const Mat<eT>& R_t = TR.slice(t);
      const bool counted = t >= tape.warmup;  // growth in the warm-up is not counted
      for (std::size_t b = 0; b < B; ++b) {
        const Mat<eT> Rb(const_cast<eT*>(R_t.colptr(b * k)), k, k, false, true);
        if (counted)
          for (std::size_t i = 0; i < k; ++i) r_bar[i] = count_bar(i, b) / Rb(i, i);
        Mat<eT> Mb = block_view(M_bar, b, k);
        qr_backward_diagonal<eT>(block_view(Q_next, b, k), Rb, block_view(Q_bar, b, k),
                                 counted ? r_bar.data() : nullptr, C, Mb);
      }
    } else {
      M_bar.swap(Q_bar);  // Q[t+1] = M[t]
    }
    // M[t] = α Q[t] + (1−α) W_h D[t] Q[t], per trial on its active units
    // (all units when d̄ is wanted: it needs the whole W_hᵀ M̄).
    for (std::size_t b = 0; b < B; ++b) {
      J.select(W_h, &W_hT, d.slice(t).colptr(b), d_bar != nullptr);
      J.gather(Q_t.colptr(b * k), N, k);
      J.adjoint(W_h, W_hT, alpha, c, M_bar.colptr(b * k), k, Wbar, Q_bar.colptr(b * k), P);
      if (d_bar) {  // d̄[t] = c rowsum((W_hᵀ M̄) ⊙ Q[t])
        double* out = d_bar->slice_memptr(t) + b * N;
        for (arma::uword i = 0; i < N; ++i) {
          double sum = 0;
          for (std::size_t j = 0; j < k; ++j) sum += static_cast<double>(P(i, j)) * Q_t(i, b * k + j);
          out[i] = static_cast<double>(c) * sum;
        }
      }
    }
  }
  if constexpr (!std::is_same_v<eT, double>) W_h_bar_d += arma::conv_to<arma::mat>::from(W_h_bar);
}

}  // namespace

// ---- Jacobian ------------------------------------------------------------------

void jacobian_apply(const arma::mat& W_h, double alpha, const arma::mat& d, const arma::mat& Q, arma::mat& out) {
  const std::size_t k = exponents_per_trial(d, Q);
  TrialJacobian<double> J;
  jacobian_apply_trials<double>(W_h, alpha, d, Q, k, J, out);
}

void jacobian_transpose_apply(const arma::mat& W_h, double alpha, const arma::mat& d, const arma::mat& G,
                              arma::mat& out) {
  const std::size_t k = exponents_per_trial(d, G);
  arma::mat P(G.n_rows, G.n_cols);
  gemm(true, false, 1.0, W_h, G, 0.0, P);
  scale_rows_by_trial<double>(d, P, k, out);
  out = alpha * G + (1.0 - alpha) * out;
}

arma::mat jacobian(const arma::mat& W_h, double alpha, const arma::vec& d) {
  arma::mat J = (1.0 - alpha) * W_h;
  J.each_row() %= d.t();
  J.diag() += alpha;
  return J;
}

// ---- QR ---------------------------------------------------------------------------

void qr_positive(const arma::mat& M, arma::mat& Q, arma::mat& R) {
  if (M.n_cols > M.n_rows) throw Error("internal: qr_positive needs k ≤ n");
  Q = M;
  R.set_size(M.n_cols, M.n_cols);
  if (M.n_cols > 0) qr_in_place<double>(Q.memptr(), Q.n_rows, Q.n_cols, R.memptr(), R.n_rows);
}

void qr_positive_backward(const arma::mat& Q, const arma::mat& R, const arma::mat& Q_bar, const arma::mat& R_bar,
                          arma::mat& M_bar) {
  const arma::uword k = R.n_rows;
  arma::mat C = R * R_bar.t() - Q_bar.t() * Q;
  for (arma::uword j = 0; j < k; ++j)  // symmetric from the lower triangle
    for (arma::uword i = j + 1; i < k; ++i) C(j, i) = C(i, j);
  M_bar = Q_bar + Q * C;
  solve_right_upper_transposed(R, M_bar);  // M̄ ← M̄ R⁻ᵀ, no inverse formed
}

arma::mat random_orthonormal(std::size_t n, std::size_t k, std::uint64_t seed) {
  Rng rng(seed);
  arma::mat G(n, k);
  for (double& v : G) v = rng.normal();
  arma::mat Q, R;
  qr_positive(G, Q, R);
  return Q;
}

arma::mat random_orthonormal_blocks(std::size_t n, std::size_t k, std::size_t trials, std::uint64_t seed) {
  arma::mat Q(n, k * trials);
  for (std::size_t b = 0; b < trials; ++b)
    Q.cols(block(b, k)) = random_orthonormal(n, k, derive_seed(seed, static_cast<std::uint64_t>(b)));
  return Q;
}

// ---- Spectrum -----------------------------------------------------------------------

std::size_t default_warmup(std::size_t steps) {
  if (steps == 0) return 0;
  return std::min(10 + steps / 10, steps - 1);
}

arma::mat lyapunov_exponents(const arma::mat& W_h, double alpha, const arma::cube& d, const arma::mat& Q0,
                             const LyapunovOptions& options) {
  check_run(d, Q0, options.warmup, W_h.n_rows);
  if (options.reorth == 0) throw Error("reorth must be at least 1");
  if (options.precision == Precision::Single) return exponents_t<float>(W_h, alpha, d, Q0, options);
  return exponents_t<double>(W_h, alpha, d, Q0, options);
}

void lyapunov_record(const arma::mat& W_h, double alpha, const arma::cube& d, const arma::mat& Q0,
                     std::size_t warmup, LyapunovTape& tape) {
  lyapunov_record(W_h, alpha, d, Q0, LyapunovOptions{.reorth = 1, .warmup = warmup}, tape);
}

void lyapunov_record(const arma::mat& W_h, double alpha, const arma::cube& d, const arma::mat& Q0,
                     const LyapunovOptions& options, LyapunovTape& tape) {
  check_run(d, Q0, options.warmup, W_h.n_rows);
  if (options.reorth == 0) throw Error("reorth must be at least 1");
  const std::size_t B = d.n_cols;
  tape.lambda.zeros(Q0.n_cols / B, B);
  tape.warmup = options.warmup;
  tape.reorth = options.reorth;
  tape.precision = options.precision;
  if (options.precision == Precision::Single) {
    tape.Q.reset();
    tape.R.reset();
    record_t<float>(W_h, alpha, d, Q0, tape);
  } else {
    tape.Q_single.reset();
    tape.R_single.reset();
    record_t<double>(W_h, alpha, d, Q0, tape);
  }
}

void lyapunov_backward(const arma::mat& W_h, double alpha, const arma::cube& d, const LyapunovTape& tape,
                       const arma::mat& lambda_bar, arma::mat& W_h_bar, arma::cube* d_bar) {
  const std::size_t N = d.n_rows, B = d.n_cols, S = d.n_slices, k = tape.exponents();
  const std::size_t recorded =
      tape.precision == Precision::Single ? tape.Q_single.n_slices : tape.Q.n_slices;
  if (tape.trials() != B || recorded != S + 1 || lambda_bar.n_rows != k || lambda_bar.n_cols != B)
    throw Error("internal: Lyapunov tape does not match the trajectory");
  if (W_h_bar.n_rows != N || W_h_bar.n_cols != N) throw Error("internal: W_h_bar must be N × N");
  if (tape.precision == Precision::Single)
    backward_t<float>(W_h, alpha, d, tape, lambda_bar, W_h_bar, d_bar);
  else
    backward_t<double>(W_h, alpha, d, tape, lambda_bar, W_h_bar, d_bar);
}

// ---- States ---------------------------------------------------------------------------

void state_derivatives(Activation a, const arma::cube& h, std::size_t steps, arma::cube& d) {
  if (steps > h.n_slices) throw Error("internal: state_derivatives beyond the trajectory");
  d.set_size(h.n_rows, h.n_cols, steps);
  if (steps == 0) return;
  arma::mat out = slices_as_matrix(d, 0, steps);
  activate_derivative(a, slices_as_matrix(h, 0, steps), out);
}

void activate_second_derivative(Activation a, const arma::mat& h, arma::mat& out) {
  if (a == Activation::Tanh) {
    const arma::mat r = arma::tanh(h);
    out = -2.0 * r % (1.0 - r % r);
  } else {
    out.zeros(h.n_rows, h.n_cols);
  }
}

bool activation_is_piecewise_linear(Activation a) { return a != Activation::Tanh; }

void state_adjoint(const arma::mat& W_h, double alpha, const arma::cube& d, const arma::cube& injection,
                   arma::cube& G) {
  const arma::uword N = injection.n_rows, B = injection.n_cols, S = injection.n_slices;
  if (d.n_rows != N || d.n_cols != B || d.n_slices < S) throw Error("internal: state_adjoint size mismatch");
  G.set_size(N, B, S);
  if (S == 0) return;
  G.slice(S - 1) = injection.slice(S - 1);
  arma::mat back;
  for (arma::uword s = S - 1; s > 0; --s) {
    jacobian_transpose_apply(W_h, alpha, d.slice(s), G.slice(s), back);  // J[s]ᵀ ∂L/∂h[s+1]
    G.slice(s - 1) = injection.slice(s - 1) + back;
  }
}

void free_run(const Network& net, const arma::mat& h0, std::size_t steps, arma::cube& h) {
  const auto& P = net.params();
  const double a = net.alpha(), c = 1.0 - a;
  if (h0.n_rows != net.shape().hidden) throw Error("internal: free_run initial state has the wrong size");
  h.set_size(h0.n_rows, h0.n_cols, steps + 1);
  h.slice(0) = h0;
  arma::mat r, drive(h0.n_rows, h0.n_cols);
  for (std::size_t t = 0; t < steps; ++t) {
    activate(net.activation(), h.slice(t), r);
    gemm(false, false, 1.0, P.W_h, r, 0.0, drive);
    if (net.shape().bias) drive.each_col() += P.b;
    h.slice(t + 1) = a * h.slice(t) + c * drive;
  }
}

}  // namespace rnnlab
