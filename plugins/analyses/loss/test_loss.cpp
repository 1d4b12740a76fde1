// The loss analysis: a hand-computed masked MSE, and the loss the bptt rule
// reports on the same batches (another code path) for cross-entropy.
#include <boost/test/unit_test.hpp>

#include <rnnlab/sdk/random.hpp>

#include "support.hpp"

using namespace rnnlab;

namespace {

AnalysisResult run_loss(const Network& net, const AnalysisInput& in, std::map<std::string, Value> params = {}) {
  return test::builtin().make_analysis("loss", params)->run(net, in, 5);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(loss)

// ŷ[t] = ReLU(x[t]) (α = 0, W_h = 0, W_x = W_out = I); 3 channels, 2 trials,
// 2 steps. Masked MSE: Σ m(b,t)·mean_k (ŷ − y)² / Σ m.
//   (b0,t0): x (1, 2, 0),  y 0        → 5/3, weight 1
//   (b1,t0): x (−1, 0, 3), y (0,0,1)  → 4/3, weight 2
//   (b0,t1): x 0, y 0                 → 0,   weight 1
//   (b1,t1): anything                 →      weight 0
// loss = (5/3 + 8/3) / 4 = 13/12.
BOOST_AUTO_TEST_CASE(hand_computed_mse) {
  const Network net = test::pass_through(3);
  Batch b;
  b.x.zeros(3, 2, 2);
  b.y.zeros(3, 2, 2);
  b.x.slice(0).col(0) = arma::vec{1, 2, 0};
  b.x.slice(0).col(1) = arma::vec{-1, 0, 3};
  b.y.slice(0).col(1) = arma::vec{0, 0, 1};
  b.x.slice(1).col(1) = arma::vec{7, 7, 7};
  b.mask = arma::mat{{1, 1}, {2, 0}};
  b.dt = 100;
  AnalysisInput in;
  in.batch = &b;
  const AnalysisResult r = run_loss(net, in, {{"batches", 4.0}});
  BOOST_TEST(test::number(r, "loss") == 13.0 / 12.0, boost::test_tools::tolerance(1e-15));
  BOOST_TEST(test::number(r, "batches") == 1.0);  // a fixed batch is evaluated once
  BOOST_TEST(test::number(r, "loss_std") == 0.0);
}

// On a task: the mean over `batches` fresh batches, each batch's loss equal
// to what bptt reports for it (double precision, cross-entropy on DMS).
BOOST_AUTO_TEST_CASE(task_batches_match_the_rule) {
  auto task = test::builtin().make_task("delay_match_sample", {{"batch", 8.0}});
  const Network net = test::small_network(3, 12, 3, 1.2, 0.0, false);
  AnalysisInput in;
  in.task = task.get();
  const AnalysisResult r = run_loss(net, in, {{"batches", 3.0}});
  auto rule = test::builtin().make_rule("bptt", {});
  rule->begin(net, 1);
  std::vector<double> losses;
  for (std::uint64_t i = 0; i < 3; ++i) {
    const Batch batch = in.make(derive_seed(5, i));
    Gradient g;
    rule->gradient(net, batch, g);
    losses.push_back(g.loss);
  }
  const double mean = (losses[0] + losses[1] + losses[2]) / 3;
  BOOST_TEST(test::number(r, "loss") == mean, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(test::number(r, "batches") == 3.0);
  BOOST_TEST(test::number(r, "loss_std") > 0.0);  // three different batches
  BOOST_TEST(losses[0] != losses[1]);
}

BOOST_AUTO_TEST_SUITE_END()
