#include "rnnlab/sdk/traces.hpp"

#include <algorithm>
#include <cmath>

#include "kernels.hpp"
#include "rnnlab/sdk/parallel.hpp"
#include "rnnlab/sdk/error.hpp"
#include "rnnlab/sdk/random.hpp"

namespace rnnlab {

arma::mat random_feedback(const Shape& shape, std::uint64_t seed) {
  arma::mat B(shape.hidden, shape.outputs);
  Rng rng(seed);
  const double bound = 1.0 / std::sqrt(static_cast<double>(shape.hidden));
  for (double& v : B) v = rng.uniform(-bound, bound);
  return B;
}

void RandomFeedback::begin(const Network& net, std::uint64_t seed) {
  if (supplied()) {
    check_feedback(supplied_, net.shape());
    matrix_ = supplied_;
  } else {
    matrix_ = random_feedback(net.shape(), derive_seed(seed, "feedback"));
  }
}

void RandomFeedback::supply(const arma::mat& B) {
  if (B.is_empty() || !B.is_finite()) throw Error("a supplied feedback matrix must be non-empty and finite");
  supplied_ = B;
  matrix_ = B;
}

const arma::mat& RandomFeedback::for_network(const Network& net) {
  if (matrix_.n_rows != net.shape().hidden || matrix_.n_cols != net.shape().outputs)
    begin(net, derive_seed(net.config().seed, "rule"));
  return matrix_;
}

void RandomFeedback::restore(const LearningState& state) {
  matrix_ = state_entry(state, "feedback", matrix_.n_rows, matrix_.n_cols);
}

namespace {

// e[s] = decay·e[s−1] + scale·u[first+s], element by element: at large
// sizes in fixed blocks of elements, each over all steps, as tasks.
template <class T>
void filter(const arma::Cube<T>& source, arma::uword first, arma::uword T_, T decay, T scale, arma::Cube<T>& out) {
  const arma::uword n = source.n_rows * source.n_cols;
  out.set_size(source.n_rows, source.n_cols, T_);
  constexpr arma::uword kBlock = 4096;
  const arma::uword blocks = n * T_ >= (arma::uword{1} << 20) ? (n + kBlock - 1) / kBlock : 1;
  parallel::for_each_task(blocks, [&](std::size_t block) {
    const arma::uword begin = blocks == 1 ? 0 : block * kBlock, size = blocks == 1 ? n : std::min(kBlock, n - begin);
    for (arma::uword s = 0; s < T_; ++s) {
      const T* u = source.slice_memptr(first + s) + begin;
      T* e = out.slice_memptr(s) + begin;
      if (s == 0 || decay == T(0)) {
        kernel::for_each_index(size, [=](arma::uword i) { e[i] = scale * u[i]; });
      } else {
        const T* prev = out.slice_memptr(s - 1) + begin;
        kernel::for_each_index(size, [=](arma::uword i) { e[i] = decay * prev[i] + scale * u[i]; });
      }
    }
  });
}

}  // namespace

void filter_traces(const arma::cube& source, arma::uword first, arma::uword T, double decay, double scale,
                   arma::cube& out) {
  filter(source, first, T, decay, scale, out);
}

void trace_gradient(const Network& net, const Batch& batch, const TraceOptions& options, GradientWorkspace& ws,
                    Gradient& out) {
  // in_precision checks the shape of the feedback (check_feedback).
  out.loss = kernel::in_precision(
      net, batch, options.feedback, false, ws, out,
      [&](const auto& m, const auto& x, const auto* fb, auto& buffers, auto& grad) {
        using T = typename std::remove_cvref_t<decltype(x)>::elem_type;
        // Learning signals: the readout error at each unit, gated by
        // f'(h[s+1]), with no propagation through the Jacobian.
        const double loss = kernel::errors(m, batch, x, fb, {.leak = false, .recurrent = false}, buffers);
        const arma::uword T_ = batch.steps();
        const T c = T(1) - m.alpha, decay = static_cast<T>(options.decay);
        filter(buffers.traj.r, 0, T_, decay, c, buffers.work);
        kernel::sum_outer(T(1), buffers.G, buffers.work, 0, grad.W_h);
        filter(x, 0, T_, decay, c, buffers.work2);
        kernel::sum_outer(T(1), buffers.G, buffers.work2, 0, grad.W_x);
        if (m.bias) {
          grad.b.zeros();
          T trace = 0;
          for (arma::uword t = 0; t < T_; ++t) {
            trace = decay * trace + c;
            grad.b += trace * arma::sum(slice_view(buffers.G, t), 1);
          }
        }
        kernel::readout_gradients(m, buffers.traj, buffers.delta, grad);
        return loss;
      });
}

}  // namespace rnnlab
