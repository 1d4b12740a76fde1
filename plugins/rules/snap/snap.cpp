// SnAp-1 (Menick et al. 2020) on the model of eq. 1: RTRL keeping only the
// influence of each unit on its own incoming parameters, propagated by the
// diagonal of the state Jacobian. Exact when W_h is diagonal.
#include <rnnlab/sdk/abi.hpp>
#include <rnnlab/sdk/online.hpp>

namespace {

class Snap final : public rnnlab::Rule {
 public:
  explicit Snap(const rnnlab::ParamSet&) {}

  void gradient(const rnnlab::Network& net, const rnnlab::Batch& batch, rnnlab::Gradient& out) override {
    rnnlab::influence_gradient(net, batch, rnnlab::Influence::Diagonal, workspace_, out);
  }

 private:
  rnnlab::GradientWorkspace workspace_;
};

void register_snap(rnnlab::PluginRegistrar& r) {
  r.add_rule<Snap>("snap", "SnAp-1: RTRL with each unit's influence on its own parameters only (Menick et al. 2020)",
                   {})
      .exact = "W_out,b_out";  // the readout's own gradient; the recurrent part is approximate
}

}  // namespace

RNNLAB_PLUGIN(register_snap)
