// Registration throws halfway: nothing of this plugin may be kept.
#include <rnnlab/sdk/abi.hpp>
#include <stdexcept>

namespace {
class Never final : public rnnlab::Rule {
 public:
  explicit Never(const rnnlab::ParamSet&) {}
  void gradient(const rnnlab::Network&, const rnnlab::Batch&, rnnlab::Gradient&) override {}
};

void register_throwing(rnnlab::PluginRegistrar& r) {
  r.add_rule<Never>("half_registered", "must not survive", {});
  throw std::runtime_error("the plugin's registration failed on purpose");
}
}  // namespace

RNNLAB_PLUGIN(register_throwing)
