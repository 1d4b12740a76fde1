// Delayed match-to-sample (Neurogym DelayMatchSample, as of 2024): hold a
// sample stimulus over a delay and report whether the test stimulus matches it.
#include <rnnlab/sdk/abi.hpp>
#include <rnnlab/sdk/action_trials.hpp>
#include <rnnlab/sdk/random.hpp>

#include <vector>

namespace {

constexpr int kMatch = 1, kNonMatch = 2;  // actions; 0 is "fixate"

class DelayMatchSample final : public rnnlab::ActionTask {
 public:
  enum Period : std::size_t { kFixation, kSample, kDelay, kTest, kDecision };
  static const std::vector<rnnlab::ActionPeriod>& periods() {
    static const std::vector<rnnlab::ActionPeriod> p = {
        {"fixation", 300, false, "fixation period before the sample"},
        {"sample", 500, true, "sample stimulus period"},
        {"delay", 1000, false, "delay between sample and test (no stimulus)"},
        {"test", 500, true, "test stimulus period"},
        {"decision", 900, true, "decision period (fixation cue off, match/non-match)"}};
    return p;
  }

  explicit DelayMatchSample(const rnnlab::ParamSet& p) : ActionTask("delay_match_sample", p, 3, 3, periods()) {}

 private:
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
    const std::size_t test_end = end(kTest);
    for (std::size_t s = 0; s < test_end; ++s) t.x(0, s) = 1.0;  // fixation cue, off in the decision period
    auto stimulus = [&](std::size_t from, std::size_t to, std::size_t channel) {
      for (std::size_t s = from; s < to; ++s) t.x(channel, s) = 1.0;
      t.add_noise(rng, options().noise_std, options().noise_from, 3, from, to);
    };
    stimulus(begin(kSample), end(kSample), sample);
    stimulus(begin(kTest), test_end, test);
    for (std::size_t s = test_end; s < t.steps(); ++s) t.action[s] = static_cast<arma::uword>(answer);
    t.decision_begin = test_end;
    t.decision_end = t.steps();
    t.truth = answer;
  }
};

void register_delay_match_sample(rnnlab::PluginRegistrar& r) {
  r.add_task<DelayMatchSample>(
      "delay_match_sample",
      "delayed match-to-sample: does the test stimulus match the sample held over a delay (Neurogym DelayMatchSample)",
      rnnlab::ActionTask::specs(DelayMatchSample::periods(), {}, "sample and test"));
}

}  // namespace

RNNLAB_PLUGIN(register_delay_match_sample)
