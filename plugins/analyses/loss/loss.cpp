// The task's loss (SPEC §4: masked MSE or cross-entropy) of the network on
// fresh batches, or on a given batch: a test loss, e.g. on held-out trial
// conditions (a task made with other parameters) to measure generalisation.
#include <rnnlab/sdk/abi.hpp>
#include <rnnlab/sdk/dynamics.hpp>
#include <rnnlab/sdk/random.hpp>


namespace {

using rnnlab::ParamSpec;

class Loss final : public rnnlab::Analysis {
 public:
  static rnnlab::ParamSpecs specs() {
    return {
        ParamSpec::integer("batches", 1).at_least(1)
            .means("task batches evaluated (seeds derived from the analysis seed); a fixed batch is evaluated once"),
    };
  }

  explicit Loss(const rnnlab::ParamSet& p) : batches_(static_cast<std::size_t>(p.integer("batches"))) {}

  rnnlab::AnalysisResult run(const rnnlab::Network& net, const rnnlab::AnalysisInput& input,
                             std::uint64_t seed) override {
    const std::size_t n = input.batch ? 1 : batches_;
    arma::vec losses(n);
    for (std::size_t i = 0; i < n; ++i) {
      const rnnlab::Batch batch = input.make(rnnlab::derive_seed(seed, static_cast<std::uint64_t>(i)));
      rnnlab::check_compatible(net, batch);
      rnnlab::forward(net, batch.x, traj_);
      losses(i) = rnnlab::loss(batch, traj_.yhat);
    }
    return {{"loss", arma::mean(losses)},
            {"loss_std", n > 1 ? arma::stddev(losses) : 0.0},
            {"batches", static_cast<double>(n)}};
  }

 private:
  std::size_t batches_;
  rnnlab::Trajectory traj_;
};

void register_loss(rnnlab::PluginRegistrar& r) {
  r.add_analysis<Loss>("loss", "the task's loss on fresh batches (a test loss) or on a given batch", Loss::specs());
}

}  // namespace

RNNLAB_PLUGIN(register_loss)
