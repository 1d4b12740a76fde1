// Two-alternative forced-choice perceptual decision making (Neurogym
// PerceptualDecisionMaking, as of 2024): integrate two noisy stimuli and
// report which one is larger on average.
#include <rnnlab/sdk/abi.hpp>
#include <rnnlab/sdk/action_trials.hpp>
#include <rnnlab/sdk/error.hpp>
#include <rnnlab/sdk/random.hpp>

#include <cmath>
#include <cstdlib>
#include <string>
#include <vector>

namespace {

using rnnlab::ParamSpec;

// "0, 6.4, 12.8" → {0, 6.4, 12.8}; separators are commas and/or spaces.
std::vector<double> parse_coherences(const std::string& text) {
  std::vector<double> out;
  const char* p = text.c_str();
  for (;;) {
    while (*p == ' ' || *p == ',' || *p == '\t') ++p;
    if (*p == '\0') break;
    char* end = nullptr;
    const double c = std::strtod(p, &end);
    if (end == p || !std::isfinite(c))
      throw rnnlab::Error("task 'perceptual_decision': cohs must be numbers separated by commas, got '" + text + "'");
    if (c < 0 || c > 100)
      throw rnnlab::Error("task 'perceptual_decision': each coherence must be in [0, 100] (percent), got '" + text + "'");
    out.push_back(c);
    p = end;
  }
  if (out.empty()) throw rnnlab::Error("task 'perceptual_decision': cohs lists no coherence");
  return out;
}

class PerceptualDecision final : public rnnlab::ActionTask {
 public:
  static rnnlab::ParamSpecs specs() {
    return ActionTask::specs(
        {
            ParamSpec::number("fixation", 100).in("ms").at_least(0).means("fixation period before the stimulus"),
            ParamSpec::number("stimulus", 2000).in("ms").above(0).means("stimulus period (noisy evidence)"),
            ParamSpec::number("delay", 0).in("ms").at_least(0).means("wait after the stimulus, fixation cue still on"),
            ParamSpec::number("decision", 100).in("ms").above(0).means("decision period (fixation cue off, choice target)"),
            ParamSpec::text("cohs", "0, 6.4, 12.8, 25.6, 51.2").sym("c").in("%")
                .means("coherence levels, one drawn per trial; its sign follows the correct choice"),
        },
        "the stimulus");
  }

  explicit PerceptualDecision(const rnnlab::ParamSet& p)
      : ActionTask("perceptual_decision", p, 3, 3),
        fixation_(steps(p.number("fixation"))),
        stimulus_(steps(p.number("stimulus"))),
        delay_(steps(p.number("delay"))),
        decision_(steps(p.number("decision"))),
        cohs_(parse_coherences(p.text("cohs"))) {
    check_period(stimulus_, "stimulus");
    check_period(decision_, "decision");
  }

 private:
  std::size_t trial_steps() const override { return fixation_ + stimulus_ + delay_ + decision_; }

  // One trial. Draw order as in Neurogym: the choice, the coherence, then
  // the noise step by step (channels within a step). The noise is drawn
  // even when σ = 0, so σ scales the noise of the same trials.
  void draw(rnnlab::Rng& rng, rnnlab::ActionTrial& t) const override {
    t.reset(3, trial_steps());
    const int choice = 1 + static_cast<int>(rng.below(2));
    const double coh = cohs_[rng.below(cohs_.size())];
    const double c = choice == 1 ? coh : -coh;  // signed coherence
    const std::size_t stim_begin = fixation_, stim_end = stim_begin + stimulus_;
    const std::size_t respond = stim_end + delay_;
    for (std::size_t s = 0; s < respond; ++s) t.x(0, s) = 1.0;  // fixation cue, off in the decision period
    for (std::size_t s = stim_begin; s < stim_end; ++s) {
      t.x(1, s) = (1.0 + c / 100.0) / 2.0;
      t.x(2, s) = (1.0 - c / 100.0) / 2.0;
    }
    t.add_noise(rng, options().noise_std, options().noise_from, 3, stim_begin, stim_end);
    for (std::size_t s = respond; s < t.steps(); ++s) t.action[s] = static_cast<arma::uword>(choice);
    t.decision_begin = respond;
    t.decision_end = t.steps();
    t.truth = choice;
  }

  std::size_t fixation_, stimulus_, delay_, decision_;
  std::vector<double> cohs_;
};

void register_perceptual_decision(rnnlab::PluginRegistrar& r) {
  r.add_task<PerceptualDecision>(
      "perceptual_decision",
      "2AF perceptual decision making: which of two noisy stimuli is larger (Neurogym PerceptualDecisionMaking)",
      PerceptualDecision::specs());
}

}  // namespace

RNNLAB_PLUGIN(register_perceptual_decision)
