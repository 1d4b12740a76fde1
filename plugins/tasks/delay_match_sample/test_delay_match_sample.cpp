// The delayed match-to-sample task: timeline, encoding, ground truth, noise
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
  test::builtin().make_task("delay_match_sample", params)->generate(seed, b);
  return b;
}

// The target action of trial i at step s (y is one-hot).
arma::uword action(const Batch& b, std::size_t i, std::size_t s) {
  arma::uword k = 0;
  for (arma::uword j = 1; j < b.outputs(); ++j)
    if (b.y(j, i, s) > b.y(k, i, s)) k = j;
  return k;
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
  auto task = test::builtin().make_task("delay_match_sample", {});
  const TaskInfo info = task->info();
  BOOST_TEST(info.inputs == 3u);
  BOOST_TEST(info.outputs == 3u);
  BOOST_TEST(info.dt == 100.0);
  BOOST_TEST((info.loss == LossKind::CrossEntropy));
  const Batch b = make({}, 1);
  BOOST_TEST(b.size() == 32u);
  BOOST_TEST(b.steps() == 32u);  // 300 + 500 + 1000 + 500 + 900 ms at 100 ms
  BOOST_TEST(b.outputs() == 3u);
  BOOST_TEST(b.task == "delay_match_sample");
  BOOST_TEST(b.truth.size() == 32u);
  BOOST_TEST(b.decision.n_rows == 32u);
  BOOST_TEST(b.decision.n_cols == 32u);
  BOOST_TEST(arma::all(arma::vectorise(b.mask) == 1.0));  // cross-entropy at every step
  BOOST_TEST(arma::all(arma::vectorise(arma::sum(b.y, 0)) == 1.0));  // one-hot
  BOOST_TEST(b.x.is_finite());
  b.validate();
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
        BOOST_TEST(action(b, i, s) == (deciding ? static_cast<arma::uword>(b.truth[i]) : 0u));
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
  // σ scales the noise of the same trials: x(σ) − x(0) is the noise alone.
  for (double dt : {100.0, 50.0}) {
    for (std::string on : {"stimulus", "all"}) {
      const std::map<std::string, Value> p{{"batch", 1000.0}, {"dt", dt}, {"noise_on", on}};
      std::map<std::string, Value> clean = p;
      clean["sigma"] = 0.0;
      const Batch noisy = make(p, 5), base = make(clean, 5);
      BOOST_TEST((noisy.truth == base.truth));
      const Timeline t(static_cast<std::size_t>(100.0 / dt));
      const std::size_t first_noisy = on == "all" ? 0 : 1;
      for (std::size_t ch = 0; ch < 3; ++ch) {
        double sum = 0, sq = 0, n = 0, elsewhere = 0;
        for (std::size_t i = 0; i < noisy.size(); ++i)
          for (std::size_t s = 0; s < noisy.steps(); ++s) {
            const double e = noisy.x(ch, i, s) - base.x(ch, i, s);
            const bool stimulus = (s >= t.sample && s < t.delay) || (s >= t.test && s < t.decision);
            if (ch >= first_noisy && stimulus) {
              sum += e, sq += e * e, n += 1;
            } else {
              elsewhere = std::max(elsewhere, std::abs(e));
            }
          }
        BOOST_TEST(elsewhere == 0.0);  // no noise in fixation, delay, decision, nor on the cue by default
        if (ch < first_noisy) continue;
        const double expected = 1.0 / std::sqrt(dt);  // σ/√dt, σ = 1
        const double mean = sum / n, std = std::sqrt(sq / n - mean * mean);
        BOOST_TEST(std::abs(mean) < 4 * expected / std::sqrt(n));
        BOOST_TEST(std == expected, boost::test_tools::tolerance(0.02));
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
  // Aligned start: trials of 32 steps back to back, the last one cut at 100.
  const Batch a = make({{"batch", 50.0}, {"sequence", 100.0}, {"start", std::string("trial")}, {"sigma", 0.0}}, 2);
  BOOST_TEST(a.steps() == 100u);
  BOOST_TEST(a.truth.empty());
  BOOST_TEST(arma::all(arma::vectorise(a.mask) == 1.0));
  BOOST_TEST(arma::all(arma::vectorise(arma::sum(a.y, 0)) == 1.0));
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
        BOOST_TEST(action(a, i, s) == (same ? 1u : 2u));
      }
      if (!deciding) BOOST_TEST(action(a, i, s) == 0u);
    }
  // Random start: the first decision step of a column covers a whole trial
  // (0–8 when the chunk starts inside a decision period, up to 31).
  const Batch r = make({{"batch", 600.0}, {"sequence", 100.0}}, 2);
  std::set<std::size_t> first_decision;
  for (std::size_t i = 0; i < r.size(); ++i)
    for (std::size_t s = 0; s < r.steps(); ++s)
      if (r.decision(i, s) == 1.0) {
        first_decision.insert(s);
        break;
      }
  BOOST_TEST(first_decision.size() == 24u);  // 0 (start in a decision period) and 1–23
  BOOST_TEST(*first_decision.rbegin() == 23u);
}

BOOST_AUTO_TEST_CASE(invalid_parameters_are_rejected) {
  BOOST_CHECK_THROW(make({{"dt", 600.0}}, 1), Error);  // longer than sample and test
  BOOST_CHECK_THROW(make({{"batch", 0.0}}, 1), Error);
  BOOST_CHECK_THROW(make({{"sigma", -0.5}}, 1), Error);
  BOOST_CHECK_THROW(make({{"delay", -100.0}}, 1), Error);
  BOOST_CHECK_THROW(make({{"sequence", 2.5}}, 1), Error);
  BOOST_CHECK_THROW(make({{"start", std::string("middle")}}, 1), Error);
  BOOST_CHECK_THROW(make({{"cohs", std::string("1")}}, 1), Error);  // unknown key
}

BOOST_AUTO_TEST_CASE(bptt_learns_the_task) {
  // Paper setup: N = 64, gain 1.0, α = 0 (dt = τ = 100 ms), Adam, batch 32.
  auto task = test::builtin().make_task("delay_match_sample", {});
  NetworkConfig c;
  c.shape = {3, 64, 3, false};
  c.alpha = 0.0;
  c.gain = 1.0;
  c.seed = 1;
  Network net(c);
  auto rule = test::builtin().make_rule("bptt", {});
  auto adam = test::builtin().make_optimizer("adam", {{"lr", 1e-3}});
  auto accuracy = test::builtin().make_analysis("accuracy", {{"batches", 16.0}});  // 512 held-out trials
  AnalysisInput held_out;
  held_out.task = task.get();
  auto percent = [&] { return std::get<double>(accuracy->run(net, held_out, 99).front().second); };
  const double before = percent();
  TrainOptions o;
  o.iterations = 2500;
  o.log_every = 500;
  o.seed = 1;
  const TrainResult r = train(net, *task, *rule, *adam, o);
  const double after = percent();
  Batch b;  // batch generation against a whole training iteration
  const auto start = std::chrono::steady_clock::now();
  for (std::uint64_t i = 0; i < 1000; ++i) task->generate(i, b);
  const double generate_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count() / 1000;
  const double iteration_ms = 1e3 * r.seconds / static_cast<double>(r.iterations_done);
  BOOST_TEST_MESSAGE("delay_match_sample/bptt: accuracy " << before << "% -> " << after << "% after " << r.iterations_done
                     << " iterations (loss " << r.losses.front().second << " -> " << r.final_loss << "); "
                     << iteration_ms << " ms/iteration, batch generation " << generate_ms << " ms ("
                     << 100 * generate_ms / iteration_ms << "%)");
  BOOST_TEST(!r.diverged);
  BOOST_TEST(after > 90.0);  // chance 50%; measured: see README
}

BOOST_AUTO_TEST_SUITE_END()
