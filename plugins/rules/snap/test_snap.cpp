// SnAp-1 is RTRL restricted to each unit's influence on its own incoming
// parameters. It is exact (equal to RTRL) when W_h is diagonal, and it is
// e-prop (leak trace, symmetric feedback) when W_h has a zero diagonal.
#include <boost/test/unit_test.hpp>

#include "support.hpp"

using namespace rnnlab;

namespace {

arma::vec gradient_of(const std::string& rule, std::map<std::string, Value> params, const Network& net,
                      const Batch& batch) {
  auto r = test::builtin().make_rule(rule, params);
  r->begin(net, 1);
  Gradient g;
  r->gradient(net, batch, g);
  return g.params.theta;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(snap)

BOOST_AUTO_TEST_CASE(snap_equals_rtrl_when_the_recurrent_weights_are_diagonal) {
  double worst = 0;
  const auto task = test::builtin().make_task("romo", {{"batch", 3.0}});
  Batch batch;
  task->generate(4, batch);
  for (double alpha : {0.5, 0.0})
    for (bool bias : {false, true})
      for (Activation act : {Activation::ReLU, Activation::Tanh}) {
        Network net = test::small_network(task->info().inputs, 6, task->info().outputs, 1.3, alpha, bias, act, 5);
        net.params().W_h = arma::diagmat(net.params().W_h) + 0.8 * arma::eye(6, 6);  // self-excitation only
        const arma::vec snap = gradient_of("snap", {}, net, batch), rtrl = gradient_of("rtrl", {}, net, batch);
        const double err = test::relative_error(snap, rtrl);
        worst = std::max(worst, err);
        BOOST_TEST_INFO("α = " << alpha << ", bias " << bias);
        BOOST_TEST(err <= 1e-12);
        ParameterBlocks g(net.shape());
        g.theta = snap;
        BOOST_TEST(arma::norm(g.W_h.diag()) > 0.0);
      }
  BOOST_TEST_MESSAGE("snap vs rtrl, diagonal W_h: worst relative error " << worst);
}

BOOST_AUTO_TEST_CASE(snap_is_eprop_when_no_unit_excites_itself) {
  Network net = test::small_network(3, 7, 2, 1.2, 0.5, true, Activation::Tanh, 8);
  net.params().W_h.diag().zeros();
  const Batch batch = test::random_batch(3, 2, 4, 11, LossKind::MSE, 2);
  const arma::vec snap = gradient_of("snap", {}, net, batch);
  const arma::vec eprop = gradient_of("eprop", {}, net, batch);
  BOOST_TEST(test::relative_error(snap, eprop) <= 1e-12);
}

BOOST_AUTO_TEST_CASE(snap_approximates_rtrl_otherwise) {
  const Network net = test::small_network(3, 7, 2, 1.5, 0.5, false, Activation::Tanh, 8);
  const Batch batch = test::random_batch(3, 2, 4, 11, LossKind::MSE, 2);
  ParameterBlocks snap(net.shape()), rtrl(net.shape()), eprop(net.shape());
  snap.theta = gradient_of("snap", {}, net, batch);
  rtrl.theta = gradient_of("rtrl", {}, net, batch);
  eprop.theta = gradient_of("eprop", {}, net, batch);
  const double err = test::relative_error(snap.W_h, rtrl.W_h);
  BOOST_TEST_MESSAGE("snap vs rtrl on W_h, full W_h: relative error " << err << " (e-prop: "
                     << test::relative_error(eprop.W_h, rtrl.W_h) << ")");
  BOOST_TEST(err > 1e-6);  // an approximation: the off-diagonal influence is dropped
  BOOST_TEST(arma::approx_equal(snap.W_out, rtrl.W_out, "absdiff", 0.0));  // the readout is exact
}

BOOST_AUTO_TEST_SUITE_END()
