// Sparse Gaussian recurrent weights: each connection present with
// probability p, N(0, g²/(pN)) when present, so that the spectral radius
// of W_h stays near g (see README.md). The other blocks as `gaussian`.
#include <cmath>
#include <rnnlab/sdk/abi.hpp>
#include <rnnlab/sdk/random.hpp>

namespace {

using rnnlab::ParamSpec;

class Sparse final : public rnnlab::Initializer {
 public:
  explicit Sparse(const rnnlab::ParamSet& p) : p_(p.number("p")) {}

  void initialize(const rnnlab::NetworkConfig& config, rnnlab::ParameterBlocks& params) const override {
    rnnlab::initialize_gaussian(config, params);
    const auto n = static_cast<double>(config.shape.hidden);
    const double stddev = n > 0 ? config.gain / std::sqrt(p_ * n) : 0.0;
    // The values come from gaussian's stream, the mask from its own: at
    // p = 1 the weights are gaussian's, bit for bit.
    rnnlab::Rng values(rnnlab::derive_seed(config.seed, "init.W_h"));
    rnnlab::Rng mask(rnnlab::derive_seed(config.seed, "init.W_h.mask"));
    for (double& w : params.W_h) {
      const double z = values.normal();
      w = mask.uniform() < p_ ? stddev * z : 0.0;
    }
  }

 private:
  double p_;
};

void register_sparse(rnnlab::PluginRegistrar& r) {
  r.add<Sparse>("sparse", "sparse W_h: each connection with probability p, N(0, g²/(pN)); spectral radius ≈ g",
                {ParamSpec::number("p", 0.1).sym("p").range(0, 1).above(0).means("connection probability of W_h")});
}

}  // namespace

RNNLAB_PLUGIN(register_sparse)
