// UORO, unbiased online recurrent optimisation (Tallec & Ollivier 2017), on
// the model of eq. 1: a rank-one, unbiased estimate of RTRL's influence
// matrix per trial, from random signs drawn afresh at every step.
#include <rnnlab/sdk/abi.hpp>
#include <rnnlab/sdk/online.hpp>
#include <rnnlab/sdk/random.hpp>

namespace {

class Uoro final : public rnnlab::Rule {
 public:
  explicit Uoro(const rnnlab::ParamSet&) {}

  void begin(const rnnlab::Network&, std::uint64_t seed) override {
    seed_ = rnnlab::derive_seed(seed, "uoro");
    begun_ = true;
  }

  void gradient(const rnnlab::Network& net, const rnnlab::Batch& batch, rnnlab::Gradient& out) override {
    // Outside a phase the network's own seed stands in for the phase seed.
    const std::uint64_t seed = begun_ ? seed_ : rnnlab::derive_seed(net.config().seed, "uoro");
    rnnlab::uoro_gradient(net, batch, rnnlab::batch_seed(seed, batch), workspace_, out);
  }

 private:
  std::uint64_t seed_ = 0;
  bool begun_ = false;
  rnnlab::GradientWorkspace workspace_;
};

void register_uoro(rnnlab::PluginRegistrar& r) {
  r.add_rule<Uoro>("uoro", "UORO: unbiased rank-one estimate of RTRL with random signs (Tallec & Ollivier 2017)",
                   {})
      .exact = "W_out,b_out";  // the readout's own gradient; the recurrent part is a rank-one estimate
}

}  // namespace

RNNLAB_PLUGIN(register_uoro)
