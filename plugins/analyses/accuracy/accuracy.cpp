// Percent correct in the decision period: the arg-max over output channels
// of the mean output over a trial's decision period, compared with the
// trial's ground truth (paper.md §2). Streamed batches, which carry no
// per-trial truth, are scored step by step against the target's arg-max.
#include <rnnlab/sdk/abi.hpp>
#include <rnnlab/sdk/dynamics.hpp>
#include <rnnlab/sdk/error.hpp>
#include <rnnlab/sdk/random.hpp>

#include <map>
#include <string>

namespace {

using rnnlab::ParamSpec;

// Counts of one scoring pass, summed over batches.
struct Tally {
  std::size_t correct = 0, scored = 0, trials = 0;
  std::map<arma::uword, std::size_t> answers;  // how often each correct channel occurs
};

class Accuracy final : public rnnlab::Analysis {
 public:
  static rnnlab::ParamSpecs specs() {
    return {
        ParamSpec::integer("batches", 1).at_least(1)
            .means("task batches to score (seeds derived from the analysis seed); a fixed batch is scored once"),
        ParamSpec::choice("by", "auto", {"auto", "trial", "step"})
            .means("score each trial (needs truth) or each decision step (target arg-max); auto: trial if truth"),
    };
  }

  explicit Accuracy(const rnnlab::ParamSet& p)
      : batches_(static_cast<std::size_t>(p.integer("batches"))), by_(p.text("by")) {}

  rnnlab::AnalysisResult run(const rnnlab::Network& net, const rnnlab::AnalysisInput& input,
                             std::uint64_t seed) override {
    Tally tally;
    bool per_trial = true;
    const std::size_t n = input.batch ? 1 : batches_;
    for (std::size_t i = 0; i < n; ++i) {
      const rnnlab::Batch batch = input.make(rnnlab::derive_seed(seed, static_cast<std::uint64_t>(i)));
      rnnlab::check_compatible(net, batch);
      const std::string from = batch.task.empty() ? "the batch" : "task '" + batch.task + "'";
      if (batch.decision.is_empty() || !arma::any(arma::vectorise(batch.decision) > 0.0))
        throw rnnlab::Error("analysis 'accuracy': " + from + " marks no decision period");
      per_trial = by_ == "trial" || (by_ == "auto" && !batch.truth.empty());
      if (per_trial && batch.truth.empty())
        throw rnnlab::Error("analysis 'accuracy': " + from +
                            " has no per-trial truth (a streamed sequence?); use by = \"step\"");
      rnnlab::forward(net, batch.x, traj_);
      if (per_trial)
        score_trials(batch, traj_.yhat, tally);
      else
        score_steps(batch, traj_.yhat, tally);
    }
    std::size_t most = 0;
    for (const auto& [answer, count] : tally.answers) most = std::max(most, count);
    const double scored = static_cast<double>(tally.scored);
    rnnlab::AnalysisResult out = {
        {"accuracy", 100.0 * static_cast<double>(tally.correct) / scored},
        {"trials", static_cast<double>(tally.trials)},
    };
    if (!per_trial) out.emplace_back("steps", scored);
    out.emplace_back("chance", 100.0 / static_cast<double>(tally.answers.size()));
    out.emplace_back("majority", 100.0 * static_cast<double>(most) / scored);
    out.emplace_back("by", std::string(per_trial ? "trial" : "step"));
    return out;
  }

 private:
  // One decision per trial: the arg-max of the mean output over its decision
  // period (trials without one are skipped).
  static void score_trials(const rnnlab::Batch& batch, const arma::cube& yhat, Tally& tally) {
    const arma::uword K = yhat.n_rows, B = yhat.n_cols, T = yhat.n_slices;
    arma::mat sum(K, B, arma::fill::zeros);
    for (arma::uword t = 0; t < T; ++t)
      for (arma::uword b = 0; b < B; ++b)
        if (batch.decision(b, t) > 0.0) sum.col(b) += yhat.slice(t).col(b);
    for (arma::uword b = 0; b < B; ++b) {
      if (!arma::any(batch.decision.row(b) > 0.0)) continue;
      const int truth = batch.truth[b];
      if (truth < 0 || static_cast<arma::uword>(truth) >= K)
        throw rnnlab::Error("analysis 'accuracy': truth " + std::to_string(truth) + " of trial " + std::to_string(b) +
                            " is not an output channel");
      // The mean and the sum have the same arg-max.
      tally.correct += sum.col(b).index_max() == static_cast<arma::uword>(truth);
      ++tally.scored;
      ++tally.trials;
      ++tally.answers[static_cast<arma::uword>(truth)];
    }
  }

  // One decision per decision step: the output's arg-max against the target's.
  static void score_steps(const rnnlab::Batch& batch, const arma::cube& yhat, Tally& tally) {
    const arma::uword B = yhat.n_cols, T = yhat.n_slices;
    for (arma::uword b = 0; b < B; ++b) {
      bool any = false;
      for (arma::uword t = 0; t < T; ++t) {
        if (!(batch.decision(b, t) > 0.0)) continue;
        const arma::uword answer = batch.y.slice(t).col(b).index_max();
        tally.correct += yhat.slice(t).col(b).index_max() == answer;
        ++tally.scored;
        ++tally.answers[answer];
        any = true;
      }
      tally.trials += any;
    }
  }

  std::size_t batches_;
  std::string by_;
  rnnlab::Trajectory traj_;
};

void register_accuracy(rnnlab::PluginRegistrar& r) {
  r.add_analysis<Accuracy>("accuracy", "percent correct: arg-max of the mean output over the decision period",
                           Accuracy::specs());
}

}  // namespace

RNNLAB_PLUGIN(register_accuracy)
