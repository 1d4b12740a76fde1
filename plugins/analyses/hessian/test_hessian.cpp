// The `hessian` analysis against an explicit finite-difference Hessian of
// a tiny network: top eigenvalues (with sign) and the Hutchinson trace.
#include <boost/test/unit_test.hpp>

#include <rnnlab/sdk/error.hpp>

#include <cmath>

#include "support.hpp"

using namespace rnnlab;

namespace {

AnalysisResult analyse(const Network& net, const Batch& batch, std::map<std::string, Value> params) {
  return test::analyse("hessian", net, batch, params, 5);
}

using test::number;

using test::vector;

// Column i = (g(θ + h e_i) − g(θ − h e_i)) / 2h, then symmetrised; the
// relative asymmetry before that goes to `asymmetry`.
arma::mat explicit_hessian(const Network& net, const Batch& batch, double* asymmetry = nullptr) {
  const double h = 1e-5;
  const arma::uword n = net.params().theta.n_elem;
  arma::mat H(n, n);
  Network p = net;
  GradientWorkspace ws;
  Gradient up, down;
  for (arma::uword i = 0; i < n; ++i) {
    p.params().theta(i) = net.params().theta(i) + h;
    backprop_gradient(p, batch, nullptr, Backprop{}, ws, up);
    p.params().theta(i) = net.params().theta(i) - h;
    backprop_gradient(p, batch, nullptr, Backprop{}, ws, down);
    p.params().theta(i) = net.params().theta(i);
    H.col(i) = (up.params.theta - down.params.theta) / (2 * h);
  }
  if (asymmetry) *asymmetry = test::relative_error(H, H.t());
  return 0.5 * (H + H.t());
}

}  // namespace

BOOST_AUTO_TEST_SUITE(hessian)

BOOST_AUTO_TEST_CASE(top_eigenvalues_and_trace_match_the_explicit_hessian) {
  for (Activation act : {Activation::Tanh, Activation::ReLU}) {
    const Network net = test::small_network(2, 4, 2, 1.3, 0.5, true, act);
    const Batch batch = test::random_batch(2, 2, 3, 10, LossKind::MSE);
    double asymmetry = 0;
    const arma::mat H = explicit_hessian(net, batch, &asymmetry);
    BOOST_TEST_MESSAGE(to_string(act) << ": explicit Hessian, relative asymmetry " << asymmetry);
    BOOST_TEST(asymmetry < 1e-8);
    arma::vec eig = arma::eig_sym(H);
    eig = eig(arma::sort_index(arma::abs(eig), "descend"));

    const auto r = analyse(net, batch, {{"eigenvalues", 3.0}, {"tol", 1e-10}, {"samples", 4000.0}});
    const auto found = vector(r, "eigenvalues");
    BOOST_TEST_REQUIRE(found.size() == 3u);
    for (std::size_t i = 0; i < 3; ++i) {
      BOOST_TEST_MESSAGE("  eigenvalue " << i << ": " << found[i] << " (explicit " << eig(i) << ", difference "
                                         << found[i] - eig(i) << ")");
      BOOST_TEST(std::abs(found[i] - eig(i)) < 1e-6 * std::abs(eig(0)));
    }
    BOOST_TEST(number(r, "top") == found[0]);
    BOOST_TEST(number(r, "converged") == 1.0);
    const double trace = arma::trace(H), estimate = number(r, "trace"), se = number(r, "trace_stderr");
    BOOST_TEST_MESSAGE("  trace " << estimate << " ± " << se << " (explicit " << trace << "), "
                                  << number(r, "iterations") << " iterations");
    BOOST_TEST(std::abs(estimate - trace) < 4 * se);
    // Rademacher probes: Var(zᵀHz) = 2 Σ_{i≠j} H_ij², so the standard error is known.
    const double expected_se = std::sqrt(2 * (arma::accu(arma::square(H)) - arma::accu(arma::square(H.diag()))) / 4000);
    BOOST_TEST(se == expected_se, boost::test_tools::tolerance(0.1));
  }
}

BOOST_AUTO_TEST_CASE(power_iteration_keeps_the_sign) {
  // Linear network, one input → one output through a scalar path: the
  // Hessian of an MSE loss has negative eigenvalues too; the top one by
  // modulus is reported with its sign.
  const Network net = test::small_network(1, 3, 1, 0.8, 0.3, false, Activation::Tanh);
  const Batch batch = test::random_batch(1, 1, 2, 6, LossKind::MSE);
  const arma::mat H = explicit_hessian(net, batch);
  arma::vec eig = arma::eig_sym(H);
  BOOST_TEST_MESSAGE("explicit spectrum: " << eig.t());
  eig = eig(arma::sort_index(arma::abs(eig), "descend"));
  const auto r = analyse(net, batch, {{"tol", 1e-10}, {"samples", 0.0}});
  BOOST_TEST(std::abs(number(r, "top") - eig(0)) < 1e-6 * std::abs(eig(0)));
  BOOST_TEST(std::isnan(number(r, "trace")));
}

BOOST_AUTO_TEST_CASE(spread_across_batches_and_determinism) {
  const Network net = test::small_network(1, 8, 2, 1.0, 0.5, false);
  auto task = test::builtin().make_task("romo", {{"batch", 4.0}});
  AnalysisInput input;
  input.task = task.get();
  const std::map<std::string, Value> p = {{"batches", 3.0}, {"samples", 10.0}};
  const auto a = test::builtin().make_analysis("hessian", p)->run(net, input, 9);
  const auto b = test::builtin().make_analysis("hessian", p)->run(net, input, 9);
  BOOST_TEST(number(a, "top") == number(b, "top"));
  BOOST_TEST(number(a, "trace") == number(b, "trace"));
  BOOST_TEST(number(a, "top_rel_spread") > 0.0);
  BOOST_TEST(number(a, "trace_rel_spread") > 0.0);
  const auto one = test::builtin().make_analysis("hessian", {{"samples", 0.0}})->run(net, input, 9);
  BOOST_TEST(number(one, "top_rel_spread") == 0.0);
}

BOOST_AUTO_TEST_SUITE_END()
