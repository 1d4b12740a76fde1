// The delayed match-to-sample task: timeline, encoding, ground truth, noise
// statistics, streamed sequences and parameter checks (the checks every
// action task shares are in tests/unit/action_tasks.hpp).
#include <boost/test/unit_test.hpp>

#include <rnnlab/sdk/error.hpp>

#include <set>

#include "action_tasks.hpp"

using namespace rnnlab;
using test::action::target;

namespace {

Batch make(std::map<std::string, Value> params, std::uint64_t seed) {
  return test::task_batch("delay_match_sample", params, seed);
}

// The stimulus channel (1 or 2) that is on at step s of trial i, 0 if none.
std::size_t stimulus_channel(const Batch& b, std::size_t i, std::size_t s) {
  return b.x(1, i, s) > 0.5 ? 1 : (b.x(2, i, s) > 0.5 ? 2 : 0);
}

// Period boundaries in steps for k steps per 100 ms.
struct Timeline {
  std::size_t sample, delay, test, decision, end;
  explicit Timeline(std::size_t k)
      : sample(3 * k), delay(sample + 5 * k), test(delay + 10 * k), decision(test + 5 * k), end(decision + 9 * k) {}
};

}  // namespace

BOOST_AUTO_TEST_SUITE(delay_match_sample)

BOOST_AUTO_TEST_CASE(shapes_and_defaults) {
  test::action::check_frame("delay_match_sample", 32);  // 300 + 500 + 1000 + 500 + 900 ms at 100 ms
}

BOOST_AUTO_TEST_CASE(timeline_in_steps_for_two_time_steps) {
  for (double dt : {100.0, 50.0}) {
    const std::size_t k = static_cast<std::size_t>(100.0 / dt);
    const Timeline p(k);
    const Batch b = make({{"batch", 200.0}, {"dt", dt}, {"sigma", 0.0}}, 7);
    BOOST_TEST(b.steps() == p.end);
    for (std::size_t i = 0; i < b.size(); ++i) {
      const std::size_t sample = stimulus_channel(b, i, p.sample), test = stimulus_channel(b, i, p.test);
      BOOST_TEST((sample == 1 || sample == 2));
      BOOST_TEST((test == 1 || test == 2));
      for (std::size_t s = 0; s < b.steps(); ++s) {
        const bool deciding = s >= p.decision;
        BOOST_TEST(b.x(0, i, s) == (deciding ? 0.0 : 1.0));  // fixation cue
        const std::size_t on = s >= p.sample && s < p.delay ? sample : (s >= p.test && s < p.decision ? test : 0);
        BOOST_TEST(b.x(1, i, s) == (on == 1 ? 1.0 : 0.0));  // one-hot stimulus, zero otherwise
        BOOST_TEST(b.x(2, i, s) == (on == 2 ? 1.0 : 0.0));
        BOOST_TEST(b.decision(i, s) == (deciding ? 1.0 : 0.0));
        BOOST_TEST(target(b, i, s) == (deciding ? static_cast<arma::uword>(b.truth[i]) : 0u));
      }
    }
  }
  // Periods are truncated to whole steps.
  const Batch b = make({{"fixation", 150.0}, {"sample", 250.0}, {"delay", 0.0}, {"decision", 199.0}}, 1);
  BOOST_TEST(b.steps() == 1u + 2u + 0u + 5u + 1u);
}

BOOST_AUTO_TEST_CASE(match_iff_sample_equals_test) {
  const Batch b = make({{"batch", 4000.0}}, 3);  // with the default noise (std 0.1)
  const Timeline p(1);
  std::size_t match = 0, first_sample = 0;
  for (std::size_t i = 0; i < b.size(); ++i) {
    const std::size_t sample = stimulus_channel(b, i, p.sample), test = stimulus_channel(b, i, p.test);
    // The noisy stimulus is still read unambiguously at std 0.1 (a 5σ margin).
    BOOST_TEST_REQUIRE((sample == 1 || sample == 2));
    BOOST_TEST_REQUIRE((test == 1 || test == 2));
    BOOST_TEST(b.truth[i] == (sample == test ? 1 : 2));
    match += b.truth[i] == 1;
    first_sample += sample == 1;
  }
  BOOST_TEST(match > 1870u);  // balanced classes (±4σ)
  BOOST_TEST(match < 2130u);
  BOOST_TEST(first_sample > 1870u);
  BOOST_TEST(first_sample < 2130u);
}

BOOST_AUTO_TEST_CASE(noise_statistics) {
  // Noise in the sample and test periods only: none in fixation, delay and
  // decision, nor on the cue by default.
  test::action::check_noise(
      "delay_match_sample", 1000,
      [](std::size_t s, std::size_t k) {
        const Timeline t(k);
        return (s >= t.sample && s < t.delay) || (s >= t.test && s < t.decision);
      },
      false);
}

BOOST_AUTO_TEST_CASE(deterministic_in_the_seed) { test::action::check_determinism("delay_match_sample"); }

BOOST_AUTO_TEST_CASE(streamed_sequences) {
  // Aligned start: trials of 32 steps back to back, the last one cut at 100.
  const Batch a = make({{"batch", 50.0}, {"sequence", 100.0}, {"start", std::string("trial")}, {"sigma", 0.0}}, 2);
  BOOST_TEST(a.steps() == 100u);
  BOOST_TEST(a.truth.empty());
  BOOST_TEST(arma::all(arma::vectorise(a.mask) == 1.0));
  test::action::check_one_hot(a);
  a.validate();
  const Timeline p(1);
  for (std::size_t i = 0; i < a.size(); ++i)
    for (std::size_t s = 0; s < a.steps(); ++s) {
      const std::size_t phase = s % 32, start = s - phase;
      const bool deciding = phase >= p.decision;
      BOOST_TEST(a.decision(i, s) == (deciding ? 1.0 : 0.0));
      BOOST_TEST(a.x(0, i, s) == (deciding ? 0.0 : 1.0));
      if (deciding && start + p.test < a.steps()) {
        const bool same = stimulus_channel(a, i, start + p.sample) == stimulus_channel(a, i, start + p.test);
        BOOST_TEST(target(a, i, s) == (same ? 1u : 2u));
      }
      if (!deciding) BOOST_TEST(target(a, i, s) == 0u);
    }
  // Random start: the first decision step of a column covers a whole trial
  // (0–8 when the chunk starts inside a decision period, up to 31).
  const Batch r = make({{"batch", 600.0}, {"sequence", 100.0}}, 2);
  const std::set<std::size_t> first_decision = test::action::first_decision_steps(r);
  BOOST_TEST(first_decision.size() == 24u);  // 0 (start in a decision period) and 1–23
  BOOST_TEST(*first_decision.rbegin() == 23u);
}

BOOST_AUTO_TEST_CASE(invalid_parameters_are_rejected) {
  test::action::check_shared_parameters("delay_match_sample");
  BOOST_CHECK_THROW(make({{"dt", 600.0}}, 1), Error);  // longer than sample and test
  BOOST_CHECK_THROW(make({{"delay", -100.0}}, 1), Error);
  BOOST_CHECK_THROW(make({{"cohs", std::string("1")}}, 1), Error);  // perceptual_decision's, not ours
}

BOOST_AUTO_TEST_CASE(bptt_learns_the_task) {
  test::action::check_bptt_learns("delay_match_sample", 1e-3, 2500, 90.0);
}

BOOST_AUTO_TEST_SUITE_END()
