// RTRL carries the influence matrix forward in time; with the weights held
// fixed over the batch its accumulated gradient is BPTT's, block by block.
#include <boost/test/unit_test.hpp>

#include <rnnlab/sdk/parameters.hpp>

#include "support.hpp"

using namespace rnnlab;

namespace {

Gradient gradient_of(const std::string& rule, const Network& net, const Batch& batch) {
  auto r = test::builtin().make_rule(rule, {});
  r->begin(net, 1);
  Gradient g;
  r->gradient(net, batch, g);
  return g;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(rtrl)

BOOST_AUTO_TEST_CASE(rtrl_equals_bptt_on_romo_and_dms_in_every_block) {
  double worst = 0;
  int cases = 0;
  for (const std::string task_name : {"romo", "delay_match_sample"}) {
    const auto task = test::builtin().make_task(task_name, {{"batch", 3.0}});
    const TaskInfo info = task->info();
    Batch batch;
    task->generate(17, batch);
    for (double alpha : {0.5, 0.0})
      for (bool bias : {false, true})
        for (Activation act : {Activation::ReLU, Activation::Tanh}) {
          const Network net = test::small_network(info.inputs, 7, info.outputs, 1.4, alpha, bias, act, 9);
          const Gradient rtrl = gradient_of("rtrl", net, batch);
          const Gradient bptt = gradient_of("bptt", net, batch);
          BOOST_TEST_INFO(task_name << ", α = " << alpha << ", bias " << bias << ", "
                                    << (act == Activation::ReLU ? "relu" : "tanh"));
          BOOST_TEST(rtrl.loss == bptt.loss);
          for (const BlockRange& block : block_ranges(net.shape())) {
            const arma::vec a = rtrl.params.theta.subvec(block.first, block.first + block.count - 1);
            const arma::vec b = bptt.params.theta.subvec(block.first, block.first + block.count - 1);
            const double err = test::relative_error(a, b);
            worst = std::max(worst, err);
            BOOST_TEST_INFO("block " << block.name);
            BOOST_TEST(arma::norm(b) > 0.0);
            BOOST_TEST(err <= 1e-10);
          }
          ++cases;
        }
  }
  BOOST_TEST(cases == 16);
  BOOST_TEST_MESSAGE("rtrl vs bptt, 16 cases, every block: worst relative error " << worst);
}

BOOST_AUTO_TEST_CASE(rtrl_equals_bptt_with_the_influence_matrix_in_several_blocks) {
  // N = 40, Q = 44: the influence matrix has 1760 rows, taken in blocks of
  // 409 rows in double precision and 819 in single (128 KB each), so the
  // blocks end inside the rows of a unit's parameters and the last one is
  // partial.
  const Network net = test::small_network(3, 40, 2, 1.2, 0.3, true, Activation::ReLU, 21);
  const Batch batch = test::random_batch(3, 2, 2, 12, LossKind::MSE, 22);
  const Gradient bptt = gradient_of("bptt", net, batch);
  const Gradient rtrl = gradient_of("rtrl", net, batch);
  for (const BlockRange& block : block_ranges(net.shape())) {
    const arma::vec a = rtrl.params.theta.subvec(block.first, block.first + block.count - 1);
    const arma::vec b = bptt.params.theta.subvec(block.first, block.first + block.count - 1);
    BOOST_TEST_INFO("block " << block.name);
    BOOST_TEST(arma::norm(b) > 0.0);
    BOOST_TEST(test::relative_error(a, b) <= 1e-10);
  }
  const Gradient single = gradient_of("rtrl", with_precision(net, Precision::Single), batch);
  BOOST_TEST(test::relative_error(single.params.theta, bptt.params.theta) <= 1e-4);
}

BOOST_AUTO_TEST_CASE(rtrl_in_single_precision_agrees_with_double) {
  const Network net = test::small_network(3, 9, 2, 1.2, 0.5, true, Activation::ReLU, 4);
  const Batch batch = test::random_batch(3, 2, 4, 15, LossKind::MSE, 8);
  const Gradient exact = gradient_of("bptt", net, batch);
  const Gradient single = gradient_of("rtrl", with_precision(net, Precision::Single), batch);
  const double err = test::relative_error(single.params.theta, exact.params.theta);
  BOOST_TEST_MESSAGE("rtrl in single precision vs double bptt: relative error " << err);
  BOOST_TEST(err <= 1e-4);
  BOOST_TEST(err > 0.0);  // the pass really ran in float
}

BOOST_AUTO_TEST_SUITE_END()
