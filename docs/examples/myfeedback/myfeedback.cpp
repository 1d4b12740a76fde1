// e-prop with your own feedback: sign-concordant feedback (Liao et al.
// 2016), B = sign(W_outᵀ)/√N, recomputed from the current readout.
#include <rnnlab/sdk/abi.hpp>
#include <rnnlab/sdk/traces.hpp>

namespace {

class SignProp final : public rnnlab::Rule {
 public:
  explicit SignProp(const rnnlab::ParamSet&) {}
  void gradient(const rnnlab::Network& net, const rnnlab::Batch& batch, rnnlab::Gradient& out) override {
    B_ = arma::sign(net.params().W_out.t()) / std::sqrt(double(net.shape().hidden));  // N × Nout
    rnnlab::trace_gradient(net, batch, {.feedback = &B_, .decay = net.alpha()}, workspace_, out);
  }

 private:
  arma::mat B_;
  rnnlab::GradientWorkspace workspace_;
};

void register_signprop(rnnlab::PluginRegistrar& r) {
  r.add_rule<SignProp>("signprop", "e-prop with sign-concordant feedback sign(W_outᵀ)/√N", {}).exact = "W_out,b_out";
}

}  // namespace

RNNLAB_PLUGIN(register_signprop)
