// The 2AF perceptual decision task: timeline, encoding, ground truth, noise
// statistics, streamed sequences and parameter checks (the checks every
// action task shares are in tests/unit/action_tasks.hpp).
#include <boost/test/unit_test.hpp>

#include <rnnlab/sdk/error.hpp>

#include <cmath>
#include <set>

#include "action_tasks.hpp"

using namespace rnnlab;
using test::action::target;

namespace {

Batch make(std::map<std::string, Value> params, std::uint64_t seed) {
  return test::task_batch("perceptual_decision", params, seed);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(perceptual_decision)

BOOST_AUTO_TEST_CASE(shapes_and_defaults) {
  test::action::check_frame("perceptual_decision", 22);  // 100 + 2000 + 100 ms at 100 ms
}

BOOST_AUTO_TEST_CASE(timeline_in_steps_for_two_time_steps) {
  for (double dt : {100.0, 50.0}) {
    const std::size_t k = static_cast<std::size_t>(100.0 / dt);  // steps per 100 ms
    const std::size_t fix = 1 * k, stim_end = fix + 20 * k, delay_end = stim_end + 3 * k, end = delay_end + 1 * k;
    const Batch b = make({{"batch", 200.0}, {"dt", dt}, {"delay", 300.0}}, 7);
    BOOST_TEST(b.steps() == end);
    for (std::size_t i = 0; i < b.size(); ++i) {
      BOOST_TEST((b.truth[i] == 1 || b.truth[i] == 2));
      for (std::size_t s = 0; s < b.steps(); ++s) {
        const bool stimulus = s >= fix && s < stim_end, deciding = s >= delay_end;
        BOOST_TEST(b.x(0, i, s) == (deciding ? 0.0 : 1.0));  // fixation cue: noiseless by default
        if (!stimulus) {
          BOOST_TEST(b.x(1, i, s) == 0.0);
          BOOST_TEST(b.x(2, i, s) == 0.0);
        } else {
          BOOST_TEST(b.x(1, i, s) != 0.0);
        }
        BOOST_TEST(b.decision(i, s) == (deciding ? 1.0 : 0.0));
        BOOST_TEST(target(b, i, s) == (deciding ? static_cast<arma::uword>(b.truth[i]) : 0u));
      }
    }
  }
  // Periods are truncated to whole steps: 150 ms at dt 100 is one step.
  const Batch b = make({{"fixation", 150.0}, {"stimulus", 990.0}, {"decision", 250.0}}, 1);
  BOOST_TEST(b.steps() == 1u + 9u + 2u);
}

BOOST_AUTO_TEST_CASE(ground_truth_is_the_sign_of_the_coherence) {
  const Batch b = make({{"batch", 5000.0}, {"sigma", 0.0}}, 3);
  const std::set<double> levels{0, 6.4, 12.8, 25.6, 51.2};
  std::map<double, std::size_t> count;
  std::size_t first = 0, zero_first = 0;
  for (std::size_t i = 0; i < b.size(); ++i) {
    const double s1 = b.x(1, i, 1), s2 = b.x(2, i, 1);
    BOOST_TEST(s1 + s2 == 1.0, boost::test_tools::tolerance(1e-12));
    const double coh = std::round(std::abs(s1 - s2) * 1000.0) / 10.0;  // |c| in percent
    BOOST_TEST(levels.count(coh) == 1u);
    ++count[coh];
    if (coh > 0) BOOST_TEST(b.truth[i] == (s1 > s2 ? 1 : 2));  // the larger stimulus
    first += b.truth[i] == 1;
    if (coh == 0) zero_first += b.truth[i] == 1;
    // The stimulus is constant over the stimulus period without noise.
    for (std::size_t s = 1; s < 21; ++s) {
      BOOST_TEST(b.x(1, i, s) == s1);
      BOOST_TEST(b.x(2, i, s) == s2);
    }
  }
  BOOST_TEST(first > 2350u);  // balanced choices
  BOOST_TEST(first < 2650u);
  for (double c : levels) {  // each level ~ 1000 trials
    BOOST_TEST(count[c] > 880u);
    BOOST_TEST(count[c] < 1120u);
  }
  // At zero coherence the correct choice is random.
  BOOST_TEST(zero_first > 0.4 * static_cast<double>(count[0]));
  BOOST_TEST(zero_first < 0.6 * static_cast<double>(count[0]));
}

BOOST_AUTO_TEST_CASE(noise_statistics) {
  // Noise only in the stimulus period (steps k … 21k); n ≥ 40000 per
  // channel, so the Gaussian shape is checked too (kurtosis SE ≈ 0.025,
  // 2σ tail SE ≈ 0.1%).
  test::action::check_noise("perceptual_decision", 2000, [](std::size_t s, std::size_t k) { return s >= k && s < 21 * k; },
                            true);
}

BOOST_AUTO_TEST_CASE(deterministic_in_the_seed) { test::action::check_determinism("perceptual_decision"); }

BOOST_AUTO_TEST_CASE(streamed_sequences) {
  // Aligned start: trials of 22 steps back to back, the last one cut at 100.
  const Batch a = make({{"batch", 50.0}, {"sequence", 100.0}, {"start", std::string("trial")}, {"sigma", 0.0}}, 2);
  BOOST_TEST(a.steps() == 100u);
  BOOST_TEST(a.size() == 50u);
  BOOST_TEST(a.truth.empty());
  BOOST_TEST(arma::all(arma::vectorise(a.mask) == 1.0));
  test::action::check_one_hot(a);
  a.validate();
  std::size_t differ = 0;
  for (std::size_t i = 0; i < a.size(); ++i)
    for (std::size_t s = 0; s < a.steps(); ++s) {
      const std::size_t phase = s % 22, trial_start = s - phase;
      BOOST_TEST(a.decision(i, s) == (phase == 21 ? 1.0 : 0.0));
      BOOST_TEST(a.x(0, i, s) == (phase == 21 ? 0.0 : 1.0));
      BOOST_TEST((target(a, i, s) != 0) == (phase == 21));
      // Each trial's target follows its own stimulus (coherence > 0).
      const double s1 = a.x(1, i, trial_start + 1), s2 = a.x(2, i, trial_start + 1);
      if (phase == 21 && s1 != s2) BOOST_TEST(target(a, i, s) == (s1 > s2 ? 1u : 2u));
      if (phase == 1 && s >= 22) differ += a.x(1, i, s) != a.x(1, i, s - 22);
    }
  BOOST_TEST(differ > 100u);  // trials in a column are drawn anew
  // Random start: the first decision step of a column is spread over a trial.
  const Batch r = make({{"batch", 400.0}, {"sequence", 100.0}}, 2);
  const std::set<std::size_t> first_decision = test::action::first_decision_steps(r);
  BOOST_TEST(first_decision.size() == 22u);
  BOOST_TEST(*first_decision.begin() == 0u);
  BOOST_TEST(*first_decision.rbegin() == 21u);
}

BOOST_AUTO_TEST_CASE(invalid_parameters_are_rejected) {
  test::action::check_shared_parameters("perceptual_decision");
  BOOST_CHECK_THROW(make({{"dt", 200.0}}, 1), Error);  // longer than the decision period
  BOOST_CHECK_THROW(make({{"cohs", std::string("")}}, 1), Error);
  BOOST_CHECK_THROW(make({{"cohs", std::string("10, abc")}}, 1), Error);
  BOOST_CHECK_THROW(make({{"cohs", std::string("150")}}, 1), Error);
  BOOST_CHECK_THROW(make({{"coherence", 1.0}}, 1), Error);  // unknown key
  const Batch b = make({{"cohs", std::string("100")}, {"sigma", 0.0}}, 1);
  for (std::size_t i = 0; i < b.size(); ++i) BOOST_TEST(b.x(b.truth[i], i, 1) == 1.0);
}

BOOST_AUTO_TEST_CASE(bptt_learns_the_task) {
  test::action::check_bptt_learns("perceptual_decision", 3e-3, 2000, 75.0);
}

BOOST_AUTO_TEST_SUITE_END()

