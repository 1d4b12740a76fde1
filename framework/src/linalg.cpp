#include "blas.hpp"

#include <cblas.h>

#include <type_traits>

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

template <class T>
void gemm_any(bool trans_a, bool trans_b, T alpha, const arma::Mat<T>& A, const arma::Mat<T>& B, T beta,
              arma::Mat<T>& C) {
  int m, n, k;
  if (!gemm_sizes(trans_a, trans_b, A, B, beta, C, m, n, k)) return;
  const int lda = static_cast<int>(A.n_rows), ldb = static_cast<int>(B.n_rows), ldc = static_cast<int>(C.n_rows);
  if constexpr (std::is_same_v<T, float>)
    cblas_sgemm(CblasColMajor, op(trans_a), op(trans_b), m, n, k, alpha, A.memptr(), lda, B.memptr(), ldb, beta,
                C.memptr(), ldc);
  else
    cblas_dgemm(CblasColMajor, op(trans_a), op(trans_b), m, n, k, alpha, A.memptr(), lda, B.memptr(), ldb, beta,
                C.memptr(), ldc);
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

}  // namespace rnnlab
