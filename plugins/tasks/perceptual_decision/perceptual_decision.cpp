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
  enum Period : std::size_t { kFixation, kStimulus, kDelay, kDecision };
  static const std::vector<rnnlab::ActionPeriod>& periods() {
    static const std::vector<rnnlab::ActionPeriod> p = {
        {"fixation", 100, false, "fixation period before the stimulus"},
        {"stimulus", 2000, true, "stimulus period (noisy evidence)"},
        {"delay", 0, false, "wait after the stimulus, fixation cue still on"},
        {"decision", 100, true, "decision period (fixation cue off, choice target)"}};
    return p;
  }
  static rnnlab::ParamSpecs specs() {
    return ActionTask::specs(periods(),
                             {ParamSpec::text("cohs", "0, 6.4, 12.8, 25.6, 51.2").sym("c").in("%")
                                  .means("coherence levels, one drawn per trial; its sign follows the correct choice")},
                             "the stimulus");
  }

  explicit PerceptualDecision(const rnnlab::ParamSet& p)
      : ActionTask("perceptual_decision", p, 3, 3, periods()), cohs_(parse_coherences(p.text("cohs"))) {}

 private:
  // One trial. Draw order as in Neurogym: the choice, the coherence, then
  // the noise step by step (channels within a step). The noise is drawn
  // even when σ = 0, so σ scales the noise of the same trials.
  void draw(rnnlab::Rng& rng, rnnlab::ActionTrial& t) const override {
    t.reset(3, trial_steps());
    const int choice = 1 + static_cast<int>(rng.below(2));
    const double coh = cohs_[rng.below(cohs_.size())];
    const double c = choice == 1 ? coh : -coh;  // signed coherence
    const std::size_t stim_begin = begin(kStimulus), stim_end = end(kStimulus), respond = begin(kDecision);
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
