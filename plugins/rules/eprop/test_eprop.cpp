// e-prop equals BPTT with the state Jacobian cut to its leak part (trace =
// leak) or to nothing (trace = none).
#include <boost/test/unit_test.hpp>

#include <rnnlab/sdk/random.hpp>
#include <rnnlab/sdk/traces.hpp>

#include "reference.hpp"
#include "support.hpp"

using namespace rnnlab;

namespace {

arma::vec eprop_gradient(const Network& net, const Batch& batch, std::map<std::string, Value> params,
                         std::uint64_t seed = 4) {
  auto rule = test::builtin().make_rule("eprop", params);
  rule->begin(net, seed);
  Gradient g;
  rule->gradient(net, batch, g);
  return g.params.theta;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(eprop)

BOOST_AUTO_TEST_CASE(leak_trace_equals_bptt_with_the_leak_jacobian) {
  double worst = 0;
  for (auto act : {Activation::ReLU, Activation::Tanh})
    for (bool bias : {false, true})
      for (auto kind : {LossKind::MSE, LossKind::CrossEntropy}) {
        const Network net = test::small_network(3, 6, 3, 1.3, 0.6, bias, act, 17);
        const Batch batch = test::random_batch(3, 3, 3, 10, kind, 9);
        const ref::Pass pass = ref::run(net, batch);
        const arma::vec expected = ref::weight_gradients(
            net, pass, batch, ref::state_gradients(net, pass, net.params().W_out.t(), ref::Jacobian::LeakOnly));
        const double err = test::relative_error(eprop_gradient(net, batch, {}), expected);
        worst = std::max(worst, err);
        BOOST_TEST(err <= 1e-10);
      }
  BOOST_TEST_MESSAGE("e-prop (leak trace) vs leak-Jacobian BPTT: worst relative error " << worst);
}

BOOST_AUTO_TEST_CASE(no_trace_equals_bptt_with_a_zero_jacobian) {
  const Network net = test::small_network(2, 5, 2, 1.0, 0.4, true, Activation::Tanh, 3);
  const Batch batch = test::random_batch(2, 2, 3, 8, LossKind::MSE, 1);
  const ref::Pass pass = ref::run(net, batch);
  const arma::vec expected = ref::weight_gradients(
      net, pass, batch, ref::state_gradients(net, pass, net.params().W_out.t(), ref::Jacobian::Zero));
  const double err = test::relative_error(eprop_gradient(net, batch, {{"trace", std::string("none")}}), expected);
  BOOST_TEST_MESSAGE("e-prop (no trace) vs zero-Jacobian BPTT: relative error " << err);
  BOOST_TEST(err <= 1e-10);
}

BOOST_AUTO_TEST_CASE(random_feedback_uses_the_phase_matrix) {
  const Network net = test::small_network(2, 5, 3, 1.0, 0.5, false, Activation::ReLU, 8);
  const Batch batch = test::random_batch(2, 3, 2, 7, LossKind::MSE, 4);
  const std::uint64_t seed = 99;
  const arma::mat B = random_feedback(net.shape(), derive_seed(seed, "feedback"));
  const ref::Pass pass = ref::run(net, batch);
  const arma::vec expected =
      ref::weight_gradients(net, pass, batch, ref::state_gradients(net, pass, B, ref::Jacobian::LeakOnly));
  const arma::vec got = eprop_gradient(net, batch, {{"feedback", std::string("random")}}, seed);
  BOOST_TEST(test::relative_error(got, expected) <= 1e-10);
  // Another phase seed draws another matrix.
  const arma::vec other = eprop_gradient(net, batch, {{"feedback", std::string("random")}}, seed + 1);
  BOOST_TEST(test::relative_error(other, got) > 1e-3);
}

BOOST_AUTO_TEST_CASE(traces_coincide_when_alpha_is_zero) {
  const Network net = test::small_network(2, 5, 2, 1.0, 0.0, false, Activation::ReLU, 2);
  const Batch batch = test::random_batch(2, 2, 3, 6, LossKind::CrossEntropy, 5);
  BOOST_TEST(test::relative_error(eprop_gradient(net, batch, {}),
                                  eprop_gradient(net, batch, {{"trace", std::string("none")}})) == 0.0);
}

BOOST_AUTO_TEST_CASE(train_selects_blocks) {
  const Network net = test::small_network(2, 4, 2, 1.0, 0.5, true);
  const Batch batch = test::random_batch(2, 2, 2, 5, LossKind::MSE);
  ParameterBlocks g(net.shape());
  g.theta = eprop_gradient(net, batch, {{"train", std::string("W_out, b_out")}});
  BOOST_TEST(arma::norm(g.W_h) == 0.0);
  BOOST_TEST(arma::norm(g.W_x) == 0.0);
  BOOST_TEST(arma::norm(g.b) == 0.0);
  BOOST_TEST(arma::norm(g.W_out) > 0.0);
  BOOST_CHECK_THROW(test::builtin().make_rule("eprop", {{"train", std::string("W_in")}}), std::exception);
}

BOOST_AUTO_TEST_SUITE_END()
