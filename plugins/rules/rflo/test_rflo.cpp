// RFLO on eq. 1 is e-prop with random feedback (the paper's "equivalent in
// our setting"), and agrees with Murray's per-synapse recursion.
#include <boost/test/unit_test.hpp>

#include <rnnlab/sdk/random.hpp>
#include <rnnlab/sdk/traces.hpp>

#include "reference.hpp"
#include "support.hpp"

using namespace rnnlab;

namespace {

arma::vec gradient_of(const std::string& rule_name, std::map<std::string, Value> params, const Network& net,
                      const Batch& batch, std::uint64_t seed) {
  auto rule = test::builtin().make_rule(rule_name, params);
  rule->begin(net, seed);
  Gradient g;
  rule->gradient(net, batch, g);
  return g.params.theta;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(rflo)

BOOST_AUTO_TEST_CASE(rflo_equals_eprop_with_the_same_random_feedback) {
  for (bool bias : {false, true}) {
    const Network net = test::small_network(3, 7, 2, 1.2, 0.5, bias, Activation::ReLU, 13);
    const Batch batch = test::random_batch(3, 2, 4, 9, LossKind::MSE, 6);
    const arma::vec a = gradient_of("rflo", {}, net, batch, 31);
    const arma::vec b = gradient_of("eprop", {{"feedback", std::string("random")}}, net, batch, 31);
    BOOST_TEST(arma::approx_equal(a, b, "absdiff", 0.0));
  }
}

BOOST_AUTO_TEST_CASE(rflo_equals_murrays_per_synapse_recursion) {
  // Murray (2019), eq. 1 form: per-synapse traces P[i][j] filtered by the
  // membrane leak, updated every step; ΔW_ij = Σ_t ℓ_i[t] P_ij[t+1] with
  // ℓ = f'(h[t+1]) ⊙ B δ[t]. Written out naively, N × N per trial.
  const Network net = test::small_network(2, 5, 2, 1.1, 0.7, false, Activation::Tanh, 23);
  const Batch batch = test::random_batch(2, 2, 3, 8, LossKind::MSE, 12);
  const std::uint64_t seed = 77;
  const arma::mat B = random_feedback(net.shape(), derive_seed(seed, "feedback"));
  const ref::Pass p = ref::run(net, batch);
  const std::size_t N = 5, T = batch.steps();
  const double a = net.alpha();
  arma::mat dW_h(N, N, arma::fill::zeros), dW_x(N, 2, arma::fill::zeros);
  for (std::size_t b = 0; b < batch.size(); ++b) {
    arma::mat P(N, N, arma::fill::zeros), Q(N, 2, arma::fill::zeros);
    for (std::size_t t = 0; t < T; ++t) {
      for (std::size_t i = 0; i < N; ++i) {
        for (std::size_t j = 0; j < N; ++j) P(i, j) = a * P(i, j) + (1 - a) * p.traj.r(j, b, t);
        for (std::size_t k = 0; k < 2; ++k) Q(i, k) = a * Q(i, k) + (1 - a) * batch.x(k, b, t);
      }
      const arma::vec err = B * arma::vec(p.delta.slice(t).col(b));
      for (std::size_t i = 0; i < N; ++i) {
        const double signal = ref::fprime(net.activation(), p.traj.h(i, b, t + 1)) * err(i);
        dW_h.row(i) += signal * P.row(i);
        dW_x.row(i) += signal * Q.row(i);
      }
    }
  }
  ParameterBlocks got(net.shape());
  got.theta = gradient_of("rflo", {}, net, batch, seed);
  BOOST_TEST(test::relative_error(got.W_h, dW_h) <= 1e-12);
  BOOST_TEST(test::relative_error(got.W_x, dW_x) <= 1e-12);
}

BOOST_AUTO_TEST_SUITE_END()
