// The 2AF perceptual decision task: timeline, encoding, ground truth, noise
// statistics, streamed sequences and parameter checks.
#include <boost/test/unit_test.hpp>

#include <rnnlab/sdk/error.hpp>
#include <rnnlab/app/trainer.hpp>

#include <chrono>
#include <cmath>
#include <set>

#include "support.hpp"

using namespace rnnlab;

namespace {

Batch make(std::map<std::string, Value> params, std::uint64_t seed) {
  Batch b;
  test::builtin().make_task("perceptual_decision", params)->generate(seed, b);
  return b;
}

// The target action of trial i at step s (y is one-hot).
arma::uword action(const Batch& b, std::size_t i, std::size_t s) {
  arma::uword k = 0;
  for (arma::uword j = 1; j < b.outputs(); ++j)
    if (b.y(j, i, s) > b.y(k, i, s)) k = j;
  return k;
}

void check_one_hot(const Batch& b) {
  for (std::size_t s = 0; s < b.steps(); ++s)
    for (std::size_t i = 0; i < b.size(); ++i) {
      double sum = 0;
      for (std::size_t k = 0; k < b.outputs(); ++k) {
        BOOST_TEST((b.y(k, i, s) == 0.0 || b.y(k, i, s) == 1.0));
        sum += b.y(k, i, s);
      }
      BOOST_TEST(sum == 1.0);
    }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(perceptual_decision)

BOOST_AUTO_TEST_CASE(shapes_and_defaults) {
  auto task = test::builtin().make_task("perceptual_decision", {});
  const TaskInfo info = task->info();
  BOOST_TEST(info.inputs == 3u);
  BOOST_TEST(info.outputs == 3u);
  BOOST_TEST(info.dt == 100.0);
  BOOST_TEST((info.loss == LossKind::CrossEntropy));
  const Batch b = make({}, 1);
  BOOST_TEST(b.size() == 32u);
  BOOST_TEST(b.steps() == 22u);  // 100 + 2000 + 100 ms at 100 ms
  BOOST_TEST(b.outputs() == 3u);
  BOOST_TEST((b.loss == LossKind::CrossEntropy));
  BOOST_TEST(b.dt == 100.0);
  BOOST_TEST(b.task == "perceptual_decision");
  BOOST_TEST(b.truth.size() == 32u);
  BOOST_TEST(b.decision.n_rows == 32u);
  BOOST_TEST(b.decision.n_cols == 22u);
  BOOST_TEST(arma::all(arma::vectorise(b.mask) == 1.0));  // cross-entropy at every step
  BOOST_TEST(b.x.is_finite());
  check_one_hot(b);
  b.validate();
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
        BOOST_TEST(action(b, i, s) == (deciding ? static_cast<arma::uword>(b.truth[i]) : 0u));
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
  // σ scales the noise of the same trials: x(σ) − x(0) is the noise alone.
  for (double dt : {100.0, 50.0}) {
    for (std::string on : {"stimulus", "all"}) {
      const std::map<std::string, Value> p{{"batch", 2000.0}, {"dt", dt}, {"noise_on", on}};
      std::map<std::string, Value> clean = p;
      clean["sigma"] = 0.0;
      const Batch noisy = make(p, 5), base = make(clean, 5);
      BOOST_TEST((noisy.truth == base.truth));
      const std::size_t k = static_cast<std::size_t>(100.0 / dt);
      const std::size_t fix = k, stim_end = 21 * k;
      const std::size_t first_noisy = on == "all" ? 0 : 1;
      for (std::size_t ch = 0; ch < 3; ++ch) {
        double sum = 0, sq = 0, quad = 0, n = 0, beyond = 0, elsewhere = 0;
        const double expected = 1.0 / std::sqrt(dt);  // σ/√dt, σ = 1
        for (std::size_t i = 0; i < noisy.size(); ++i)
          for (std::size_t s = 0; s < noisy.steps(); ++s) {
            const double e = noisy.x(ch, i, s) - base.x(ch, i, s);
            if (ch >= first_noisy && s >= fix && s < stim_end) {
              sum += e, sq += e * e, quad += e * e * e * e, n += 1;
              beyond += std::abs(e) > 2 * expected;
            } else {
              elsewhere = std::max(elsewhere, std::abs(e));
            }
          }
        BOOST_TEST(elsewhere == 0.0);
        if (ch < first_noisy) continue;
        const double mean = sum / n, std = std::sqrt(sq / n - mean * mean);
        BOOST_TEST(std::abs(mean) < 4 * expected / std::sqrt(n));
        BOOST_TEST(std == expected, boost::test_tools::tolerance(0.02));
        // Gaussian shape (n ≥ 40000): kurtosis 3 (SE ≈ 0.025), P(|e| > 2 std) = 4.55% (SE ≈ 0.1%).
        BOOST_TEST(quad / n / (expected * expected * expected * expected) == 3.0, boost::test_tools::tolerance(0.04));
        BOOST_TEST(beyond / n == 0.0455, boost::test_tools::tolerance(0.1));
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(deterministic_in_the_seed) {
  const Batch a = make({}, 11), b = make({}, 11), c = make({}, 12);
  BOOST_TEST(arma::approx_equal(a.x, b.x, "absdiff", 0.0));
  BOOST_TEST(arma::approx_equal(a.y, b.y, "absdiff", 0.0));
  BOOST_TEST((a.truth == b.truth));
  BOOST_TEST(!arma::approx_equal(a.x, c.x, "absdiff", 0.0));
  BOOST_TEST((a.truth != c.truth));
}

BOOST_AUTO_TEST_CASE(streamed_sequences) {
  // Aligned start: trials of 22 steps back to back, the last one cut at 100.
  const Batch a = make({{"batch", 50.0}, {"sequence", 100.0}, {"start", std::string("trial")}, {"sigma", 0.0}}, 2);
  BOOST_TEST(a.steps() == 100u);
  BOOST_TEST(a.size() == 50u);
  BOOST_TEST(a.truth.empty());
  BOOST_TEST(arma::all(arma::vectorise(a.mask) == 1.0));
  check_one_hot(a);
  a.validate();
  std::size_t differ = 0;
  for (std::size_t i = 0; i < a.size(); ++i)
    for (std::size_t s = 0; s < a.steps(); ++s) {
      const std::size_t phase = s % 22, trial_start = s - phase;
      BOOST_TEST(a.decision(i, s) == (phase == 21 ? 1.0 : 0.0));
      BOOST_TEST(a.x(0, i, s) == (phase == 21 ? 0.0 : 1.0));
      BOOST_TEST((action(a, i, s) != 0) == (phase == 21));
      // Each trial's target follows its own stimulus (coherence > 0).
      const double s1 = a.x(1, i, trial_start + 1), s2 = a.x(2, i, trial_start + 1);
      if (phase == 21 && s1 != s2) BOOST_TEST(action(a, i, s) == (s1 > s2 ? 1u : 2u));
      if (phase == 1 && s >= 22) differ += a.x(1, i, s) != a.x(1, i, s - 22);
    }
  BOOST_TEST(differ > 100u);  // trials in a column are drawn anew
  // Random start: the first decision step of a column is spread over a trial.
  const Batch r = make({{"batch", 400.0}, {"sequence", 100.0}}, 2);
  std::set<std::size_t> first_decision;
  for (std::size_t i = 0; i < r.size(); ++i)
    for (std::size_t s = 0; s < r.steps(); ++s)
      if (r.decision(i, s) == 1.0) {
        first_decision.insert(s);
        break;
      }
  BOOST_TEST(first_decision.size() == 22u);
  BOOST_TEST(*first_decision.begin() == 0u);
  BOOST_TEST(*first_decision.rbegin() == 21u);
}

BOOST_AUTO_TEST_CASE(invalid_parameters_are_rejected) {
  BOOST_CHECK_THROW(make({{"dt", 200.0}}, 1), Error);  // longer than the decision period
  BOOST_CHECK_THROW(make({{"batch", 0.0}}, 1), Error);
  BOOST_CHECK_THROW(make({{"sigma", -1.0}}, 1), Error);
  BOOST_CHECK_THROW(make({{"sequence", -5.0}}, 1), Error);
  BOOST_CHECK_THROW(make({{"noise_on", std::string("fixation")}}, 1), Error);
  BOOST_CHECK_THROW(make({{"cohs", std::string("")}}, 1), Error);
  BOOST_CHECK_THROW(make({{"cohs", std::string("10, abc")}}, 1), Error);
  BOOST_CHECK_THROW(make({{"cohs", std::string("150")}}, 1), Error);
  BOOST_CHECK_THROW(make({{"coherence", 1.0}}, 1), Error);  // unknown key
  const Batch b = make({{"cohs", std::string("100")}, {"sigma", 0.0}}, 1);
  for (std::size_t i = 0; i < b.size(); ++i) BOOST_TEST(b.x(b.truth[i], i, 1) == 1.0);
}

BOOST_AUTO_TEST_CASE(bptt_learns_the_task) {
  // Paper setup: N = 64, gain 1.0, α = 0 (dt = τ = 100 ms), Adam, batch 32.
  auto task = test::builtin().make_task("perceptual_decision", {});
  NetworkConfig c;
  c.shape = {3, 64, 3, false};
  c.alpha = 0.0;
  c.gain = 1.0;
  c.seed = 1;
  Network net(c);
  auto rule = test::builtin().make_rule("bptt", {});
  auto adam = test::builtin().make_optimizer("adam", {{"lr", 3e-3}});
  auto accuracy = test::builtin().make_analysis("accuracy", {{"batches", 16.0}});  // 512 held-out trials
  AnalysisInput held_out;
  held_out.task = task.get();
  auto percent = [&] { return std::get<double>(accuracy->run(net, held_out, 99).front().second); };
  const double before = percent();
  TrainOptions o;
  o.iterations = 2000;
  o.log_every = 500;
  o.seed = 1;
  const TrainResult r = train(net, *task, *rule, *adam, o);
  const double after = percent();
  Batch b;  // batch generation against a whole training iteration
  const auto start = std::chrono::steady_clock::now();
  for (std::uint64_t i = 0; i < 1000; ++i) task->generate(i, b);
  const double generate_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count() / 1000;
  const double iteration_ms = 1e3 * r.seconds / static_cast<double>(r.iterations_done);
  BOOST_TEST_MESSAGE("perceptual_decision/bptt: accuracy " << before << "% -> " << after << "% after " << r.iterations_done
                     << " iterations (loss " << r.losses.front().second << " -> " << r.final_loss << "); "
                     << iteration_ms << " ms/iteration, batch generation " << generate_ms << " ms ("
                     << 100 * generate_ms / iteration_ms << "%)");
  BOOST_TEST(!r.diverged);
  BOOST_TEST(after > 75.0);  // chance 50%; measured: see README
}

BOOST_AUTO_TEST_SUITE_END()

