// The initializer `sparse`: the documented connection fraction and
// spectral scale, gaussian's weights at p = 1, and its parameter checked.
#include <boost/test/unit_test.hpp>

#include <cmath>

#include "rnnlab/sdk/error.hpp"
#include "rnnlab/sdk/registry.hpp"
#include "support.hpp"

using namespace rnnlab;

BOOST_AUTO_TEST_SUITE(sparse)

NetworkConfig config(std::size_t n, double gain, std::uint64_t seed) {
  NetworkConfig c;
  c.shape.inputs = 2;
  c.shape.hidden = n;
  c.shape.outputs = 1;
  c.gain = gain;
  c.seed = seed;
  return c;
}

Network sparse_network(double p, const NetworkConfig& c) {
  return Network(c, *test::builtin().make<Initializer>("sparse", {{"p", p}}));
}

BOOST_AUTO_TEST_CASE(fraction_and_spectral_radius_on_400_units) {
  for (double p : {0.05, 0.1, 0.5})
    for (double gain : {0.8, 1.5}) {
      const Network net = sparse_network(p, config(400, gain, 3));
      const arma::mat& W = net.params().W_h;
      const double fraction = static_cast<double>(arma::accu(W != 0.0)) / static_cast<double>(W.n_elem);
      // Binomial(160000, p): 5 standard deviations.
      BOOST_TEST_INFO("p " << p << ", gain " << gain);
      BOOST_TEST(std::abs(fraction - p) < 5 * std::sqrt(p * (1 - p) / static_cast<double>(W.n_elem)));
      // Entry variance g²/N, as gaussian's: radius ≈ g (circular law),
      // within 10% at N = 400 for pN ≥ 20.
      const double radius = arma::max(arma::abs(arma::eig_gen(W)));
      BOOST_TEST_MESSAGE("p " << p << ", gain " << gain << ": fraction " << fraction << ", spectral radius " << radius);
      BOOST_TEST(std::abs(radius / gain - 1.0) < 0.1);
      BOOST_TEST(std::abs(arma::accu(arma::square(W)) / 400.0 - gain * gain) < 0.1 * gain * gain);
    }
}

BOOST_AUTO_TEST_CASE(at_p_1_it_is_gaussian) {
  const NetworkConfig c = config(30, 1.2, 9);
  BOOST_TEST(arma::all(sparse_network(1.0, c).params().theta == Network(c).params().theta));
}

BOOST_AUTO_TEST_CASE(only_W_h_differs_from_gaussian) {
  const NetworkConfig c = config(30, 1.2, 9);
  const Network sparse = sparse_network(0.2, c), reference(c);
  BOOST_TEST(arma::all(arma::vectorise(sparse.params().W_x == reference.params().W_x)));
  BOOST_TEST(arma::all(arma::vectorise(sparse.params().W_out == reference.params().W_out)));
  BOOST_TEST(!arma::all(arma::vectorise(sparse.params().W_h == reference.params().W_h)));
}

BOOST_AUTO_TEST_CASE(deterministic_in_the_seed) {
  BOOST_TEST(arma::all(sparse_network(0.1, config(50, 1, 4)).params().theta ==
                       sparse_network(0.1, config(50, 1, 4)).params().theta));
  BOOST_TEST(!arma::all(sparse_network(0.1, config(50, 1, 4)).params().theta ==
                        sparse_network(0.1, config(50, 1, 5)).params().theta));
}

BOOST_AUTO_TEST_CASE(p_must_be_in_0_1) {
  BOOST_CHECK_THROW(test::builtin().make<Initializer>("sparse", {{"p", 0.0}}), Error);
  BOOST_CHECK_THROW(test::builtin().make<Initializer>("sparse", {{"p", 1.5}}), Error);
  BOOST_CHECK_NO_THROW(test::builtin().make<Initializer>("sparse", {{"p", 1.0}}));
}

BOOST_AUTO_TEST_SUITE_END()
