// The contract every registered rule keeps, checked with the same body for
// each: shapes, the network untouched, determinism, finite values, and a
// clear error for a batch it cannot handle.
#include <boost/test/unit_test.hpp>

#include <rnnlab/sdk/error.hpp>

#include "support.hpp"

using namespace rnnlab;

namespace {

Batch romo_batch(std::uint64_t seed) {
  Batch b;
  test::builtin().make_task("romo", {{"batch", 4.0}})->generate(seed, b);
  return b;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(rule_contract)

BOOST_AUTO_TEST_CASE(every_rule_keeps_the_contract) {
  const auto names = test::builtin().names(PluginKind::Rule);
  BOOST_TEST(names.size() >= 3u);
  for (const auto& name : names) {
    BOOST_TEST_CONTEXT("rule " << name) {
      for (bool bias : {false, true}) {
        const Network net = test::small_network(1, 6, 2, 1.2, 0.5, bias, Activation::ReLU, 3);
        const Network before = net;
        const Batch batch = romo_batch(5);
        Gradient g1, g2;
        auto rule = test::builtin().make_rule(name, {});
        rule->begin(net, 42);
        rule->gradient(net, batch, g1);
        BOOST_TEST((g1.params.shape() == net.shape()));
        BOOST_TEST(g1.params.theta.n_elem == net.params().theta.n_elem);
        BOOST_TEST(g1.params.theta.is_finite());
        BOOST_TEST(std::isfinite(g1.loss));
        BOOST_TEST(arma::norm(g1.params.theta) > 0.0);
        BOOST_TEST(arma::approx_equal(net.params().theta, before.params().theta, "absdiff", 0.0));
        // A fresh rule with the same phase seed gives the same bits.
        auto again = test::builtin().make_rule(name, {});
        again->begin(net, 42);
        again->gradient(net, batch, g2);
        BOOST_TEST(arma::approx_equal(g1.params.theta, g2.params.theta, "absdiff", 0.0));
        BOOST_TEST(g1.loss == g2.loss);
        // Calling again reuses buffers and gives the same result.
        rule->gradient(net, batch, g2);
        BOOST_TEST(arma::approx_equal(g1.params.theta, g2.params.theta, "absdiff", 0.0));
      }
      // A network whose sizes do not fit the task is a clear error.
      const Network wrong = test::small_network(3, 6, 2, 1.0, 0.5, false);
      auto rule = test::builtin().make_rule(name, {});
      rule->begin(wrong, 1);
      Gradient g;
      try {
        rule->gradient(wrong, romo_batch(1), g);
        BOOST_FAIL("no error for a size mismatch");
      } catch (const Error& e) {
        BOOST_TEST(std::string(e.what()).find("network has 3 inputs but task 'romo' provides 1") !=
                   std::string::npos);
      }
      // Unknown parameters are rejected with the valid list.
      BOOST_CHECK_THROW(test::builtin().make_rule(name, {{"no_such_parameter", 1.0}}), Error);
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
