// A rule that declares itself exact (BPTT's blocks) but returns the
// gradient scaled by 1.1: `rnnlab check` must fail it, naming the block.
#include <rnnlab/sdk/abi.hpp>
#include <rnnlab/sdk/dynamics.hpp>

namespace {

class Inexact final : public rnnlab::Rule {
 public:
  explicit Inexact(const rnnlab::ParamSet&) {}
  void gradient(const rnnlab::Network& net, const rnnlab::Batch& batch, rnnlab::Gradient& out) override {
    rnnlab::backprop_gradient(net, batch, nullptr, {}, workspace_, out);
    out.params.theta *= 1.1;
  }

 private:
  rnnlab::GradientWorkspace workspace_;
};

void register_inexact(rnnlab::PluginRegistrar& r) {
#ifndef INEXACT_DECLARES
#define INEXACT_DECLARES "all"
#endif
  r.add_rule<Inexact>("inexact", "BPTT times 1.1 (a test of rnnlab check)", {}).exact = INEXACT_DECLARES;
}

}  // namespace

RNNLAB_PLUGIN(register_inexact)
