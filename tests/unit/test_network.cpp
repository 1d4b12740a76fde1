#include <boost/test/unit_test.hpp>

#include <cmath>
#include <rnnlab/sdk/error.hpp>
#include <rnnlab/sdk/network.hpp>

#include "support.hpp"

using namespace rnnlab;

BOOST_AUTO_TEST_SUITE(network)

BOOST_AUTO_TEST_CASE(blocks_alias_the_parameter_vector) {
  Network net = test::small_network(2, 3, 4, 1.0, 0.5, true);
  auto& p = net.params();
  BOOST_TEST(p.theta.n_elem == 3u * 3 + 3 * 2 + 4 * 3 + 3 + 4);
  BOOST_TEST(p.W_h.memptr() == p.theta.memptr());
  BOOST_TEST(p.W_x.memptr() == p.theta.memptr() + 9);
  BOOST_TEST(p.W_out.memptr() == p.theta.memptr() + 15);
  BOOST_TEST(p.b.memptr() == p.theta.memptr() + 27);
  BOOST_TEST(p.b_out.memptr() == p.theta.memptr() + 30);
  p.theta.fill(0.0);
  p.W_h(1, 2) = 5.0;  // column-major: index 2*3 + 1
  BOOST_TEST(p.theta(7) == 5.0);
  p.theta(15 + 4 * 1 + 3) = -2.0;  // W_out(3, 1)
  BOOST_TEST(p.W_out(3, 1) == -2.0);
}

BOOST_AUTO_TEST_CASE(copies_own_their_storage) {
  Network a = test::small_network(2, 3, 2, 1.0, 0.5, false);
  Network b = a;
  BOOST_TEST(b.params().W_h.memptr() == b.params().theta.memptr());
  BOOST_TEST(b.params().W_h.memptr() != a.params().W_h.memptr());
  b.params().W_h(0, 0) = 42.0;
  BOOST_TEST(a.params().W_h(0, 0) != 42.0);
  BOOST_TEST(b.params().theta(0) == 42.0);
  Network c = test::small_network(1, 5, 1, 1.0, 0.5, true);
  c = b;  // different shape: rebinds
  BOOST_TEST(c.params().W_out.memptr() == c.params().theta.memptr() + 9 + 6);
  BOOST_TEST(c.params().theta(0) == 42.0);
}

BOOST_AUTO_TEST_CASE(assigning_theta_keeps_the_views) {
  ParameterBlocks p(Shape{2, 3, 2, true});
  auto make = [&] { return arma::vec(p.theta.n_elem, arma::fill::ones); };
  p.theta = make();  // an rvalue: must be copied into place, not stolen
  BOOST_TEST(p.W_h.memptr() == p.theta.memptr());
  BOOST_TEST(p.W_h(0, 0) == 1.0);
  BOOST_TEST(p.b_out(1) == 1.0);
}

BOOST_AUTO_TEST_CASE(initialisation_follows_the_paper) {
  NetworkConfig c;
  c.shape = {4, 400, 3, false};
  c.gain = 1.5;
  Network net(c);
  const auto& p = net.params();
  const double sd = arma::stddev(arma::vectorise(p.W_h));
  BOOST_TEST(std::abs(sd - 1.5 / std::sqrt(400.0)) < 0.002);
  BOOST_TEST(std::abs(arma::mean(arma::vectorise(p.W_h))) < 0.001);
  BOOST_TEST(p.W_x.max() <= 0.5);  // U(−1/√Nin, 1/√Nin), Nin = 4
  BOOST_TEST(p.W_x.min() >= -0.5);
  BOOST_TEST(p.W_out.max() <= 0.05);  // 1/√400
  BOOST_TEST(p.W_out.max() > 0.045);
  // Same seed, same weights; another seed, other weights.
  Network again(c);
  BOOST_TEST(arma::approx_equal(p.theta, again.params().theta, "absdiff", 0.0));
  c.seed = 2;
  Network other(c);
  BOOST_TEST(!arma::approx_equal(p.W_h, other.params().W_h, "absdiff", 1e-3));
}

BOOST_AUTO_TEST_CASE(gain_changes_only_the_recurrent_block) {
  NetworkConfig c;
  c.shape = {2, 10, 2, false};
  c.gain = 0.5;
  Network a(c);
  c.gain = 2.0;
  Network b(c);
  BOOST_TEST(arma::approx_equal(a.params().W_x, b.params().W_x, "absdiff", 0.0));
  BOOST_TEST(arma::approx_equal(a.params().W_out, b.params().W_out, "absdiff", 0.0));
  BOOST_TEST(arma::approx_equal(4.0 * a.params().W_h, b.params().W_h, "reldiff", 1e-14));
}

BOOST_AUTO_TEST_CASE(alpha_from_dt_and_tau) {
  auto config = [](std::map<std::string, Value> given) {
    return Network::config_from(ParamSet::validate(Network::specs(), given, "network"));
  };
  BOOST_TEST(config({{"dt", 50.0}, {"tau", 100.0}}).alpha == 0.5);
  BOOST_TEST(config({{"dt", 100.0}}).alpha == 0.0);
  BOOST_TEST(config({{"alpha", 0.25}}).alpha == 0.25);
  BOOST_CHECK_THROW(config({{"alpha", 0.25}, {"dt", 10.0}}), Error);
  BOOST_CHECK_THROW(config({{"dt", 200.0}}), Error);
  BOOST_CHECK_THROW(config({}), Error);
  // dt negligible against tau rounds α to 1: refused like alpha = 1.
  BOOST_CHECK_THROW(config({{"dt", 1e-20}}), Error);
  BOOST_CHECK_THROW(config({{"alpha", 1.0}}), Error);
  BOOST_TEST(config({{"dt", 1e-14}}).alpha < 1.0);
}

BOOST_AUTO_TEST_CASE(weights_that_overflow_are_refused) {
  NetworkConfig c;
  c.shape = {1, 8, 2, false};
  c.gain = INFINITY;  // W_h ~ N(0, gain²/N) overflows (as gain = 1.7e308 may, for some seeds)
  BOOST_CHECK_THROW(Network{c}, Error);
  c.gain = 1e200;
  BOOST_TEST(Network(c).params().theta.is_finite());
}

BOOST_AUTO_TEST_CASE(sizes_too_large_name_themselves) {
  // hidden² overflows std::size_t: refused before anything is allocated.
  const Shape shape{1, std::size_t{1} << 32, 2, false};
  try {
    ParameterBlocks p(shape);
    BOOST_FAIL("no error");
  } catch (const Error& e) {
    BOOST_TEST(std::string(e.what()).find("hidden = 4294967296") != std::string::npos);
  }
}

BOOST_AUTO_TEST_SUITE_END()
