#include "rnnlab/parameters.hpp"

#include <new>
#include <type_traits>

namespace rnnlab {

std::size_t Shape::size() const {
  return hidden * hidden + hidden * inputs + outputs * hidden + (bias ? hidden + outputs : 0);
}

ParameterBlocks::ParameterBlocks(const Shape& shape) : theta(shape.size(), arma::fill::zeros), shape_(shape) {
  bind();
}

ParameterBlocks::ParameterBlocks(const ParameterBlocks& other) : theta(other.theta), shape_(other.shape_) {
  bind();
}

ParameterBlocks& ParameterBlocks::operator=(const ParameterBlocks& other) {
  if (this != &other) {
    if (shape_ == other.shape_ && theta.n_elem == other.theta.n_elem) {
      theta = other.theta;  // same size: copies into the existing storage, views stay valid
    } else {
      theta = other.theta;
      shape_ = other.shape_;
      bind();
    }
  }
  return *this;
}

ParameterBlocks::ParameterBlocks(ParameterBlocks&& other) : ParameterBlocks(static_cast<const ParameterBlocks&>(other)) {}

ParameterBlocks& ParameterBlocks::operator=(ParameterBlocks&& other) {
  return *this = static_cast<const ParameterBlocks&>(other);
}

namespace {
// Rebuilds `m` as a strict alias of `rows × cols` doubles at `p`: Armadillo's
// "advanced constructor" with copy_aux_mem=false, strict=true keeps the view
// on theta's memory and forbids resizing it away.
template <class M>
void alias(M& m, double* p, arma::uword rows, arma::uword cols) {
  m.~M();
  if constexpr (std::is_same_v<M, arma::vec>)
    new (&m) M(p, rows, false, true);
  else
    new (&m) M(p, rows, cols, false, true);
}
}  // namespace

void ParameterBlocks::bind() {
  const auto& s = shape_;
  double* p = theta.memptr();
  alias(W_h, p, s.hidden, s.hidden);
  p += s.hidden * s.hidden;
  alias(W_x, p, s.hidden, s.inputs);
  p += s.hidden * s.inputs;
  alias(W_out, p, s.outputs, s.hidden);
  p += s.outputs * s.hidden;
  if (s.bias) {
    alias(b, p, s.hidden, 1);
    p += s.hidden;
    alias(b_out, p, s.outputs, 1);
  } else {
    b.~Col();
    new (&b) arma::vec();
    b_out.~Col();
    new (&b_out) arma::vec();
  }
}

}  // namespace rnnlab
