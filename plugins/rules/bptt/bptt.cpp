// Backpropagation through time: the exact gradient of the masked loss
// with respect to every trainable parameter.
#include <rnnlab/abi.hpp>
#include <rnnlab/dynamics.hpp>

namespace {

class Bptt final : public rnnlab::Rule {
 public:
  explicit Bptt(const rnnlab::ParamSet&) {}

  void gradient(const rnnlab::Network& net, const rnnlab::Batch& batch, rnnlab::Gradient& out) override {
    // Exact: readout error through W_outᵀ, full Jacobian in the recursion.
    rnnlab::backprop_gradient(net, batch, nullptr, {.leak = true, .recurrent = true}, workspace_, out);
  }

 private:
  rnnlab::GradientWorkspace workspace_;
};

void register_bptt(rnnlab::PluginRegistrar& r) {
  r.add_rule<Bptt>("bptt", "backpropagation through time: exact gradient of the masked loss", {});
}

}  // namespace

RNNLAB_PLUGIN(register_bptt)
