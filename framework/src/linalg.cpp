#include "rnnlab/linalg.hpp"

#include <cblas.h>

#include "rnnlab/error.hpp"

extern "C" void openblas_set_num_threads(int);

namespace rnnlab {

void gemm(bool trans_a, bool trans_b, double alpha, const arma::mat& A, const arma::mat& B, double beta,
          arma::mat& C) {
  const arma::uword m = trans_a ? A.n_cols : A.n_rows;
  const arma::uword k = trans_a ? A.n_rows : A.n_cols;
  const arma::uword kb = trans_b ? B.n_cols : B.n_rows;
  const arma::uword n = trans_b ? B.n_rows : B.n_cols;
  if (k != kb || C.n_rows != m || C.n_cols != n) throw Error("internal: gemm size mismatch");
  if (m == 0 || n == 0) return;
  if (k == 0) {
    if (beta == 0.0)
      C.zeros();
    else
      C *= beta;
    return;
  }
  cblas_dgemm(CblasColMajor, trans_a ? CblasTrans : CblasNoTrans, trans_b ? CblasTrans : CblasNoTrans,
              static_cast<int>(m), static_cast<int>(n), static_cast<int>(k), alpha, A.memptr(),
              static_cast<int>(A.n_rows), B.memptr(), static_cast<int>(B.n_rows), beta, C.memptr(),
              static_cast<int>(C.n_rows));
}

void set_blas_threads(int n) { openblas_set_num_threads(n); }

}  // namespace rnnlab
