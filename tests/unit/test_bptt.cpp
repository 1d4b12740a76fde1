// BPTT equals central finite differences of the loss for every parameter
// block, in double precision.
#include <boost/test/unit_test.hpp>

#include <rnnlab/sdk/dynamics.hpp>

#include "support.hpp"

using namespace rnnlab;

namespace {

double loss_at(const Network& net, const Batch& batch) {
  Trajectory traj;
  forward(net, batch.x, traj);
  return loss(batch, traj.yhat);
}

// Central differences for every parameter, block by block.
arma::vec finite_differences(const Network& net, const Batch& batch, double h) {
  Network probe = net;
  arma::vec fd(net.params().theta.n_elem);
  for (arma::uword i = 0; i < fd.n_elem; ++i) {
    const double keep = probe.params().theta(i);
    probe.params().theta(i) = keep + h;
    const double up = loss_at(probe, batch);
    probe.params().theta(i) = keep - h;
    const double down = loss_at(probe, batch);
    probe.params().theta(i) = keep;
    fd(i) = (up - down) / (2 * h);
  }
  return fd;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(bptt)

BOOST_AUTO_TEST_CASE(bptt_equals_finite_differences) {
  double worst = 0;
  for (double gain : {0.5, 1.5}) {
    for (auto kind : {LossKind::MSE, LossKind::CrossEntropy}) {
      for (bool bias : {false, true}) {
        for (auto act : {Activation::ReLU, Activation::Tanh}) {
          const Network net = test::small_network(3, 8, 3, gain, 0.4, bias, act, 11);
          const Batch batch = test::random_batch(3, 3, 3, 12, kind, 5);
          GradientWorkspace ws;
          Gradient grad;
          backprop_gradient(net, batch, nullptr, {}, ws, grad);
          BOOST_TEST(grad.loss == loss_at(net, batch), boost::test_tools::tolerance(1e-14));
          const arma::vec fd = finite_differences(net, batch, 1e-6);
          for (const auto& blk : block_ranges(net.shape())) {
            const arma::vec exact = grad.params.theta.subvec(blk.first, blk.first + blk.count - 1);
            const arma::vec approx = fd.subvec(blk.first, blk.first + blk.count - 1);
            const double err = test::relative_error(exact, approx);
            worst = std::max(worst, err);
            BOOST_TEST_INFO("gain " << gain << " loss " << to_string(kind) << " bias " << bias << " act "
                                    << to_string(act) << " block " << blk.name);
            BOOST_TEST(err <= 1e-6);
          }
        }
      }
    }
  }
  BOOST_TEST_MESSAGE("BPTT vs central differences: worst relative error per block " << worst);
}

BOOST_AUTO_TEST_CASE(the_bptt_plugin_computes_the_framework_gradient) {
  const Network net = test::small_network(2, 6, 2, 1.0, 0.5, false);
  const Batch batch = test::random_batch(2, 2, 4, 9, LossKind::MSE);
  auto rule = test::builtin().make_rule("bptt", {});
  Gradient from_plugin, direct;
  rule->begin(net, 1);
  rule->gradient(net, batch, from_plugin);
  GradientWorkspace ws;
  backprop_gradient(net, batch, nullptr, {}, ws, direct);
  BOOST_TEST(arma::approx_equal(from_plugin.params.theta, direct.params.theta, "absdiff", 0.0));
  // The rule must not change the network.
  const Network before = net;
  rule->gradient(net, batch, from_plugin);
  BOOST_TEST(arma::approx_equal(before.params().theta, net.params().theta, "absdiff", 0.0));
}

BOOST_AUTO_TEST_CASE(alpha_zero_and_close_to_one) {
  for (double alpha : {0.0, 0.9}) {
    const Network net = test::small_network(2, 5, 2, 1.2, alpha, true, Activation::Tanh);
    const Batch batch = test::random_batch(2, 2, 2, 8, LossKind::MSE);
    GradientWorkspace ws;
    Gradient grad;
    backprop_gradient(net, batch, nullptr, {}, ws, grad);
    BOOST_TEST(test::relative_error(grad.params.theta, finite_differences(net, batch, 1e-6)) <= 1e-7);
  }
}

BOOST_AUTO_TEST_SUITE_END()
