// The `pca` analysis and the shared maths behind it (rnnlab/sdk/pca.hpp):
// a covariance known exactly, the participation ratio of known spectra,
// masked steps, determinism.
#include <boost/test/unit_test.hpp>

#include <rnnlab/sdk/error.hpp>
#include <rnnlab/sdk/pca.hpp>
#include <rnnlab/sdk/random.hpp>

#include <cmath>

#include "support.hpp"

using namespace rnnlab;

namespace {

AnalysisResult analyse(const Network& net, const Batch& batch, std::map<std::string, Value> params = {},
                       std::uint64_t seed = 3) {
  return test::analyse("pca", net, batch, params, seed);
}

using test::number;
using test::vector;

arma::mat random_matrix(arma::uword r, arma::uword c, std::uint64_t seed) {
  Rng rng(seed);
  arma::mat m(r, c);
  for (double& v : m) v = rng.normal();
  return m;
}

// A random orthogonal D × D matrix.
arma::mat random_rotation(arma::uword D, std::uint64_t seed) {
  arma::mat Q, R;
  arma::qr(Q, R, random_matrix(D, D, seed));
  return Q;
}

double analytic_pr(const arma::vec& lambda) {
  return std::pow(arma::accu(lambda), 2) / arma::accu(arma::square(lambda));
}

// Linear units, α = 0, W_h = 0, no bias: h[t+1] = f(h[t+1]) = W_x x[t].
Network feedforward_network(const arma::mat& W_x) {
  Network net = test::small_network(W_x.n_cols, W_x.n_rows, 1, 1.0, 0.0, false, Activation::Identity);
  net.params().W_h.zeros();
  net.params().W_x = W_x;
  return net;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(pca)

BOOST_AUTO_TEST_CASE(shared_maths_recovers_an_exact_covariance) {
  // Samples whose sample covariance is exactly U diag(λ) Uᵀ: n centred,
  // orthonormal sample vectors (columns of Z), scaled by √(n−1).
  const arma::uword D = 5, n = 40;
  const arma::vec lambda = {4.0, 2.0, 1.0, 0.5, 0.1};
  arma::mat Z = random_matrix(n, D, 11);
  Z.each_row() -= arma::mean(Z, 0);
  arma::mat Q, R;
  arma::qr_econ(Q, R, Z);  // n × D, orthonormal, columns still centred
  const arma::mat U = random_rotation(D, 12);
  const arma::vec offset = {1.0, -2.0, 3.0, 0.5, 0.0};
  arma::mat X = U * arma::diagmat(arma::sqrt(lambda)) * Q.t() * std::sqrt(double(n - 1));
  X.each_col() += offset;

  arma::vec mean, variances;
  arma::mat axes;
  principal_components(X, mean, variances, axes);
  BOOST_TEST(arma::norm(mean - offset) < 1e-12);
  BOOST_TEST(arma::norm(variances - lambda) < 1e-12);
  for (arma::uword j = 0; j < D; ++j)  // each axis is ±U's column j
    BOOST_TEST(std::abs(std::abs(arma::dot(axes.col(j), U.col(j))) - 1.0) < 1e-12);
  BOOST_TEST(arma::norm(axes.t() * axes - arma::eye(D, D), "fro") < 1e-12);
  BOOST_TEST(participation_ratio(variances) == analytic_pr(lambda), boost::test_tools::tolerance(1e-12));
  const arma::mat C = U * arma::diagmat(lambda) * U.t();
  BOOST_TEST(covariance_participation_ratio(C) == analytic_pr(lambda), boost::test_tools::tolerance(1e-12));

  // The projection on the first two axes has variances λ_1, λ_2 and no mean.
  const arma::mat P = project_on_components(X, mean, axes, 2);
  BOOST_TEST_REQUIRE(P.n_rows == 2u);
  BOOST_TEST(arma::norm(arma::mean(P, 1)) < 1e-12);
  BOOST_TEST(arma::var(P.row(0)) == lambda(0), boost::test_tools::tolerance(1e-12));
  BOOST_TEST(arma::var(P.row(1)) == lambda(1), boost::test_tools::tolerance(1e-12));
  BOOST_CHECK_THROW(project_on_components(X, mean, axes, D + 1), Error);
}

BOOST_AUTO_TEST_CASE(participation_ratio_limits) {
  BOOST_TEST(participation_ratio(arma::vec{1, 1, 1, 1}) == 4.0);
  BOOST_TEST(participation_ratio(arma::vec{3, 0, 0}) == 1.0);
  BOOST_TEST(participation_ratio(arma::vec{2, 1}) == 9.0 / 5.0, boost::test_tools::tolerance(1e-15));
  BOOST_TEST(std::isnan(participation_ratio(arma::vec{0, 0})));
  BOOST_TEST(std::isnan(covariance_participation_ratio(arma::mat(3, 3, arma::fill::zeros))));
  arma::vec mean, variances;
  arma::mat axes;
  BOOST_CHECK_THROW(principal_components(arma::mat(3, 0), mean, variances, axes), Error);
}

BOOST_AUTO_TEST_CASE(network_activity_with_a_known_covariance) {
  // f(h) = W_x x with white inputs: population covariance W_x W_xᵀ =
  // U diag(λ) Uᵀ, whose participation ratio is (Σλ)²/Σλ². The analysis'
  // covariance is exactly W_x Ĉ_x W_xᵀ, with Ĉ_x the inputs' sample covariance.
  const arma::uword N = 6;
  const arma::vec lambda = {9.0, 4.0, 1.0, 1.0, 0.25, 0.0};
  const arma::mat W_x = random_rotation(N, 21) * arma::diagmat(arma::sqrt(lambda));
  const Network net = feedforward_network(W_x);
  const Batch batch = test::random_batch(N, 1, 50, 200, LossKind::MSE);
  const auto r = analyse(net, batch, {{"components", 0.0}});

  const arma::cube xc = test::random_batch(N, 1, 50, 200, LossKind::MSE).x;
  const arma::mat x(xc.memptr(), N, 50 * 200);
  const arma::mat Cx = arma::cov(x.t());
  const double exact = covariance_participation_ratio(W_x * Cx * W_x.t());
  const double pr = number(r, "participation_ratio");
  BOOST_TEST_MESSAGE("known covariance: PR " << pr << ", of the sample covariance " << exact << ", population "
                                             << analytic_pr(lambda));
  BOOST_TEST(pr == exact, boost::test_tools::tolerance(1e-10));
  BOOST_TEST(std::abs(pr - analytic_pr(lambda)) < 0.03 * analytic_pr(lambda));
  BOOST_TEST(number(r, "samples") == 50.0 * 200.0);

  const auto ratio = vector(r, "explained_variance_ratio");
  const auto variances = vector(r, "variances");
  BOOST_TEST_REQUIRE(ratio.size() == N);
  for (arma::uword i = 0; i < N; ++i) {
    BOOST_TEST(std::abs(ratio[i] - lambda(i) / arma::accu(lambda)) < 0.02);
    if (i) BOOST_TEST(variances[i] <= variances[i - 1]);
  }
  BOOST_TEST(vector(r, "cumulative_explained_variance").back() == 1.0, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(ratio.back() < 1e-12);  // a direction with no input
  // 90% of Σλ = 15.25: the first two components hold 13/15.25 = 85%, three 92%.
  BOOST_TEST(number(r, "dimensions_90") == 3.0);
  // `components` limits what is reported, not what is computed.
  const auto r2 = analyse(net, batch, {{"components", 2.0}});
  BOOST_TEST(vector(r2, "explained_variance_ratio").size() == 2u);
  BOOST_TEST(number(r2, "participation_ratio") == pr);
}

BOOST_AUTO_TEST_CASE(masked_steps_are_the_scored_ones) {
  const arma::uword N = 4;
  const Network net = feedforward_network(random_matrix(N, N, 31));
  const Batch batch = test::random_batch(N, 1, 10, 30, LossKind::MSE);
  const auto r = analyse(net, batch, {{"steps", std::string("masked")}, {"components", 0.0}});
  // Reference: the inputs of the scored steps, through W_x.
  std::vector<arma::vec> kept;
  for (arma::uword t = 0; t < 30; ++t)
    for (arma::uword b = 0; b < 10; ++b)
      if (batch.mask(b, t) > 0) kept.push_back(net.params().W_x * arma::vec(batch.x.slice(t).col(b)));
  arma::mat X(N, kept.size());
  for (std::size_t j = 0; j < kept.size(); ++j) X.col(j) = kept[j];
  arma::vec mean, variances;
  arma::mat axes;
  principal_components(X, mean, variances, axes);
  BOOST_TEST(number(r, "samples") == static_cast<double>(kept.size()));
  BOOST_TEST(number(r, "samples") < 300.0);
  BOOST_TEST(number(r, "participation_ratio") == participation_ratio(variances), boost::test_tools::tolerance(1e-10));
  const auto v = vector(r, "variances");
  for (arma::uword i = 0; i < N; ++i) BOOST_TEST(v[i] == variances(i), boost::test_tools::tolerance(1e-10));
}

BOOST_AUTO_TEST_CASE(agrees_with_the_weights_analysis_and_is_deterministic) {
  const auto task = test::builtin().make_task("romo", {{"batch", 8.0}});
  const Network net = test::small_network(1, 16, 2, 1.5, 0.5, false, Activation::Tanh);
  AnalysisInput input;
  input.task = task.get();
  auto pca = test::builtin().make_analysis("pca", {});
  const auto a = pca->run(net, input, 5), b = pca->run(net, input, 5), c = pca->run(net, input, 6);
  BOOST_TEST(number(a, "participation_ratio") == number(b, "participation_ratio"));
  BOOST_TEST(number(a, "participation_ratio") != number(c, "participation_ratio"));
  BOOST_TEST(vector(a, "variances").size() == 10u);
  // The same batch through `weights` gives the same participation ratio of f(h).
  Batch batch;
  task->generate(9, batch);
  AnalysisInput fixed;
  fixed.batch = &batch;
  const double w = number(test::builtin().make_analysis("weights", {})->run(net, fixed, 1), "participation_ratio");
  const double p = number(test::builtin().make_analysis("pca", {})->run(net, fixed, 1), "participation_ratio");
  BOOST_TEST_MESSAGE("Romo, tanh N = 16: PR " << p);
  BOOST_TEST(p == w, boost::test_tools::tolerance(1e-10));
  BOOST_TEST(p > 1.0);
}

BOOST_AUTO_TEST_SUITE_END()
