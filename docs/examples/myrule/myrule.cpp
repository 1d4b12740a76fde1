// myrule: train only the readout. The exact gradient of W_out (and b_out)
// from the framework's backprop pipeline; the recurrent and input weights
// stay fixed, as in reservoir computing.
#include <rnnlab/sdk/abi.hpp>
#include <rnnlab/sdk/dynamics.hpp>

namespace {

class ReadoutOnly final : public rnnlab::Rule {
 public:
  explicit ReadoutOnly(const rnnlab::ParamSet& p) : scale_(p.number("scale")) {}

  void gradient(const rnnlab::Network& net, const rnnlab::Batch& batch, rnnlab::Gradient& out) override {
    // Readout gradients do not need the backward recursion: keep nothing.
    rnnlab::backprop_gradient(net, batch, nullptr, {.leak = false, .recurrent = false}, workspace_, out);
    out.params.W_h.zeros();
    out.params.W_x.zeros();
    if (net.shape().bias) out.params.b.zeros();
    out.params.theta *= scale_;
  }

 private:
  double scale_;
  rnnlab::GradientWorkspace workspace_;
};

void register_myrule(rnnlab::PluginRegistrar& r) {
  r.add_rule<ReadoutOnly>(
      "myrule", "train the readout only (reservoir computing)",
      {rnnlab::ParamSpec::number("scale", 1.0).above(0).means("multiplies the gradient")})
      .exact = "W_out,b_out";  // at the defaults (scale = 1): what `rnnlab check` verifies
}

}  // namespace

RNNLAB_PLUGIN(register_myrule)
