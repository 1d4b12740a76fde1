#include "blas.hpp"

#include <cblas.h>

#include <type_traits>

#include "packed_gemm.hpp"
#include "rnnlab/sdk/error.hpp"

namespace rnnlab {
namespace {

// Checks the sizes and handles the degenerate cases; returns false when
// nothing is left for BLAS to do.
template <class T>
bool gemm_sizes(bool trans_a, bool trans_b, const arma::Mat<T>& A, const arma::Mat<T>& B, T beta, arma::Mat<T>& C,
                int& m, int& n, int& k) {
  const arma::uword rows = trans_a ? A.n_cols : A.n_rows;
  const arma::uword inner = trans_a ? A.n_rows : A.n_cols;
  const arma::uword inner_b = trans_b ? B.n_cols : B.n_rows;
  const arma::uword cols = trans_b ? B.n_rows : B.n_cols;
  if (inner != inner_b || C.n_rows != rows || C.n_cols != cols) throw Error("internal: gemm size mismatch");
  if (rows == 0 || cols == 0) return false;
  if (inner == 0) {
    if (beta == T(0))
      C.zeros();
    else
      C *= beta;
    return false;
  }
  m = static_cast<int>(rows);
  n = static_cast<int>(cols);
  k = static_cast<int>(inner);
  return true;
}

CBLAS_TRANSPOSE op(bool t) { return t ? CblasTrans : CblasNoTrans; }

// Single precision goes to rnnlab's own micro-kernels (kernel::product)
// for every shape they take (A not transposed) while OpenBLAS runs a core
// weaker than the CPU's (own_everywhere); the rest, and double precision,
// go to BLAS. A beta other than 0 or 1 scales C first and then adds, as
// BLAS does.
template <class T>
void gemm_raw(bool trans_a, bool trans_b, int m, int n, int k, T alpha, const T* A, int lda, const T* B, int ldb,
              T beta, T* C, int ldc) {
  if constexpr (std::is_same_v<T, float>) {
    if (!trans_a && kernel::own_everywhere()) {
      if (beta != 0.0f && beta != 1.0f) {
        kernel::scale(m, n, beta, C, ldc);
        beta = 1.0f;
      }
      return kernel::product(m, n, k, alpha, A, lda, B, ldb, trans_b, beta, C, ldc);
    }
    cblas_sgemm(CblasColMajor, op(trans_a), op(trans_b), m, n, k, alpha, A, lda, B, ldb, beta, C, ldc);
  } else
    cblas_dgemm(CblasColMajor, op(trans_a), op(trans_b), m, n, k, alpha, A, lda, B, ldb, beta, C, ldc);
}

template <class T>
void gemm_any(bool trans_a, bool trans_b, T alpha, const arma::Mat<T>& A, const arma::Mat<T>& B, T beta,
              arma::Mat<T>& C) {
  int m, n, k;
  if (!gemm_sizes(trans_a, trans_b, A, B, beta, C, m, n, k)) return;
  gemm_raw(trans_a, trans_b, m, n, k, alpha, A.memptr(), static_cast<int>(A.n_rows), B.memptr(),
           static_cast<int>(B.n_rows), beta, C.memptr(), static_cast<int>(C.n_rows));
}

template <class T>
void gemm_blocks(bool trans_a, bool trans_b, arma::uword m, arma::uword n, arma::uword k, T alpha, const T* A,
                 arma::uword lda, const T* B, arma::uword ldb, T beta, T* C, arma::uword ldc) {
  if (m == 0 || n == 0) return;
  if (k == 0) throw Error("internal: gemm on blocks with k = 0");
  gemm_raw(trans_a, trans_b, static_cast<int>(m), static_cast<int>(n), static_cast<int>(k), alpha, A,
           static_cast<int>(lda), B, static_cast<int>(ldb), beta, C, static_cast<int>(ldc));
}

}  // namespace

void gemm(bool trans_a, bool trans_b, double alpha, const arma::mat& A, const arma::mat& B, double beta,
          arma::mat& C) {
  gemm_any(trans_a, trans_b, alpha, A, B, beta, C);
}

void gemm(bool trans_a, bool trans_b, float alpha, const arma::fmat& A, const arma::fmat& B, float beta,
          arma::fmat& C) {
  gemm_any(trans_a, trans_b, alpha, A, B, beta, C);
}

void gemm(bool trans_a, bool trans_b, arma::uword m, arma::uword n, arma::uword k, double alpha, const double* A,
          arma::uword lda, const double* B, arma::uword ldb, double beta, double* C, arma::uword ldc) {
  gemm_blocks(trans_a, trans_b, m, n, k, alpha, A, lda, B, ldb, beta, C, ldc);
}

void gemm(bool trans_a, bool trans_b, arma::uword m, arma::uword n, arma::uword k, float alpha, const float* A,
          arma::uword lda, const float* B, arma::uword ldb, float beta, float* C, arma::uword ldc) {
  gemm_blocks(trans_a, trans_b, m, n, k, alpha, A, lda, B, ldb, beta, C, ldc);
}

}  // namespace rnnlab
