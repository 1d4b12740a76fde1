#include "rnnlab/sdk/lyapunov.hpp"

#include <cblas.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "rnnlab/sdk/dynamics.hpp"
#include "rnnlab/sdk/error.hpp"
#include "blas.hpp"
#include "rnnlab/sdk/random.hpp"

namespace rnnlab {
namespace {

// Columns of trial b in a blocked N × (k·B) matrix.
arma::span block(std::size_t b, std::size_t k) { return arma::span(b * k, b * k + k - 1); }

// The block of trial b as a matrix aliasing X's memory (blocks are
// contiguous in column-major storage), so per-trial work copies nothing.
arma::mat block_view(arma::mat& X, std::size_t b, std::size_t k) {
  return arma::mat(X.colptr(b * k), X.n_rows, k, false, true);
}
const arma::mat block_view(const arma::mat& X, std::size_t b, std::size_t k) {
  return arma::mat(const_cast<double*>(X.colptr(b * k)), X.n_rows, k, false, true);
}

// Householder QR of the n × k matrix at `a` (leading dimension n) in
// place: `a` becomes Q, R (k × k, leading dimension ldr) is written to
// `r`; then the signs of diag(R) are moved into Q so diag(R) ≥ 0.
void qr_in_place(double* a, arma::uword n, arma::uword k, double* r, arma::uword ldr) {
  thread_local std::vector<double> tau, work;
  arma::blas_int m = static_cast<arma::blas_int>(n), kk = static_cast<arma::blas_int>(k), lda = m, info = 0;
  arma::blas_int lwork = static_cast<arma::blas_int>(std::max<arma::uword>(1, 64 * k));
  tau.resize(k);
  work.resize(static_cast<std::size_t>(lwork));
  arma::lapack::geqrf(&m, &kk, a, &lda, tau.data(), work.data(), &lwork, &info);
  if (info != 0) throw Error("QR factorisation failed (LAPACK dgeqrf info " + std::to_string(info) + ")");
  for (arma::uword j = 0; j < k; ++j)
    for (arma::uword i = 0; i < k; ++i) r[i + j * ldr] = i <= j ? a[i + j * n] : 0.0;
  arma::lapack::orgqr(&m, &kk, &kk, a, &lda, tau.data(), work.data(), &lwork, &info);
  if (info != 0) throw Error("QR factorisation failed (LAPACK dorgqr info " + std::to_string(info) + ")");
  for (arma::uword i = 0; i < k; ++i) {
    if (r[i + i * ldr] < 0.0) {
      for (arma::uword j = i; j < k; ++j) r[i + j * ldr] = -r[i + j * ldr];
      for (arma::uword j = 0; j < n; ++j) a[j + i * n] = -a[j + i * n];
    }
  }
}

// out_b = d_b ⊙ X_b for every trial (rows of each block scaled by f').
void scale_rows_by_trial(const arma::mat& d, const arma::mat& X, std::size_t k, arma::mat& out) {
  out.set_size(X.n_rows, X.n_cols);
  const arma::uword N = X.n_rows;
  for (arma::uword j = 0; j < X.n_cols; ++j) {
    const double* dj = d.colptr(j / k);
    const double* x = X.colptr(j);
    double* o = out.colptr(j);
    for (arma::uword i = 0; i < N; ++i) o[i] = dj[i] * x[i];
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
void qr_blocks(const arma::mat& M, std::size_t k, arma::mat& Q, arma::mat& R, arma::mat* logs) {
  const std::size_t B = M.n_cols / k;
  if (Q.n_rows != M.n_rows || Q.n_cols != M.n_cols) Q.set_size(M.n_rows, M.n_cols);
  if (R.n_rows != k || R.n_cols != M.n_cols) R.set_size(k, M.n_cols);
  if (&Q != &M) std::copy(M.begin(), M.end(), Q.begin());
  for (std::size_t b = 0; b < B; ++b) {
    qr_in_place(Q.colptr(b * k), Q.n_rows, k, R.colptr(b * k), k);
    if (logs)
      for (std::size_t i = 0; i < k; ++i) (*logs)(i, b) += std::log(R(i, b * k + i));
  }
}

void check_run(const arma::cube& d, const arma::mat& Q0, std::size_t warmup, std::size_t W_rows) {
  if (W_rows != d.n_rows) throw Error("internal: W_h and f'(h) sizes differ");
  exponents_per_trial(d.slice(0), Q0);
  if (warmup >= d.n_slices)
    throw Error("the warm-up (" + std::to_string(warmup) + " steps) must be shorter than the trajectory (" +
                std::to_string(d.n_slices) + " steps)");
}

}  // namespace

// ---- Jacobian ------------------------------------------------------------------

void jacobian_apply(const arma::mat& W_h, double alpha, const arma::mat& d, const arma::mat& Q, arma::mat& out) {
  const std::size_t k = exponents_per_trial(d, Q);
  thread_local arma::mat DQ;
  scale_rows_by_trial(d, Q, k, DQ);
  out = alpha * Q;
  gemm(false, false, 1.0 - alpha, W_h, DQ, 1.0, out);
}

void jacobian_transpose_apply(const arma::mat& W_h, double alpha, const arma::mat& d, const arma::mat& G,
                              arma::mat& out) {
  const std::size_t k = exponents_per_trial(d, G);
  arma::mat P(G.n_rows, G.n_cols);
  gemm(true, false, 1.0, W_h, G, 0.0, P);
  scale_rows_by_trial(d, P, k, out);
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
  if (M.n_cols > 0) qr_in_place(Q.memptr(), Q.n_rows, Q.n_cols, R.memptr(), R.n_rows);
}

void qr_positive_backward(const arma::mat& Q, const arma::mat& R, const arma::mat& Q_bar, const arma::mat& R_bar,
                          arma::mat& M_bar) {
  const arma::uword k = R.n_rows;
  arma::mat C = R * R_bar.t() - Q_bar.t() * Q;
  for (arma::uword j = 0; j < k; ++j)  // symmetric from the lower triangle
    for (arma::uword i = j + 1; i < k; ++i) C(j, i) = C(i, j);
  M_bar = Q_bar + Q * C;
  // M̄ ← M̄ R⁻ᵀ in place (triangular solve, no inverse formed).
  cblas_dtrsm(CblasColMajor, CblasRight, CblasUpper, CblasTrans, CblasNonUnit, static_cast<int>(M_bar.n_rows),
              static_cast<int>(k), 1.0, R.memptr(), static_cast<int>(R.n_rows), M_bar.memptr(),
              static_cast<int>(M_bar.n_rows));
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
  const std::size_t B = d.n_cols, S = d.n_slices, k = Q0.n_cols / B, w = options.warmup;
  arma::mat sums(k, B, arma::fill::zeros);
  arma::mat Q = Q0, M, R;
  for (std::size_t t = 0; t < S; ++t) {
    jacobian_apply(W_h, alpha, d.slice(t), Q, M);
    const std::size_t done = t + 1;
    // QR at the end of every block, of the warm-up and of the run, so each
    // block lies wholly inside or wholly after the warm-up.
    if (done % options.reorth == 0 || done == w || done == S) qr_blocks(M, k, M, R, done > w ? &sums : nullptr);
    Q.swap(M);
  }
  return sums / static_cast<double>(S - w);
}

void lyapunov_record(const arma::mat& W_h, double alpha, const arma::cube& d, const arma::mat& Q0,
                     std::size_t warmup, LyapunovTape& tape) {
  check_run(d, Q0, warmup, W_h.n_rows);
  const std::size_t N = d.n_rows, B = d.n_cols, S = d.n_slices, k = Q0.n_cols / B;
  tape.Q.set_size(N, k * B, S + 1);
  tape.R.set_size(k, k * B, S);
  tape.lambda.zeros(k, B);
  tape.warmup = warmup;
  tape.Q.slice(0) = Q0;
  arma::mat M;
  for (std::size_t t = 0; t < S; ++t) {
    jacobian_apply(W_h, alpha, d.slice(t), tape.Q.slice(t), M);
    qr_blocks(M, k, tape.Q.slice(t + 1), tape.R.slice(t), t >= warmup ? &tape.lambda : nullptr);
  }
  tape.lambda /= static_cast<double>(S - warmup);
}

void lyapunov_backward(const arma::mat& W_h, double alpha, const arma::cube& d, const LyapunovTape& tape,
                       const arma::mat& lambda_bar, arma::mat& W_h_bar, arma::cube* d_bar) {
  const std::size_t N = d.n_rows, B = d.n_cols, S = d.n_slices, k = tape.exponents();
  if (tape.trials() != B || tape.Q.n_slices != S + 1 || lambda_bar.n_rows != k || lambda_bar.n_cols != B)
    throw Error("internal: Lyapunov tape does not match the trajectory");
  if (W_h_bar.n_rows != N || W_h_bar.n_cols != N) throw Error("internal: W_h_bar must be N × N");
  const double c = 1.0 - alpha;
  const arma::mat count_bar = lambda_bar / static_cast<double>(S - tape.warmup);  // ∂L/∂ log R_ii
  if (d_bar) d_bar->set_size(N, B, S);

  arma::mat Q_bar(N, k * B, arma::fill::zeros), M_bar(N, k * B), P(N, k * B), DQ;
  arma::mat R_bar(k, k, arma::fill::zeros);
  for (std::size_t t = S; t-- > 0;) {
    const arma::mat& Q_next = tape.Q.slice(t + 1);
    const arma::mat& R_t = tape.R.slice(t);
    for (std::size_t b = 0; b < B; ++b) {
      const arma::mat Rb = block_view(R_t, b, k);
      if (t >= tape.warmup)
        R_bar.diag() = count_bar.col(b) / Rb.diag();  // ∂ log r / ∂r = 1/r
      else
        R_bar.zeros();  // growth in the warm-up is not counted
      arma::mat Mb = block_view(M_bar, b, k);
      qr_positive_backward(block_view(Q_next, b, k), Rb, block_view(Q_bar, b, k), R_bar, Mb);
    }
    // M[t] = α Q[t] + (1−α) W_h D[t] Q[t]
    const arma::mat& Q_t = tape.Q.slice(t);
    const arma::mat& d_t = d.slice(t);
    scale_rows_by_trial(d_t, Q_t, k, DQ);
    gemm(false, true, c, M_bar, DQ, 1.0, W_h_bar);
    gemm(true, false, 1.0, W_h, M_bar, 0.0, P);
    scale_rows_by_trial(d_t, P, k, Q_bar);
    Q_bar = alpha * M_bar + c * Q_bar;
    if (d_bar) {
      arma::mat d_bar_t(d_bar->slice_memptr(t), N, B, false, true);
      for (std::size_t b = 0; b < B; ++b)
        d_bar_t.col(b) = c * arma::sum(P.cols(block(b, k)) % Q_t.cols(block(b, k)), 1);
    }
  }
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
