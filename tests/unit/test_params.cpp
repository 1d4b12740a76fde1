#include <boost/test/unit_test.hpp>
#include <cmath>

#include <rnnlab/sdk/error.hpp>
#include <rnnlab/sdk/params.hpp>

using namespace rnnlab;

namespace {

ParamSpecs specs() {
  return {ParamSpec::number("lr", 1e-3).above(0).means("learning rate"),
          ParamSpec::integer("steps", 10).at_least(1),
          ParamSpec::boolean("detach", true),
          ParamSpec::choice("feedback", "symmetric", {"symmetric", "random"}),
          ParamSpec::number("beta", 0.9).range(0, 1).below(1)};
}

std::string error_of(const std::map<std::string, Value>& given) {
  try {
    ParamSet::validate(specs(), given, "rule 'x'");
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(params)

BOOST_AUTO_TEST_CASE(defaults_are_filled_in) {
  const ParamSet p = ParamSet::validate(specs(), {{"lr", 0.5}}, "rule 'x'");
  BOOST_TEST(p.number("lr") == 0.5);
  BOOST_TEST(p.integer("steps") == 10);
  BOOST_TEST(p.boolean("detach"));
  BOOST_TEST(p.text("feedback") == "symmetric");
  BOOST_TEST(p.was_given("lr"));
  BOOST_TEST(!p.was_given("steps"));
}

BOOST_AUTO_TEST_CASE(unknown_key_lists_valid_keys) {
  BOOST_TEST(error_of({{"lrr", 1.0}}) ==
             "unknown parameter 'lrr' for rule 'x'; valid: lr, steps, detach, feedback, beta");
}

BOOST_AUTO_TEST_CASE(wrong_types_are_named) {
  BOOST_TEST(error_of({{"lr", std::string("fast")}}) ==
             "parameter 'lr' of rule 'x' must be a number, got string 'fast'");
  BOOST_TEST(error_of({{"detach", 1.0}}) == "parameter 'detach' of rule 'x' must be a boolean, got number 1");
  BOOST_TEST(error_of({{"feedback", true}}) == "parameter 'feedback' of rule 'x' must be a string, got boolean true");
  BOOST_TEST(error_of({{"steps", 2.5}}) == "parameter 'steps' of rule 'x' must be an integer, got 2.5");
}

BOOST_AUTO_TEST_CASE(ranges_are_enforced_with_the_valid_range_in_the_message) {
  BOOST_TEST(error_of({{"lr", 0.0}}) == "parameter 'lr' of rule 'x' = 0 is out of range (0, inf)");
  BOOST_TEST(error_of({{"lr", -1.0}}) == "parameter 'lr' of rule 'x' = -1 is out of range (0, inf)");
  BOOST_TEST(error_of({{"steps", 0.0}}) == "parameter 'steps' of rule 'x' = 0 is out of range [1, inf)");
  BOOST_TEST(error_of({{"beta", 1.0}}) == "parameter 'beta' of rule 'x' = 1 is out of range [0, 1)");
  BOOST_TEST(error_of({{"beta", 0.0}}).empty());
  BOOST_TEST(error_of({{"lr", std::nan("")}}) == "parameter 'lr' of rule 'x' must be a number, got nan");
}

BOOST_AUTO_TEST_CASE(choices_are_listed) {
  BOOST_TEST(error_of({{"feedback", std::string("randm")}}) ==
             "parameter 'feedback' of rule 'x' must be one of symmetric, random, got 'randm'");
  BOOST_TEST(error_of({{"feedback", std::string("random")}}).empty());
}

BOOST_AUTO_TEST_CASE(valid_range_text) {
  BOOST_TEST(specs()[0].valid_range() == "(0, inf)");
  BOOST_TEST(specs()[2].valid_range() == "true|false");
  BOOST_TEST(specs()[3].valid_range() == "{symmetric, random}");
  BOOST_TEST(ParamSpec::number("g", 1).range(0, 2).valid_range() == "[0, 2]");
  BOOST_TEST(ParamSpec::number("any", 1).valid_range() == "any");
}

BOOST_AUTO_TEST_SUITE_END()
