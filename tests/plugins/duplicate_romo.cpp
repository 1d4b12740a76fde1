// Registers a task under a name the built-in plugins already use.
#include <rnnlab/sdk/abi.hpp>

namespace {
class FakeRomo final : public rnnlab::Task {
 public:
  explicit FakeRomo(const rnnlab::ParamSet&) {}
  rnnlab::TaskInfo info() const override { return {1, 2, 50.0, rnnlab::LossKind::MSE}; }
  void generate(std::uint64_t, rnnlab::Batch&) const override {}
};

void register_duplicate(rnnlab::PluginRegistrar& r) { r.add_task<FakeRomo>("romo", "an impostor", {}); }
}  // namespace

RNNLAB_PLUGIN(register_duplicate)
