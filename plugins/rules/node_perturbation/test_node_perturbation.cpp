// Node perturbation follows the gradient on average: its updates, averaged
// over independent noise draws, point along BPTT's exact gradient.
#include <boost/test/unit_test.hpp>

#include <cmath>

#include "support.hpp"

using namespace rnnlab;

namespace {

Gradient draw(const Network& net, const Batch& batch, std::uint64_t seed, double sigma = 0.01) {
  auto rule = test::builtin().make_rule("node_perturbation", {{"sigma", sigma}});
  rule->begin(net, seed);
  Gradient g;
  rule->gradient(net, batch, g);
  return g;
}

double cosine(const arma::vec& a, const arma::vec& b) { return arma::dot(a, b) / (arma::norm(a) * arma::norm(b)); }

}  // namespace

BOOST_AUTO_TEST_SUITE(node_perturbation)

BOOST_AUTO_TEST_CASE(the_expected_update_is_aligned_with_the_gradient) {
  for (bool bias : {false, true}) {
    const Network net = test::small_network(2, 5, 2, 1.2, 0.5, bias, Activation::Tanh, 12);
    const Batch batch = test::random_batch(2, 2, 3, 8, LossKind::MSE, 13);
    auto bptt = test::builtin().make_rule("bptt", {});
    Gradient exact;
    bptt->gradient(net, batch, exact);
    const std::size_t K = 4000;
    arma::vec mean(exact.params.theta.n_elem, arma::fill::zeros);
    double sum = 0, sum2 = 0;
    for (std::size_t k = 0; k < K; ++k) {
      const Gradient g = draw(net, batch, 100 + k);
      BOOST_REQUIRE(g.loss == exact.loss);  // the baseline pass reports the noiseless loss
      const double c = cosine(g.params.theta, exact.params.theta);
      sum += c;
      sum2 += c * c;
      mean += g.params.theta / double(K);
    }
    const double per_draw = sum / K, se = std::sqrt((sum2 / K - per_draw * per_draw) / K);
    const double of_mean = cosine(mean, exact.params.theta);
    BOOST_TEST_MESSAGE("node perturbation (bias " << bias << "): mean cosine per draw " << per_draw << " ± " << se
                                                  << " (s.e.), cosine of the mean of " << K << " draws " << of_mean);
    BOOST_TEST(per_draw > 5 * se);  // positive, far beyond its standard error
    BOOST_TEST(of_mean > 0.8);
  }
}

BOOST_AUTO_TEST_CASE(the_update_depends_on_the_seed_and_scales_with_the_loss_change) {
  const Network net = test::small_network(2, 5, 2, 1.0, 0.5, false, Activation::ReLU, 2);
  const Batch batch = test::random_batch(2, 2, 3, 8, LossKind::MSE, 3);
  const Gradient a = draw(net, batch, 1), b = draw(net, batch, 1), c = draw(net, batch, 2);
  BOOST_TEST(arma::approx_equal(a.params.theta, b.params.theta, "absdiff", 0.0));
  BOOST_TEST(arma::norm(a.params.theta - c.params.theta) > 0.0);
  // Small noise: the estimate is (∇L·ξ) ξ to first order, so its size does
  // not depend on σ (it would grow like 1/σ if the baseline were wrong).
  const double small = arma::norm(draw(net, batch, 5, 1e-4).params.theta);
  const double smaller = arma::norm(draw(net, batch, 5, 1e-6).params.theta);
  BOOST_TEST(std::abs(small / smaller - 1) < 1e-2);
}

BOOST_AUTO_TEST_SUITE_END()
