// The contract every registered analysis keeps, with the same test body for
// each: named finite results, the network untouched, determinism in the
// seed, the same result from a task and from the batch it makes, and
// parameter validation.
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <rnnlab/sdk/error.hpp>

#include "support.hpp"

using namespace rnnlab;

namespace {

bool same(const AnalysisResult& a, const AnalysisResult& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].first != b[i].first || a[i].second.index() != b[i].second.index()) return false;
    if (auto x = std::get_if<double>(&a[i].second)) {
      const double y = std::get<double>(b[i].second);
      if (!(*x == y || (std::isnan(*x) && std::isnan(y)))) return false;
    } else if (a[i].second != b[i].second) {
      return false;
    }
  }
  return true;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(analysis_contract)

BOOST_AUTO_TEST_CASE(every_analysis_keeps_the_contract) {
  const auto names = test::builtin().names(PluginKind::Analysis);
  BOOST_TEST(names.size() >= 3u);
  auto task = test::builtin().make_task("romo", {{"batch", 8.0}});
  for (const auto& name : names) {
    BOOST_TEST_CONTEXT("analysis " << name) {
      const Network net = test::small_network(1, 12, 2, 1.0, 0.5, false, Activation::ReLU, 5);
      const Network before = net;
      AnalysisInput input;
      input.task = task.get();
      input.registry = &test::builtin();
      auto analysis = test::builtin().make_analysis(name, {});
      const AnalysisResult r1 = analysis->run(net, input, 17);
      BOOST_TEST(!r1.empty());
      for (const auto& [key, value] : r1) {
        BOOST_TEST(!key.empty());
        if (auto d = std::get_if<double>(&value)) BOOST_TEST_CONTEXT(key) { BOOST_TEST(std::isfinite(*d)); }
        if (auto v = std::get_if<std::vector<double>>(&value))
          for (double x : *v) BOOST_TEST(std::isfinite(x));
      }
      BOOST_TEST(arma::approx_equal(net.params().theta, before.params().theta, "absdiff", 0.0));
      // Deterministic: a fresh object with the same seed gives the same values.
      const AnalysisResult r2 = test::builtin().make_analysis(name, {})->run(net, input, 17);
      BOOST_TEST(same(r1, r2));
      // A fixed batch works as input too.
      Batch batch;
      task->generate(3, batch);
      AnalysisInput fixed;
      fixed.batch = &batch;
      fixed.registry = &test::builtin();
      BOOST_CHECK_NO_THROW(analysis->run(net, fixed, 17));
      BOOST_CHECK_THROW(test::builtin().make_analysis(name, {{"no_such_parameter", 1.0}}), Error);
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
