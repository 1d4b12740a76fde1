// Romo parametric working memory (Schuessler et al. 2020, two-output
// variant): compare the amplitudes of two stimuli separated by a delay.
#include <rnnlab/sdk/abi.hpp>
#include <rnnlab/sdk/error.hpp>
#include <rnnlab/sdk/random.hpp>

#include <cmath>

namespace {

using rnnlab::ParamSpec;

class Romo final : public rnnlab::Task {
 public:
  static rnnlab::ParamSpecs specs() {
    return {
        ParamSpec::integer("batch", 32).sym("B").at_least(1).means("trials per batch"),
        ParamSpec::number("dt", 50).sym("Δt").in("ms").above(0).means("time step"),
        ParamSpec::number("fixation", 300).in("ms").at_least(0).means("fixation period before f1"),
        ParamSpec::number("stimulus", 100).in("ms").above(0).means("duration of each stimulus f1, f2"),
        ParamSpec::number("delay_min", 200).in("ms").at_least(0).means("shortest delay between f1 and f2"),
        ParamSpec::number("delay_max", 800).in("ms").at_least(0).means("longest delay (uniform in [min, max])"),
        ParamSpec::number("decision_delay", 500).in("ms").at_least(0).means("unmasked wait after f2"),
        ParamSpec::number("decision", 1000).in("ms").above(0).means("decision period (target shown)"),
        ParamSpec::number("amp_min", 0.5).sym("a_min").range(0, 1e6).means("smallest stimulus amplitude"),
        ParamSpec::number("amp_max", 1.5).sym("a_max").range(0, 1e6).means("largest stimulus amplitude"),
        ParamSpec::number("min_diff", 0.2).range(0, 1e6).means("amplitudes redrawn until |a1 − a2| ≥ min_diff"),
        ParamSpec::number("target", 0.5).means("target of the larger stimulus' channel in the decision period"),
    };
  }

  explicit Romo(const rnnlab::ParamSet& p)
      : batch_(static_cast<std::size_t>(p.integer("batch"))),
        dt_(p.number("dt")),
        fixation_(steps(p.number("fixation"))),
        stimulus_(steps(p.number("stimulus"))),
        delay_min_(p.number("delay_min")),
        delay_max_(p.number("delay_max")),
        decision_delay_(steps(p.number("decision_delay"))),
        decision_(steps(p.number("decision"))),
        amp_min_(p.number("amp_min")),
        amp_max_(p.number("amp_max")),
        min_diff_(p.number("min_diff")),
        target_(p.number("target")) {
    if (delay_max_ < delay_min_) throw rnnlab::Error("task 'romo': delay_max must be ≥ delay_min");
    if (amp_max_ < amp_min_) throw rnnlab::Error("task 'romo': amp_max must be ≥ amp_min");
    if (amp_max_ - amp_min_ < min_diff_)
      throw rnnlab::Error("task 'romo': min_diff exceeds amp_max − amp_min; no pair of amplitudes qualifies");
    if (stimulus_ == 0 || decision_ == 0)
      throw rnnlab::Error("task 'romo': dt is longer than the stimulus or decision period");
    // Trial length is fixed at the longest delay; shorter trials are padded
    // (the padding is unmasked).
    // As the reference: the total duration is truncated, not each period.
    steps_ = steps(p.number("fixation") + 2 * p.number("stimulus") + delay_max_ + p.number("decision_delay") +
                   p.number("decision"));
  }

  rnnlab::TaskInfo info() const override { return {1, 2, dt_, rnnlab::LossKind::MSE}; }

  void generate(std::uint64_t seed, rnnlab::Batch& out) const override {
    rnnlab::Rng rng(seed);
    out.x.zeros(1, batch_, steps_);
    out.y.zeros(2, batch_, steps_);
    out.mask.zeros(batch_, steps_);
    out.decision.zeros(batch_, steps_);
    out.loss = rnnlab::LossKind::MSE;
    out.dt = dt_;
    out.task = "romo";
    out.truth.assign(batch_, 0);
    for (std::size_t b = 0; b < batch_; ++b) {
      const std::size_t delay = steps(rng.uniform(delay_min_, delay_max_));
      double a1, a2;
      do {
        a1 = rng.uniform(amp_min_, amp_max_);
        a2 = rng.uniform(amp_min_, amp_max_);
      } while (std::abs(a1 - a2) < min_diff_);
      const std::size_t f1 = fixation_, f2 = f1 + stimulus_ + delay, f2_end = f2 + stimulus_;
      const std::size_t respond = f2_end + decision_delay_, respond_end = respond + decision_;
      const int larger = a1 >= a2 ? 0 : 1;  // argmax: the first on a tie
      out.truth[b] = larger;
      for (std::size_t t = 0; t < stimulus_; ++t) {
        out.x(0, b, f1 + t) = a1;
        out.x(0, b, f2 + t) = a2;
      }
      for (std::size_t t = 0; t < f2_end; ++t) out.mask(b, t) = 1.0;  // fixate: targets 0
      for (std::size_t t = respond; t < respond_end; ++t) {
        out.mask(b, t) = 1.0;
        out.decision(b, t) = 1.0;
        out.y(static_cast<arma::uword>(larger), b, t) = target_;
      }
    }
  }

 private:
  // Durations become whole steps by truncation, as in the reference code.
  std::size_t steps(double ms) const { return static_cast<std::size_t>(std::floor(ms / dt_ + 1e-9)); }

  std::size_t batch_;
  double dt_;
  std::size_t fixation_, stimulus_;
  double delay_min_, delay_max_;
  std::size_t decision_delay_, decision_;
  double amp_min_, amp_max_, min_diff_, target_;
  std::size_t steps_ = 0;
};

void register_romo(rnnlab::PluginRegistrar& r) {
  r.add_task<Romo>("romo", "parametric working memory: which of two stimuli was larger (Schuessler et al. 2020)",
                   Romo::specs());
}

}  // namespace

RNNLAB_PLUGIN(register_romo)
