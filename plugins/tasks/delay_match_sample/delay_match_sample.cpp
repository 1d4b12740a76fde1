// Delayed match-to-sample (Neurogym DelayMatchSample, as of 2024): hold a
// sample stimulus over a delay and report whether the test stimulus matches it.
#include <rnnlab/sdk/abi.hpp>
#include <rnnlab/sdk/action_trials.hpp>
#include <rnnlab/sdk/error.hpp>
#include <rnnlab/sdk/random.hpp>

#include <cmath>

namespace {

using rnnlab::ParamSpec;

constexpr int kMatch = 1, kNonMatch = 2;  // actions; 0 is "fixate"

class DelayMatchSample final : public rnnlab::Task {
 public:
  static rnnlab::ParamSpecs specs() {
    rnnlab::ParamSpecs own = {
        ParamSpec::integer("batch", 32).sym("B").at_least(1).means("trials per batch (columns)"),
        ParamSpec::number("dt", 100).sym("Δt").in("ms").above(0).means("time step"),
        ParamSpec::number("fixation", 300).in("ms").at_least(0).means("fixation period before the sample"),
        ParamSpec::number("sample", 500).in("ms").above(0).means("sample stimulus period"),
        ParamSpec::number("delay", 1000).in("ms").at_least(0).means("delay between sample and test (no stimulus)"),
        ParamSpec::number("test", 500).in("ms").above(0).means("test stimulus period"),
        ParamSpec::number("decision", 900).in("ms").above(0).means("decision period (fixation cue off, match/non-match)"),
    };
    const rnnlab::ParamSpecs shared = rnnlab::action_task_specs("sample and test");
    own.insert(own.end(), shared.begin(), shared.end());
    return own;
  }

  explicit DelayMatchSample(const rnnlab::ParamSet& p)
      : batch_(static_cast<std::size_t>(p.integer("batch"))),
        dt_(p.number("dt")),
        fixation_(steps(p.number("fixation"))),
        sample_(steps(p.number("sample"))),
        delay_(steps(p.number("delay"))),
        test_(steps(p.number("test"))),
        decision_(steps(p.number("decision"))),
        options_(rnnlab::ActionTaskOptions::from(p, dt_)) {
    if (sample_ == 0 || test_ == 0 || decision_ == 0)
      throw rnnlab::Error("task 'delay_match_sample': dt is longer than the sample, test or decision period");
  }

  rnnlab::TaskInfo info() const override { return {3, 3, dt_, rnnlab::LossKind::CrossEntropy}; }

  void generate(std::uint64_t seed, rnnlab::Batch& out) const override {
    rnnlab::Rng rng(seed);
    rnnlab::ActionTrial trial;
    const rnnlab::ActionLayout layout{batch_, 3, 3, trial_steps(), options_.sequence, options_.random_start};
    rnnlab::fill_action_batch(layout, rng, [this](rnnlab::Rng& r, rnnlab::ActionTrial& t) { draw(r, t); }, trial,
                              out);
    out.dt = dt_;
    out.task = "delay_match_sample";
  }

 private:
  std::size_t trial_steps() const { return fixation_ + sample_ + delay_ + test_ + decision_; }

  // One trial. Draw order as in Neurogym: match or not, the sample, then the
  // noise of the sample and the test period, step by step. The noise is drawn
  // even when σ = 0, so σ scales the noise of the same trials.
  void draw(rnnlab::Rng& rng, rnnlab::ActionTrial& t) const {
    t.reset(3, trial_steps());
    const int answer = rng.below(2) == 0 ? kMatch : kNonMatch;
    // The two stimuli sit at θ = 0 and θ = π on a ring of two channels; input
    // k is (1 + cos(θ_k − θ))/2, i.e. one-hot on channel 1 or 2.
    const std::size_t sample = 1 + rng.below(2);
    const std::size_t test = answer == kMatch ? sample : 3 - sample;
    const std::size_t sample_begin = fixation_, sample_end = sample_begin + sample_;
    const std::size_t test_begin = sample_end + delay_, test_end = test_begin + test_;
    for (std::size_t s = 0; s < test_end; ++s) t.x(0, s) = 1.0;  // fixation cue, off in the decision period
    auto stimulus = [&](std::size_t begin, std::size_t end, std::size_t channel) {
      for (std::size_t s = begin; s < end; ++s) t.x(channel, s) = 1.0;
      t.add_noise(rng, options_.noise_std, options_.noise_from, 3, begin, end);
    };
    stimulus(sample_begin, sample_end, sample);
    stimulus(test_begin, test_end, test);
    for (std::size_t s = test_end; s < t.steps(); ++s) t.action[s] = static_cast<arma::uword>(answer);
    t.decision_begin = test_end;
    t.decision_end = t.steps();
    t.truth = answer;
  }

  // Durations become whole steps by truncation, as in Neurogym.
  std::size_t steps(double ms) const { return static_cast<std::size_t>(std::floor(ms / dt_ + 1e-9)); }

  std::size_t batch_;
  double dt_;
  std::size_t fixation_, sample_, delay_, test_, decision_;
  rnnlab::ActionTaskOptions options_;
};

void register_delay_match_sample(rnnlab::PluginRegistrar& r) {
  r.add_task<DelayMatchSample>(
      "delay_match_sample",
      "delayed match-to-sample: does the test stimulus match the sample held over a delay (Neurogym DelayMatchSample)",
      DelayMatchSample::specs());
}

}  // namespace

RNNLAB_PLUGIN(register_delay_match_sample)
