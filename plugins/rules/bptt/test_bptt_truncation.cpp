// Truncated BPTT equals a brute-force reference that drops every path
// through more than k Jacobians.
#include <boost/test/unit_test.hpp>

#include "reference.hpp"
#include "support.hpp"

using namespace rnnlab;

BOOST_AUTO_TEST_SUITE(bptt_truncation)

BOOST_AUTO_TEST_CASE(truncated_bptt_equals_the_brute_force_reference) {
  double worst = 0;
  for (bool bias : {false, true}) {
    const Network net = test::small_network(2, 5, 3, 1.4, 0.3, bias, Activation::Tanh, 21);
    const Batch batch = test::random_batch(2, 3, 3, 9, LossKind::MSE, 8);
    const ref::Pass pass = ref::run(net, batch);
    const arma::mat feedback = net.params().W_out.t();
    for (double k : {1.0, 2.0, 3.0, 5.0}) {
      auto rule = test::builtin().make_rule("bptt", {{"truncation", k}});
      Gradient g;
      rule->gradient(net, batch, g);
      const arma::vec expected = ref::weight_gradients(
          net, pass, batch,
          ref::state_gradients(net, pass, feedback, ref::Jacobian::Full, static_cast<std::size_t>(k)));
      const double err = test::relative_error(g.params.theta, expected);
      worst = std::max(worst, err);
      BOOST_TEST_INFO("k = " << k << ", bias " << bias);
      BOOST_TEST(err <= 1e-12);
    }
    // k = 0 is full BPTT; k ≥ T − 1 reaches every path.
    auto full = test::builtin().make_rule("bptt", {});
    auto long_k = test::builtin().make_rule("bptt", {{"truncation", 50.0}});
    Gradient gf, gk;
    full->gradient(net, batch, gf);
    long_k->gradient(net, batch, gk);
    const arma::vec expected =
        ref::weight_gradients(net, pass, batch, ref::state_gradients(net, pass, feedback, ref::Jacobian::Full));
    BOOST_TEST(test::relative_error(gf.params.theta, expected) <= 1e-12);
    BOOST_TEST(test::relative_error(gk.params.theta, gf.params.theta) <= 1e-13);
  }
  BOOST_TEST_MESSAGE("truncated BPTT vs brute-force reference: worst relative error " << worst);
}

BOOST_AUTO_TEST_CASE(truncation_changes_the_gradient) {
  const Network net = test::small_network(2, 6, 2, 1.5, 0.5, false, Activation::ReLU, 5);
  const Batch batch = test::random_batch(2, 2, 4, 12, LossKind::MSE, 2);
  Gradient g1, g4, full;
  test::builtin().make_rule("bptt", {{"truncation", 1.0}})->gradient(net, batch, g1);
  test::builtin().make_rule("bptt", {{"truncation", 4.0}})->gradient(net, batch, g4);
  test::builtin().make_rule("bptt", {})->gradient(net, batch, full);
  const double e1 = test::relative_error(g1.params.W_h, full.params.W_h);
  const double e4 = test::relative_error(g4.params.W_h, full.params.W_h);
  BOOST_TEST(e1 > 1e-3);
  BOOST_TEST(e4 < e1);  // a longer window is closer to the exact gradient
  // The readout gradient needs no recursion: identical for every k.
  BOOST_TEST(arma::approx_equal(g1.params.W_out, full.params.W_out, "absdiff", 0.0));
}

BOOST_AUTO_TEST_SUITE_END()
