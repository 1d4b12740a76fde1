#pragma once
// Matrix views onto cube memory (no copies) and precision conversion.
#include <armadillo>

namespace rnnlab {

/// A (rows × cols) matrix aliasing `cols` consecutive columns of a cube's
/// memory starting at slice `first` (each slice is n_rows × n_cols).
template <class T>
arma::Mat<T> slices_as_matrix(arma::Cube<T>& c, arma::uword first, arma::uword count) {
  return arma::Mat<T>(c.slice_memptr(first), c.n_rows, c.n_cols * count, false, true);
}
template <class T>
const arma::Mat<T> slices_as_matrix(const arma::Cube<T>& c, arma::uword first, arma::uword count) {
  return arma::Mat<T>(const_cast<T*>(c.slice_memptr(first)), c.n_rows, c.n_cols * count, false, true);
}
/// Alias of one slice (n_rows × n_cols) of a cube.
template <class T>
arma::Mat<T> slice_view(arma::Cube<T>& c, arma::uword t) {
  return slices_as_matrix(c, t, 1);
}
template <class T>
const arma::Mat<T> slice_view(const arma::Cube<T>& c, arma::uword t) {
  return slices_as_matrix(c, t, 1);
}

/// Copies src into dst in dst's precision, reusing dst's memory when the
/// size is unchanged.
template <class To, class From>
void convert(const arma::Mat<From>& src, arma::Mat<To>& dst) {
  dst.set_size(src.n_rows, src.n_cols);
  const From* s = src.memptr();
  To* d = dst.memptr();
  for (arma::uword i = 0; i < src.n_elem; ++i) d[i] = static_cast<To>(s[i]);
}
template <class To, class From>
void convert(const arma::Cube<From>& src, arma::Cube<To>& dst) {
  dst.set_size(src.n_rows, src.n_cols, src.n_slices);
  const From* s = src.memptr();
  To* d = dst.memptr();
  for (arma::uword i = 0; i < src.n_elem; ++i) d[i] = static_cast<To>(s[i]);
}

}  // namespace rnnlab
