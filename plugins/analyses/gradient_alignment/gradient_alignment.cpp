// Cosine similarity between a rule's gradient and a reference rule's
// (BPTT by default), per parameter block and overall (Marschall et al. 2020).
#include <rnnlab/sdk/abi.hpp>
#include <rnnlab/sdk/error.hpp>
#include <rnnlab/sdk/random.hpp>

#include <cmath>

namespace {

using rnnlab::ParamSpec;

double cosine(const arma::vec& a, const arma::vec& b) {
  const double na = arma::norm(a, 2), nb = arma::norm(b, 2);
  if (na == 0.0 || nb == 0.0) return std::nan("");  // undefined for a zero gradient
  return arma::dot(a, b) / (na * nb);
}

class GradientAlignment final : public rnnlab::Analysis {
 public:
  explicit GradientAlignment(const rnnlab::ParamSet& p)
      : rule_(p.text("rule")),
        rule_params_(rnnlab::parse_param_list(p.text("rule_params"))),
        reference_(p.text("reference")),
        reference_params_(rnnlab::parse_param_list(p.text("reference_params"))) {}

  rnnlab::AnalysisResult run(const rnnlab::Network& net, const rnnlab::AnalysisInput& input,
                             std::uint64_t seed) override {
    if (!input.registry) throw rnnlab::Error("analysis 'gradient_alignment' needs the plugin registry");
    const rnnlab::Batch batch = input.make(rnnlab::derive_seed(seed, "batch"));
    // Both gradients in double, whatever the network trains in.
    const rnnlab::Network exact = rnnlab::with_precision(net, rnnlab::Precision::Double);
    const auto a = gradient_of(*input.registry, rule_, rule_params_, exact, batch, seed);
    const auto b = gradient_of(*input.registry, reference_, reference_params_, exact, batch, seed);
    rnnlab::AnalysisResult out = {
        {"W_h", cosine(arma::vectorise(a.W_h), arma::vectorise(b.W_h))},
        {"W_x", cosine(arma::vectorise(a.W_x), arma::vectorise(b.W_x))},
        {"W_out", cosine(arma::vectorise(a.W_out), arma::vectorise(b.W_out))},
    };
    if (net.shape().bias) {
      out.emplace_back("b", cosine(a.b, b.b));
      out.emplace_back("b_out", cosine(a.b_out, b.b_out));
    }
    out.emplace_back("all", cosine(a.theta, b.theta));
    out.emplace_back("norm_ratio", arma::norm(a.theta, 2) / arma::norm(b.theta, 2));
    return out;
  }

 private:
  static rnnlab::ParameterBlocks gradient_of(const rnnlab::Registry& registry, const std::string& name,
                                             const std::map<std::string, rnnlab::Value>& params,
                                             const rnnlab::Network& net, const rnnlab::Batch& batch,
                                             std::uint64_t seed) {
    auto rule = registry.make_rule(name, params);
    rule->begin(net, rnnlab::derive_seed(seed, "rule"));
    rnnlab::Gradient g;
    rule->gradient(net, batch, g);
    return g.params;
  }

  std::string rule_;
  std::map<std::string, rnnlab::Value> rule_params_;
  std::string reference_;
  std::map<std::string, rnnlab::Value> reference_params_;
};

void register_alignment(rnnlab::PluginRegistrar& r) {
  r.add_analysis<GradientAlignment>(
      "gradient_alignment", "cosine similarity of a rule's gradient with a reference rule's, per block",
      {ParamSpec::text("rule", "eprop").means("the rule to compare"),
       ParamSpec::text("rule_params", "").means("its parameters as 'key=value, ...'"),
       ParamSpec::text("reference", "bptt").means("the reference rule"),
       ParamSpec::text("reference_params", "").means("its parameters as 'key=value, ...'")});
}

}  // namespace

RNNLAB_PLUGIN(register_alignment)
