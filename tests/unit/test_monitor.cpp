// Monitors of a training phase (trainer.cpp): what they record, where
// they stop a phase, and that a resumed phase records the same numbers.
#include <boost/test/unit_test.hpp>

#include <rnnlab/app/trainer.hpp>
#include <rnnlab/sdk/error.hpp>
#include <rnnlab/sdk/random.hpp>

#include "support.hpp"

using namespace rnnlab;

namespace {

// Reports only a list: nothing a monitor can record.
class OnlyList final : public Analysis {
 public:
  AnalysisResult run(const Network&, const AnalysisInput&, std::uint64_t) override {
    return {{"values", std::vector<double>{1.0, 2.0}}, {"note", std::string("text")}};
  }
};

// Counts its calls: 1, 2, 3, ... (and says which batch it saw).
class Counter final : public Analysis {
 public:
  AnalysisResult run(const Network&, const AnalysisInput& in, std::uint64_t) override {
    return {{"calls", static_cast<double>(++calls)}, {"first_input", in.batch->x(0, 0, 0)}};
  }
  int calls = 0;
};

struct Phase {
  Network net = test::small_network(1, 8, 2, 1.0, 0.5, false);
  std::shared_ptr<Task> task = test::builtin().make_task("romo", {{"batch", 4.0}});
  std::unique_ptr<Rule> rule = test::builtin().make_rule("bptt", {});
  std::unique_ptr<Optimizer> optimizer = test::builtin().make_optimizer("adam", {});
  Batch eval = evaluation_batch(*task, 3);
  TrainOptions options;
  Phase(std::size_t iterations) {
    options.iterations = iterations;
    options.seed = 3;
    options.eval_batch = &eval;
  }
  TrainResult run() { return train(net, *task, *rule, *optimizer, options); }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(monitor)

BOOST_AUTO_TEST_CASE(an_analysis_without_numbers_is_refused) {
  Phase p(3);
  OnlyList list;
  p.options.monitors = {{"only_list", &list, 1}};
  BOOST_CHECK_EXCEPTION(p.run(), Error, [](const Error& e) {
    return std::string(e.what()) == "monitor 'only_list': the analysis returns no number to record (only lists or text)";
  });
}

BOOST_AUTO_TEST_CASE(the_evaluation_batch_is_a_stream_of_its_own) {
  auto task = test::builtin().make_task("romo", {{"batch", 4.0}});
  const Batch eval = evaluation_batch(*task, 3);
  Batch expected, first;
  task->generate(derive_seed(3, "monitor"), expected);
  task->generate(derive_seed(derive_seed(3, "task"), 1), first);  // the batch of iteration 1
  BOOST_TEST(arma::approx_equal(eval.x, expected.x, "absdiff", 0.0));
  BOOST_TEST(!arma::approx_equal(eval.x, first.x, "absdiff", 0.0));
}

BOOST_AUTO_TEST_CASE(evaluations_and_stopping) {
  Phase p(10);
  Counter counter;
  p.options.monitors = {{"counter", &counter, 4}};
  p.options.first_iteration = 21;  // a second phase after 20 iterations
  p.options.phase = 2;
  const TrainResult r = p.run();
  const MonitorLog& log = r.monitors.at(0);
  BOOST_TEST(log.name == "counter");
  BOOST_TEST((log.keys == std::vector<std::string>{"calls", "first_input"}));
  BOOST_TEST((log.iterations == std::vector<std::size_t>{20, 24, 28, 30}));  // start, every 4th, last
  BOOST_TEST((log.phases == std::vector<std::size_t>{2, 2, 2, 2}));
  BOOST_TEST(log.values.at(3).at(0) == 4.0);
  BOOST_TEST(log.values.at(3).at(1) == p.eval.x(0, 0, 0));  // it saw the evaluation batch
  BOOST_TEST(!r.stopped);

  // The third evaluation (after 4 iterations, at 24) is the first with calls > 2.5.
  Phase q(10);
  Counter again;
  q.options.monitors = {{"counter", &again, 2}};
  q.options.stop_when = StopWhen{"counter", "calls", true, 2.5};
  const TrainResult s = q.run();
  BOOST_TEST(s.stopped.value() == 4u);
  BOOST_TEST(s.iterations_done == 4u);
  BOOST_TEST(s.losses.back().first == 4u);
  Phase never(3);
  Counter third;
  never.options.monitors = {{"counter", &third, 1}};
  never.options.stop_when = StopWhen{"counter", "calls", false, 0.0};
  BOOST_TEST(!never.run().stopped);
  never.options.stop_when = StopWhen{"other", "calls", false, 0.0};
  BOOST_CHECK_THROW(never.run(), Error);  // not a monitor
}

BOOST_AUTO_TEST_CASE(a_resumed_phase_records_the_same_numbers) {
  auto accuracy = test::builtin().make_analysis("accuracy", {});
  Phase whole(9);
  whole.options.monitors = {{"accuracy", accuracy.get(), 2}};
  std::optional<PhaseState> saved;
  whole.options.checkpoint_seconds = 1e-12;  // a checkpoint after every iteration
  whole.options.checkpoint = [&](const PhaseState& s) {
    if (s.done == 5) saved = s;
  };
  const TrainResult full = whole.run();
  BOOST_REQUIRE(saved);
  BOOST_TEST(saved->monitors.at(0).iterations.size() == 3u);  // 0, 2, 4

  Phase resumed(9);
  resumed.options.monitors = whole.options.monitors;
  resumed.options.resume = &*saved;
  const TrainResult r = resumed.run();
  BOOST_TEST(r.monitors.at(0).iterations == full.monitors.at(0).iterations);
  for (std::size_t j = 0; j < r.monitors.at(0).values.size(); ++j)
    BOOST_TEST(r.monitors.at(0).values[j] == full.monitors.at(0).values[j]);
}

BOOST_AUTO_TEST_CASE(logs_of_two_phases_join) {
  MonitorLog a{"m", {"x", "y"}, {1, 1}, {0, 10}, {{1.0, 2.0}, {3.0, 4.0}}};
  const MonitorLog b{"m", {"y", "z"}, {2}, {10}, {{5.0, 6.0}}};
  a.append(b);
  BOOST_TEST((a.keys == std::vector<std::string>{"x", "y", "z"}));
  BOOST_TEST((a.iterations == std::vector<std::size_t>{0, 10, 10}));
  BOOST_TEST((a.phases == std::vector<std::size_t>{1, 1, 2}));
  BOOST_TEST(std::isnan(a.values[0][2]));
  BOOST_TEST(std::isnan(a.values[2][0]));
  BOOST_TEST(a.values[2][1] == 5.0);
  BOOST_TEST(a.values[2][2] == 6.0);
}

BOOST_AUTO_TEST_SUITE_END()
