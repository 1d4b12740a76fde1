// The `fixed_points` analysis: exact fixed points of linear and all-active
// ReLU networks, the two attractors and the saddle of hand-made bistable
// networks (ReLU and tanh), the constant input, and determinism.
#include <boost/test/unit_test.hpp>

#include <rnnlab/sdk/error.hpp>
#include <rnnlab/sdk/random.hpp>

#include <cmath>

#include "support.hpp"

using namespace rnnlab;

namespace {

AnalysisResult analyse(const Network& net, const Batch& batch, std::map<std::string, Value> params = {},
                       std::uint64_t seed = 3) {
  return test::analyse("fixed_points", net, batch, params, seed);
}

using test::number;
using test::vector;

// Point i of the flattened `location` (point-major, N values each).
arma::vec point(const AnalysisResult& r, std::size_t i, std::size_t N) {
  const auto loc = vector(r, "location");
  return arma::vec(std::vector<double>(loc.begin() + i * N, loc.begin() + (i + 1) * N));
}

// The index of the found point nearest `target`, and its distance.
std::pair<std::size_t, double> nearest(const AnalysisResult& r, const arma::vec& target) {
  const std::size_t n = static_cast<std::size_t>(number(r, "count"));
  std::pair<std::size_t, double> best{n, std::numeric_limits<double>::infinity()};
  for (std::size_t i = 0; i < n; ++i) {
    const double d = arma::norm(point(r, i, target.n_elem) - target);
    if (d < best.second) best = {i, d};
  }
  return best;
}

// Two units with self-excitation a, mutual inhibition c, bias b:
//   h = W f(h) + b at a fixed point, W = [[a, −c], [−c, a]].
Network bistable(Activation act, double a, double c, double bias, double alpha) {
  Network net = test::small_network(1, 2, 1, 1.0, alpha, true, act);
  net.params().W_h = arma::mat{{a, -c}, {-c, a}};
  net.params().W_x = arma::mat(arma::vec{1.0, -0.5});
  net.params().b.fill(bias);
  return net;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(fixed_points)

BOOST_AUTO_TEST_CASE(linear_network_has_the_solution_of_its_linear_system) {
  // f = identity: F(h) = α h + (1−α)(W h + W_x x* + b); h* = (I − W)⁻¹(W_x x* + b).
  const arma::uword N = 8;
  Network net = test::small_network(2, N, 1, 0.6, 0.5, true, Activation::Identity);
  const Batch batch = test::random_batch(2, 1, 4, 20, LossKind::MSE);
  for (const std::string input : {"zero", "first"}) {
    const arma::vec x = input == "first" ? arma::vec(batch.x.slice(0).col(0)) : arma::vec(2, arma::fill::zeros);
    const arma::vec expected = arma::solve(arma::eye(N, N) - net.params().W_h, net.params().W_x * x + net.params().b);
    const auto r = analyse(net, batch, {{"input", input}, {"starts", 8.0}});
    BOOST_TEST_REQUIRE(number(r, "count") == 1.0);
    const double err = arma::norm(point(r, 0, N) - expected) / arma::norm(expected);
    BOOST_TEST_MESSAGE("linear network, input " << input << ": relative error of h* " << err << ", q "
                                                 << vector(r, "q")[0]);
    BOOST_TEST(err < 1e-10);
    BOOST_TEST(number(r, "converged_starts") == 8.0);
    // Eigenvalues of J = α I + (1−α) W.
    const arma::cx_vec mu = arma::eig_gen(arma::mat(0.5 * arma::eye(N, N) + 0.5 * net.params().W_h));
    BOOST_TEST(vector(r, "max_abs_eigenvalue")[0] == arma::abs(mu).max(), boost::test_tools::tolerance(1e-10));
    BOOST_TEST(vector(r, "max_real_eigenvalue")[0] == arma::real(mu).max(), boost::test_tools::tolerance(1e-10));
    BOOST_TEST(vector(r, "stable")[0] == (arma::abs(mu).max() < 1 ? 1.0 : 0.0));
    BOOST_TEST(vector(r, "eigenvalues_real").size() == N);
  }
}

BOOST_AUTO_TEST_CASE(relu_network_in_its_linear_regime) {
  // All units active at h* > 0: choose h*, set b = (I − W) h*. With
  // ‖W‖₂ < 1 the map is a contraction, so h* is the only fixed point.
  const arma::uword N = 10;
  Network net = test::small_network(1, N, 1, 0.3, 0.8, true);
  Rng rng(5);
  arma::vec expected(N);
  for (double& v : expected) v = rng.uniform(0.5, 2.0);
  net.params().b = (arma::eye(N, N) - net.params().W_h) * expected;
  BOOST_TEST_REQUIRE(arma::norm(net.params().W_h, 2) < 1.0);
  const auto r = analyse(net, test::random_batch(1, 1, 4, 30, LossKind::MSE), {{"starts", 16.0}, {"noise", 1.0}});
  BOOST_TEST_REQUIRE(number(r, "count") == 1.0);
  const double err = arma::norm(point(r, 0, N) - expected);
  BOOST_TEST_MESSAGE("all-active ReLU network: error of h* " << err);
  BOOST_TEST(err < 1e-10);
  BOOST_TEST(number(r, "stable_count") == 1.0);
  const arma::cx_vec mu = arma::eig_gen(arma::mat(0.8 * arma::eye(N, N) + 0.2 * net.params().W_h));
  BOOST_TEST(vector(r, "max_abs_eigenvalue")[0] == arma::abs(mu).max(), boost::test_tools::tolerance(1e-10));
}

BOOST_AUTO_TEST_CASE(relu_bistable_network_has_two_attractors_and_a_saddle) {
  // a = 0.5, c = 1, b = 1. One unit active: h_i = b/(1−a) = 2, h_j = b − c·2 = −1
  // (stable: J's eigenvalues α + (1−α){a, 0}). Both active: h = b/(1−a+c) = 2/3
  // each, a saddle (eigenvalues α + (1−α)(a ± c): one above 1).
  const double alpha = 0.5;
  const Network net = bistable(Activation::ReLU, 0.5, 1.0, 1.0, alpha);
  const auto r = analyse(net, test::random_batch(1, 1, 8, 40, LossKind::MSE), {{"noise", 2.0}});
  BOOST_TEST_MESSAGE("ReLU bistable: " << number(r, "count") << " points, " << number(r, "stable_count")
                                       << " stable, from " << number(r, "converged_starts") << " converged starts");
  BOOST_TEST_REQUIRE(number(r, "count") == 3.0);
  BOOST_TEST(number(r, "stable_count") == 2.0);
  const auto stable = vector(r, "stable"), radius = vector(r, "max_abs_eigenvalue");
  const auto dims = vector(r, "unstable_dimensions");
  for (const arma::vec& target : {arma::vec{2.0, -1.0}, arma::vec{-1.0, 2.0}}) {
    const auto [i, d] = nearest(r, target);
    BOOST_TEST(d < 1e-10);
    BOOST_TEST(stable[i] == 1.0);
    BOOST_TEST(radius[i] == alpha + (1 - alpha) * 0.5, boost::test_tools::tolerance(1e-12));
    BOOST_TEST(dims[i] == 0.0);
  }
  const auto [s, d] = nearest(r, arma::vec{2.0 / 3.0, 2.0 / 3.0});
  BOOST_TEST(d < 1e-10);
  BOOST_TEST(stable[s] == 0.0);
  BOOST_TEST(radius[s] == alpha + (1 - alpha) * 1.5, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(dims[s] == 1.0);
}

BOOST_AUTO_TEST_CASE(relu_origin_is_a_kink) {
  // Without input or bias h = 0 is a fixed point of every ReLU network;
  // Levenberg-Marquardt reaches it from the positive side, and the point
  // is set to exactly 0: every unit at the kink, J = α I (f'(0) = 0).
  Network net = test::small_network(1, 12, 1, 0.5, 0.5, false);
  const auto r = analyse(net, test::random_batch(1, 1, 4, 30, LossKind::MSE), {{"noise", 0.5}});
  const auto [i, d] = nearest(r, arma::vec(12, arma::fill::zeros));
  BOOST_TEST_REQUIRE(i < static_cast<std::size_t>(number(r, "count")));
  BOOST_TEST(d == 0.0);
  BOOST_TEST(vector(r, "kink_units")[i] == 12.0);
  BOOST_TEST(vector(r, "max_abs_eigenvalue")[i] == 0.5, boost::test_tools::tolerance(1e-14));
  BOOST_TEST(vector(r, "q")[i] == 0.0);
}

BOOST_AUTO_TEST_CASE(tanh_bistable_network) {
  // a = c = 1.5, b = 0: h = ±(s, −s) with s = 3 tanh(s) (stable), and the
  // origin, unstable along (1, −1) (eigenvalue α + (1−α)·3).
  double s = 3.0;
  for (int i = 0; i < 50; ++i) s -= (s - 3 * std::tanh(s)) / (1 - 3 * (1 - std::tanh(s) * std::tanh(s)));
  const Network net = bistable(Activation::Tanh, 1.5, 1.5, 0.0, 0.3);
  const auto r = analyse(net, test::random_batch(1, 1, 8, 40, LossKind::MSE), {{"noise", 2.0}});
  BOOST_TEST_REQUIRE(number(r, "count") == 3.0);
  BOOST_TEST(number(r, "stable_count") == 2.0);
  const auto stable = vector(r, "stable");
  for (const arma::vec& target : {arma::vec{s, -s}, arma::vec{-s, s}}) {
    const auto [i, d] = nearest(r, target);
    BOOST_TEST(d < 1e-9);
    BOOST_TEST(stable[i] == 1.0);
  }
  const auto [o, d] = nearest(r, arma::vec{0.0, 0.0});
  BOOST_TEST(d < 1e-9);
  BOOST_TEST(stable[o] == 0.0);
  BOOST_TEST(vector(r, "max_abs_eigenvalue")[o] == 0.3 + 0.7 * 3.0, boost::test_tools::tolerance(1e-9));
  BOOST_TEST(vector(r, "unstable_dimensions")[o] == 1.0);
}

BOOST_AUTO_TEST_CASE(projections_and_trajectories_for_the_figure) {
  const auto task = test::builtin().make_task("romo", {{"batch", 6.0}});
  const Network net = test::small_network(1, 16, 2, 0.8, 0.5, false, Activation::Tanh);
  AnalysisInput input;
  input.task = task.get();
  const auto r = test::builtin().make_analysis("fixed_points", {{"plot_trials", 4.0}})->run(net, input, 2);
  const double T1 = number(r, "trajectory_steps");
  BOOST_TEST(vector(r, "trajectory_pc1").size() == 4 * T1);
  BOOST_TEST(vector(r, "trajectory_pc2").size() == 4 * T1);
  // Without input a gain-0.8 tanh network rests at the origin only: one stable point.
  BOOST_TEST(number(r, "count") == 1.0);
  BOOST_TEST(number(r, "stable_count") == 1.0);
  BOOST_TEST(arma::norm(point(r, 0, 16)) < 1e-10);
  BOOST_TEST(vector(r, "pc1").size() == 1u);
  const auto ratio = vector(r, "pc_explained_variance_ratio");
  BOOST_TEST(ratio.size() == 2u);
  BOOST_TEST(ratio[0] >= ratio[1]);
  // The same seed gives the same numbers; the `seed` parameter overrides.
  const auto again = test::builtin().make_analysis("fixed_points", {{"plot_trials", 4.0}})->run(net, input, 2);
  BOOST_TEST(vector(again, "trajectory_pc1") == vector(r, "trajectory_pc1"), boost::test_tools::per_element());
  const auto other = test::builtin().make_analysis("fixed_points", {{"seed", 9.0}})->run(net, input, 2);
  const auto other2 = test::builtin().make_analysis("fixed_points", {})->run(net, input, 9);
  BOOST_TEST(vector(other, "trajectory_pc1") == vector(other2, "trajectory_pc1"), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(invalid_settings_are_reported) {
  BOOST_CHECK_THROW(test::builtin().make_analysis("fixed_points", {{"input", std::string("mean")}}), Error);
  BOOST_CHECK_THROW(test::builtin().make_analysis("fixed_points", {{"tolerance", 0.0}}), Error);
  BOOST_CHECK_THROW(test::builtin().make_analysis("fixed_points", {{"starts", 0.0}}), Error);
}

BOOST_AUTO_TEST_SUITE_END()
