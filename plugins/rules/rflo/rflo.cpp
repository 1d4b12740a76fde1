// RFLO, random-feedback local online learning (Murray 2019), written for the
// model of eq. 1. With the weights outside the nonlinearity the synaptic
// trace of W_h[i, j] is the presynaptic rate low-pass filtered by the
// membrane leak, so RFLO is the same update as e-prop with random feedback
// (tested).
#include <rnnlab/sdk/abi.hpp>
#include <rnnlab/sdk/error.hpp>
#include <rnnlab/sdk/io.hpp>
#include <rnnlab/sdk/random.hpp>
#include <rnnlab/sdk/traces.hpp>

namespace {

class Rflo final : public rnnlab::Rule {
 public:
  explicit Rflo(const rnnlab::ParamSet& p) : symmetric_(p.text("feedback") == "symmetric") {
    if (const std::string& file = p.text("feedback_file"); !file.empty()) {
      if (symmetric_)
        throw rnnlab::Error("rule 'rflo': feedback_file supplies B, so feedback cannot be 'symmetric'");
      feedback_.supply(rnnlab::load_matrix(file, "feedback"));
    }
  }

  void begin(const rnnlab::Network& net, std::uint64_t seed) override {
    // The same stream as e-prop's random feedback: equal seeds, equal B.
    feedback_.begin(net, seed);
  }

  rnnlab::LearningState state() const override { return feedback_.state(); }
  void restore(const rnnlab::LearningState& s) override { feedback_.restore(s); }

  void gradient(const rnnlab::Network& net, const rnnlab::Batch& batch, rnnlab::Gradient& out) override {
    rnnlab::TraceOptions options;
    options.feedback = symmetric_ ? nullptr : &feedback_.for_network(net);
    options.decay = net.alpha();  // the membrane time constant filters the trace
    rnnlab::trace_gradient(net, batch, options, workspace_, out);
  }

 private:
  bool symmetric_;
  rnnlab::RandomFeedback feedback_;
  rnnlab::GradientWorkspace workspace_;
};

void register_rflo(rnnlab::PluginRegistrar& r) {
  r.add_rule<Rflo>("rflo", "RFLO: leak-filtered presynaptic traces, fixed random feedback (Murray 2019)",
                   {rnnlab::ParamSpec::choice("feedback", "random", {"random", "symmetric"})
                        .sym("B")
                        .means("learning-signal matrix: fixed random U(±1/√N) drawn per phase, or W_outᵀ"),
                    rnnlab::ParamSpec::text("feedback_file", "")
                        .means("HDF5 file whose dataset 'feedback' (N × Nout) is B in every phase")})
      .exact = "W_out,b_out";  // the readout's own gradient; the recurrent part is approximate
}

}  // namespace

RNNLAB_PLUGIN(register_rflo)
