// The `weight_change` analysis: no change, a rank-1 change, equal-σ
// changes, flipped signs, the kernel alignment of linear networks against
// its closed form, and the initial weights kept by training, copies and
// files.
#include <boost/test/unit_test.hpp>

#include <rnnlab/app/trainer.hpp>
#include <rnnlab/sdk/error.hpp>
#include <rnnlab/sdk/io.hpp>
#include <rnnlab/sdk/random.hpp>

#include <cmath>

#include "support.hpp"

using namespace rnnlab;

namespace {

AnalysisResult analyse(const Network& net, const Batch& batch, std::map<std::string, Value> params = {}) {
  return test::analyse("weight_change", net, batch, params, 3);
}

using test::number;

arma::mat random_matrix(arma::uword r, arma::uword c, std::uint64_t seed) {
  Rng rng(seed);
  arma::mat m(r, c);
  for (double& v : m) v = rng.normal();
  return m;
}

// A network whose initial weights are `net`'s current ones, then `change` applied to W_h.
Network changed(const Network& net, const arma::mat& change) {
  Network out = net;
  out.keep_initial_params();
  out.params().W_h += change;
  return out;
}

// ‖A Σ Bᵀ‖_F² / (‖A Σ Aᵀ‖_F ‖B Σ Bᵀ‖_F): linear CKA of A x and B x for
// inputs with sample covariance Σ.
double linear_cka(const arma::mat& A, const arma::mat& B, const arma::mat& S) {
  const double xy = arma::norm(A * S * B.t(), "fro");
  return xy * xy / (arma::norm(A * S * A.t(), "fro") * arma::norm(B * S * B.t(), "fro"));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(weight_change)

BOOST_AUTO_TEST_CASE(no_change_gives_zero_and_alignment_one) {
  // A network as its configuration draws it (nothing recorded: drawn
  // again), and one with hand-set biases whose initial weights are recorded.
  const Network fresh = test::small_network(2, 10, 2, 1.2, 0.5, false, Activation::Tanh);
  const Network net = test::small_network(2, 10, 2, 1.2, 0.5, true, Activation::Tanh);
  const Batch batch = test::random_batch(2, 2, 4, 20, LossKind::MSE);
  for (const Network& n : {fresh, changed(net, arma::mat(10, 10, arma::fill::zeros))}) {
    const auto r = analyse(n, batch);
    BOOST_TEST(number(r, "initial_recorded") == (n.has_initial_params() ? 1.0 : 0.0));
    std::vector<std::string> keys = {"change", "W_h_change", "W_x_change", "W_out_change", "W_h_delta_norm",
                                     "W_h_delta_effective_rank"};
    if (n.shape().bias) keys.insert(keys.end(), {"b_change", "b_out_change"});
    for (const auto& key : keys) BOOST_TEST(number(r, key) == 0.0, key);
    BOOST_TEST(number(r, "W_h_sign_agreement") == 1.0);
    BOOST_TEST(number(r, "kernel_alignment") == 1.0, boost::test_tools::tolerance(1e-12));
  }
  BOOST_TEST(!fresh.has_initial_params());
}

BOOST_AUTO_TEST_CASE(without_recorded_weights_the_configuration_draws_them_again) {
  // A sparse network whose W_h was changed without recording the initial
  // weights: the reference is what its initializer draws, as for `weights`.
  NetworkConfig config = test::small_network(2, 40, 3, 1.3, 0.5, false).config();
  config.init = "sparse";
  config.init_params = {{"p", 0.2}};
  Network net = make_network(test::builtin(), config);
  const Batch batch = test::random_batch(2, 3, 2, 5, LossKind::MSE);
  net.params().W_h *= 1.25;
  const auto r = analyse(net, batch);
  BOOST_TEST(number(r, "initial_recorded") == 0.0);
  BOOST_TEST(number(r, "W_h_change") == 0.25, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(number(r, "W_h_change") == number(test::analyse("weights", net, batch), "W_h_change"));
  BOOST_TEST(number(r, "W_x_change") == 0.0);
  BOOST_TEST(number(r, "W_h_sign_agreement") == 1.0);
  AnalysisInput alone;  // without the plugins the sparse weights cannot be drawn again
  alone.batch = &batch;
  BOOST_CHECK_THROW(test::builtin().make_analysis("weight_change", {})->run(net, alone, 3), Error);
}

BOOST_AUTO_TEST_CASE(rank_one_change) {
  const Network net = test::small_network(1, 12, 1, 1.0, 0.5, false);
  const arma::vec u = random_matrix(12, 1, 1), v = random_matrix(12, 1, 2);
  const double eps = 0.05;
  const Network moved = changed(net, eps * u * v.t());
  const auto r = analyse(moved, test::random_batch(1, 1, 3, 10, LossKind::MSE));
  const double delta = eps * arma::norm(u) * arma::norm(v);
  BOOST_TEST(number(r, "W_h_delta_norm") == delta, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(number(r, "W_h_change") == delta / arma::norm(net.params().W_h, "fro"), boost::test_tools::tolerance(1e-12));
  BOOST_TEST_MESSAGE("rank-1 change: effective rank " << number(r, "W_h_delta_effective_rank"));
  BOOST_TEST(std::abs(number(r, "W_h_delta_effective_rank") - 1.0) < 1e-9);
  BOOST_TEST(number(r, "W_x_change") == 0.0);
  BOOST_TEST(number(r, "W_out_change") == 0.0);
  BOOST_TEST(number(r, "kernel_alignment") < 1.0);
}

BOOST_AUTO_TEST_CASE(equal_singular_values_give_their_number) {
  // ΔW = Q_k Rᵀ_k with orthonormal columns: k equal singular values, erank k;
  // unequal ones give less.
  const Network net = test::small_network(1, 10, 1, 1.0, 0.5, false);
  arma::mat Q, R, S, T;
  arma::qr(Q, S, random_matrix(10, 10, 3));
  arma::qr(R, T, random_matrix(10, 10, 4));
  for (arma::uword k : {2u, 3u, 7u}) {
    const arma::mat d = 0.1 * Q.cols(0, k - 1) * R.cols(0, k - 1).t();
    const double erank = number(analyse(changed(net, d), test::random_batch(1, 1, 2, 5, LossKind::MSE),
                                        {{"kernel", false}}),
                                "W_h_delta_effective_rank");
    BOOST_TEST(erank == static_cast<double>(k), boost::test_tools::tolerance(1e-10));
  }
  // σ = (1, 1/2): p = (2/3, 1/3), erank = exp(H) = 3/2^{2/3}.
  const arma::mat d = Q.col(0) * R.col(0).t() + 0.5 * Q.col(1) * R.col(1).t();
  const double erank = number(analyse(changed(net, d), test::random_batch(1, 1, 2, 5, LossKind::MSE)),
                              "W_h_delta_effective_rank");
  BOOST_TEST(erank == 3.0 / std::pow(2.0, 2.0 / 3.0), boost::test_tools::tolerance(1e-10));
}

BOOST_AUTO_TEST_CASE(sign_agreement_counts_flipped_entries) {
  const Network net = test::small_network(1, 8, 1, 1.0, 0.5, false);
  arma::mat d(8, 8, arma::fill::zeros);
  const arma::uvec flipped = {0, 9, 17, 30, 45, 63};
  for (arma::uword i : flipped) d(i) = -2.0 * net.params().W_h(i);  // W → −W at these entries
  const auto r = analyse(changed(net, d), test::random_batch(1, 1, 2, 5, LossKind::MSE));
  BOOST_TEST(number(r, "W_h_sign_agreement") == 1.0 - 6.0 / 64.0, boost::test_tools::tolerance(1e-15));
}

BOOST_AUTO_TEST_CASE(kernel_alignment_of_linear_networks) {
  // Identity units, α = 0, W_h = 0: f(h[t+1]) = W_x x[t], so CKA has the
  // closed form of linear maps of the inputs' sample covariance.
  const arma::uword N = 6, Nin = 4;
  Network net = test::small_network(Nin, N, 1, 1.0, 0.0, false, Activation::Identity);
  net.params().W_h.zeros();
  const arma::mat A = random_matrix(N, Nin, 5);
  net.params().W_x = A;
  net.keep_initial_params();
  const Batch batch = test::random_batch(Nin, 1, 20, 40, LossKind::MSE);
  const arma::mat x(batch.x.memptr(), Nin, 20 * 40);
  const arma::mat S = arma::cov(x.t());

  // A rotation and a scaling of the representation leave CKA at 1.
  arma::mat Q, R;
  arma::qr(Q, R, random_matrix(N, N, 6));
  net.params().W_x = 3.0 * Q * A;
  BOOST_TEST(number(analyse(net, batch), "kernel_alignment") == 1.0, boost::test_tools::tolerance(1e-12));
  // Another map: the closed form.
  const arma::mat B = random_matrix(N, Nin, 7);
  net.params().W_x = B;
  const double cka = number(analyse(net, batch), "kernel_alignment");
  BOOST_TEST_MESSAGE("linear CKA " << cka << " (closed form " << linear_cka(A, B, S) << ")");
  BOOST_TEST(cka == linear_cka(A, B, S), boost::test_tools::tolerance(1e-10));
  BOOST_TEST(cka < 0.99);
  BOOST_TEST(number(analyse(net, batch), "W_x_change") == arma::norm(B - A, "fro") / arma::norm(A, "fro"),
             boost::test_tools::tolerance(1e-12));
}

BOOST_AUTO_TEST_CASE(training_records_the_initial_weights_and_files_keep_them) {
  const auto task = test::builtin().make_task("romo", {{"batch", 8.0}});
  Network net = test::small_network(1, 16, 2, 1.0, 0.5, false);
  const arma::vec theta0 = net.params().theta;
  BOOST_TEST(!net.has_initial_params());
  auto rule = test::builtin().make_rule("bptt", {});
  auto optimizer = test::builtin().make_optimizer("adam", {{"lr", 0.01}});
  TrainOptions options;
  options.iterations = 20;
  train(net, *task, *rule, *optimizer, options);
  BOOST_TEST_REQUIRE(net.has_initial_params());
  BOOST_TEST(arma::approx_equal(net.initial_params().theta, theta0, "absdiff", 0.0));
  // A second training keeps the first initial weights.
  train(net, *task, *rule, *optimizer, options);
  BOOST_TEST(arma::approx_equal(net.initial_params().theta, theta0, "absdiff", 0.0));

  AnalysisInput input;
  input.task = task.get();
  const auto r = test::builtin().make_analysis("weight_change", {})->run(net, input, 4);
  BOOST_TEST_MESSAGE("Romo, 40 iterations: W_h change " << number(r, "W_h_change") << ", W_out change "
                                                         << number(r, "W_out_change") << ", effective rank "
                                                         << number(r, "W_h_delta_effective_rank") << ", CKA "
                                                         << number(r, "kernel_alignment"));
  BOOST_TEST(number(r, "initial_recorded") == 1.0);
  BOOST_TEST(number(r, "W_h_change") > 0.0);
  BOOST_TEST(number(r, "W_h_sign_agreement") < 1.0);
  BOOST_TEST(number(r, "kernel_alignment") < 1.0);

  // Copies, precision changes and files carry them.
  BOOST_TEST(arma::approx_equal(Network(net).initial_params().theta, theta0, "absdiff", 0.0));
  BOOST_TEST(arma::approx_equal(with_precision(net, Precision::Single).initial_params().theta, theta0, "absdiff", 0.0));
  const std::string path = test::temp_dir("weight_change") + "/net.h5";
  save_network(path, net);
  const Network back = load_network(path);
  BOOST_TEST_REQUIRE(back.has_initial_params());
  BOOST_TEST(arma::approx_equal(back.initial_params().theta, theta0, "absdiff", 0.0));
  BOOST_TEST(arma::approx_equal(back.params().theta, net.params().theta, "absdiff", 0.0));
  // An untrained network's file has no initial weights.
  save_network(path, test::small_network(1, 16, 2, 1.0, 0.5, false));
  BOOST_TEST(!load_network(path).has_initial_params());
  BOOST_CHECK_THROW(net.set_initial_params(ParameterBlocks(Shape{1, 3, 2, false})), Error);
}

BOOST_AUTO_TEST_SUITE_END()
