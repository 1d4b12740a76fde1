// Real-time recurrent learning (Williams & Zipser 1989) on the model of
// eq. 1: the influence matrix ∂h/∂(W_h, W_x, b) carried forward in time,
// giving the exact gradient of the masked loss with no backward pass.
#include <rnnlab/sdk/abi.hpp>
#include <rnnlab/sdk/online.hpp>

namespace {

class Rtrl final : public rnnlab::Rule {
 public:
  explicit Rtrl(const rnnlab::ParamSet&) {}

  void gradient(const rnnlab::Network& net, const rnnlab::Batch& batch, rnnlab::Gradient& out) override {
    rnnlab::influence_gradient(net, batch, rnnlab::Influence::Full, workspace_, out);
  }

 private:
  rnnlab::GradientWorkspace workspace_;
};

void register_rtrl(rnnlab::PluginRegistrar& r) {
  r.add_rule<Rtrl>("rtrl", "real-time recurrent learning: exact gradient, influence matrix carried forward", {})
      .exact = "all";
}

}  // namespace

RNNLAB_PLUGIN(register_rtrl)
