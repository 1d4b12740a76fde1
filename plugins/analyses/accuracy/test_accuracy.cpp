// The accuracy analysis on hand-built networks and batches whose answer is
// known.
#include <boost/test/unit_test.hpp>

#include <rnnlab/sdk/error.hpp>
#include <rnnlab/sdk/random.hpp>

#include <cmath>

#include "support.hpp"

using namespace rnnlab;

namespace {

// Reads the result's value `key` as a number or text.
using test::number;
std::string text(const AnalysisResult& r, const std::string& key) {
  for (const auto& [k, v] : r)
    if (k == key) return std::get<std::string>(v);
  BOOST_FAIL("no value " << key);
  return {};
}
bool has(const AnalysisResult& r, const std::string& key) {
  for (const auto& [k, v] : r)
    if (k == key) return true;
  return false;
}

AnalysisResult run(const Network& net, const Batch& batch, std::map<std::string, Value> params = {}) {
  return test::analyse("accuracy", net, batch, params, 1);
}

// ŷ[t] = ReLU(x[t]) on three channels.
Network pass_through() { return test::pass_through(3); }

// Five trials of three steps, decision period at steps 1–2, answers 1 or 2:
//   0: right at both steps          → right
//   1: wrong at step 1, right at 2  → right on the mean (3 vs 4)
//   2: wrong at both steps          → wrong
//   3: right; a large wrong output at step 0 lies outside the decision period
//   4: no decision period           → not scored
Batch known_batch() {
  Batch b;
  b.x.zeros(3, 5, 3);
  b.y.zeros(3, 5, 3);
  b.mask.ones(5, 3);
  b.decision.zeros(5, 3);
  b.loss = LossKind::CrossEntropy;
  b.truth = {1, 2, 1, 2, 1};
  for (std::size_t i = 0; i < 4; ++i) b.decision(i, 1) = b.decision(i, 2) = 1.0;
  for (std::size_t i = 0; i < 5; ++i)
    for (std::size_t t = 0; t < 3; ++t) b.y(b.decision(i, t) > 0 ? b.truth[i] : 0, i, t) = 1.0;
  b.x(1, 0, 1) = b.x(1, 0, 2) = 1.0;
  b.x(1, 1, 1) = 3.0, b.x(2, 1, 2) = 4.0;
  b.x(2, 2, 1) = b.x(2, 2, 2) = 1.0;
  b.x(1, 3, 0) = 100.0, b.x(2, 3, 1) = b.x(2, 3, 2) = 1.0;
  b.x(2, 4, 1) = 5.0;
  return b;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(accuracy)

BOOST_AUTO_TEST_CASE(mean_output_over_the_decision_period) {
  const AnalysisResult r = run(pass_through(), known_batch());
  BOOST_TEST(number(r, "accuracy") == 75.0);
  BOOST_TEST(number(r, "trials") == 4.0);
  BOOST_TEST(number(r, "chance") == 50.0);    // two answers occur
  BOOST_TEST(number(r, "majority") == 50.0);  // two of each
  BOOST_TEST(text(r, "by") == "trial");
  BOOST_TEST(!has(r, "steps"));
}

BOOST_AUTO_TEST_CASE(per_step_scoring_without_truth) {
  Batch b = known_batch();
  b.truth.clear();  // as in a streamed sequence: score each decision step against y
  const AnalysisResult r = run(pass_through(), b);
  BOOST_TEST(text(r, "by") == "step");
  BOOST_TEST(number(r, "steps") == 8.0);
  BOOST_TEST(number(r, "trials") == 4.0);
  BOOST_TEST(number(r, "accuracy") == 62.5);  // 2 + 1 + 0 + 2 of 8 steps
  // The same scoring can be asked for when truth exists.
  const AnalysisResult s = run(pass_through(), known_batch(), {{"by", std::string("step")}});
  BOOST_TEST(number(s, "accuracy") == 62.5);
  BOOST_CHECK_THROW(run(pass_through(), b, {{"by", std::string("trial")}}), Error);
}

BOOST_AUTO_TEST_CASE(constant_output_scores_the_share_of_its_channel) {
  NetworkConfig c;
  c.shape = {3, 16, 3, true};
  c.alpha = 0.0;
  Network net(c);
  net.params().W_out.zeros();
  net.params().b_out = {0.0, 0.0, 1.0};  // always answers channel 2
  for (const std::string task : {"perceptual_decision", "delay_match_sample"}) {
    Batch b;
    test::builtin().make_task(task, {{"batch", 500.0}})->generate(9, b);
    double share = 0;
    for (int t : b.truth) share += t == 2;
    share *= 100.0 / static_cast<double>(b.size());
    const AnalysisResult r = run(net, b);
    BOOST_TEST(number(r, "accuracy") == share, boost::test_tools::tolerance(1e-12));
    BOOST_TEST(number(r, "majority") == std::max(share, 100.0 - share), boost::test_tools::tolerance(1e-12));
    BOOST_TEST(number(r, "trials") == 500.0);
    BOOST_TEST(number(r, "chance") == 50.0);
  }
}

BOOST_AUTO_TEST_CASE(task_batches_are_seeded) {
  const Network net = test::small_network(3, 16, 3, 1.0, 0.0, false);
  auto task = test::builtin().make_task("perceptual_decision", {});
  auto analysis = test::builtin().make_analysis("accuracy", {{"batches", 4.0}});
  AnalysisInput in;
  in.task = task.get();
  const AnalysisResult a = analysis->run(net, in, 5), b = analysis->run(net, in, 5);
  BOOST_TEST(number(a, "trials") == 4.0 * 32.0);
  BOOST_TEST(number(a, "accuracy") == number(b, "accuracy"));
  // Streamed sequences are scored per step.
  auto streamed = test::builtin().make_task("delay_match_sample", {{"sequence", 100.0}});
  in.task = streamed.get();
  const AnalysisResult s = analysis->run(net, in, 5);
  BOOST_TEST(text(s, "by") == "step");
  BOOST_TEST(number(s, "trials") == 4.0 * 32.0);
  BOOST_TEST(number(s, "steps") > 4.0 * 32.0 * 18.0);  // ≥ 2 decision periods of 9 steps per column
}

BOOST_AUTO_TEST_CASE(unusable_inputs_are_rejected) {
  Batch b = known_batch();
  b.decision.reset();
  BOOST_CHECK_THROW(run(pass_through(), b), Error);  // no decision period
  b = known_batch();
  b.decision.zeros();
  BOOST_CHECK_THROW(run(pass_through(), b), Error);
  b = known_batch();
  b.truth[0] = 7;
  BOOST_CHECK_THROW(run(pass_through(), b), Error);  // not an output channel
  BOOST_CHECK_THROW(run(test::small_network(2, 4, 3, 1.0, 0.0, false), known_batch()), Error);  // wrong inputs
  BOOST_CHECK_THROW(test::builtin().make_analysis("accuracy", {{"batches", 0.0}}), Error);
  BOOST_CHECK_THROW(test::builtin().make_analysis("accuracy", {{"by", std::string("trials")}}), Error);
  AnalysisInput none;
  BOOST_CHECK_THROW(test::builtin().make_analysis("accuracy", {})->run(pass_through(), none, 1), Error);
}

BOOST_AUTO_TEST_SUITE_END()
