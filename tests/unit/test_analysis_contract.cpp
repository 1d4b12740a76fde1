// The contract every registered analysis keeps, checked by the same code
// as `rnnlab check` (framework/src/check/contract.cpp): named finite
// results, the network untouched, determinism in the seed, a fixed batch
// as input, and parameter validation.
#include <boost/test/unit_test.hpp>

#include "rnnlab/app/contract.hpp"
#include "support.hpp"

using namespace rnnlab;

BOOST_AUTO_TEST_SUITE(analysis_contract)

BOOST_AUTO_TEST_CASE(every_analysis_keeps_the_contract) {
  const auto names = test::builtin().names(PluginKind::Analysis);
  BOOST_TEST(names.size() >= 3u);
  const auto task = test::builtin().make_task("romo", {{"batch", 8.0}});
  for (const auto& name : names) {
    for (const auto& v : contract::check_analysis(test::builtin(), name, *task, &test::builtin())) {
      BOOST_TEST_MESSAGE(contract::format(v));
      BOOST_TEST(v.pass, contract::format(v));
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
