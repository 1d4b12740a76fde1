#include "rnnlab/sdk/parameters.hpp"

#include "rnnlab/sdk/error.hpp"

#include <cstdio>
#include <iterator>
#include <limits>
#include <new>
#include <stdexcept>
#include <type_traits>

namespace rnnlab {

std::size_t Shape::size() const {
  return hidden * hidden + hidden * inputs + outputs * hidden + (bias ? hidden + outputs : 0);
}

namespace {
// The sizes that cannot be held, in the message rather than std::bad_alloc.
[[noreturn]] void too_large(const Shape& s, long double count) {
  const char* units[] = {"bytes", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"};
  long double bytes = count * sizeof(double);
  std::size_t u = 0;
  while (bytes >= 1000 && u + 1 < std::size(units)) bytes /= 1000, ++u;
  char text[160];
  std::snprintf(text, sizeof text, "%.4Lg parameters (%.3Lg %s)", count, bytes, units[u]);
  throw Error("out of memory: a network with hidden = " + std::to_string(s.hidden) +
              ", inputs = " + std::to_string(s.inputs) + ", outputs = " + std::to_string(s.outputs) + " has " + text);
}
}  // namespace

ParameterBlocks::ParameterBlocks(const Shape& shape) : shape_(shape) {
  // In long double: hidden² overflows std::size_t long before 2^53.
  const long double h = static_cast<long double>(shape.hidden);
  const long double count = h * h + h * static_cast<long double>(shape.inputs) +
                            static_cast<long double>(shape.outputs) * h +
                            (shape.bias ? h + static_cast<long double>(shape.outputs) : 0.0L);
  if (count > static_cast<long double>(std::numeric_limits<arma::uword>::max() / sizeof(double)))
    too_large(shape, count);
  try {
    storage_.zeros(shape.size());
  } catch (const std::bad_alloc&) {
    too_large(shape, count);
  } catch (const std::logic_error&) {  // Armadillo: "requested size is too large"
    too_large(shape, count);
  }
  bind();
}

ParameterBlocks::ParameterBlocks(const ParameterBlocks& other) : storage_(other.storage_), shape_(other.shape_) {
  bind();
}

ParameterBlocks& ParameterBlocks::operator=(const ParameterBlocks& other) {
  if (this != &other) {
    if (shape_ == other.shape_) {
      theta = other.theta;  // same size: copies into the existing storage, views stay valid
    } else {
      storage_ = other.storage_;
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

std::vector<BlockRange> block_ranges(const Shape& s) {
  std::vector<BlockRange> out = {{"W_h", 0, s.hidden * s.hidden},
                                 {"W_x", s.hidden * s.hidden, s.hidden * s.inputs},
                                 {"W_out", s.hidden * (s.hidden + s.inputs), s.outputs * s.hidden}};
  if (s.bias) {
    const arma::uword start = s.hidden * (s.hidden + s.inputs + s.outputs);
    out.push_back({"b", start, s.hidden});
    out.push_back({"b_out", start + s.hidden, s.outputs});
  }
  return out;
}

void ParameterBlocks::bind() {
  const auto& s = shape_;
  double* p = storage_.memptr();
  alias(theta, p, storage_.n_elem, 1);
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

BlockMask BlockMask::parse(const std::string& spec) {
  if (spec == "all") return {};
  BlockMask m{false, false, false, false, false};
  std::size_t start = 0;
  while (start <= spec.size()) {
    std::size_t end = spec.find(',', start);
    if (end == std::string::npos) end = spec.size();
    std::string name = spec.substr(start, end - start);
    name.erase(0, name.find_first_not_of(' '));
    name.erase(name.find_last_not_of(' ') + 1);
    if (name == "W_h") m.W_h = true;
    else if (name == "W_x") m.W_x = true;
    else if (name == "W_out") m.W_out = true;
    else if (name == "b") m.b = true;
    else if (name == "b_out") m.b_out = true;
    else throw Error("unknown parameter block '" + name + "'; valid: all, or a comma-separated list of W_h, W_x, W_out, b, b_out");
    start = end + 1;
  }
  return m;
}

void BlockMask::apply(ParameterBlocks& grad) const {
  if (!W_h) grad.W_h.zeros();
  if (!W_x) grad.W_x.zeros();
  if (!W_out) grad.W_out.zeros();
  if (!b && grad.shape().bias) grad.b.zeros();
  if (!b_out && grad.shape().bias) grad.b_out.zeros();
}

double relative_change(const arma::mat& now, const arma::mat& initial) {
  const double scale = arma::norm(initial, "fro");
  return scale > 0 ? arma::norm(now - initial, "fro") / scale : std::numeric_limits<double>::quiet_NaN();
}

}  // namespace rnnlab
