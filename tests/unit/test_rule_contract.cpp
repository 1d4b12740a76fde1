// The contract every registered rule keeps, checked by the same code as
// `rnnlab check` (framework/src/check/contract.cpp): shapes, the network
// untouched, determinism, finite values, a clear error for a batch it
// cannot handle, parameter validation, and finite differences on the
// blocks each rule claims to be exact on.
#include <boost/test/unit_test.hpp>

#include <map>
#include <rnnlab/sdk/error.hpp>

#include "rnnlab/app/contract.hpp"
#include "support.hpp"

using namespace rnnlab;

BOOST_AUTO_TEST_SUITE(rule_contract)

BOOST_AUTO_TEST_CASE(every_rule_keeps_the_contract) {
  // What each built-in rule claims: BPTT is exact everywhere; e-prop and
  // RFLO approximate the recurrent part but take the readout's own
  // gradient. A rule missing here claims nothing.
  const std::map<std::string, std::string> exact = {{"bptt", "all"}, {"eprop", "W_out,b_out"}, {"rflo", "W_out,b_out"}};
  const auto names = test::builtin().names(PluginKind::Rule);
  BOOST_TEST(names.size() >= 3u);
  const auto task = test::builtin().make_task("romo", {{"batch", 4.0}});
  for (const auto& name : names) {
    const auto claim = exact.count(name) ? contract::parse_blocks(exact.at(name)) : std::vector<std::string>{};
    for (const auto& v : contract::check_rule(test::builtin(), name, *task, claim)) {
      BOOST_TEST_MESSAGE(contract::format(v));
      BOOST_TEST(v.pass, contract::format(v));
    }
  }
}

BOOST_AUTO_TEST_CASE(a_rule_that_breaks_a_claim_fails_with_the_block_named) {
  // eprop's recurrent weights are not exact: claiming them must fail.
  const auto task = test::builtin().make_task("romo", {{"batch", 4.0}});
  const auto verdicts = contract::check_rule(test::builtin(), "eprop", *task, {"W_h"});
  const auto& last = verdicts.back();
  BOOST_TEST(!last.pass);
  BOOST_TEST(contract::format(last).rfind("FAIL rule eprop: gradient of W_h equals central finite differences (rel. error", 0) == 0u,
             contract::format(last));
  BOOST_TEST(!contract::all_pass(verdicts));
}

BOOST_AUTO_TEST_CASE(exact_blocks_are_parsed_and_checked) {
  BOOST_TEST(contract::parse_blocks("W_out,b_out,W_out") == (std::vector<std::string>{"W_out", "b_out"}));
  BOOST_TEST(contract::parse_blocks("all").size() == 5u);
  BOOST_CHECK_THROW(contract::parse_blocks("W_y"), Error);
}

BOOST_AUTO_TEST_SUITE_END()
