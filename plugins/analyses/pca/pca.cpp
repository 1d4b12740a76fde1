// Principal components of the hidden activity over one batch (every step
// and trial, or the scored steps only): explained variance ratios and the
// participation ratio (effective dimensionality).
#include <rnnlab/sdk/abi.hpp>
#include <rnnlab/sdk/dynamics.hpp>
#include <rnnlab/sdk/error.hpp>
#include <rnnlab/sdk/linalg.hpp>
#include <rnnlab/sdk/pca.hpp>
#include <rnnlab/sdk/random.hpp>

#include <algorithm>
#include <limits>

namespace {

using rnnlab::ParamSpec;

std::vector<double> as_vector(const arma::vec& v) { return {v.begin(), v.end()}; }

class Pca final : public rnnlab::Analysis {
 public:
  static rnnlab::ParamSpecs specs() {
    return {
        ParamSpec::choice("activity", "rate", {"rate", "state"}).means(
            "what is analysed: the rates f(h) or the states h"),
        ParamSpec::choice("steps", "all", {"all", "masked"}).means(
            "samples: every step t = 1..T of every trial, or only the steps with mask > 0"),
        ParamSpec::integer("components", 10).sym("k").at_least(0).means(
            "number of components reported; 0 = all N"),
        ParamSpec::integer("seed", 0).at_least(0).means("seed of the batch; 0 = derived from the network's seed"),
    };
  }

  explicit Pca(const rnnlab::ParamSet& p)
      : rates_(p.text("activity") == "rate"),
        masked_(p.text("steps") == "masked"),
        components_(static_cast<std::size_t>(p.integer("components"))),
        seed_(static_cast<std::uint64_t>(p.integer("seed"))) {}

  rnnlab::AnalysisResult run(const rnnlab::Network& net, const rnnlab::AnalysisInput& input,
                             std::uint64_t seed) override {
    if (seed_ != 0) seed = seed_;
    const rnnlab::Batch batch = input.make(rnnlab::derive_seed(seed, "pca.batch"));
    rnnlab::check_compatible(net, batch);
    rnnlab::forward(net, batch.x, traj_);
    const arma::uword N = net.shape().hidden, B = batch.size(), T = batch.steps();
    if (T == 0 || B == 0) throw rnnlab::Error("analysis 'pca': the batch has no steps");
    // Column b + B·(t−1) of `all` is the activity of trial b after step t.
    const arma::mat all = rnnlab::slices_as_matrix(rates_ ? traj_.r : traj_.h, 1, T);
    arma::mat samples;
    if (masked_) {
      // batch.mask is B × T: its column-major order is the order of `all`'s columns.
      const arma::uvec scored = arma::find(arma::vectorise(batch.mask) > 0);
      if (scored.is_empty()) throw rnnlab::Error("analysis 'pca': steps = masked, but no step of the batch is scored");
      samples = all.cols(scored);
    } else {
      samples = all;
    }
    if (!samples.is_finite())
      throw rnnlab::Error("analysis 'pca': the hidden activity is not finite (an expanding network overflowed)");

    arma::vec mean, variances;
    arma::mat axes;
    rnnlab::principal_components(samples, mean, variances, axes);
    const arma::uword k = std::min<arma::uword>(components_ == 0 ? N : components_, N);
    const double total = arma::accu(variances);
    const double nan = std::numeric_limits<double>::quiet_NaN();
    arma::vec ratio = total > 0 ? arma::vec(variances / total) : arma::vec(N, arma::fill::value(nan));
    const arma::vec cumulative = arma::cumsum(ratio);
    // The number of components that explain 90% of the variance.
    double d90 = nan;
    if (total > 0) {
      d90 = static_cast<double>(N);
      for (arma::uword i = 0; i < N; ++i)
        if (cumulative(i) >= 0.9 - 1e-12) {
          d90 = static_cast<double>(i + 1);
          break;
        }
    }
    return {
        {"participation_ratio", rnnlab::participation_ratio(variances)},
        {"total_variance", total},
        {"dimensions_90", d90},
        {"variances", as_vector(variances.head(k))},
        {"explained_variance_ratio", as_vector(ratio.head(k))},
        {"cumulative_explained_variance", as_vector(cumulative.head(k))},
        {"samples", static_cast<double>(samples.n_cols)},
    };
  }

 private:
  bool rates_, masked_;
  std::size_t components_;
  std::uint64_t seed_;
  rnnlab::Trajectory traj_;
};

void register_pca(rnnlab::PluginRegistrar& r) {
  r.add_analysis<Pca>("pca", "principal components of the hidden activity: explained variance, participation ratio",
                      Pca::specs());
}

}  // namespace

RNNLAB_PLUGIN(register_pca)
