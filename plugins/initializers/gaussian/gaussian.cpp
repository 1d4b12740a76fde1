// The default weight initialisation (paper.md), as a plugin: the scheme
// Network(config) uses, so that init = "gaussian" is the same network.
#include <rnnlab/sdk/abi.hpp>

namespace {

class Gaussian final : public rnnlab::Initializer {
 public:
  explicit Gaussian(const rnnlab::ParamSet&) {}
  void initialize(const rnnlab::NetworkConfig& config, rnnlab::ParameterBlocks& params) const override {
    rnnlab::initialize_gaussian(config, params);
  }
};

void register_gaussian(rnnlab::PluginRegistrar& r) {
  r.add<Gaussian>("gaussian", "W_h ~ N(0, g²/N); W_x, W_out, biases ~ U(±1/√fan_in) (the default)", {});
}

}  // namespace

RNNLAB_PLUGIN(register_gaussian)
