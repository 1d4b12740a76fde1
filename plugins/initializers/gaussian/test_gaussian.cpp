// The initializer `gaussian` is today's default initialisation, bit for bit.
#include <boost/test/unit_test.hpp>

#include "rnnlab/sdk/registry.hpp"
#include "support.hpp"

using namespace rnnlab;

BOOST_AUTO_TEST_SUITE(gaussian)

NetworkConfig config(bool bias, double gain, std::uint64_t seed) {
  NetworkConfig c;
  c.shape.inputs = 3;
  c.shape.hidden = 20;
  c.shape.outputs = 2;
  c.shape.bias = bias;
  c.gain = gain;
  c.seed = seed;
  return c;
}

// Written by rnnlab before initializers were plugins (main at 0b6fdbb:
// lab.network{ inputs = 3, hidden = 20, outputs = 2, gain = 1.5, seed = 7,
// bias = true }, net:save, read back with h5dump -m %.17g): the first and
// last entry of every block.
BOOST_AUTO_TEST_CASE(the_default_weights_are_those_of_before) {
  const Network net(config(true, 1.5, 7));
  const auto& p = net.params();
  BOOST_TEST(p.W_h(0, 0) == 0.07707951902535604);
  BOOST_TEST(p.W_h(19, 19) == -0.5463126560666571);
  BOOST_TEST(p.W_x(0, 0) == 0.08078030531921576);
  BOOST_TEST(p.W_x(19, 2) == -0.44430218025472923);
  BOOST_TEST(p.W_out(0, 0) == 0.0709728886673858);
  BOOST_TEST(p.W_out(1, 19) == 0.08300779689611285);
  BOOST_TEST(p.b(0) == -0.5565592957013415);
  BOOST_TEST(p.b(19) == -0.37352581873263646);
  BOOST_TEST(p.b_out(0) == -0.2084509020980467);
  BOOST_TEST(p.b_out(1) == -0.21068840142432912);
}

BOOST_AUTO_TEST_CASE(the_plugin_draws_the_default_weights_bitwise) {
  const auto init = test::builtin().make<Initializer>("gaussian", {});
  for (bool bias : {false, true})
    for (double gain : {0.0, 1.0, 1.5})
      for (std::uint64_t seed : {1u, 7u, 123456789u}) {
        const Network reference(config(bias, gain, seed));
        const Network made(config(bias, gain, seed), *init);
        BOOST_TEST_INFO("bias " << bias << ", gain " << gain << ", seed " << seed);
        BOOST_TEST(arma::all(made.params().theta == reference.params().theta));
      }
}

BOOST_AUTO_TEST_CASE(it_is_registered_as_an_initializer) {
  const auto& info = test::builtin().info(PluginKind::Initializer, "gaussian");
  BOOST_TEST(info.params.empty());
  BOOST_TEST(std::string(to_string(info.kind)) == "initializer");
}

BOOST_AUTO_TEST_SUITE_END()
