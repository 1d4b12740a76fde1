#pragma once
// HDF5 files of SPEC §4. Arrays are written in C order with the documented
// shapes, so h5py reads W_h as (N, N) with W_h[i, j] from unit j to unit i.
// Writes are atomic: a temporary file is renamed into place.
#include <string>

#include "rnnlab/sdk/export.hpp"
#include "rnnlab/sdk/batch.hpp"
#include "rnnlab/sdk/network.hpp"
#include "rnnlab/sdk/plugin.hpp"

namespace rnnlab {

RNNLAB_EXPORT void save_network(const std::string& path, const Network& net);
RNNLAB_EXPORT Network load_network(const std::string& path);

RNNLAB_EXPORT void save_batch(const std::string& path, const Batch& batch);
RNNLAB_EXPORT Batch load_batch(const std::string& path);

RNNLAB_EXPORT void save_gradient(const std::string& path, const Gradient& grad, const Shape& shape);
/// One matrix as a C-order (rows, cols) dataset `dataset` (h5py reads it
/// as rows × cols), e.g. a feedback matrix (dataset "feedback").
RNNLAB_EXPORT void save_matrix(const std::string& path, const std::string& dataset, const arma::mat& m);
/// Reads what save_matrix (or h5py) wrote; IoError naming the file and the
/// dataset if it is missing, not 2-D or not finite.
RNNLAB_EXPORT arma::mat load_matrix(const std::string& path, const std::string& dataset);

}  // namespace rnnlab
