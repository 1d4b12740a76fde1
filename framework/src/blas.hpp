#pragma once
// Products of the hot loops (internal): C = a·op(A)·op(B) + b·C written
// straight into C, in double (dgemm) or single precision (rnnlab's own
// micro-kernels where they apply, see linalg.cpp; else sgemm), and the
// BLAS thread count.
#include "rnnlab/sdk/linalg.hpp"

extern "C" void openblas_set_num_threads(int);

namespace rnnlab {

/// C = alpha · op(A) · op(B) + beta · C, with op = transpose when the flag
/// is set. C must already have the right size. No temporaries.
void gemm(bool trans_a, bool trans_b, double alpha, const arma::mat& A, const arma::mat& B,
          double beta, arma::mat& C);
void gemm(bool trans_a, bool trans_b, float alpha, const arma::fmat& A, const arma::fmat& B,
          float beta, arma::fmat& C);

/// The same on column-major storage given by pointers and leading
/// dimensions (blocks of larger matrices): C is m × n, op(A) m × k,
/// op(B) k × n; k > 0.
void gemm(bool trans_a, bool trans_b, arma::uword m, arma::uword n, arma::uword k, double alpha, const double* A,
          arma::uword lda, const double* B, arma::uword ldb, double beta, double* C, arma::uword ldc);
void gemm(bool trans_a, bool trans_b, arma::uword m, arma::uword n, arma::uword k, float alpha, const float* A,
          arma::uword lda, const float* B, arma::uword ldb, float beta, float* C, arma::uword ldc);

/// Pins OpenBLAS to `n` threads (parallelism comes from concurrent runs).
/// Inline: the rnnlab executable calls it too, and it is not part of
/// librnnlab's exported API.
inline void set_blas_threads(int n) { openblas_set_num_threads(n); }

}  // namespace rnnlab
