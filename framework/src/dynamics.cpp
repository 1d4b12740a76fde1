#include "rnnlab/sdk/dynamics.hpp"

#include "kernels.hpp"

namespace rnnlab {

GradientWorkspace::GradientWorkspace() : impl_(std::make_unique<Impl>()) {}
GradientWorkspace::~GradientWorkspace() = default;
GradientWorkspace::GradientWorkspace(GradientWorkspace&&) noexcept = default;
GradientWorkspace& GradientWorkspace::operator=(GradientWorkspace&&) noexcept = default;
// Buffers are scratch: a copy starts empty, an assignment keeps its own.
GradientWorkspace::GradientWorkspace(const GradientWorkspace&) : impl_(std::make_unique<Impl>()) {}
GradientWorkspace& GradientWorkspace::operator=(const GradientWorkspace&) { return *this; }

GradientWorkspace::Impl& GradientWorkspace::impl() {
  if (!impl_) impl_ = std::make_unique<Impl>();  // after a move
  return *impl_;
}

void SingleBlocks::resize(const Shape& s) {
  W_h.set_size(s.hidden, s.hidden);
  W_x.set_size(s.hidden, s.inputs);
  W_out.set_size(s.outputs, s.hidden);
  b.set_size(s.bias ? s.hidden : 0);
  b_out.set_size(s.bias ? s.outputs : 0);
}

namespace kernel {

double mask_total(const Batch& batch) {
  const double w = arma::accu(batch.mask);
  if (!(w > 0.0)) throw Error("batch" + (batch.task.empty() ? "" : " of task '" + batch.task + "'") +
                              ": the loss mask sums to " + std::to_string(w) + " (must be positive)");
  return w;
}

}  // namespace kernel

void activate(Activation a, const arma::mat& h, arma::mat& out) {
  out.set_size(h.n_rows, h.n_cols);
  kernel::with_activation<double>(a, [&](auto f) {
    for (arma::uword i = 0; i < h.n_elem; ++i) out[i] = f(h[i]);
  });
}

void activate_derivative(Activation a, const arma::mat& h, arma::mat& out) {
  out.set_size(h.n_rows, h.n_cols);
  kernel::with_activation<double>(a, [&](auto f) {
    kernel::with_derivative<double>(a, [&](auto df) {
      for (arma::uword i = 0; i < h.n_elem; ++i) out[i] = df(h[i], f(h[i]));
    });
  });
}

void forward(const Network& net, const arma::cube& x, Trajectory& traj) {
  kernel::forward(kernel::model<double>(net, net.params(), nullptr), x, traj);
}

void forward(const Network& net, const arma::cube& x, const arma::cube& noise, Trajectory& traj) {
  const Shape& s = net.shape();
  if (noise.n_rows != s.hidden || noise.n_cols != x.n_cols || noise.n_slices != x.n_slices)
    throw Error("state noise must be " + std::to_string(s.hidden) + "×" + std::to_string(x.n_cols) + "×" +
                std::to_string(x.n_slices) + ", got " + std::to_string(noise.n_rows) + "×" +
                std::to_string(noise.n_cols) + "×" + std::to_string(noise.n_slices));
  kernel::forward(kernel::model<double>(net, net.params(), nullptr), x, traj, &noise);
}

arma::vec trial_losses(const Batch& batch, const arma::cube& yhat) {
  arma::vec trials;
  kernel::masked_loss<double>(batch, yhat, nullptr, &trials);
  return trials;
}

double loss_and_error(const Batch& batch, const arma::cube& yhat, arma::cube& delta) {
  return kernel::masked_loss(batch, yhat, &delta);
}

double loss(const Batch& batch, const arma::cube& yhat) {
  return kernel::masked_loss<double>(batch, yhat, nullptr);
}

void project_error(const arma::mat& feedback, bool transpose, const arma::cube& delta, arma::cube& E) {
  kernel::project_error(feedback, transpose, delta, E);
}

void backward(const Network& net, const Trajectory& traj, const arma::cube& E, Backprop keep, arma::cube& G,
              arma::cube& work) {
  const arma::mat W_hT = keep.recurrent ? arma::mat(net.params().W_h.t()) : arma::mat();
  kernel::backward(kernel::model<double>(net, net.params(), &W_hT), traj, E, keep, G, work);
}

void weight_gradients(const Network& net, const Trajectory& traj, const arma::cube& x, const arma::cube& delta,
                      const arma::cube& G, ParameterBlocks& grad) {
  kernel::weight_gradients(kernel::model<double>(net, net.params(), nullptr), traj, x, delta, G, grad);
}

void readout_gradients(const Network& net, const Trajectory& traj, const arma::cube& delta, ParameterBlocks& grad) {
  kernel::readout_gradients(kernel::model<double>(net, net.params(), nullptr), traj, delta, grad);
}

void check_feedback(const arma::mat& feedback, const Shape& shape) {
  if (feedback.n_rows != shape.hidden || feedback.n_cols != shape.outputs)
    throw Error("feedback must be " + std::to_string(shape.hidden) + "×" + std::to_string(shape.outputs) + ", got " +
                std::to_string(feedback.n_rows) + "×" + std::to_string(feedback.n_cols));
}

void backprop_gradient(const Network& net, const Batch& batch, const arma::mat* feedback, Backprop keep,
                       GradientWorkspace& ws, Gradient& out) {
  out.loss = kernel::in_precision(
      net, batch, feedback, keep.recurrent, ws, out,
      [&](const auto& m, const auto& x, const auto* fb, auto& buffers, auto& grad) {
        const double loss = kernel::errors(m, batch, x, fb, keep, buffers);
        kernel::weight_gradients(m, buffers.traj, x, buffers.delta, buffers.G, grad);
        return loss;
      });
}

}  // namespace rnnlab
