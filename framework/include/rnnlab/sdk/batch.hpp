#pragma once
// A batch of trials. Cubes are dim × batch × time: slice t is the
// (dim × batch) matrix for step t, and the memory of the whole cube is the
// C-order array (T, B, dim) that the HDF5 files hold.
#include <armadillo>
#include <string>
#include <vector>

#include "rnnlab/sdk/export.hpp"

namespace rnnlab {

enum class LossKind { MSE, CrossEntropy };
RNNLAB_EXPORT const char* to_string(LossKind k);
RNNLAB_EXPORT LossKind loss_from_string(const std::string& s);

struct RNNLAB_EXPORT Batch {
  arma::cube x;        ///< inputs   (Nin  × B × T)
  arma::cube y;        ///< targets  (Nout × B × T); one-hot for cross-entropy
  arma::mat mask;      ///< weights  (B × T)
  LossKind loss = LossKind::MSE;
  double dt = 0.0;     ///< ms per step
  std::string task;    ///< name of the task that made it
  std::vector<int> truth;  ///< per-trial ground truth: the correct output channel, may be empty
  arma::mat decision;      ///< (B × T) 1 in each trial's decision period (for accuracy), may be empty

  std::size_t inputs() const { return x.n_rows; }
  std::size_t outputs() const { return y.n_rows; }
  std::size_t size() const { return x.n_cols; }     ///< B
  std::size_t steps() const { return x.n_slices; }  ///< T
  /// Checks shapes agree; throws Error otherwise.
  void validate() const;
};

}  // namespace rnnlab
