// A well-formed plugin outside the built-in directory: a constant task.
#include <rnnlab/sdk/abi.hpp>

namespace {
class Constant final : public rnnlab::Task {
 public:
  explicit Constant(const rnnlab::ParamSet& p) : value_(p.number("value")) {}
  rnnlab::TaskInfo info() const override { return {1, 1, 10.0, rnnlab::LossKind::MSE}; }
  void generate(std::uint64_t, rnnlab::Batch& out) const override {
    out.x.ones(1, 4, 5);
    out.y.set_size(1, 4, 5);
    out.y.fill(value_);
    out.mask.ones(4, 5);
    out.dt = 10.0;
    out.task = "constant";
  }

 private:
  double value_;
};

void register_extra(rnnlab::PluginRegistrar& r) {
  auto& info = r.add_task<Constant>("constant", "test task: constant target",
                                    {rnnlab::ParamSpec::number("value", 0.5).means("the target")}, "0.3");
#ifdef CONSTANT_DECLARES_EXACT
  info.exact = "all";  // only rules have gradients: refused at load
#else
  static_cast<void>(info);
#endif
}
}  // namespace

RNNLAB_PLUGIN(register_extra)
