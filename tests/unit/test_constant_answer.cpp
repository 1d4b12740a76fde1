// The "same answer on every trial" level (constant_answer.cpp) on batches
// whose level is known by hand, and Task::constant_loss's default.
#include <boost/test/unit_test.hpp>

#include <rnnlab/sdk/dynamics.hpp>
#include <rnnlab/sdk/error.hpp>
#include <rnnlab/sdk/random.hpp>

#include <cmath>

#include "support.hpp"

using namespace rnnlab;

namespace {

// Two trials of three steps, one output; decision period at step 2.
//   trial 0: targets 0, 0, 1     trial 1: targets 0.4, 0, 0
// Outside the decision period the best constant is the mean 0.1 (squared
// deviations 0.12); in it 0.5 (0.5): level (0.12 + 0.5) / 6.
Batch mse_batch() {
  Batch b;
  b.x.zeros(1, 2, 3);
  b.y.zeros(1, 2, 3);
  b.mask.ones(2, 3);
  b.decision.zeros(2, 3);
  b.decision(0, 2) = b.decision(1, 2) = 1.0;
  b.y(0, 0, 2) = 1.0;
  b.y(0, 1, 0) = 0.4;
  return b;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(constant_answer)

BOOST_AUTO_TEST_CASE(mse_by_hand) {
  const auto tol = boost::test_tools::tolerance(1e-14);
  BOOST_TEST(constant_answer_loss(mse_batch()) == 0.62 / 6.0, tol);
  Batch b = mse_batch();
  b.mask(1, 1) = 0.0;  // an unscored step: outside, 0, 0, 0.4 around 0.4/3 (0.32/3)
  BOOST_TEST(constant_answer_loss(b) == (0.32 / 3.0 + 0.5) / 5.0, tol);
  b = mse_batch();
  b.decision.reset();  // no decision period: one class, mean 1.4/6 over all six steps
  const double mean = 1.4 / 6.0;
  const double dev = 4 * mean * mean + std::pow(1.0 - mean, 2) + std::pow(0.4 - mean, 2);
  BOOST_TEST(constant_answer_loss(b) == dev / 6.0, tol);
  // Two channels: the mean over channels (a constant second channel adds 0).
  b = mse_batch();
  b.y.resize(2, 2, 3);
  b.y.row(1).fill(0.7);
  BOOST_TEST(constant_answer_loss(b) == 0.62 / 12.0, tol);
}

BOOST_AUTO_TEST_CASE(pooled_batches_equal_one_batch) {
  const Batch b = mse_batch();
  Batch first = b, second = b;
  for (Batch* part : {&first, &second}) {
    const arma::uword keep = part == &first ? 0 : 1;
    part->x = b.x.cols(keep, keep);
    part->y = b.y.cols(keep, keep);
    part->mask = b.mask.rows(keep, keep);
    part->decision = b.decision.rows(keep, keep);
  }
  BOOST_TEST(constant_answer_loss({&first, &second}) == constant_answer_loss(b), boost::test_tools::tolerance(1e-14));
}

BOOST_AUTO_TEST_CASE(cross_entropy_by_hand) {
  // Decision steps: answer 0 in trial 0, 1 in trial 1 (ln 2 each at the
  // best constant (½, ½)); the four other steps always 0 (0 at (1, 0)).
  Batch b;
  b.loss = LossKind::CrossEntropy;
  b.x.zeros(1, 2, 3);
  b.y.zeros(2, 2, 3);
  b.y.row(0).fill(1.0);
  b.y(0, 1, 2) = 0.0;
  b.y(1, 1, 2) = 1.0;
  b.mask.ones(2, 3);
  b.decision.zeros(2, 3);
  b.decision.col(2).fill(1.0);
  BOOST_TEST(constant_answer_loss(b) == 2.0 * std::log(2.0) / 6.0, boost::test_tools::tolerance(1e-14));
}

BOOST_AUTO_TEST_CASE(romo_with_a_fixed_delay) {
  // Fixed timing: 14 fixation steps with targets 0, then the decision
  // period's 20 steps, where a channel is 0.5 in the trials whose answer
  // it is (a share p) and 0 otherwise: variance 0.25 p (1 − p) a channel.
  auto task = test::builtin().make_task("romo", {{"delay_min", 200.0}, {"delay_max", 200.0}});
  Batch b;
  task->generate(5, b);
  double p = 0;
  for (int t : b.truth) p += t == 0;
  p /= static_cast<double>(b.size());
  BOOST_TEST(p > 0.0);
  BOOST_TEST(p < 1.0);
  BOOST_TEST(constant_answer_loss(b) == 20.0 / 34.0 * 0.25 * p * (1 - p), boost::test_tools::tolerance(1e-14));
  // The task's level pools 4096 trials (128 batches of 32): p near ½.
  std::vector<Batch> batches(128);
  std::vector<const Batch*> pointers;
  for (std::size_t i = 0; i < batches.size(); ++i) {
    task->generate(derive_seed(9, i), batches[i]);
    pointers.push_back(&batches[i]);
  }
  const double level = task->constant_loss(9);
  BOOST_TEST(level == constant_answer_loss(pointers), boost::test_tools::tolerance(1e-14));
  BOOST_TEST(level == 20.0 / 34.0 * 0.0625, boost::test_tools::tolerance(2e-3));
}

BOOST_AUTO_TEST_CASE(unusable_batches_are_refused) {
  Batch b = mse_batch();
  b.mask.zeros();
  BOOST_CHECK_THROW(constant_answer_loss(b), Error);
  Batch ce = mse_batch();
  ce.loss = LossKind::CrossEntropy;
  const Batch mse = mse_batch();
  BOOST_CHECK_THROW(constant_answer_loss({&mse, &ce}), Error);
}

BOOST_AUTO_TEST_SUITE_END()
