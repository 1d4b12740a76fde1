#pragma once
// The buffers behind rnnlab::GradientWorkspace (opaque to plugins).
#include <cstddef>
#include <memory>
#include <vector>

#include "rnnlab/sdk/dynamics.hpp"

namespace rnnlab {

/// Buffers of one gradient pass in arithmetic T.
template <class T>
struct PassBuffers {
  TrajectoryOf<T> traj;
  arma::Cube<T> delta;  ///< ∂L/∂ŷ
  arma::Cube<T> E;      ///< readout error sent to the hidden units
  arma::Cube<T> G;      ///< state gradients (or learning signals)
  arma::Cube<T> work;   ///< scratch: truncation window, eligibility traces
  arma::Cube<T> work2;  ///< scratch
  arma::Cube<T> work3;  ///< scratch (online rules)
  std::vector<std::byte> arena;  ///< scratch carved into small buffers (online rules)
  arma::Mat<T> W_hT;    ///< W_hᵀ, made once per pass for the backward products
};

/// Weight blocks in single precision, named as in ParameterBlocks.
struct SingleBlocks {
  arma::fmat W_h, W_x, W_out;
  arma::fvec b, b_out;
  void resize(const Shape& shape);
};

namespace kernel {
struct PackedWeights;
}

/// What a precision = single pass keeps besides its buffers: the weights,
/// inputs and feedback narrowed to float, and the float gradient.
struct SinglePass : PassBuffers<float> {
  SingleBlocks weights, grad;
  arma::fcube x;
  arma::fmat feedback;
  /// W_h and W_hᵀ packed once per pass for the per-step products, at
  /// sizes where that beats BLAS (made on first use).
  std::shared_ptr<kernel::PackedWeights> packed;
};

/// The double buffers hold the last pass of a precision = double network;
/// `single` those of a single one.
struct GradientWorkspace::Impl : PassBuffers<double> {
  SinglePass single;
};

}  // namespace rnnlab
