// Delayed match-to-sample (Neurogym DelayMatchSample, as of 2024): hold a
// sample stimulus over a delay and report whether the test stimulus matches it.
#include <rnnlab/sdk/abi.hpp>
#include <rnnlab/sdk/action_trials.hpp>
#include <rnnlab/sdk/random.hpp>

namespace {

using rnnlab::ParamSpec;

constexpr int kMatch = 1, kNonMatch = 2;  // actions; 0 is "fixate"

class DelayMatchSample final : public rnnlab::ActionTask {
 public:
  static rnnlab::ParamSpecs specs() {
    return ActionTask::specs(
        {
            ParamSpec::number("fixation", 300).in("ms").at_least(0).means("fixation period before the sample"),
            ParamSpec::number("sample", 500).in("ms").above(0).means("sample stimulus period"),
            ParamSpec::number("delay", 1000).in("ms").at_least(0).means("delay between sample and test (no stimulus)"),
            ParamSpec::number("test", 500).in("ms").above(0).means("test stimulus period"),
            ParamSpec::number("decision", 900).in("ms").above(0).means("decision period (fixation cue off, match/non-match)"),
        },
        "sample and test");
  }

  explicit DelayMatchSample(const rnnlab::ParamSet& p)
      : ActionTask("delay_match_sample", p, 3, 3),
        fixation_(steps(p.number("fixation"))),
        sample_(steps(p.number("sample"))),
        delay_(steps(p.number("delay"))),
        test_(steps(p.number("test"))),
        decision_(steps(p.number("decision"))) {
    check_period(sample_, "sample");
    check_period(test_, "test");
    check_period(decision_, "decision");
  }

 private:
  std::size_t trial_steps() const override { return fixation_ + sample_ + delay_ + test_ + decision_; }

  // One trial. Draw order as in Neurogym: match or not, the sample, then the
  // noise of the sample and the test period, step by step. The noise is drawn
  // even when σ = 0, so σ scales the noise of the same trials.
  void draw(rnnlab::Rng& rng, rnnlab::ActionTrial& t) const override {
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
      t.add_noise(rng, options().noise_std, options().noise_from, 3, begin, end);
    };
    stimulus(sample_begin, sample_end, sample);
    stimulus(test_begin, test_end, test);
    for (std::size_t s = test_end; s < t.steps(); ++s) t.action[s] = static_cast<arma::uword>(answer);
    t.decision_begin = test_end;
    t.decision_end = t.steps();
    t.truth = answer;
  }

  std::size_t fixation_, sample_, delay_, test_, decision_;
};

void register_delay_match_sample(rnnlab::PluginRegistrar& r) {
  r.add_task<DelayMatchSample>(
      "delay_match_sample",
      "delayed match-to-sample: does the test stimulus match the sample held over a delay (Neurogym DelayMatchSample)",
      DelayMatchSample::specs());
}

}  // namespace

RNNLAB_PLUGIN(register_delay_match_sample)
