// Backpropagation through time: the exact gradient of the masked loss with
// respect to every trainable parameter, optionally truncated.
#include <rnnlab/sdk/abi.hpp>
#include <rnnlab/sdk/dynamics.hpp>

namespace {

class Bptt final : public rnnlab::Rule {
 public:
  explicit Bptt(const rnnlab::ParamSet& p) : truncation_(static_cast<std::size_t>(p.integer("truncation"))) {}

  void gradient(const rnnlab::Network& net, const rnnlab::Batch& batch, rnnlab::Gradient& out) override {
    // Readout error through W_outᵀ, full Jacobian in the recursion.
    rnnlab::backprop_gradient(net, batch, nullptr, {.leak = true, .recurrent = true, .truncation = truncation_},
                              workspace_, out);
  }

 private:
  std::size_t truncation_;
  rnnlab::GradientWorkspace workspace_;
};

void register_bptt(rnnlab::PluginRegistrar& r) {
  r.add_rule<Bptt>("bptt", "backpropagation through time: exact gradient of the masked loss",
                   {rnnlab::ParamSpec::integer("truncation", 0)
                        .sym("k")
                        .in("steps")
                        .at_least(0)
                        .means("an error reaches back at most k steps; 0 = full BPTT")})
      .exact = "all";
}

}  // namespace

RNNLAB_PLUGIN(register_bptt)
