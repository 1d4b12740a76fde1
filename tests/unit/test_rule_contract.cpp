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

BOOST_AUTO_TEST_CASE(built_in_rules_declare_what_they_compute_exactly) {
  // BPTT is exact everywhere; e-prop and RFLO approximate the recurrent
  // part but take the readout's own gradient; flossing follows another loss.
  const std::map<std::string, std::string> declared = {
      {"bptt", "all"}, {"eprop", "W_out,b_out"}, {"rflo", "W_out,b_out"}, {"floss", ""}};
  for (const auto& [name, exact] : declared) BOOST_TEST(test::builtin().info(PluginKind::Rule, name).exact == exact, name);
}

BOOST_AUTO_TEST_CASE(every_rule_keeps_the_contract) {
  // Each rule is held to the blocks it declares exact (PluginInfo::exact).
  const auto names = test::builtin().names(PluginKind::Rule);
  BOOST_TEST(names.size() >= 3u);
  const auto task = test::builtin().make_task("romo", {{"batch", 4.0}});
  for (const auto& name : names) {
    const auto claim = contract::parse_blocks(test::builtin().info(PluginKind::Rule, name).exact);
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
