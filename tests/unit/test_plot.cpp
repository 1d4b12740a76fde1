// Best-learning-rate selection on a hand-made results table.
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <rnnlab/app/plot.hpp>

using namespace rnnlab;

namespace {

RunResult run(const std::string& gain, const std::string& lr, const std::string& seed, double final_loss,
              bool diverged = false) {
  RunResult r;
  r.grid = {{"gain", gain}, {"lr", lr}, {"seed", seed}};
  r.final_loss = final_loss;
  r.diverged = diverged;
  return r;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(plot)

BOOST_AUTO_TEST_CASE(best_learning_rate_per_gain) {
  const std::vector<RunResult> runs = {
      // gain 0.5: lr 0.001 has the lower mean (0.2) although lr 0.003 has the single best run (0.05)
      run("0.5", "0.001", "1", 0.2), run("0.5", "0.001", "2", 0.2),
      run("0.5", "0.003", "1", 0.05), run("0.5", "0.003", "2", 0.95),
      // gain 1.5: lr 0.003 diverged once; its remaining run (0.01) still wins
      run("1.5", "0.001", "1", 0.3), run("1.5", "0.001", "2", 0.4),
      run("1.5", "0.003", "1", std::nan(""), true), run("1.5", "0.003", "2", 0.01),
      // gain 2: every run diverged, no choice
      run("2", "0.001", "1", std::nan(""), true), run("2", "0.003", "1", std::nan(""), true),
      // gain 10 sorts after 2 numerically
      run("10", "0.0001", "1", 0.5), run("10", "0.001", "1", 0.4),
  };
  const auto best = best_selection(runs, "gain", "lr");
  BOOST_TEST(best.at("0.5") == "0.001");
  BOOST_TEST(best.at("1.5") == "0.003");
  BOOST_TEST(!best.count("2"));
  BOOST_TEST(best.at("10") == "0.001");
  // Without a select key every group is its own choice.
  BOOST_TEST(best_selection(runs, "gain", "").at("0.5") == "");
  BOOST_CHECK_THROW(best_selection(runs, "tau", "lr"), std::exception);
}

BOOST_AUTO_TEST_SUITE_END()
