#include "rnnlab/traces.hpp"

#include <cmath>

#include "rnnlab/error.hpp"
#include "rnnlab/linalg.hpp"
#include "rnnlab/random.hpp"

namespace rnnlab {

arma::mat random_feedback(const Shape& shape, std::uint64_t seed) {
  arma::mat B(shape.hidden, shape.outputs);
  Rng rng(seed);
  const double bound = 1.0 / std::sqrt(static_cast<double>(shape.hidden));
  for (double& v : B) v = rng.uniform(-bound, bound);
  return B;
}

void filter_traces(const arma::cube& source, arma::uword first, arma::uword T, double decay, double scale,
                   arma::cube& out) {
  const arma::uword n = source.n_rows * source.n_cols;
  out.set_size(source.n_rows, source.n_cols, T);
  for (arma::uword s = 0; s < T; ++s) {
    const double* u = source.slice_memptr(first + s);
    double* e = out.slice_memptr(s);
    if (s == 0 || decay == 0.0) {
      for (arma::uword i = 0; i < n; ++i) e[i] = scale * u[i];
    } else {
      const double* prev = out.slice_memptr(s - 1);
      for (arma::uword i = 0; i < n; ++i) e[i] = decay * prev[i] + scale * u[i];
    }
  }
}

void trace_gradient(const Network& net, const Batch& batch, const TraceOptions& options, GradientWorkspace& ws,
                    Gradient& out) {
  check_compatible(net, batch);
  const auto& s = net.shape();
  if (options.feedback && (options.feedback->n_rows != s.hidden || options.feedback->n_cols != s.outputs))
    throw Error("feedback matrix is " + std::to_string(options.feedback->n_rows) + " × " +
                std::to_string(options.feedback->n_cols) + " but the network needs " + std::to_string(s.hidden) +
                " × " + std::to_string(s.outputs));
  if (!(out.params.shape() == s)) out.params = ParameterBlocks(s);
  forward(net, batch.x, ws.traj);
  out.loss = loss_and_error(batch, ws.traj.yhat, ws.delta);
  if (options.feedback)
    project_error(*options.feedback, false, ws.delta, ws.E);
  else
    project_error(net.params().W_out, true, ws.delta, ws.E);
  // Learning signals: the readout error at each unit, gated by f'(h[s+1]),
  // with no propagation through the Jacobian.
  backward(net, ws.traj, ws.E, {.leak = false, .recurrent = false}, ws.G, ws.work);

  const arma::uword T = batch.steps();
  const double c = 1.0 - net.alpha();
  const arma::mat L = slices_as_matrix(ws.G, 0, T);
  filter_traces(ws.traj.r, 0, T, options.decay, c, ws.work);
  gemm(false, true, 1.0, L, slices_as_matrix(ws.work, 0, T), 0.0, out.params.W_h);
  filter_traces(batch.x, 0, T, options.decay, c, ws.work2);
  gemm(false, true, 1.0, L, slices_as_matrix(ws.work2, 0, T), 0.0, out.params.W_x);
  if (s.bias) {
    out.params.b.zeros();
    double trace = 0.0;
    for (arma::uword t = 0; t < T; ++t) {
      trace = options.decay * trace + c;
      out.params.b += trace * arma::sum(slice_view(ws.G, t), 1);
    }
  }
  readout_gradients(net, ws.traj, ws.delta, out.params);
}

}  // namespace rnnlab
