// How far training moved the weights from the ones the network had before
// its first training: relative change of every block, effective rank of
// ΔW_h, sign agreement, and the centred kernel alignment between the
// hidden representations of the initial and the current network ("rich"
// against "lazy" learning).
#include <rnnlab/sdk/abi.hpp>
#include <rnnlab/sdk/dynamics.hpp>
#include <rnnlab/sdk/error.hpp>
#include <rnnlab/sdk/linalg.hpp>
#include <rnnlab/sdk/random.hpp>
#include <rnnlab/sdk/registry.hpp>

#include <cmath>
#include <limits>

namespace {

using rnnlab::ParamSpec;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Effective rank (Roy & Vetterli 2007): exp of the entropy of the
// normalised singular values p_i = σ_i / Σ_j σ_j; 0 for a zero matrix.
double effective_rank(const arma::mat& M) {
  const arma::vec s = arma::svd(M);
  const double total = arma::accu(s);
  if (!(total > 0)) return 0.0;
  double entropy = 0;
  for (double v : s) {
    const double p = v / total;
    if (p > 0) entropy -= p * std::log(p);
  }
  return std::exp(entropy);
}

// Fraction of entries whose sign (−, 0, +) is unchanged.
double sign_agreement(const arma::mat& now, const arma::mat& initial) {
  if (initial.n_elem == 0) return kNaN;
  return static_cast<double>(arma::accu(arma::sign(now) == arma::sign(initial))) / static_cast<double>(initial.n_elem);
}

// Linear centred kernel alignment of two sets of representations, samples
// in columns (N × n each): with X̃, Ỹ the centred samples (rows of X̃ᵀ are
// samples) and K = X̃ᵀX̃, L = ỸᵀỸ the n × n Gram matrices,
//   CKA = ⟨K, L⟩_F / (‖K‖_F ‖L‖_F) = ‖X̃ Ỹᵀ‖_F² / (‖X̃ X̃ᵀ‖_F ‖Ỹ Ỹᵀ‖_F),
// computed in feature space (N × N) without forming the Gram matrices.
double centred_kernel_alignment(const arma::mat& X, const arma::mat& Y) {
  const arma::mat Xc = X.each_col() - arma::mean(X, 1);
  const arma::mat Yc = Y.each_col() - arma::mean(Y, 1);
  const double xx = arma::norm(Xc * Xc.t(), "fro"), yy = arma::norm(Yc * Yc.t(), "fro");
  if (!(xx > 0 && yy > 0)) return kNaN;
  const double xy = arma::norm(Xc * Yc.t(), "fro");
  return xy * xy / (xx * yy);
}

class WeightChange final : public rnnlab::Analysis {
 public:
  static rnnlab::ParamSpecs specs() {
    return {
        ParamSpec::boolean("kernel", true).means(
            "also run a batch through the initial and the current network for the kernel alignment"),
        ParamSpec::choice("activity", "rate", {"rate", "state"}).means(
            "representation compared by the kernel alignment: the rates f(h) or the states h"),
        ParamSpec::integer("seed", 0).at_least(0).means("seed of the batch; 0 = derived from the network's seed"),
    };
  }

  explicit WeightChange(const rnnlab::ParamSet& p)
      : kernel_(p.boolean("kernel")),
        rates_(p.text("activity") == "rate"),
        seed_(static_cast<std::uint64_t>(p.integer("seed"))) {}

  rnnlab::AnalysisResult run(const rnnlab::Network& net, const rnnlab::AnalysisInput& input,
                             std::uint64_t seed) override {
    const auto& P = net.params();
    if (!P.theta.is_finite())
      throw rnnlab::Error("analysis 'weight_change': the network has non-finite weights (did training diverge?)");
    const rnnlab::ParameterBlocks I = rnnlab::initial_weights(net, input.registry, "analysis 'weight_change'");
    rnnlab::AnalysisResult out;
    out.emplace_back("initial_recorded", net.has_initial_params() ? 1.0 : 0.0);
    rnnlab::append_weight_changes(P, I, net.shape().bias, out);
    const arma::mat delta = P.W_h - I.W_h;
    out.emplace_back("W_h_delta_norm", arma::norm(delta, "fro"));
    out.emplace_back("W_h_delta_effective_rank", effective_rank(delta));
    out.emplace_back("W_h_sign_agreement", sign_agreement(P.W_h, I.W_h));
    if (kernel_) out.emplace_back("kernel_alignment", kernel_alignment(net, I, input, seed_ ? seed_ : seed));
    return out;
  }

 private:
  double kernel_alignment(const rnnlab::Network& net, const rnnlab::ParameterBlocks& initial_weights,
                          const rnnlab::AnalysisInput& input, std::uint64_t seed) {
    const rnnlab::Batch batch = input.make(rnnlab::derive_seed(seed, "weight_change.batch"));
    rnnlab::check_compatible(net, batch);
    const arma::uword T = batch.steps();
    if (T == 0) return kNaN;
    const rnnlab::Network initial(net.config(), initial_weights);
    rnnlab::forward(initial, batch.x, before_);
    rnnlab::forward(net, batch.x, after_);
    // Samples: every trial after every step t = 1 … T (N × B·T, no copy).
    const arma::mat X = rnnlab::slices_as_matrix(rates_ ? before_.r : before_.h, 1, T);
    const arma::mat Y = rnnlab::slices_as_matrix(rates_ ? after_.r : after_.h, 1, T);
    if (!X.is_finite() || !Y.is_finite()) return kNaN;
    return centred_kernel_alignment(X, Y);
  }

  bool kernel_, rates_;
  std::uint64_t seed_;
  rnnlab::Trajectory before_, after_;
};

void register_weight_change(rnnlab::PluginRegistrar& r) {
  r.add_analysis<WeightChange>(
      "weight_change",
      "change of the weights since before training: relative norms, effective rank, sign agreement, kernel alignment",
      WeightChange::specs());
}

}  // namespace

RNNLAB_PLUGIN(register_weight_change)
