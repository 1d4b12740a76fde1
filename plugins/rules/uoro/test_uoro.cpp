// UORO: Tallec & Ollivier's recursion (checked against a naive explicit
// implementation with the same signs), unbiased for RTRL's gradient (the
// mean over independent draws converges at the 1/√draws rate), and
// deterministic per seed.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cmath>
#include <utility>
#include <rnnlab/sdk/online.hpp>
#include <rnnlab/sdk/parameters.hpp>
#include <rnnlab/sdk/random.hpp>

#include "reference.hpp"
#include "support.hpp"

using namespace rnnlab;

namespace {

arma::vec uoro_draw(const Network& net, const Batch& batch, std::uint64_t seed) {
  auto rule = test::builtin().make_rule("uoro", {});
  rule->begin(net, seed);
  Gradient g;
  rule->gradient(net, batch, g);
  return g.params.theta;
}

arma::vec rtrl_gradient(const Network& net, const Batch& batch) {
  auto rule = test::builtin().make_rule("rtrl", {});
  Gradient g;
  rule->gradient(net, batch, g);
  return g.params.theta;
}

/// The recurrent blocks (W_h, W_x, b) of a gradient vector: the part UORO estimates.
arma::vec recurrent_part(const Network& net, const arma::vec& theta) {
  arma::vec out;
  for (const BlockRange& r : block_ranges(net.shape()))
    if (std::string(r.name) == "W_h" || std::string(r.name) == "W_x" || std::string(r.name) == "b")
      out = arma::join_cols(out, theta.subvec(r.first, r.first + r.count - 1));
  return out;
}

/// Tallec & Ollivier (2017), Algorithm 1, written out per trial with the
/// explicit N × Q matrix θ̃, an explicit Jacobian and the norms taken
/// directly, on the signs the rule draws: the recurrent gradient [W_h W_x b]
/// (N × Q). `scale_range` receives the smallest and largest running
/// product Π_u 1/ρ₀[u] of a trial (the scale that the rule keeps lazily).
arma::mat explicit_uoro(const Network& net, const Batch& batch, std::uint64_t phase,
                        std::pair<double, double>* scale_range = nullptr) {
  const ref::Pass p = ref::run(net, batch);
  const std::size_t N = net.shape().hidden, Nin = net.shape().inputs, Q = N + Nin + (net.shape().bias ? 1 : 0);
  const std::size_t B = batch.x.n_cols, T = batch.x.n_slices, words = (N + 63) / 64;
  const double c = 1 - net.alpha();
  Rng rng(batch_seed(derive_seed(phase, "uoro"), batch));
  std::vector<arma::vec> nu(T * B);  // drawn in the order (t, b), ⌈N/64⌉ words each, bit i = unit i
  for (std::size_t j = 0; j < T * B; ++j) {
    nu[j].set_size(N);
    for (std::size_t k = 0; k < words; ++k) {
      const std::uint64_t w = rng.next();
      for (std::size_t i = 64 * k; i < std::min(N, 64 * (k + 1)); ++i) nu[j](i) = (w >> (i - 64 * k)) & 1 ? 1.0 : -1.0;
    }
  }
  arma::mat grad(N, Q, arma::fill::zeros);
  double low = 1, high = 1;
  for (std::size_t b = 0; b < B; ++b) {
    arma::vec ht(N, arma::fill::zeros);
    arma::mat tt(N, Q, arma::fill::zeros);
    double scale = 1;
    for (std::size_t t = 0; t < T; ++t) {
      arma::vec rt(Q, arma::fill::ones);
      for (std::size_t i = 0; i < N; ++i) rt(i) = p.traj.r(i, b, t);
      for (std::size_t k = 0; k < Nin; ++k) rt(N + k) = batch.x(k, b, t);
      const arma::mat J = ref::jacobian(net, p, t, b, ref::Jacobian::Full);
      const arma::vec Jh = J * ht;
      const arma::vec& v = nu[t * B + b];
      const arma::mat vF = c * v * rt.t();  // νᵀ F as an N × Q matrix
      const double rho0 = arma::norm(Jh) > 0 && arma::norm(tt, "fro") > 0
                              ? std::sqrt(arma::norm(tt, "fro") / arma::norm(Jh)) : 1.0;
      const double rho1 = arma::norm(vF, "fro") > 0 ? std::sqrt(arma::norm(vF, "fro") / arma::norm(v)) : 1.0;
      ht = rho0 * Jh + rho1 * v;
      tt = tt / rho0 + vF / rho1;
      scale /= rho0;
      low = std::min(low, scale);
      high = std::max(high, scale);
      arma::vec e = net.params().W_out.t() * arma::vec(p.delta.slice(t).col(b));
      for (std::size_t i = 0; i < N; ++i) e(i) *= ref::fprime(net.activation(), p.traj.h(i, b, t + 1));
      grad += arma::dot(e, ht) * tt;
    }
  }
  if (scale_range) *scale_range = {low, high};
  return grad;
}

/// The rule's recurrent gradient against explicit_uoro's, block by block.
void check_against_explicit(const Network& net, const Batch& batch, std::uint64_t phase, const arma::mat& expected) {
  const std::size_t N = net.shape().hidden, Nin = net.shape().inputs;
  ParameterBlocks got(net.shape());
  got.theta = uoro_draw(net, batch, phase);
  BOOST_TEST(arma::norm(expected, "fro") > 0.0);
  BOOST_TEST(test::relative_error(got.W_h, expected.cols(0, N - 1)) <= 1e-10);
  BOOST_TEST(test::relative_error(got.W_x, expected.cols(N, N + Nin - 1)) <= 1e-10);
  if (net.shape().bias) BOOST_TEST(test::relative_error(got.b, expected.col(N + Nin)) <= 1e-10);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(uoro)

BOOST_AUTO_TEST_CASE(uoro_is_the_explicit_recursion_with_the_same_signs) {
  // T = 9 (one block of the Gram matrices) and T = 75 (three, the last
  // one partial), with and without biases.
  for (std::size_t T : {9, 75})
    for (bool bias : {false, true}) {
      const Network net = test::small_network(2, 5, 2, 1.3, 0.4, bias, Activation::Tanh, 6);
      const Batch batch = test::random_batch(2, 2, 3, T, LossKind::MSE, 5);
      BOOST_TEST_INFO("T = " << T << ", bias " << bias);
      check_against_explicit(net, batch, 42, explicit_uoro(net, batch, 42));
    }
}

BOOST_AUTO_TEST_CASE(uoro_with_more_than_64_units_draws_two_words_of_signs_per_step) {
  const Network net = test::small_network(2, 70, 2, 1.1, 0.3, true, Activation::ReLU, 4);
  const Batch batch = test::random_batch(2, 2, 2, 12, LossKind::MSE, 6);
  check_against_explicit(net, batch, 5, explicit_uoro(net, batch, 5));
}

BOOST_AUTO_TEST_CASE(the_lazy_scale_of_theta_is_renormalised_on_long_runs) {
  // A strongly contracting network (gain 0.05, α = 0) makes ρ₀ large at
  // every step, so the running product Π 1/ρ₀ that the rule keeps as one
  // number per trial leaves [1e-15, 1e15] and is folded back into the
  // weights of θ̃ (several times over 150 steps): the gradient is still
  // the explicit recursion's.
  const Network net = test::small_network(2, 6, 2, 0.05, 0.0, true, Activation::Tanh, 11);
  const Batch batch = test::random_batch(2, 2, 2, 150, LossKind::MSE, 12);
  std::pair<double, double> range;
  const arma::mat expected = explicit_uoro(net, batch, 3, &range);
  BOOST_TEST_MESSAGE("uoro: Π 1/ρ₀ over 150 steps ranges over [" << range.first << ", " << range.second << "]");
  BOOST_TEST((range.first < 1e-30 || range.second > 1e30));  // at least two renormalisations
  check_against_explicit(net, batch, 3, expected);
}

BOOST_AUTO_TEST_CASE(uoro_in_single_precision_agrees_with_double) {
  // The same signs in both precisions: the estimates differ by rounding
  // only. N = 12, and N = 130, where single precision multiplies by W_h
  // through the framework's packed kernels instead of BLAS.
  for (std::size_t N : {12, 130}) {
    const Network net = test::small_network(3, N, 2, 1.2, 0.5, true, Activation::ReLU, 13);
    const Batch batch = test::random_batch(3, 2, 4, 60, LossKind::MSE, 14);
    const arma::vec exact = recurrent_part(net, uoro_draw(net, batch, 9));
    const arma::vec single = recurrent_part(net, uoro_draw(with_precision(net, Precision::Single), batch, 9));
    const double err = test::relative_error(single, exact);
    BOOST_TEST_MESSAGE("uoro in single vs double precision, N = " << N << ": relative error " << err);
    BOOST_TEST_INFO("N = " << N);
    BOOST_TEST(err <= 1e-4);
    BOOST_TEST(err > 0.0);  // the pass really ran in float
  }
}

BOOST_AUTO_TEST_CASE(the_mean_over_draws_converges_to_rtrl_like_one_over_root_draws) {
  const Network net = test::small_network(2, 4, 2, 1.2, 0.5, true, Activation::Tanh, 3);
  const Batch batch = test::random_batch(2, 2, 2, 6, LossKind::MSE, 4);
  const arma::vec exact = recurrent_part(net, rtrl_gradient(net, batch));
  // Two independent sets of draws (phase seeds 1 … K1 and K1+1 … K1+K2).
  const std::size_t K1 = 200, K2 = 3200;
  arma::vec mean1(exact.n_elem, arma::fill::zeros), mean2(exact.n_elem, arma::fill::zeros);
  double spread = 0;  // Σ_k ‖g_k − exact‖² over the second set: K2·tr Σ
  for (std::size_t k = 0; k < K1 + K2; ++k) {
    const arma::vec g = recurrent_part(net, uoro_draw(net, batch, 1 + k));
    if (k < K1) {
      mean1 += g / double(K1);
    } else {
      mean2 += g / double(K2);
      spread += std::pow(arma::norm(g - exact), 2);
    }
  }
  const double trace = spread / double(K2);  // tr Σ (the estimator's variance around RTRL)
  const double err1 = arma::norm(mean1 - exact), err2 = arma::norm(mean2 - exact);
  // E‖mean_K − exact‖² = tr Σ / K for an unbiased estimator: the error
  // relative to that prediction is O(1) at both counts, and 16× the draws
  // cut the error about 4×.
  const double z1 = err1 * err1 / (trace / double(K1)), z2 = err2 * err2 / (trace / double(K2));
  BOOST_TEST_MESSAGE("uoro: ‖mean − rtrl‖ = " << err1 << " (" << K1 << " draws), " << err2 << " (" << K2
                                             << " draws), ratio " << err1 / err2 << " (√16 = 4); error² / (tr Σ / K) = "
                                             << z1 << ", " << z2 << "; ‖rtrl‖ = " << arma::norm(exact));
  BOOST_TEST(z1 <= 5.0);
  BOOST_TEST(z2 <= 5.0);
  BOOST_TEST(z1 >= 0.05);
  BOOST_TEST(z2 >= 0.05);
  BOOST_TEST(err1 / err2 >= 2.0);
  BOOST_TEST(err1 / err2 <= 8.0);
  BOOST_TEST(err2 < 0.1 * arma::norm(exact));
}

BOOST_AUTO_TEST_CASE(the_same_seed_gives_the_same_bits_and_another_seed_other_signs) {
  const Network net = test::small_network(3, 6, 2, 1.0, 0.5, false, Activation::ReLU, 8);
  const Batch batch = test::random_batch(3, 2, 4, 10, LossKind::MSE, 9);
  const arma::vec a = uoro_draw(net, batch, 7), b = uoro_draw(net, batch, 7), c = uoro_draw(net, batch, 8);
  BOOST_TEST(arma::approx_equal(a, b, "absdiff", 0.0));
  BOOST_TEST(arma::norm(a - c) > 1e-6 * arma::norm(a));
  // Another batch draws other signs under the same phase seed.
  const Batch other = test::random_batch(3, 2, 4, 10, LossKind::MSE, 10);
  BOOST_TEST(batch_seed(7, batch) != batch_seed(7, other));
  BOOST_TEST(batch_seed(7, batch) == batch_seed(7, batch));
  // The readout gradient is exact: RTRL's, bit for bit.
  const arma::vec exact = rtrl_gradient(net, batch);
  const BlockRange out = block_ranges(net.shape())[2];
  BOOST_TEST(std::string(out.name) == "W_out");
  BOOST_TEST(arma::approx_equal(a.subvec(out.first, out.first + out.count - 1),
                                exact.subvec(out.first, out.first + out.count - 1), "absdiff", 0.0));
}

BOOST_AUTO_TEST_SUITE_END()
