// Alignment of e-prop with BPTT: exact at gain 0, falling as gain grows.
#include <boost/test/unit_test.hpp>

#include "support.hpp"

using namespace rnnlab;

namespace {

double value(const AnalysisResult& r, const std::string& key) { return test::number(r, key); }

AnalysisResult align(double gain, std::uint64_t seed, const std::string& rule_params = "") {
  NetworkConfig c;
  c.shape = {1, 32, 2, false};
  c.alpha = 0.5;
  c.gain = gain;
  c.seed = seed;
  const Network net(c);
  auto task = test::builtin().make_task("romo", {{"batch", 16.0}});
  auto analysis = test::builtin().make_analysis("gradient_alignment", {{"rule_params", rule_params}});
  AnalysisInput input;
  input.task = task.get();
  input.registry = &test::builtin();
  return analysis->run(net, input, seed);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(gradient_alignment)

BOOST_AUTO_TEST_CASE(exact_at_gain_zero) {
  const auto r = align(0.0, 1);
  BOOST_TEST(value(r, "all") == 1.0, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(value(r, "W_h") == 1.0, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(value(r, "norm_ratio") == 1.0, boost::test_tools::tolerance(1e-12));
}

BOOST_AUTO_TEST_CASE(the_readout_gradient_is_always_exact) {
  for (double gain : {0.5, 1.5, 3.0}) BOOST_TEST(value(align(gain, 2), "W_out") == 1.0, boost::test_tools::tolerance(1e-12));
}

BOOST_AUTO_TEST_CASE(alignment_falls_as_gain_grows) {
  std::vector<double> mean;
  for (double gain : {0.0, 0.5, 1.0, 2.0}) {
    double sum = 0;
    for (std::uint64_t seed = 1; seed <= 4; ++seed) sum += value(align(gain, seed), "W_h");
    mean.push_back(sum / 4);
    BOOST_TEST_MESSAGE("gain " << gain << ": mean cos(e-prop, BPTT) on W_h = " << mean.back());
  }
  for (std::size_t i = 1; i < mean.size(); ++i) BOOST_TEST(mean[i] < mean[i - 1]);
}

BOOST_AUTO_TEST_CASE(rule_parameters_pass_through) {
  const auto leak = align(1.0, 3), none = align(1.0, 3, "trace = none");
  BOOST_TEST(value(leak, "W_h") != value(none, "W_h"));
  BOOST_CHECK_THROW(align(1.0, 3, "trace = sideways"), std::exception);
}

BOOST_AUTO_TEST_SUITE_END()
