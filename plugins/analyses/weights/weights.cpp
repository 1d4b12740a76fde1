// Weight statistics: the eigenvalues and spectral radius of W_h, the norm
// of each block, the relative change from the network's initial weights
// (a rich/lazy indicator), and the participation ratio of hidden activity.
#include <rnnlab/sdk/abi.hpp>
#include <rnnlab/sdk/dynamics.hpp>
#include <rnnlab/sdk/error.hpp>
#include <rnnlab/sdk/linalg.hpp>
#include <rnnlab/sdk/pca.hpp>
#include <rnnlab/sdk/random.hpp>
#include <rnnlab/sdk/registry.hpp>

#include <cmath>
#include <limits>

namespace {

using rnnlab::ParamSpec;

class Weights final : public rnnlab::Analysis {
 public:
  static rnnlab::ParamSpecs specs() {
    return {
        ParamSpec::boolean("activity", true).means("also run a batch for the participation ratio of f(h)"),
        ParamSpec::integer("seed", 0).at_least(0).means("seed of the batch; 0 = derived from the network's seed"),
    };
  }

  explicit Weights(const rnnlab::ParamSet& p)
      : activity_(p.boolean("activity")), seed_(static_cast<std::uint64_t>(p.integer("seed"))) {}

  rnnlab::AnalysisResult run(const rnnlab::Network& net, const rnnlab::AnalysisInput& input,
                             std::uint64_t seed) override {
    const auto& P = net.params();
    rnnlab::AnalysisResult out;

    if (!P.theta.is_finite())
      throw rnnlab::Error("analysis 'weights': the network has non-finite weights (did training diverge?)");
    // Eigenvalues of W_h, by modulus, descending.
    arma::cx_vec eig;
    if (!arma::eig_gen(eig, P.W_h)) throw rnnlab::Error("analysis 'weights': eigenvalues of W_h did not converge");
    const arma::uvec order = arma::sort_index(arma::abs(eig), "descend");
    std::vector<double> re, im;
    for (arma::uword i : order) {
      re.push_back(eig(i).real());
      im.push_back(eig(i).imag());
    }
    out.emplace_back("spectral_radius", eig.n_elem ? std::abs(eig(order(0))) : 0.0);
    out.emplace_back("eig_real", re);
    out.emplace_back("eig_imag", im);
    out.emplace_back("W_h_spectral_norm", arma::norm(P.W_h, 2));

    out.emplace_back("W_h_norm", arma::norm(P.W_h, "fro"));
    out.emplace_back("W_x_norm", arma::norm(P.W_x, "fro"));
    out.emplace_back("W_out_norm", arma::norm(P.W_out, "fro"));
    if (net.shape().bias) {
      out.emplace_back("b_norm", arma::norm(P.b));
      out.emplace_back("b_out_norm", arma::norm(P.b_out));
    }

    // The weights the network recorded before its first training, or
    // drawn again from its configuration (rnnlab::initial_weights).
    rnnlab::append_weight_changes(P, rnnlab::initial_weights(net, input.registry, "analysis 'weights'"),
                                  net.shape().bias, out);

    if (activity_) out.emplace_back("participation_ratio", participation_ratio(net, input, seed_ ? seed_ : seed));
    return out;
  }

 private:
  // PR = (Σ μ_i)² / Σ μ_i² over the eigenvalues μ of the covariance of f(h)
  // across all steps and trials = tr(C)² / ‖C‖_F².
  double participation_ratio(const rnnlab::Network& net, const rnnlab::AnalysisInput& input, std::uint64_t seed) {
    const rnnlab::Batch batch = input.make(rnnlab::derive_seed(seed, "weights.batch"));
    rnnlab::check_compatible(net, batch);
    rnnlab::forward(net, batch.x, traj_);
    const arma::uword T = batch.steps();
    if (T == 0) return std::numeric_limits<double>::quiet_NaN();
    const arma::mat r = rnnlab::slices_as_matrix(traj_.r, 1, T);  // N × (B·T), no copy
    return rnnlab::covariance_participation_ratio(arma::cov(r.t()));
  }

  bool activity_;
  std::uint64_t seed_;
  rnnlab::Trajectory traj_;
};

void register_weights(rnnlab::PluginRegistrar& r) {
  r.add_analysis<Weights>("weights",
                          "eigenvalues and norms of the weights, change from initialisation, participation ratio",
                          Weights::specs());
}

}  // namespace

RNNLAB_PLUGIN(register_weights)
