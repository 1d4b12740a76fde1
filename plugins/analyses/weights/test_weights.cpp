// The `weights` analysis: eigenvalues and norms against direct
// computations, change from initialisation, participation ratio limits.
#include <boost/test/unit_test.hpp>

#include <rnnlab/sdk/error.hpp>
#include <rnnlab/sdk/io.hpp>
#include <rnnlab/sdk/registry.hpp>

#include <cmath>

#include "support.hpp"

using namespace rnnlab;

namespace {

AnalysisResult analyse(const Network& net, const Batch& batch, std::map<std::string, Value> params = {}) {
  return test::analyse("weights", net, batch, params, 3);
}

using test::number;

using test::vector;

bool has(const AnalysisResult& r, const std::string& key) {
  for (const auto& kv : r)
    if (kv.first == key) return true;
  return false;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(weights)

BOOST_AUTO_TEST_CASE(eigenvalues_of_a_known_matrix) {
  // Two rotation blocks: 0.9 e^{±0.3i} and 0.5 e^{±1.1i}.
  Network net = test::small_network(1, 4, 1, 1.0, 0.5, false);
  arma::mat W(4, 4, arma::fill::zeros);
  W.submat(0, 0, 1, 1) = 0.9 * arma::mat{{std::cos(0.3), -std::sin(0.3)}, {std::sin(0.3), std::cos(0.3)}};
  W.submat(2, 2, 3, 3) = 0.5 * arma::mat{{std::cos(1.1), -std::sin(1.1)}, {std::sin(1.1), std::cos(1.1)}};
  net.params().W_h = W;
  const auto r = analyse(net, test::random_batch(1, 1, 2, 5, LossKind::MSE));
  BOOST_TEST(number(r, "spectral_radius") == 0.9, boost::test_tools::tolerance(1e-12));
  const auto re = vector(r, "eig_real"), im = vector(r, "eig_imag");
  BOOST_TEST_REQUIRE(re.size() == 4u);
  for (std::size_t i = 0; i < 2; ++i) {
    BOOST_TEST(re[i] == 0.9 * std::cos(0.3), boost::test_tools::tolerance(1e-12));
    BOOST_TEST(std::abs(im[i]) == 0.9 * std::sin(0.3), boost::test_tools::tolerance(1e-12));
    BOOST_TEST(re[i + 2] == 0.5 * std::cos(1.1), boost::test_tools::tolerance(1e-12));
  }
  BOOST_TEST(number(r, "W_h_spectral_norm") == 0.9, boost::test_tools::tolerance(1e-12));
}

BOOST_AUTO_TEST_CASE(random_weights_follow_the_circular_law) {
  const Network net = test::small_network(1, 400, 1, 1.5, 0.5, false);
  const auto r = analyse(net, test::random_batch(1, 1, 2, 5, LossKind::MSE), {{"activity", false}});
  BOOST_TEST_MESSAGE("gain 1.5, N = 400: spectral radius " << number(r, "spectral_radius"));
  BOOST_TEST(std::abs(number(r, "spectral_radius") - 1.5) < 0.1);
  BOOST_TEST(!has(r, "participation_ratio"));
}

BOOST_AUTO_TEST_CASE(norms_and_change_from_initialisation) {
  Network net = test::small_network(2, 6, 3, 1.0, 0.5, false);
  const Batch batch = test::random_batch(2, 3, 2, 5, LossKind::MSE);
  auto r = analyse(net, batch);
  BOOST_TEST(number(r, "W_h_norm") == arma::norm(net.params().W_h, "fro"));
  BOOST_TEST(number(r, "W_x_norm") == arma::norm(net.params().W_x, "fro"));
  BOOST_TEST(number(r, "W_out_norm") == arma::norm(net.params().W_out, "fro"));
  BOOST_TEST(!has(r, "b_norm"));
  BOOST_TEST(number(r, "change") == 0.0);
  net.params().W_h *= 1.1;
  r = analyse(net, batch);
  BOOST_TEST(number(r, "W_h_change") == 0.1, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(number(r, "W_x_change") == 0.0);
  BOOST_TEST(number(r, "W_out_change") == 0.0);
  BOOST_TEST(number(r, "change") > 0.0);
  BOOST_TEST(number(r, "change") < 0.1);
}

BOOST_AUTO_TEST_CASE(change_is_measured_from_the_initializer_that_drew_the_network) {
  // A sparse network (make_network records init = sparse, p = 0.2): its own
  // initial weights, not the default Gaussian ones, are the reference, also
  // after a save and load.
  NetworkConfig config = test::small_network(2, 40, 3, 1.3, 0.5, false).config();
  config.init = "sparse";
  config.init_params = {{"p", 0.2}};
  Network net = make_network(test::builtin(), config);
  BOOST_TEST(net.config().init_params.size() == 1u);
  const Batch batch = test::random_batch(2, 3, 2, 5, LossKind::MSE);
  BOOST_TEST(number(analyse(net, batch), "change") == 0.0);
  BOOST_TEST(number(analyse(net, batch), "W_h_change") == 0.0);
  const std::string file = test::temp_dir("weights_sparse") + "/net.h5";
  save_network(file, net);
  const Network loaded = load_network(file);
  BOOST_TEST(loaded.config().init == "sparse");
  BOOST_TEST(loaded.config().init_params == net.config().init_params);
  BOOST_TEST(number(analyse(loaded, batch), "W_h_change") == 0.0);
  net.params().W_h *= 1.25;
  BOOST_TEST(number(analyse(net, batch), "W_h_change") == 0.25, boost::test_tools::tolerance(1e-12));
  // Without the plugins the sparse weights cannot be drawn again: an error, not Gaussian ones.
  AnalysisInput alone;
  alone.batch = &batch;
  BOOST_CHECK_THROW(test::builtin().make_analysis("weights", {})->run(net, alone, 3), Error);
}

BOOST_AUTO_TEST_CASE(participation_ratio_limits) {
  // Linear units, no recurrence, α = 0: f(h[t+1]) = W_x x[t].
  const std::size_t N = 4;
  Network net = test::small_network(N, N, 1, 1.0, 0.0, false, Activation::Identity);
  net.params().W_h.zeros();
  const Batch batch = test::random_batch(N, 1, 20, 100, LossKind::MSE);
  net.params().W_x = arma::eye(N, N);  // independent unit-variance units: PR → N
  const double all = number(analyse(net, batch), "participation_ratio");
  net.params().W_x.zeros();
  net.params().W_x(0, 0) = 1.0;  // one active unit: PR = 1
  const double one = number(analyse(net, batch), "participation_ratio");
  BOOST_TEST_MESSAGE("participation ratio: " << all << " (independent), " << one << " (one unit)");
  BOOST_TEST(all > 0.95 * N);
  BOOST_TEST(all <= static_cast<double>(N));
  BOOST_TEST(one == 1.0, boost::test_tools::tolerance(1e-12));
}

BOOST_AUTO_TEST_SUITE_END()
