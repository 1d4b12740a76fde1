// The contract every registered task keeps, checked by the same code as
// `rnnlab check` (framework/src/check/contract.cpp): consistent shapes, a
// non-empty mask, finite values, truth consistent with the targets,
// determinism in the seed, distinct trials for distinct seeds, and
// parameter validation.
#include <boost/test/unit_test.hpp>

#include "rnnlab/app/contract.hpp"
#include "support.hpp"

using namespace rnnlab;

BOOST_AUTO_TEST_SUITE(task_contract)

BOOST_AUTO_TEST_CASE(every_task_keeps_the_contract) {
  const auto names = test::builtin().names(PluginKind::Task);
  BOOST_TEST(names.size() >= 3u);
  for (const auto& name : names) {
    for (const auto& v : contract::check_task(test::builtin(), name)) {
      BOOST_TEST_MESSAGE(contract::format(v));
      BOOST_TEST(v.pass, contract::format(v));
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
