// The Romo task: timeline, encoding, mask and ground truth.
#include <boost/test/unit_test.hpp>

#include <rnnlab/sdk/error.hpp>

#include "support.hpp"

using namespace rnnlab;

namespace {

struct Trial {
  std::size_t f1 = 0, f1_end = 0, f2 = 0, f2_end = 0;
  double a1 = 0, a2 = 0;
};

// Reads a trial's stimulus onsets and amplitudes back from its input.
Trial read_trial(const Batch& b, std::size_t i) {
  Trial t;
  std::vector<std::pair<std::size_t, std::size_t>> runs;
  for (std::size_t s = 0; s < b.steps(); ++s) {
    if (b.x(0, i, s) != 0.0 && (s == 0 || b.x(0, i, s - 1) == 0.0)) runs.push_back({s, s});
    if (b.x(0, i, s) != 0.0) runs.back().second = s + 1;
  }
  BOOST_TEST_REQUIRE(runs.size() == 2u);
  t.f1 = runs[0].first, t.f1_end = runs[0].second, t.f2 = runs[1].first, t.f2_end = runs[1].second;
  t.a1 = b.x(0, i, t.f1);
  t.a2 = b.x(0, i, t.f2);
  return t;
}

Batch make(std::map<std::string, Value> params, std::uint64_t seed) { return test::task_batch("romo", params, seed); }

}  // namespace

BOOST_AUTO_TEST_SUITE(romo)

BOOST_AUTO_TEST_CASE(shapes_and_defaults) {
  auto task = test::builtin().make_task("romo", {});
  const TaskInfo info = task->info();
  BOOST_TEST(info.inputs == 1u);
  BOOST_TEST(info.outputs == 2u);
  BOOST_TEST(info.dt == 50.0);
  BOOST_TEST((info.loss == LossKind::MSE));
  const Batch b = make({}, 1);
  BOOST_TEST(b.size() == 32u);
  BOOST_TEST(b.steps() == 56u);  // 2800 ms at 50 ms
  BOOST_TEST(b.y.n_rows == 2u);
  BOOST_TEST(b.mask.n_rows == 32u);
  BOOST_TEST(b.truth.size() == 32u);
}

BOOST_AUTO_TEST_CASE(timeline_in_steps_for_two_time_steps) {
  for (double dt : {50.0, 25.0}) {
    const double k = 50.0 / dt;  // steps per 50 ms
    const Batch b = make({{"batch", 400.0}, {"dt", dt}}, 7);
    BOOST_TEST(b.steps() == static_cast<std::size_t>(56 * k));
    std::size_t shortest = 1000, longest = 0;
    for (std::size_t i = 0; i < b.size(); ++i) {
      const Trial t = read_trial(b, i);
      BOOST_TEST(t.f1 == static_cast<std::size_t>(6 * k));               // fixation 300 ms
      BOOST_TEST(t.f1_end - t.f1 == static_cast<std::size_t>(2 * k));    // stimulus 100 ms
      BOOST_TEST(t.f2_end - t.f2 == static_cast<std::size_t>(2 * k));
      const std::size_t delay = t.f2 - t.f1_end;                          // U(200, 800) ms, floored
      shortest = std::min(shortest, delay);
      longest = std::max(longest, delay);
      BOOST_TEST(delay >= static_cast<std::size_t>(4 * k));
      BOOST_TEST(delay <= static_cast<std::size_t>(16 * k));
      const std::size_t respond = t.f2_end + static_cast<std::size_t>(10 * k);  // decision delay 500 ms
      const std::size_t respond_end = respond + static_cast<std::size_t>(20 * k);  // decision 1000 ms
      for (std::size_t s = 0; s < b.steps(); ++s) {
        const bool scored = s < t.f2_end || (s >= respond && s < respond_end);
        BOOST_TEST(b.mask(i, s) == (scored ? 1.0 : 0.0));
        const bool deciding = s >= respond && s < respond_end;
        BOOST_TEST(b.decision(i, s) == (deciding ? 1.0 : 0.0));
        BOOST_TEST(b.y(static_cast<arma::uword>(b.truth[i]), i, s) == (deciding ? 0.5 : 0.0));
        BOOST_TEST(b.y(static_cast<arma::uword>(1 - b.truth[i]), i, s) == 0.0);
      }
    }
    // Over 400 trials the delay covers its range.
    BOOST_TEST(shortest <= static_cast<std::size_t>(5 * k));
    BOOST_TEST(longest >= static_cast<std::size_t>(15 * k));
  }
}

BOOST_AUTO_TEST_CASE(ground_truth_and_amplitudes) {
  const Batch b = make({{"batch", 2000.0}}, 3);
  double sum = 0;
  std::size_t first_larger = 0;
  for (std::size_t i = 0; i < b.size(); ++i) {
    const Trial t = read_trial(b, i);
    BOOST_TEST(t.a1 >= 0.5);
    BOOST_TEST(t.a1 < 1.5);
    BOOST_TEST(t.a2 >= 0.5);
    BOOST_TEST(t.a2 < 1.5);
    BOOST_TEST(std::abs(t.a1 - t.a2) >= 0.2);
    BOOST_TEST(b.truth[i] == (t.a1 > t.a2 ? 0 : 1));
    sum += t.a1 + t.a2;
    first_larger += b.truth[i] == 0;
  }
  BOOST_TEST(sum / (2.0 * b.size()) == 1.0, boost::test_tools::tolerance(0.02));
  BOOST_TEST(first_larger > 900u);  // balanced classes
  BOOST_TEST(first_larger < 1100u);
}

BOOST_AUTO_TEST_CASE(deterministic_in_the_seed) {
  const Batch a = make({}, 11), b = make({}, 11), c = make({}, 12);
  BOOST_TEST(arma::approx_equal(a.x, b.x, "absdiff", 0.0));
  BOOST_TEST(arma::approx_equal(a.mask, b.mask, "absdiff", 0.0));
  BOOST_TEST(!arma::approx_equal(a.x, c.x, "absdiff", 0.0));
}

BOOST_AUTO_TEST_CASE(inconsistent_parameters_are_rejected) {
  BOOST_CHECK_THROW(make({{"delay_min", 900.0}}, 1), Error);
  BOOST_CHECK_THROW(make({{"min_diff", 2.0}}, 1), Error);
  BOOST_CHECK_THROW(make({{"dt", 200.0}}, 1), Error);  // longer than a stimulus
  BOOST_CHECK_THROW(make({{"batch", 0.0}}, 1), Error);
}

BOOST_AUTO_TEST_SUITE_END()
