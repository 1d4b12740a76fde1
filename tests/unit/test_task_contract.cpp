// The contract every registered task keeps, with the same test body for
// each: consistent shapes, a non-empty mask, finite values, determinism in
// the seed, distinct trials for distinct seeds, and parameter validation.
#include <boost/test/unit_test.hpp>

#include <rnnlab/sdk/error.hpp>

#include "support.hpp"

using namespace rnnlab;

BOOST_AUTO_TEST_SUITE(task_contract)

BOOST_AUTO_TEST_CASE(every_task_keeps_the_contract) {
  const auto names = test::builtin().names(PluginKind::Task);
  BOOST_TEST(names.size() >= 3u);
  for (const auto& name : names) {
    BOOST_TEST_CONTEXT("task " << name) {
      auto task = test::builtin().make_task(name, {});
      const TaskInfo info = task->info();
      BOOST_TEST(info.inputs > 0u);
      BOOST_TEST(info.outputs > 0u);
      BOOST_TEST(info.dt > 0.0);
      Batch a, b, c;
      task->generate(7, a);
      task->generate(7, b);
      task->generate(8, c);
      BOOST_CHECK_NO_THROW(a.validate());
      BOOST_TEST(a.inputs() == info.inputs);
      BOOST_TEST(a.outputs() == info.outputs);
      BOOST_TEST((a.loss == info.loss));
      BOOST_TEST(a.dt == info.dt);
      BOOST_TEST(a.task == name);
      BOOST_TEST(a.steps() > 0u);
      BOOST_TEST(arma::accu(a.mask) > 0.0);
      BOOST_TEST(a.x.is_finite());
      BOOST_TEST(a.y.is_finite());
      if (!a.decision.is_empty()) BOOST_TEST(arma::accu(a.decision) > 0.0);
      if (a.loss == LossKind::CrossEntropy) {  // one-hot targets
        const arma::mat per_step = arma::sum(arma::reshape(arma::vectorise(a.y), a.outputs(), a.size() * a.steps()), 0);
        BOOST_TEST(arma::approx_equal(per_step, arma::mat(1, per_step.n_cols, arma::fill::ones), "absdiff", 1e-15));
      }
      BOOST_TEST(arma::approx_equal(a.x, b.x, "absdiff", 0.0));
      BOOST_TEST(arma::approx_equal(a.y, b.y, "absdiff", 0.0));
      BOOST_TEST(arma::approx_equal(a.mask, b.mask, "absdiff", 0.0));
      BOOST_TEST(!arma::approx_equal(a.x, c.x, "absdiff", 0.0));
      // Regenerating into a used batch gives the same as a fresh one.
      task->generate(8, b);
      BOOST_TEST(arma::approx_equal(b.x, c.x, "absdiff", 0.0));
      BOOST_CHECK_THROW(test::builtin().make_task(name, {{"no_such_parameter", 1.0}}), Error);
      BOOST_CHECK_THROW(test::builtin().make_task(name, {{"batch", 0.0}}), Error);
      BOOST_CHECK_THROW(test::builtin().make_task(name, {{"dt", -1.0}}), Error);
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
