// Node perturbation (Fiete & Seung 2006; Werfel, Xie & Seung 2005), a
// gradient-free, reward-modulated rule: every hidden and output unit gets
// Gaussian noise, each trial's loss is compared with its baseline (the same
// trial without noise), and the difference, times each unit's noise,
// stands in for that unit's error. The weight update correlates it with
// the unit's presynaptic activity, exactly as the state gradients of BPTT
// would be: only the error signal differs.
#include <rnnlab/sdk/abi.hpp>
#include <rnnlab/sdk/dynamics.hpp>
#include <rnnlab/sdk/online.hpp>
#include <rnnlab/sdk/random.hpp>

namespace {

class NodePerturbation final : public rnnlab::Rule {
 public:
  explicit NodePerturbation(const rnnlab::ParamSet& p) : sigma_(p.number("sigma")) {}

  void begin(const rnnlab::Network&, std::uint64_t seed) override {
    seed_ = rnnlab::derive_seed(seed, "node_perturbation");
    begun_ = true;
  }

  void gradient(const rnnlab::Network& net, const rnnlab::Batch& batch, rnnlab::Gradient& out) override {
    rnnlab::check_compatible(net, batch);
    const std::size_t N = net.shape().hidden, K = net.shape().outputs, B = batch.size(), T = batch.steps();
    const std::uint64_t seed = begun_ ? seed_ : rnnlab::derive_seed(net.config().seed, "node_perturbation");
    rnnlab::Rng rng(rnnlab::batch_seed(seed, batch));
    xi_h_.set_size(N, B, T);
    xi_y_.set_size(K, B, T);
    rng.normals(xi_h_.memptr(), xi_h_.n_elem);
    rng.normals(xi_y_.memptr(), xi_y_.n_elem);

    // Baseline: each trial's loss without noise (also the reported loss).
    rnnlab::forward(net, batch.x, clean_);
    const arma::vec baseline = rnnlab::trial_losses(batch, clean_.yhat);
    out.loss = rnnlab::loss(batch, clean_.yhat);

    // Perturbed trial: state noise σ ξ_h on h[t+1], output noise σ ξ_y on ŷ[t].
    rnnlab::forward(net, batch.x, arma::cube(sigma_ * xi_h_), noisy_);
    noisy_.yhat += sigma_ * xi_y_;
    const arma::vec perturbed = rnnlab::trial_losses(batch, noisy_.yhat);

    // Error estimates (L̃_b − L_b) ξ / σ in place of ∂L/∂h[t+1] and ∂L/∂ŷ[t].
    for (std::size_t b = 0; b < B; ++b) {
      const double reward = (perturbed[b] - baseline[b]) / sigma_;
      for (std::size_t t = 0; t < T; ++t) {
        xi_h_.slice(t).col(b) *= reward;
        xi_y_.slice(t).col(b) *= reward;
      }
    }
    if (!(out.params.shape() == net.shape())) out.params = rnnlab::ParameterBlocks(net.shape());
    rnnlab::weight_gradients(net, noisy_, batch.x, xi_y_, xi_h_, out.params);
  }

 private:
  double sigma_;
  std::uint64_t seed_ = 0;
  bool begun_ = false;
  arma::cube xi_h_, xi_y_;
  rnnlab::Trajectory clean_, noisy_;
};

void register_node_perturbation(rnnlab::PluginRegistrar& r) {
  r.add_rule<NodePerturbation>(
      "node_perturbation",
      "node perturbation: noise on every unit, loss change against the noiseless trial times the noise",
      {rnnlab::ParamSpec::number("sigma", 0.01).sym("σ").above(0).means(
          "standard deviation of the noise added to each hidden state and output at each step")});
}

}  // namespace

RNNLAB_PLUGIN(register_node_perturbation)
