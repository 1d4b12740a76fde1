// Lyapunov exponents: the QR step and its derivative, the model Jacobian,
// and the `lyapunov` analysis against exact results (linear networks, pure
// leak, the volume identity), convergence and determinism.
#include <boost/test/unit_test.hpp>

#include <rnnlab/sdk/error.hpp>
#include <rnnlab/sdk/lyapunov.hpp>
#include <rnnlab/sdk/random.hpp>

#include <cmath>

#include "support.hpp"

using namespace rnnlab;

namespace {

arma::mat random_matrix(std::size_t r, std::size_t c, std::uint64_t seed) {
  Rng rng(seed);
  arma::mat M(r, c);
  for (double& v : M) v = rng.normal();
  return M;
}

using test::number;

using test::vector;

AnalysisResult analyse_input(const Network& net, const AnalysisInput& input, std::map<std::string, Value> params,
                             std::uint64_t seed) {
  return test::builtin().make_analysis("lyapunov", params)->run(net, input, seed);
}

AnalysisResult analyse(const Network& net, const Batch& batch, std::map<std::string, Value> params,
                       std::uint64_t seed = 11) {
  return analyse_input(net, AnalysisInput{nullptr, &batch, nullptr}, params, seed);
}

AnalysisResult analyse_task(const Network& net, const Task& task, std::map<std::string, Value> params,
                            std::uint64_t seed = 11) {
  return analyse_input(net, AnalysisInput{&task, nullptr, nullptr}, params, seed);
}

// A network whose Jacobian is the constant symmetric matrix with
// eigenvalues `jac_eigs` (identity activation, zero input, no bias).
Network linear_network(const arma::vec& jac_eigs, double alpha) {
  const std::size_t N = jac_eigs.n_elem;
  Network net = test::small_network(1, N, 1, 1.0, alpha, false, Activation::Identity);
  const arma::mat V = random_orthonormal(N, N, 5);
  const arma::mat J = V * arma::diagmat(jac_eigs) * V.t();
  net.params().W_h = (J - alpha * arma::eye(N, N)) / (1.0 - alpha);
  return net;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(lyapunov)

BOOST_AUTO_TEST_CASE(qr_positive_is_a_valid_factorisation) {
  const arma::mat M = random_matrix(7, 4, 1);
  arma::mat Q, R;
  qr_positive(M, Q, R);
  BOOST_TEST(Q.n_rows == 7u);
  BOOST_TEST(Q.n_cols == 4u);
  BOOST_TEST(test::relative_error(Q * R, M) < 1e-14);
  BOOST_TEST(test::relative_error(Q.t() * Q, arma::eye(4, 4)) < 1e-14);
  BOOST_TEST(arma::norm(arma::trimatl(R, -1), "fro") == 0.0);
  BOOST_TEST(R.diag().min() > 0.0);
}

BOOST_AUTO_TEST_CASE(one_vector_qr_is_its_normalisation) {
  // k = 1 skips LAPACK: Q = m/‖m‖, R = ‖m‖; a zero vector gives what
  // LAPACK's Householder QR gives (R = 0, Q = e_1), so its exponent is −inf.
  const arma::mat m = random_matrix(7, 1, 2);
  arma::mat Q, R;
  qr_positive(m, Q, R);
  BOOST_TEST(std::abs(R(0, 0) - arma::norm(m)) < 1e-14 * arma::norm(m));
  BOOST_TEST(test::relative_error(Q, m / arma::norm(m)) < 1e-15);
  qr_positive(arma::mat(7, 1, arma::fill::zeros), Q, R);
  BOOST_TEST(R(0, 0) == 0.0);
  arma::mat e1(7, 1, arma::fill::zeros);
  e1(0, 0) = 1.0;
  BOOST_TEST(arma::approx_equal(Q, e1, "absdiff", 0.0));
}

BOOST_AUTO_TEST_CASE(qr_backward_equals_finite_differences) {
  // L(M) = ⟨A, Q(M)⟩ + ⟨C, R(M)⟩ for fixed A and upper triangular C.
  for (std::size_t k : {1u, 3u, 5u}) {
    const arma::mat M = random_matrix(5, k, 2 + k);
    const arma::mat A = random_matrix(5, k, 20 + k);
    const arma::mat C = arma::trimatu(random_matrix(k, k, 40 + k));
    auto L = [&](const arma::mat& X) {
      arma::mat Q, R;
      qr_positive(X, Q, R);
      return arma::accu(A % Q) + arma::accu(C % R);
    };
    arma::mat Q, R, M_bar;
    qr_positive(M, Q, R);
    qr_positive_backward(Q, R, A, C, M_bar);
    arma::mat fd(arma::size(M));
    const double eps = 1e-6;
    for (arma::uword i = 0; i < M.n_elem; ++i) {
      arma::mat P = M, Mm = M;
      P[i] += eps;
      Mm[i] -= eps;
      fd[i] = (L(P) - L(Mm)) / (2 * eps);
    }
    const double err = test::relative_error(M_bar, fd);
    BOOST_TEST_MESSAGE("qr backward k=" << k << " relative error " << err);
    BOOST_TEST(err < 1e-8);
  }
}

BOOST_AUTO_TEST_CASE(jacobian_products_match_the_explicit_jacobian) {
  const std::size_t N = 6, B = 3, k = 2;
  const arma::mat W = random_matrix(N, N, 3), Q = random_matrix(N, k * B, 4);
  arma::mat d = arma::abs(random_matrix(N, B, 5));
  d(0, 1) = 0.0;
  const double alpha = 0.7;
  arma::mat JQ, JtQ;
  jacobian_apply(W, alpha, d, Q, JQ);
  jacobian_transpose_apply(W, alpha, d, Q, JtQ);
  for (std::size_t b = 0; b < B; ++b) {
    const arma::mat J = jacobian(W, alpha, d.col(b));
    BOOST_TEST(test::relative_error(J * Q.cols(b * k, b * k + k - 1), JQ.cols(b * k, b * k + k - 1)) < 1e-14);
    BOOST_TEST(test::relative_error(J.t() * Q.cols(b * k, b * k + k - 1), JtQ.cols(b * k, b * k + k - 1)) < 1e-14);
  }
}

BOOST_AUTO_TEST_CASE(linear_network_gives_log_moduli_of_the_jacobian_eigenvalues) {
  const arma::vec eigs = {1.05, -0.95, 0.8, 0.6, -0.4, 0.2};  // Jacobian eigenvalues, distinct moduli
  const Network net = linear_network(eigs, 0.5);
  const Batch batch = test::random_batch(1, 1, 2, 5, LossKind::MSE);
  const auto r = analyse(net, batch, {{"exponents", 0.0}, {"input", std::string("zero")}, {"steps", 4000.0},
                                      {"trials", 2.0}});
  const arma::vec expected = arma::sort(arma::log(arma::abs(eigs)), "descend");
  const auto spectrum = vector(r, "spectrum");
  BOOST_TEST_REQUIRE(spectrum.size() == 6u);
  double worst = 0;
  for (std::size_t i = 0; i < 6; ++i) worst = std::max(worst, std::abs(spectrum[i] - expected(i)));
  BOOST_TEST_MESSAGE("linear network: worst |λ − log|μ|| = " << worst);
  BOOST_TEST(worst < 2e-3);
  BOOST_TEST(number(r, "max") == spectrum[0]);
}

BOOST_AUTO_TEST_CASE(convergence_as_steps_grow) {
  // Without warm-up the transient's total contribution is fixed, so the
  // error of a linear network falls as 1/S.
  const arma::vec eigs = {1.02, 0.9, -0.7, 0.5};
  const Network lin = linear_network(eigs, 0.3);
  const Batch batch = test::random_batch(1, 1, 2, 5, LossKind::MSE);
  const arma::vec expected = arma::sort(arma::log(arma::abs(eigs)), "descend");
  std::vector<double> errors;
  for (double steps : {100.0, 1000.0, 10000.0}) {
    const auto s = vector(analyse(lin, batch, {{"exponents", 3.0}, {"input", std::string("zero")},
                                               {"steps", steps}, {"warmup", 0.0}, {"trials", 1.0}}),
                          "spectrum");
    double e = 0;
    for (std::size_t i = 0; i < 3; ++i) e = std::max(e, std::abs(s[i] - expected(i)));
    BOOST_TEST_MESSAGE("linear, no warm-up, steps " << steps << ": worst error " << e);
    errors.push_back(e);
  }
  BOOST_TEST(errors[1] < errors[0] / 5);
  BOOST_TEST(errors[2] < errors[1] / 5);

  // A strongly coupled tanh network: the spread over trials falls with S.
  const Network chaotic = test::small_network(1, 16, 2, 3.0, 0.5, false, Activation::Tanh);
  std::vector<double> spread;
  for (double steps : {250.0, 2500.0, 25000.0}) {
    const auto r = analyse(chaotic, batch, {{"exponents", 2.0}, {"input", std::string("zero")},
                                            {"steps", steps}, {"trials", 6.0}});
    BOOST_TEST_MESSAGE("chaotic, steps " << steps << ": max " << number(r, "max") << " ± " << number(r, "max_std"));
    spread.push_back(number(r, "max_std"));
  }
  BOOST_TEST(spread[1] < spread[0] / 1.8);
  BOOST_TEST(spread[2] < spread[1] / 1.8);
}

BOOST_AUTO_TEST_CASE(pure_leak_gives_log_alpha_for_every_exponent) {
  const Batch batch = test::random_batch(3, 2, 4, 30, LossKind::MSE);
  for (double alpha : {0.5, 0.9}) {
    Network net = test::small_network(3, 7, 2, 1.0, alpha, true);
    net.params().W_h.zeros();
    for (std::string input : {"task", "zero"}) {
      for (double reorth : {1.0, 4.0}) {
        const auto r = analyse(net, batch, {{"exponents", 0.0}, {"input", input}, {"steps", 200.0},
                                            {"reorth", reorth}});
        for (double l : vector(r, "spectrum")) BOOST_TEST(std::abs(l - std::log(alpha)) < 1e-12);
        BOOST_TEST(std::abs(number(r, "max_std")) < 1e-12);
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(spectrum_is_sorted_and_per_second_is_per_step_over_dt) {
  const auto task = test::builtin().make_task("romo", {{"batch", 4.0}});
  const Network net = test::small_network(1, 16, 2, 1.5, 0.5, false);
  const auto r = analyse_task(net, *task, {{"exponents", 0.0}, {"steps", 300.0}});
  const auto s = vector(r, "spectrum"), sps = vector(r, "spectrum_per_second");
  BOOST_TEST_REQUIRE(s.size() == 16u);
  for (std::size_t i = 1; i < s.size(); ++i) BOOST_TEST(s[i] <= s[i - 1]);
  for (std::size_t i = 0; i < s.size(); ++i) BOOST_TEST(sps[i] == s[i] / 0.050, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(number(r, "max_per_second") == number(r, "max") / 0.050, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(number(r, "trials") == 4.0);  // capped by the batch size
  BOOST_TEST(number(r, "warmup") == 40.0);  // 10 + 300/10
}

BOOST_AUTO_TEST_CASE(sum_of_the_spectrum_is_the_mean_log_determinant) {
  // tanh and random inputs make every J[t] different.
  const std::size_t N = 6, B = 3, S = 80, w = 12;
  const Network net = test::small_network(2, N, 1, 1.8, 0.4, true, Activation::Tanh);
  const Batch batch = test::random_batch(2, 1, B, S, LossKind::MSE);
  Trajectory traj;
  forward(net, batch.x, traj);
  arma::cube d;
  state_derivatives(net.activation(), traj.h, S, d);
  const arma::mat Q0 = random_orthonormal_blocks(N, N, B, 9);
  for (std::size_t reorth : {1u, 5u}) {
    const arma::mat lambda = lyapunov_exponents(net.params().W_h, net.alpha(), d, Q0, {.reorth = reorth, .warmup = w});
    for (std::size_t b = 0; b < B; ++b) {
      double logdet = 0;
      for (std::size_t t = w; t < S; ++t) {
        double value, sign;
        arma::log_det(value, sign, jacobian(net.params().W_h, net.alpha(), d.slice(t).col(b)));
        logdet += value;
      }
      logdet /= static_cast<double>(S - w);
      BOOST_TEST(arma::accu(lambda.col(b)) == logdet, boost::test_tools::tolerance(1e-12));
    }
  }
}

BOOST_AUTO_TEST_CASE(same_seed_same_numbers) {
  const auto task = test::builtin().make_task("romo", {{"batch", 8.0}});
  const Network net = test::small_network(1, 12, 2, 1.2, 0.5, false);
  for (std::string input : {"task", "zero"}) {
    const std::map<std::string, Value> p = {{"exponents", 3.0}, {"steps", 200.0}, {"input", input}};
    const auto a = vector(analyse_task(net, *task, p, 5), "spectrum");
    const auto b = vector(analyse_task(net, *task, p, 5), "spectrum");
    const auto c = vector(analyse_task(net, *task, p, 6), "spectrum");
    BOOST_TEST(a == b, boost::test_tools::per_element());
    BOOST_TEST((a != c));
    // A seed given as a parameter overrides the one passed in.
    auto with_seed = p;
    with_seed["seed"] = 5.0;
    BOOST_TEST(vector(analyse_task(net, *task, with_seed, 6), "spectrum") == a, boost::test_tools::per_element());
  }
}

BOOST_AUTO_TEST_CASE(zero_input_starts_away_from_rest) {
  // With ReLU and h = 0 nothing moves; a random h[0] lets a strongly
  // coupled network show its expansion.
  const Network net = test::small_network(1, 64, 2, 3.0, 0.5, false);
  const Batch batch = test::random_batch(1, 2, 2, 5, LossKind::MSE);
  const double lmax = number(analyse(net, batch, {{"input", std::string("zero")}, {"steps", 500.0}}), "max");
  BOOST_TEST_MESSAGE("gain 3 ReLU, zero input: max LE " << lmax);
  BOOST_TEST(lmax > std::log(0.5) + 0.3);
}

BOOST_AUTO_TEST_CASE(overflowing_states_give_nan) {
  // ReLU without bias or input is positively homogeneous: at gain 3 the
  // state grows without bound and overflows within 25000 steps.
  const Network net = test::small_network(1, 16, 2, 3.0, 0.5, false);
  const Batch batch = test::random_batch(1, 2, 2, 5, LossKind::MSE);
  const auto r = analyse(net, batch, {{"input", std::string("zero")}, {"steps", 25000.0}});
  BOOST_TEST(std::isnan(number(r, "max")));
  BOOST_TEST(std::isnan(vector(r, "spectrum_per_second")[0]));
}

BOOST_AUTO_TEST_CASE(invalid_settings_are_reported) {
  const Network net = test::small_network(1, 4, 2, 1.0, 0.5, false);
  const Batch batch = test::random_batch(1, 2, 2, 5, LossKind::MSE);
  BOOST_CHECK_THROW(analyse(net, batch, {{"exponents", 5.0}}), Error);
  BOOST_CHECK_THROW(test::builtin().make_analysis("lyapunov", {{"steps", 10.0}, {"warmup", 10.0}}), Error);
  BOOST_CHECK_THROW(test::builtin().make_analysis("lyapunov", {{"input", std::string("noise")}}), Error);
}

BOOST_AUTO_TEST_SUITE_END()
