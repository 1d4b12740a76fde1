#pragma once
// All trainable parameters of a network live in one contiguous vector;
// the weight blocks are Armadillo views (aliases) into it. Gradients use
// the same layout, so optimizers update everything in one vector operation.
#include <armadillo>
#include <vector>
#include <cstddef>
#include <string>

#include "rnnlab/sdk/export.hpp"

namespace rnnlab {

/// Sizes of the model: N inputs, hidden units, outputs, and bias flag.
struct RNNLAB_EXPORT Shape {
  std::size_t inputs = 0, hidden = 0, outputs = 0;
  bool bias = false;
  std::size_t size() const;  ///< total number of parameters
  bool operator==(const Shape&) const = default;
};

/// theta = [vec(W_h), vec(W_x), vec(W_out), b, b_out] (column-major
/// blocks); W_h, W_x, W_out, b, b_out alias theta. Copying rebinds the
/// views to the copy's own storage.
class RNNLAB_EXPORT ParameterBlocks {
 public:
  ParameterBlocks() = default;
  explicit ParameterBlocks(const Shape& shape);
  ParameterBlocks(const ParameterBlocks& other);
  ParameterBlocks& operator=(const ParameterBlocks& other);
  ParameterBlocks(ParameterBlocks&& other);  // copies: views must alias the new storage
  ParameterBlocks& operator=(ParameterBlocks&& other);

  const Shape& shape() const { return shape_; }
  /// All parameters, contiguous. A fixed-size view of private storage, so
  /// `theta = v` copies into place (it never steals v's memory, which would
  /// leave the block views dangling); v must have theta's size.
  arma::vec theta;
  arma::mat W_h;                  ///< hidden × hidden; W_h(i, j): from j to i
  arma::mat W_x;                  ///< hidden × inputs
  arma::mat W_out;                ///< outputs × hidden
  arma::vec b;                    ///< hidden (empty without bias)
  arma::vec b_out;                ///< outputs (empty without bias)

 private:
  void bind();
  arma::vec storage_;
  Shape shape_;
};

/// Where each block lies in theta, in ParameterBlocks' layout: W_h, W_x,
/// W_out, then b and b_out with biases (column-major within a block).
struct BlockRange {
  const char* name;
  arma::uword first, count;
};
RNNLAB_EXPORT std::vector<BlockRange> block_ranges(const Shape& shape);

/// Which parameter blocks a rule trains: "all" or a comma-separated subset
/// of W_h, W_x, W_out, b, b_out. apply() zeroes the others in a gradient.
struct RNNLAB_EXPORT BlockMask {
  bool W_h = true, W_x = true, W_out = true, b = true, b_out = true;
  /// Throws Error naming the valid block names.
  static BlockMask parse(const std::string& spec);
  void apply(ParameterBlocks& grad) const;
};

/// ‖now − initial‖_F / ‖initial‖_F, how far a block moved from its initial
/// value (the `weights` and `weight_change` analyses); NaN if `initial` is 0.
RNNLAB_EXPORT double relative_change(const arma::mat& now, const arma::mat& initial);

}  // namespace rnnlab
