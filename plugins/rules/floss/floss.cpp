// Gradient flossing (Engelken 2023; paper.md §5): drive the first k
// Lyapunov exponents of the trajectories of a batch towards a target by
// gradient descent on L_floss = mean_windows mean_i (λ_i − λ*)², with the
// gradient taken exactly through every Jacobian and QR step.
#include <rnnlab/sdk/abi.hpp>
#include <rnnlab/sdk/dynamics.hpp>
#include <rnnlab/sdk/error.hpp>
#include <rnnlab/sdk/lyapunov.hpp>
#include <rnnlab/sdk/random.hpp>

#include <algorithm>

namespace {

using rnnlab::ParamSpec;

class Floss final : public rnnlab::Rule {
 public:
  static rnnlab::ParamSpecs specs() {
    return {
        ParamSpec::integer("exponents", 0).sym("k").at_least(0).means("exponents flossed; 0 = N/2"),
        ParamSpec::number("target", 0).sym("λ*").in("1/step").means("target of every flossed exponent"),
        ParamSpec::boolean("detach", true).means(
            "hold the states fixed (paper); false: differentiate through them too (Engelken)"),
        ParamSpec::integer("warmup", -1).sym("w").at_least(-1).means(
            "first steps of each window not counted; -1 = 10 + S/10"),
        ParamSpec::integer("steps", 0).sym("S").at_least(0).means(
            "window length: 0 = one trial; else consecutive trials joined to ≥ S steps"),
        ParamSpec::number("task_weight", 0).at_least(0).means("weight of the task loss gradient added (BPTT)"),
        ParamSpec::integer("trials", 0).at_least(0).means(
            "windows used per gradient (the first ones of the batch); 0 = all. Cost is linear in it"),
        ParamSpec::integer("reorth", 4).at_least(1).means(
            "QR every this many steps (same exponents up to rounding; README: measured error); 1 = every step"),
        ParamSpec::choice("precision", "single", {"single", "double"}).means(
            "arithmetic of the tangent vectors, QRs and their adjoint; double + reorth 1 = the exact reference"),
    };
  }

  explicit Floss(const rnnlab::ParamSet& p)
      : exponents_(static_cast<std::size_t>(p.integer("exponents"))),
        target_(p.number("target")),
        detach_(p.boolean("detach")),
        warmup_(p.integer("warmup")),
        steps_(static_cast<std::size_t>(p.integer("steps"))),
        task_weight_(p.number("task_weight")),
        trials_(static_cast<std::size_t>(p.integer("trials"))),
        reorth_(static_cast<std::size_t>(p.integer("reorth"))),
        precision_(rnnlab::precision_from_string(p.text("precision"))) {}

  void begin(const rnnlab::Network&, std::uint64_t seed) override {
    seed_ = seed;
    Q0_.reset();  // drawn again for this phase
  }

  void gradient(const rnnlab::Network& net, const rnnlab::Batch& batch, rnnlab::Gradient& out) override {
    rnnlab::check_compatible(net, batch);
    if (!(out.params.shape() == net.shape())) out.params = rnnlab::ParameterBlocks(net.shape());
    out.rule = "floss";
    const auto& W_h = net.params().W_h;
    const double alpha = net.alpha();
    const std::size_t N = net.shape().hidden;
    const std::size_t k = exponents_ == 0 ? std::max<std::size_t>(1, N / 2) : exponents_;
    if (k > N)
      throw rnnlab::Error("rule 'floss': exponents = " + std::to_string(k) + " exceeds the " + std::to_string(N) +
                          " hidden units");

    // Trajectories of the flossing windows, from h[0] = 0.
    const arma::cube& x = windows(batch);
    rnnlab::forward(net, x, traj_);
    const std::size_t S = x.n_slices, W = x.n_cols;
    const std::size_t warmup = warmup_ < 0 ? rnnlab::default_warmup(S) : static_cast<std::size_t>(warmup_);
    if (S == 0 || warmup >= S)
      throw rnnlab::Error("rule 'floss': the warm-up (" + std::to_string(warmup) + " steps) must be shorter than " +
                          "the window (" + std::to_string(S) + " steps); lower 'warmup' or raise 'steps'");
    rnnlab::state_derivatives(net.activation(), traj_.h, S, d_);

    // Exponents, and ∂L/∂λ of L = scale · Σ (λ − λ*)².
    if (Q0_.n_rows != N || Q0_.n_cols != k * W)
      Q0_ = rnnlab::random_orthonormal_blocks(N, k, W, rnnlab::derive_seed(seed_, "floss.Q0"));
    rnnlab::lyapunov_record(W_h, alpha, d_, Q0_, {.reorth = reorth_, .warmup = warmup, .precision = precision_},
                            tape_);
    const arma::mat excess = tape_.lambda - target_;
    const double scale = 1.0 / static_cast<double>(k * W);

    // Explicit dependence of J[t] on W_h, and (detach = false) through the
    // states: ∂L/∂f'(h[t]) reaches h[t] through f'', then the trajectory.
    out.params.theta.zeros();
    const bool through_states = !detach_ && !rnnlab::activation_is_piecewise_linear(net.activation());
    rnnlab::lyapunov_backward(W_h, alpha, d_, tape_, 2.0 * scale * excess, out.params.W_h,
                              through_states ? &d_bar_ : nullptr);
    if (through_states) add_state_path(net, x, S, W, out.params);

    // The task loss: always reported in grad.loss, added with task_weight.
    if (task_weight_ > 0) {
      rnnlab::backprop_gradient(net, batch, nullptr, rnnlab::Backprop{}, workspace_, task_grad_);
      out.params.theta += task_weight_ * task_grad_.params.theta;
      out.loss = task_grad_.loss;
    } else {
      rnnlab::forward(net, batch.x, loss_traj_);
      out.loss = rnnlab::loss(batch, loss_traj_.yhat);
    }
  }

 private:
  // The batch's inputs as flossing windows: each trial alone (steps = 0 or
  // ≤ T), or runs of m = ⌈steps/T⌉ consecutive trials joined back to back.
  const arma::cube& windows(const rnnlab::Batch& batch) {
    const arma::cube& all = joined_windows(batch);
    if (trials_ == 0 || trials_ >= all.n_cols) return all;
    subset_.set_size(all.n_rows, trials_, all.n_slices);
    for (std::size_t t = 0; t < all.n_slices; ++t) subset_.slice(t) = all.slice(t).cols(0, trials_ - 1);
    return subset_;
  }

  const arma::cube& joined_windows(const rnnlab::Batch& batch) {
    const std::size_t T = batch.steps(), B = batch.size();
    if (steps_ <= T || B == 1) return batch.x;
    const std::size_t m = std::min(B, (steps_ + T - 1) / T), W = B / m;
    joined_.set_size(batch.inputs(), W, m * T);
    for (std::size_t w = 0; w < W; ++w)
      for (std::size_t j = 0; j < m; ++j)
        for (std::size_t t = 0; t < T; ++t) joined_.slice(j * T + t).col(w) = batch.x.slice(t).col(w * m + j);
    return joined_;
  }

  // d̄[t] = ∂L/∂f'(h[t]) reaches h[t] as f''(h[t]) ⊙ d̄[t]; h[0] = 0 is fixed.
  void add_state_path(const rnnlab::Network& net, const arma::cube& x, std::size_t S, std::size_t W,
                      rnnlab::ParameterBlocks& grad) {
    injection_.zeros(net.shape().hidden, W, S);  // slice s: direct ∂L/∂h[s+1]
    arma::mat curvature;
    for (std::size_t s = 0; s + 1 < S; ++s) {
      rnnlab::activate_second_derivative(net.activation(), traj_.h.slice(s + 1), curvature);
      injection_.slice(s) = curvature % d_bar_.slice(s + 1);
    }
    rnnlab::state_adjoint(net.params().W_h, net.alpha(), d_, injection_, G_);
    if (!(path_.shape() == net.shape())) path_ = rnnlab::ParameterBlocks(net.shape());
    no_readout_error_.zeros(net.shape().outputs, W, S);
    rnnlab::weight_gradients(net, traj_, x, no_readout_error_, G_, path_);
    grad.theta += path_.theta;
  }

  std::size_t exponents_;
  double target_;
  bool detach_;
  std::int64_t warmup_;
  std::size_t steps_;
  double task_weight_;
  std::size_t trials_;
  std::size_t reorth_;
  rnnlab::Precision precision_;
  std::uint64_t seed_ = 0;
  // State between calls: Q[0] of this phase, and reused buffers.
  arma::mat Q0_;
  arma::cube joined_, subset_, d_, d_bar_, injection_, G_, no_readout_error_;
  rnnlab::Trajectory traj_;
  rnnlab::Trajectory loss_traj_;  // the task loss's forward pass (task_weight = 0)
  rnnlab::LyapunovTape tape_;
  rnnlab::ParameterBlocks path_;
  rnnlab::GradientWorkspace workspace_;
  rnnlab::Gradient task_grad_;
};

void register_floss(rnnlab::PluginRegistrar& r) {
  r.add_rule<Floss>("floss", "gradient flossing: pushes the first k Lyapunov exponents towards a target",
                    Floss::specs());
}

}  // namespace

RNNLAB_PLUGIN(register_floss)
