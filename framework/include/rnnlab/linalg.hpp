#pragma once
// Thin helpers over BLAS for the hot loops: matrix views onto cube memory
// (no copies) and C = a·op(A)·op(B) + b·C written straight into C.
#include <armadillo>

namespace rnnlab {

/// A (rows × cols) matrix aliasing `cols` consecutive columns of a cube's
/// memory starting at slice `first` (each slice is n_rows × n_cols).
inline arma::mat slices_as_matrix(arma::cube& c, arma::uword first, arma::uword count) {
  return arma::mat(c.slice_memptr(first), c.n_rows, c.n_cols * count, false, true);
}
inline const arma::mat slices_as_matrix(const arma::cube& c, arma::uword first, arma::uword count) {
  return arma::mat(const_cast<double*>(c.slice_memptr(first)), c.n_rows, c.n_cols * count, false, true);
}
/// Alias of one slice (n_rows × n_cols) of a cube.
inline arma::mat slice_view(arma::cube& c, arma::uword t) { return slices_as_matrix(c, t, 1); }
inline const arma::mat slice_view(const arma::cube& c, arma::uword t) { return slices_as_matrix(c, t, 1); }

/// C = alpha · op(A) · op(B) + beta · C, with op = transpose when the flag
/// is set. C must already have the right size. No temporaries.
void gemm(bool trans_a, bool trans_b, double alpha, const arma::mat& A, const arma::mat& B,
          double beta, arma::mat& C);

/// Pins OpenBLAS to `n` threads (parallelism comes from concurrent runs).
void set_blas_threads(int n);

}  // namespace rnnlab
