#pragma once
// Lyapunov exponents of the network map by the QR (Benettin) method, and
// their reverse-mode derivative for gradient flossing. Shared by the
// `lyapunov` analysis and the `floss` rule (paper.md §4, §5).
//
// Notation (paper eq. 1): the state Jacobian of one step is
//   J[t] = ∂h[t+1]/∂h[t] = α I + (1−α) W_h D[t],   D[t] = diag f'(h[t]).
// The QR method follows k tangent vectors per trajectory:
//   Q[0] random orthonormal (N × k);  Q[t+1] R[t+1] = qr(J[t] Q[t]),
//   λ_i = 1/(S − w) · Σ_{t ≥ w} log R[t+1]_ii        (per step)
// over S steps of which the first w (warm-up) are not counted.
//
// Several trajectories ("trials") are handled together. Tangent vectors
// use a blocked layout: one N × (k·B) matrix whose columns b·k … b·k+k−1
// belong to trial b, so the W_h product of all trials is one GEMM.
// Derivatives f'(h[t]) are given as an N × B × S cube (slice t: all
// trials at step t), as activate_derivative() makes them from the states.
#include <armadillo>
#include <cstddef>
#include <cstdint>

#include "rnnlab/sdk/export.hpp"
#include "rnnlab/sdk/network.hpp"

namespace rnnlab {

// ---- The model Jacobian, never formed --------------------------------------

/// out = J Q per trial: out_b = α Q_b + (1−α) W_h (d_b ⊙ Q_b), where d is
/// N × B (column b = f'(h) of trial b) and Q is N × (k·B), blocked.
RNNLAB_EXPORT void jacobian_apply(const arma::mat& W_h, double alpha, const arma::mat& d, const arma::mat& Q, arma::mat& out);
/// out = Jᵀ G per trial: out_b = α G_b + (1−α) d_b ⊙ (W_hᵀ G_b).
RNNLAB_EXPORT void jacobian_transpose_apply(const arma::mat& W_h, double alpha, const arma::mat& d, const arma::mat& G,
                                            arma::mat& out);
/// The explicit N × N Jacobian α I + (1−α) W_h diag(d) of one state (tests, small N).
RNNLAB_EXPORT arma::mat jacobian(const arma::mat& W_h, double alpha, const arma::vec& d);

// ---- One QR (Benettin) step and its derivative ------------------------------

/// Thin QR with a positive diagonal: M (n × k, k ≤ n, full column rank) =
/// Q R with QᵀQ = I and R upper triangular, diag(R) > 0 — the unique
/// factorisation, so its derivative is well defined (LAPACK via qr_econ,
/// then the signs of diag(R) are moved into Q). Throws Error on failure.
RNNLAB_EXPORT void qr_positive(const arma::mat& M, arma::mat& Q, arma::mat& R);

/// Reverse mode of qr_positive. Given Q̄ = ∂L/∂Q (n × k) and R̄ = ∂L/∂R
/// (k × k, upper triangular), returns M̄ = ∂L/∂M:
///   C = R R̄ᵀ − Q̄ᵀ Q,   M̄ = (Q̄ + Q sym_lower(C)) R⁻ᵀ
/// where sym_lower(C) is the symmetric matrix with C's lower triangle
/// (Walter & Lehmann, arXiv:1001.1654; Liao et al. 2019, PRX 9).
RNNLAB_EXPORT void qr_positive_backward(const arma::mat& Q, const arma::mat& R, const arma::mat& Q_bar, const arma::mat& R_bar,
                                        arma::mat& M_bar);

/// An n × k matrix with orthonormal columns, Haar-distributed (Gaussian
/// entries from Rng(seed), then qr_positive).
RNNLAB_EXPORT arma::mat random_orthonormal(std::size_t n, std::size_t k, std::uint64_t seed);
/// B such matrices side by side (blocked), trial b drawn from derive_seed(seed, b).
RNNLAB_EXPORT arma::mat random_orthonormal_blocks(std::size_t n, std::size_t k, std::size_t trials, std::uint64_t seed);

// ---- The spectrum along trajectories ----------------------------------------

/// Engelken's warm-up: 10 + steps/10 steps, capped so that at least one
/// step remains.
RNNLAB_EXPORT std::size_t default_warmup(std::size_t steps);

struct LyapunovOptions {
  std::size_t reorth = 1;  ///< QR every `reorth` steps (and at the end of the warm-up and of the run)
  std::size_t warmup = 0;  ///< first steps whose growth is not counted; must be < S
  /// Arithmetic of the tangent vectors, QRs and their adjoint. Double is the
  /// reference; Single is about twice as fast, with errors measured in
  /// plugins/rules/floss/README.md. The exponents are summed in double.
  Precision precision = Precision::Double;
};

/// Exponents per step of B trajectories, k × B, in QR column order (column
/// b: trial b; row i: the i-th exponent, asymptotically descending but not
/// sorted). d: N × B × S, slice t = f'(h[t]) for t = 0 … S−1. Q0: N × (k·B),
/// blocked, orthonormal per trial. With reorth > 1 the vectors grow by up
/// to exp(λ·reorth) between QR steps, and the block product's condition
/// number grows like exp((λ_1 − λ_k)·reorth): keep both well inside the
/// precision's range. Mathematically the result does not depend on reorth
/// (the R of a product of steps is the product of the steps' R).
RNNLAB_EXPORT arma::mat lyapunov_exponents(const arma::mat& W_h, double alpha, const arma::cube& d, const arma::mat& Q0,
                                           const LyapunovOptions& options);

/// Every matrix of the QR method along the trajectories, kept for the
/// reverse pass. Reused between calls without reallocation.
struct LyapunovTape {
  arma::cube Q;         ///< double: N × (k·B) × (S+1): Q[0] … Q[S] (unnormalised J Q between QR steps)
  arma::cube R;         ///< double: k × (k·B) × S: slice t = R[t+1] after a QR step, blocked like Q
  arma::fcube Q_single; ///< the same in single precision
  arma::fcube R_single;
  arma::mat lambda;     ///< k × B exponents per step (as lyapunov_exponents)
  std::size_t warmup = 0;
  std::size_t reorth = 1;
  Precision precision = Precision::Double;
  std::size_t exponents() const { return lambda.n_rows; }
  std::size_t trials() const { return lambda.n_cols; }
};

/// lyapunov_exponents, recording the tape (reorth = 1, double).
RNNLAB_EXPORT void lyapunov_record(const arma::mat& W_h, double alpha, const arma::cube& d, const arma::mat& Q0,
                                   std::size_t warmup, LyapunovTape& tape);
/// lyapunov_exponents, recording the tape, with any options.
RNNLAB_EXPORT void lyapunov_record(const arma::mat& W_h, double alpha, const arma::cube& d, const arma::mat& Q0,
                                   const LyapunovOptions& options, LyapunovTape& tape);

/// Reverse pass through every QR step and Jacobian of the tape, in the
/// tape's precision (between QR steps M̄[t] = Q̄[t+1]). From
/// Λ̄ = ∂L/∂λ (k × B) it adds to W_h_bar (N × N) the gradient through the
/// explicit dependence of each J[t] on W_h,
///   W̄_h += (1−α) Σ_t M̄[t] (D[t] Q[t])ᵀ,   M̄[t] = ∂L/∂(J[t] Q[t]),
/// and, if d_bar is given, sets it (N × B × S) to ∂L/∂f'(h[t]),
///   d̄[t] = (1−α) rowsum((W_hᵀ M̄[t]) ⊙ Q[t]) per trial,
/// the dependence on the states that a caller chains through f''.
RNNLAB_EXPORT void lyapunov_backward(const arma::mat& W_h, double alpha, const arma::cube& d, const LyapunovTape& tape,
                                     const arma::mat& lambda_bar, arma::mat& W_h_bar, arma::cube* d_bar);

// ---- States for the analyses -----------------------------------------------

/// f'(h) for the first `steps` slices of a state cube h (N × B × ≥steps):
/// the d cube the functions above take.
RNNLAB_EXPORT void state_derivatives(Activation a, const arma::cube& h, std::size_t steps, arma::cube& d);

/// f''(h) elementwise: tanh −2 tanh(h)(1 − tanh²(h)); ReLU and identity 0
/// (ReLU's kink is a set of measure zero).
RNNLAB_EXPORT void activate_second_derivative(Activation a, const arma::mat& h, arma::mat& out);
/// Whether f'' vanishes (almost) everywhere, so states cannot move D[t].
RNNLAB_EXPORT bool activation_is_piecewise_linear(Activation a);

/// Adjoint of the state trajectory for a loss that depends on the states
/// directly: from injection (N × B × S, slice s = the direct ∂L/∂h[s+1])
/// and d (slice t = f'(h[t]), t = 0 … S−1) it returns G (slice s = the
/// total ∂L/∂h[s+1]):
///   G[S−1] = injection[S−1],   G[s−1] = injection[s−1] + J[s]ᵀ G[s].
/// rnnlab::weight_gradients() turns G into dW_h, dW_x, db.
RNNLAB_EXPORT void state_adjoint(const arma::mat& W_h, double alpha, const arma::cube& d, const arma::cube& injection,
                                 arma::cube& G);

/// The autonomous network (zero input, bias kept) from the states h0
/// (N × B): h (N × B × (steps+1)), slice 0 = h0. Used where a trajectory
/// must start away from h = 0, which with ReLU and no input never moves.
RNNLAB_EXPORT void free_run(const Network& net, const arma::mat& h0, std::size_t steps, arma::cube& h);

}  // namespace rnnlab
