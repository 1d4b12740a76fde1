#include <boost/test/unit_test.hpp>

#include <cmath>
#include <rnnlab/sdk/dynamics.hpp>
#include <rnnlab/sdk/error.hpp>
#include <rnnlab/sdk/traces.hpp>

#include "support.hpp"

using namespace rnnlab;

namespace {

// Eq. 1 written out element by element, independently of forward().
arma::cube hand_forward(const Network& net, const arma::cube& x) {
  const auto& p = net.params();
  const std::size_t N = net.shape().hidden, B = x.n_cols, T = x.n_slices, K = net.shape().outputs;
  auto f = [&](double v) {
    switch (net.activation()) {
      case Activation::ReLU: return v > 0 ? v : 0.0;
      case Activation::Tanh: return std::tanh(v);
      default: return v;
    }
  };
  arma::cube y(K, B, T);
  for (std::size_t b = 0; b < B; ++b) {
    std::vector<double> h(N, 0.0), next(N);
    for (std::size_t t = 0; t < T; ++t) {
      for (std::size_t i = 0; i < N; ++i) {
        double drive = net.shape().bias ? p.b(i) : 0.0;
        for (std::size_t j = 0; j < N; ++j) drive += p.W_h(i, j) * f(h[j]);
        for (std::size_t k = 0; k < x.n_rows; ++k) drive += p.W_x(i, k) * x(k, b, t);
        next[i] = net.alpha() * h[i] + (1 - net.alpha()) * drive;
      }
      h = next;
      for (std::size_t k = 0; k < K; ++k) {
        double out = net.shape().bias ? p.b_out(k) : 0.0;
        for (std::size_t j = 0; j < N; ++j) out += p.W_out(k, j) * f(h[j]);
        y(k, b, t) = out;
      }
    }
  }
  return y;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(dynamics)

BOOST_AUTO_TEST_CASE(forward_equals_a_hand_written_loop) {
  for (auto act : {Activation::ReLU, Activation::Tanh, Activation::Identity}) {
    for (bool bias : {false, true}) {
      Network net = test::small_network(2, 5, 3, 1.3, 0.3, bias, act);
      const Batch batch = test::random_batch(2, 3, 4, 7, LossKind::MSE);
      Trajectory traj;
      forward(net, batch.x, traj);
      const arma::cube expected = hand_forward(net, batch.x);
      BOOST_TEST(arma::approx_equal(traj.yhat, expected, "absdiff", 1e-13));
      BOOST_TEST(arma::accu(arma::abs(traj.h.slice(0))) == 0.0);
    }
  }
}

BOOST_AUTO_TEST_CASE(mse_loss_by_hand) {
  Batch b;
  b.loss = LossKind::MSE;
  b.x.zeros(1, 2, 2);
  b.y.zeros(2, 2, 2);
  b.mask = {{1.0, 0.0}, {0.5, 2.0}};  // mask(b, t)
  arma::cube yhat(2, 2, 2, arma::fill::zeros);
  yhat(0, 0, 0) = 1.0;               // t=0,b=0: ℓ = (1² + 0)/2 = 0.5, weight 1
  yhat(1, 1, 0) = 2.0;               // t=0,b=1: ℓ = 4/2 = 2,        weight 0.5
  yhat(0, 1, 1) = 3.0;               // t=1,b=1: ℓ = 9/2 = 4.5,      weight 2
  yhat(0, 0, 1) = 100.0;             // t=1,b=0: weight 0
  const double expected = (1.0 * 0.5 + 0.5 * 2.0 + 2.0 * 4.5) / 3.5;
  BOOST_TEST(loss(b, yhat) == expected, boost::test_tools::tolerance(1e-15));
}

BOOST_AUTO_TEST_CASE(cross_entropy_loss_by_hand) {
  Batch b;
  b.loss = LossKind::CrossEntropy;
  b.x.zeros(1, 1, 1);
  b.y.zeros(3, 1, 1);
  b.y(2, 0, 0) = 1.0;
  b.mask.ones(1, 1);
  arma::cube yhat(3, 1, 1);
  yhat(0, 0, 0) = 1.0;
  yhat(1, 0, 0) = 2.0;
  yhat(2, 0, 0) = 3.0;
  const double expected = -std::log(std::exp(3.0) / (std::exp(1.0) + std::exp(2.0) + std::exp(3.0)));
  BOOST_TEST(loss(b, yhat) == expected, boost::test_tools::tolerance(1e-14));
  // Large logits do not overflow.
  yhat *= 1000.0;
  BOOST_TEST(std::isfinite(loss(b, yhat)));
}

BOOST_AUTO_TEST_CASE(readout_error_is_the_loss_gradient) {
  for (auto kind : {LossKind::MSE, LossKind::CrossEntropy}) {
    const Batch b = test::random_batch(1, 3, 4, 5, kind);
    arma::cube yhat(3, 4, 5, arma::fill::randn);
    arma::cube delta;
    const double L = loss_and_error(b, yhat, delta);
    BOOST_TEST(L == loss(b, yhat), boost::test_tools::tolerance(1e-15));
    const double h = 1e-6;
    double worst = 0;
    for (arma::uword i = 0; i < yhat.n_elem; ++i) {
      arma::cube up = yhat, down = yhat;
      up[i] += h;
      down[i] -= h;
      const double fd = (loss(b, up) - loss(b, down)) / (2 * h);
      worst = std::max(worst, std::abs(fd - delta[i]));
    }
    BOOST_TEST(worst < 1e-9);
  }
}

BOOST_AUTO_TEST_CASE(an_all_zero_mask_is_an_error) {
  Batch b = test::random_batch(1, 2, 2, 3, LossKind::MSE);
  b.mask.zeros();
  arma::cube yhat(2, 2, 3, arma::fill::zeros);
  BOOST_CHECK_THROW(loss(b, yhat), std::exception);
}

BOOST_AUTO_TEST_CASE(a_feedback_matrix_of_the_wrong_shape_is_named_at_the_call) {
  // B is N × Nout; its transpose is the usual mistake.
  for (auto precision : {Precision::Double, Precision::Single}) {
    const Network net = with_precision(test::small_network(2, 6, 3, 1.0, 0.5, false), precision);
    const Batch batch = test::random_batch(2, 3, 2, 4, LossKind::MSE);
    const arma::mat Bt(3, 6, arma::fill::ones);
    GradientWorkspace ws;
    Gradient g;
    const auto says = [](const Error& e) { return std::string(e.what()) == "feedback must be 6×3, got 3×6"; };
    BOOST_CHECK_EXCEPTION(backprop_gradient(net, batch, &Bt, {}, ws, g), Error, says);
    TraceOptions options;
    options.feedback = &Bt;
    BOOST_CHECK_EXCEPTION(trace_gradient(net, batch, options, ws, g), Error, says);
    RandomFeedback supplied;
    supplied.supply(Bt);
    BOOST_CHECK_EXCEPTION(supplied.begin(net, 1), Error, says);
  }
}

BOOST_AUTO_TEST_CASE(a_supplied_feedback_matrix_is_kept_by_begin) {
  const Network net = test::small_network(2, 6, 3, 1.0, 0.5, false);
  RandomFeedback drawn, supplied;
  drawn.begin(net, 5);
  const arma::mat B = 2.0 * random_feedback(net.shape(), 99);
  supplied.supply(B);
  for (std::uint64_t seed : {1u, 5u}) {
    supplied.begin(net, seed);
    BOOST_TEST(arma::approx_equal(supplied.for_network(net), B, "absdiff", 0.0));
  }
  BOOST_TEST(!arma::approx_equal(drawn.for_network(net), B, "absdiff", 0.0));
  // Checkpoints still restore what state() saved.
  supplied.restore(drawn.state());
  BOOST_TEST(arma::approx_equal(supplied.for_network(net), drawn.for_network(net), "absdiff", 0.0));
}

BOOST_AUTO_TEST_SUITE_END()
