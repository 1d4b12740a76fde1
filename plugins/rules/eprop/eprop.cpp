// e-prop (Bellec et al. 2020) on the model of eq. 1: eligibility traces keep
// only the neuron-intrinsic (leak) part of the state Jacobian; the learning
// signal is a feedback matrix times the readout error; the readout is
// trained with its exact gradient.
#include <rnnlab/sdk/abi.hpp>
#include <rnnlab/sdk/error.hpp>
#include <rnnlab/sdk/io.hpp>
#include <rnnlab/sdk/random.hpp>
#include <rnnlab/sdk/traces.hpp>

namespace {

using rnnlab::ParamSpec;

class Eprop final : public rnnlab::Rule {
 public:
  explicit Eprop(const rnnlab::ParamSet& p)
      : random_(p.text("feedback") == "random" || !p.text("feedback_file").empty()),
        leak_trace_(p.text("trace") == "leak"),
        blocks_(rnnlab::BlockMask::parse(p.text("train"))) {
    if (const std::string& file = p.text("feedback_file"); !file.empty()) {
      if (p.was_given("feedback") && p.text("feedback") == "symmetric")
        throw rnnlab::Error("rule 'eprop': feedback_file supplies B, so feedback cannot be 'symmetric'");
      feedback_.supply(rnnlab::load_matrix(file, "feedback"));
    }
  }

  void begin(const rnnlab::Network& net, std::uint64_t seed) override {
    if (random_) feedback_.begin(net, seed);
  }

  rnnlab::LearningState state() const override { return random_ ? feedback_.state() : rnnlab::LearningState{}; }

  void restore(const rnnlab::LearningState& s) override {
    if (random_) feedback_.restore(s);
    else Rule::restore(s);
  }

  void gradient(const rnnlab::Network& net, const rnnlab::Batch& batch, rnnlab::Gradient& out) override {
    rnnlab::TraceOptions options;
    options.feedback = random_ ? &feedback_.for_network(net) : nullptr;
    options.decay = leak_trace_ ? net.alpha() : 0.0;
    rnnlab::trace_gradient(net, batch, options, workspace_, out);
    blocks_.apply(out.params);
  }

 private:
  bool random_, leak_trace_;
  rnnlab::BlockMask blocks_;
  rnnlab::RandomFeedback feedback_;
  rnnlab::GradientWorkspace workspace_;
};

void register_eprop(rnnlab::PluginRegistrar& r) {
  r.add_rule<Eprop>(
      "eprop", "e-prop: leak-only eligibility traces, feedback × readout error as learning signal",
      {ParamSpec::choice("feedback", "symmetric", {"symmetric", "random"})
           .sym("B")
           .means("learning-signal matrix: W_outᵀ, or fixed random U(±1/√N) drawn per phase"),
       ParamSpec::choice("trace", "leak", {"leak", "none"})
           .means("leak: ε ← α ε + (1−α) f(h); none: one-step trace (whole-state detach)"),
       ParamSpec::text("feedback_file", "")
           .means("HDF5 file whose dataset 'feedback' (N × Nout) is B in every phase (implies feedback = random)"),
       ParamSpec::text("train", "all").means("blocks to train: all, or a list of W_h, W_x, W_out, b, b_out")})
      .exact = "W_out,b_out";  // the readout's own gradient; the recurrent part is approximate
}

}  // namespace

RNNLAB_PLUGIN(register_eprop)
