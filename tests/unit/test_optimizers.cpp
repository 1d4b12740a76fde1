#include <boost/test/unit_test.hpp>

#include <cmath>

#include "support.hpp"

using namespace rnnlab;

BOOST_AUTO_TEST_SUITE(optimizers)

BOOST_AUTO_TEST_CASE(adam_matches_three_steps_by_hand) {
  auto adam = test::builtin().make_optimizer("adam", {{"lr", 0.1}});
  arma::vec theta = {1.0, -2.0};
  const std::vector<arma::vec> grads = {{0.5, -1.0}, {0.1, 0.2}, {-0.3, 0.4}};
  adam->reset(2);
  // Textbook Adam (Kingma & Ba, Algorithm 1), written independently.
  const double lr = 0.1, b1 = 0.9, b2 = 0.999, eps = 1e-8;
  arma::vec expected = theta, m(2, arma::fill::zeros), v(2, arma::fill::zeros);
  for (std::size_t t = 1; t <= grads.size(); ++t) {
    arma::vec g = grads[t - 1];
    adam->update(theta, g);
    m = b1 * m + (1 - b1) * grads[t - 1];
    v = b2 * v + (1 - b2) * arma::square(grads[t - 1]);
    const arma::vec m_hat = m / (1 - std::pow(b1, t));
    const arma::vec v_hat = v / (1 - std::pow(b2, t));
    expected -= lr * m_hat / (arma::sqrt(v_hat) + eps);
    BOOST_TEST(arma::approx_equal(theta, expected, "reldiff", 1e-13));
  }
  // First step by hand: θ − lr·g/(|g| + ε).
  BOOST_TEST(expected(0) < 1.0);
  arma::vec first = {1.0, -2.0};
  auto fresh = test::builtin().make_optimizer("adam", {{"lr", 0.1}});
  fresh->reset(2);
  arma::vec g = grads[0];
  fresh->update(first, g);
  BOOST_TEST(first(0) == 1.0 - 0.1 * 0.5 / (0.5 + 1e-8), boost::test_tools::tolerance(1e-15));
  BOOST_TEST(first(1) == -2.0 + 0.1 * 1.0 / (1.0 + 1e-8), boost::test_tools::tolerance(1e-15));
}

BOOST_AUTO_TEST_CASE(sgd_with_momentum_by_hand) {
  auto sgd = test::builtin().make_optimizer("sgd", {{"lr", 0.1}, {"momentum", 0.9}});
  sgd->reset(2);
  arma::vec theta = {1.0, 1.0};
  arma::vec g1 = {1.0, -1.0}, g2 = {0.5, 0.5};
  sgd->update(theta, g1);
  BOOST_TEST(theta(0) == 0.9, boost::test_tools::tolerance(1e-15));
  sgd->update(theta, g2);  // buffer = 0.9·g1 + g2 = (1.4, −0.4)
  BOOST_TEST(theta(0) == 0.9 - 0.14, boost::test_tools::tolerance(1e-15));
  BOOST_TEST(theta(1) == 1.1 + 0.04, boost::test_tools::tolerance(1e-15));
}

BOOST_AUTO_TEST_CASE(clip_scales_to_the_global_norm) {
  auto sgd = test::builtin().make_optimizer("sgd", {{"lr", 1.0}, {"clip", 1.0}});
  sgd->reset(2);
  arma::vec theta = {0.0, 0.0}, g = {3.0, 4.0};
  sgd->update(theta, g);
  BOOST_TEST(theta(0) == -0.6, boost::test_tools::tolerance(1e-15));
  BOOST_TEST(theta(1) == -0.8, boost::test_tools::tolerance(1e-15));
  arma::vec small = {0.3, 0.4};  // below the bound: untouched
  sgd->update(theta, small);
  BOOST_TEST(theta(0) == -0.9, boost::test_tools::tolerance(1e-15));
}

BOOST_AUTO_TEST_CASE(reset_forgets_the_moments) {
  auto adam = test::builtin().make_optimizer("adam", {});
  arma::vec a = {1.0}, b = {1.0}, g = {0.7};
  adam->reset(1);
  adam->update(a, g);
  adam->update(a, g);
  adam->reset(1);
  a = {1.0};
  adam->update(a, g);
  auto fresh = test::builtin().make_optimizer("adam", {});
  fresh->reset(1);
  fresh->update(b, g);
  BOOST_TEST(a(0) == b(0));
}

BOOST_AUTO_TEST_SUITE_END()
