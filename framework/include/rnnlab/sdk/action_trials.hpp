#pragma once
// Batches for tasks whose target is one action per step, trained with
// cross-entropy at every step (the Neurogym tasks). A task draws one trial
// at a time into an ActionTrial; fill_action_batch() lays the trials out in
// a Batch in one of two ways:
//
//   sequence = 0  one trial per batch column, from step 0; `truth` holds
//                 each trial's correct action.
//   sequence = T  trials streamed back to back in each column and cut to T
//                 steps, like Neurogym's Dataset. A column's chunk starts at
//                 a uniformly random step of its first trial (or at step 0)
//                 and its last trial is cut off at T. A chunk holds several
//                 trials, so `truth` is left empty; the per-step targets are
//                 in y and `decision` marks every decision step.
//
// ActionTask is the frame of such a task: it reads the parameters every
// action task has, answers info() and lays the trials out in generate();
// a task adds its periods and draws one trial (draw()).
//
// Header-only so that tasks built out of tree can use it as well.
#include <armadillo>
#include <cstddef>
#include <vector>

#include <cmath>
#include <string>

#include "rnnlab/sdk/batch.hpp"
#include "rnnlab/sdk/error.hpp"
#include "rnnlab/sdk/params.hpp"
#include "rnnlab/sdk/plugin.hpp"
#include "rnnlab/sdk/random.hpp"

namespace rnnlab {

/// One trial of an action task, step by step.
struct ActionTrial {
  arma::mat x;                       ///< inputs, Nin × L (column s = step s)
  std::vector<arma::uword> action;   ///< target action per step (0 = fixate)
  std::size_t decision_begin = 0;    ///< decision period: steps [begin, end)
  std::size_t decision_end = 0;
  int truth = 0;                     ///< the correct action in the decision period

  /// Zero inputs, "fixate" targets and no decision period for `steps` steps.
  /// Keeps the memory when the size does not change.
  void reset(std::size_t inputs, std::size_t steps) {
    x.zeros(inputs, steps);
    action.assign(steps, 0);
    decision_begin = decision_end = 0;
    truth = 0;
  }
  std::size_t steps() const { return action.size(); }

  /// Adds independent N(0, std²) noise to channels [first, last) at steps
  /// [begin, end), drawn step by step (channels within a step) in one bulk
  /// call of Rng::normals().
  void add_noise(Rng& rng, double std, std::size_t first, std::size_t last, std::size_t begin, std::size_t end) {
    const std::size_t channels = last - first;
    noise_.resize(channels * (end - begin));
    rng.normals(noise_.data(), noise_.size());
    const double* e = noise_.data();
    for (std::size_t s = begin; s < end; ++s)
      for (std::size_t k = first; k < last; ++k) x(k, s) += std * *e++;
  }

 private:
  std::vector<double> noise_;  // scratch for add_noise()
};

/// How fill_action_batch() lays trials out.
struct ActionLayout {
  std::size_t trials = 1;       ///< B, batch columns
  std::size_t inputs = 0;       ///< Nin
  std::size_t outputs = 0;      ///< number of actions
  std::size_t trial_steps = 0;  ///< T with one trial per column; shorter trials are padded (mask 0)
  std::size_t sequence = 0;     ///< 0: one trial per column; otherwise T, trials streamed
  bool random_start = true;     ///< streamed: start at a random step of the first trial
};

/// Fills out.x, out.y (one-hot actions), out.mask (1; 0 on padding),
/// out.decision, out.truth and out.loss (cross-entropy). `make(rng, trial)`
/// draws the next trial into `trial`. Columns are filled in order from one
/// generator, so the batch depends only on the generator's seed. The
/// caller sets out.dt and out.task.
template <class MakeTrial>
void fill_action_batch(const ActionLayout& layout, Rng& rng, MakeTrial&& make, ActionTrial& trial, Batch& out) {
  const std::size_t B = layout.trials, Nin = layout.inputs;
  const std::size_t T = layout.sequence > 0 ? layout.sequence : layout.trial_steps;
  out.x.zeros(Nin, B, T);
  out.y.zeros(layout.outputs, B, T);
  out.mask.zeros(B, T);
  out.decision.zeros(B, T);
  out.loss = LossKind::CrossEntropy;
  if (layout.sequence > 0)
    out.truth.clear();
  else
    out.truth.assign(B, 0);

  // Copies steps [from, from + n) of the trial to steps [at, at + n) of column b.
  auto copy = [&](std::size_t b, std::size_t from, std::size_t at, std::size_t n) {
    for (std::size_t s = from; s < from + n; ++s, ++at) {
      const double* src = trial.x.colptr(s);
      double* dst = out.x.slice_memptr(at) + b * Nin;
      for (std::size_t i = 0; i < Nin; ++i) dst[i] = src[i];
      if (trial.action[s] >= layout.outputs) throw Error("internal: action out of range");
      out.y(trial.action[s], b, at) = 1.0;
      out.mask(b, at) = 1.0;
      if (s >= trial.decision_begin && s < trial.decision_end) out.decision(b, at) = 1.0;
    }
  };

  for (std::size_t b = 0; b < B; ++b) {
    if (layout.sequence == 0) {
      make(rng, trial);
      if (trial.steps() > T) throw Error("internal: a trial is longer than the batch");
      copy(b, 0, 0, trial.steps());
      out.truth[b] = trial.truth;
      continue;
    }
    std::size_t at = 0;
    bool first = true;
    while (at < T) {
      make(rng, trial);
      if (trial.steps() == 0) throw Error("internal: a trial has no steps");
      const std::size_t from = first && layout.random_start ? rng.below(trial.steps()) : 0;
      first = false;
      const std::size_t n = std::min(trial.steps() - from, T - at);
      copy(b, from, at, n);
      at += n;
    }
  }
}

/// The noise and streaming parameters every action task shares, to append
/// to its own table; `noisy_periods` names where the input noise is, e.g.
/// "the stimulus".
inline ParamSpecs action_task_specs(const std::string& noisy_periods) {
  return {
      ParamSpec::number("sigma", 1.0).sym("σ").at_least(0).means("input noise; per-step std σ/√dt (dt in ms)"),
      ParamSpec::choice("noise_on", "stimulus", {"stimulus", "all"})
          .means("channels with noise during " + noisy_periods + ": the stimulus channels, or also the fixation cue"),
      ParamSpec::integer("sequence", 0).at_least(0)
          .means("0: one trial per column; n: trials streamed back to back, cut to n steps"),
      ParamSpec::choice("start", "random", {"random", "trial"})
          .means("streamed: a column starts at a random step of its first trial, or at its start"),
  };
}

/// Those shared parameters, read.
struct ActionTaskOptions {
  double noise_std = 0;        ///< per-step noise std, σ/√dt
  std::size_t noise_from = 1;  ///< first noisy channel: 0 = all, 1 = the stimulus channels
  std::size_t sequence = 0;    ///< streamed chunk length, 0 = one trial per column
  bool random_start = true;    ///< streamed: columns start at a random step
  static ActionTaskOptions from(const ParamSet& p, double dt) {
    return {p.number("sigma") / std::sqrt(dt), p.text("noise_on") == "all" ? std::size_t{0} : std::size_t{1},
            static_cast<std::size_t>(p.integer("sequence")), p.text("start") == "random"};
  }
};

/// One period of an action task's trial: a parameter in ms, made whole
/// steps by truncation (as in Neurogym).
struct ActionPeriod {
  std::string name;        ///< the parameter, e.g. "stimulus"
  double default_ms = 0;
  bool required = false;   ///< must last at least one step (range (0, inf); else [0, inf))
  std::string meaning;
};

/// The frame of an action task with `inputs` input channels (channel 0 the
/// fixation cue) and `actions` actions (0 = fixate), trained with
/// cross-entropy at every step. A trial is a sequence of periods; a task
/// derives from it, names its periods and implements draw() of one trial.
class ActionTask : public Task {
 public:
  /// batch and dt, the periods, the task's `own` parameters, then the shared
  /// noise and streaming parameters (action_task_specs).
  static ParamSpecs specs(const std::vector<ActionPeriod>& periods, const ParamSpecs& own,
                          const std::string& noisy_periods) {
    ParamSpecs all = {
        ParamSpec::integer("batch", 32).sym("B").at_least(1).means("trials per batch (columns)"),
        ParamSpec::number("dt", 100).sym("Δt").in("ms").above(0).means("time step"),
    };
    for (const ActionPeriod& period : periods) {
      ParamSpec spec = ParamSpec::number(period.name, period.default_ms).in("ms").means(period.meaning);
      all.push_back(period.required ? spec.above(0) : spec.at_least(0));
    }
    all.insert(all.end(), own.begin(), own.end());
    const ParamSpecs shared = action_task_specs(noisy_periods);
    all.insert(all.end(), shared.begin(), shared.end());
    return all;
  }

  /// Throws "task 'NAME': dt is longer than the P period" for a required
  /// period of no step.
  ActionTask(std::string name, const ParamSet& p, std::size_t inputs, std::size_t actions,
             const std::vector<ActionPeriod>& periods)
      : name_(std::move(name)),
        batch_(static_cast<std::size_t>(p.integer("batch"))),
        inputs_(inputs),
        actions_(actions),
        dt_(p.number("dt")),
        options_(ActionTaskOptions::from(p, dt_)) {
    bounds_.push_back(0);
    for (const ActionPeriod& period : periods) {
      const auto steps = static_cast<std::size_t>(std::floor(p.number(period.name) / dt_ + 1e-9));
      if (period.required && steps == 0)
        throw Error("task '" + name_ + "': dt is longer than the " + period.name + " period");
      bounds_.push_back(bounds_.back() + steps);
    }
  }

  TaskInfo info() const override { return {inputs_, actions_, dt_, LossKind::CrossEntropy}; }

  void generate(std::uint64_t seed, Batch& out) const override {
    Rng rng(seed);
    ActionTrial trial;
    const ActionLayout layout{batch_, inputs_, actions_, trial_steps(), options_.sequence, options_.random_start};
    fill_action_batch(layout, rng, [this](Rng& r, ActionTrial& t) { draw(r, t); }, trial, out);
    out.dt = dt_;
    out.task = name_;
  }

 protected:
  /// Draws the next trial from `rng` into `t`, of trial_steps() steps.
  virtual void draw(Rng& rng, ActionTrial& t) const = 0;

  /// Steps of a trial: all periods.
  std::size_t trial_steps() const { return bounds_.back(); }
  /// The first step of period `i` (in the order given), and one past its last.
  std::size_t begin(std::size_t i) const { return bounds_.at(i); }
  std::size_t end(std::size_t i) const { return bounds_.at(i + 1); }
  const ActionTaskOptions& options() const { return options_; }

 private:
  std::string name_;
  std::size_t batch_, inputs_, actions_;
  double dt_;
  ActionTaskOptions options_;
  std::vector<std::size_t> bounds_;  // period i: steps [bounds_[i], bounds_[i+1])
};

}  // namespace rnnlab
