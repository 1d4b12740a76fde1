// The first k Lyapunov exponents of the network map by the QR (Benettin)
// method (Vogt et al. 2022; paper.md §4), along trajectories driven by the
// task's inputs (trials back to back) or by zero input from a random state.
#include <rnnlab/sdk/abi.hpp>
#include <rnnlab/sdk/dynamics.hpp>
#include <rnnlab/sdk/error.hpp>
#include <rnnlab/sdk/lyapunov.hpp>
#include <rnnlab/sdk/random.hpp>

#include <algorithm>
#include <cmath>
#include <limits>

namespace {

using rnnlab::ParamSpec;

class Lyapunov final : public rnnlab::Analysis {
 public:
  static rnnlab::ParamSpecs specs() {
    return {
        ParamSpec::integer("exponents", 1).sym("k").at_least(0).means("number of exponents; 0 = all N"),
        ParamSpec::integer("steps", 1000).sym("S").at_least(2).means(
            "trajectory length (task trials joined back to back, cut to S)"),
        ParamSpec::integer("warmup", -1).sym("w").at_least(-1).means(
            "first steps not counted; -1 = 10 + S/10 (Engelken 2023)"),
        ParamSpec::choice("input", "task", {"task", "zero"}).means(
            "drive: the task's trials, or zero input from a random state"),
        ParamSpec::integer("reorth", 1).at_least(1).means("re-orthonormalise (QR) every this many steps"),
        ParamSpec::choice("precision", "double", {"double", "single"}).means(
            "arithmetic of the tangent vectors and QRs (exponents summed in double)"),
        ParamSpec::integer("trials", 8).at_least(1).means(
            "independent trajectories averaged (at most the batch size for input = task)"),
        ParamSpec::number("init_std", 1.0).sym("σ₀").above(0).means(
            "std of the random initial state h[0] for input = zero"),
        ParamSpec::integer("seed", 0).at_least(0).means(
            "seed of trials, Q[0] and h[0]; 0 = derived from the network's seed"),
    };
  }

  explicit Lyapunov(const rnnlab::ParamSet& p)
      : exponents_(static_cast<std::size_t>(p.integer("exponents"))),
        steps_(static_cast<std::size_t>(p.integer("steps"))),
        warmup_(p.integer("warmup")),
        zero_input_(p.text("input") == "zero"),
        reorth_(static_cast<std::size_t>(p.integer("reorth"))),
        trials_(static_cast<std::size_t>(p.integer("trials"))),
        precision_(rnnlab::precision_from_string(p.text("precision"))),
        init_std_(p.number("init_std")),
        seed_(static_cast<std::uint64_t>(p.integer("seed"))) {
    if (warmup_ >= 0 && static_cast<std::size_t>(warmup_) >= steps_)
      throw rnnlab::Error("analysis 'lyapunov': warmup (" + std::to_string(warmup_) +
                          ") must be smaller than steps (" + std::to_string(steps_) + ")");
  }

  rnnlab::AnalysisResult run(const rnnlab::Network& net, const rnnlab::AnalysisInput& input,
                             std::uint64_t seed) override {
    const std::size_t N = net.shape().hidden;
    const std::size_t k = exponents_ == 0 ? N : exponents_;
    if (k > N)
      throw rnnlab::Error("analysis 'lyapunov': exponents = " + std::to_string(k) + " exceeds the " +
                          std::to_string(N) + " hidden units (use 0 for all)");
    if (seed_ != 0) seed = seed_;
    const std::size_t warmup = warmup_ < 0 ? rnnlab::default_warmup(steps_) : static_cast<std::size_t>(warmup_);

    double dt = std::numeric_limits<double>::quiet_NaN();  // ms per step
    if (zero_input_) {
      dt = input.task ? input.task->info().dt : input.batch ? input.batch->dt : dt;
      rnnlab::Rng rng(rnnlab::derive_seed(seed, "lyapunov.h0"));
      arma::mat h0(N, trials_);
      for (double& v : h0) v = init_std_ * rng.normal();
      rnnlab::free_run(net, h0, steps_, states_);
    } else {
      dt = drive_with_task(net, input, seed);
    }
    const arma::cube& h = zero_input_ ? states_ : trajectory_.h;
    const std::size_t B = h.n_cols;
    rnnlab::state_derivatives(net.activation(), h, steps_, d_);

    const arma::mat Q0 = rnnlab::random_orthonormal_blocks(N, k, B, rnnlab::derive_seed(seed, "lyapunov.Q0"));
    arma::mat lambda(k, B);
    if (h.is_finite()) {
      lambda = rnnlab::lyapunov_exponents(net.params().W_h, net.alpha(), d_, Q0, {.reorth = reorth_, .warmup = warmup, .precision = precision_});
    } else {
      // The state overflowed (e.g. an expanding ReLU network, which nothing
      // bounds) or the weights are not finite: no exponent is measurable.
      lambda.fill(std::numeric_limits<double>::quiet_NaN());
    }
    // Sorting is undefined with NaN (an overflowing state): leave those columns as they are.
    for (std::size_t b = 0; b < B; ++b)
      if (lambda.col(b).is_finite()) lambda.col(b) = arma::sort(lambda.col(b), "descend");

    const arma::vec spectrum = arma::mean(lambda, 1);
    const arma::vec spread = B > 1 ? arma::vec(arma::stddev(lambda, 0, 1)) : arma::vec(k, arma::fill::zeros);
    const double per_second = 1000.0 / dt;
    auto vec = [](const arma::vec& v) { return std::vector<double>(v.begin(), v.end()); };
    return {
        {"max", spectrum(0)},
        {"spectrum", vec(spectrum)},
        {"max_std", spread(0)},
        {"spectrum_std", vec(spread)},
        {"max_per_second", spectrum(0) * per_second},
        {"spectrum_per_second", vec(spectrum * per_second)},
        {"trials", static_cast<double>(B)},
        {"steps", static_cast<double>(steps_)},
        {"warmup", static_cast<double>(warmup)},
    };
  }

 private:
  // Joins the first `trials` trials of consecutive batches back to back
  // until the trajectory is `steps` long and runs the network from h = 0
  // (states in trajectory_). Returns the batches' dt.
  double drive_with_task(const rnnlab::Network& net, const rnnlab::AnalysisInput& input, std::uint64_t seed) {
    const std::uint64_t trial_seed = rnnlab::derive_seed(seed, "lyapunov.trials");
    std::size_t filled = 0, B = 0;
    double dt = 0;
    for (std::uint64_t i = 0; filled < steps_; ++i) {
      const rnnlab::Batch batch = input.make(rnnlab::derive_seed(trial_seed, i));
      rnnlab::check_compatible(net, batch);
      if (batch.steps() == 0) throw rnnlab::Error("analysis 'lyapunov': the task made a batch of 0 steps");
      if (i == 0) {
        B = std::min(trials_, batch.size());
        dt = batch.dt;
        x_.set_size(batch.inputs(), B, steps_);
      } else if (batch.size() < B) {
        throw rnnlab::Error("analysis 'lyapunov': the task's batches changed size");
      }
      const std::size_t take = std::min(batch.steps(), steps_ - filled);
      for (std::size_t t = 0; t < take; ++t) x_.slice(filled + t) = batch.x.slice(t).head_cols(B);
      filled += take;
    }
    rnnlab::forward(net, x_, trajectory_);
    return dt;
  }

  std::size_t exponents_, steps_;
  std::int64_t warmup_;
  bool zero_input_;
  std::size_t reorth_, trials_;
  rnnlab::Precision precision_;
  double init_std_;
  std::uint64_t seed_;
  // Buffers kept between runs.
  arma::cube x_, states_, d_;  // states_: zero-input runs
  rnnlab::Trajectory trajectory_;
};

void register_lyapunov(rnnlab::PluginRegistrar& r) {
  r.add_analysis<Lyapunov>("lyapunov", "Lyapunov exponents of the network map by the QR (Benettin) method",
                           Lyapunov::specs());
}

}  // namespace

RNNLAB_PLUGIN(register_lyapunov)
