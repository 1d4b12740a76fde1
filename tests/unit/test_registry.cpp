// Plugin loading through Boost.DLL, including deliberately broken files.
#include <boost/test/unit_test.hpp>

#include <rnnlab/error.hpp>
#include <rnnlab/registry.hpp>

#include "support.hpp"

using namespace rnnlab;

namespace {

std::string bad(const std::string& dir) { return std::string(RNNLAB_TEST_BAD_PLUGIN_ROOT) + "/" + dir; }

bool has(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

std::string one_failure(const std::string& dir) {
  Registry r;
  r.load(RNNLAB_TEST_PLUGIN_DIR);
  r.load(bad(dir));
  BOOST_TEST_REQUIRE(r.failures().size() == 1u);
  BOOST_TEST(has(r.names(PluginKind::Rule), "bptt"));  // the good ones stay
  return r.failures()[0].reason;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(registry)

BOOST_AUTO_TEST_CASE(builtin_plugins_load) {
  const auto& r = test::builtin();
  BOOST_TEST(r.failures().empty());
  BOOST_TEST(has(r.names(PluginKind::Task), "romo"));
  BOOST_TEST(has(r.names(PluginKind::Rule), "bptt"));
  BOOST_TEST(has(r.names(PluginKind::Optimizer), "adam"));
  BOOST_TEST(has(r.names(PluginKind::Optimizer), "sgd"));
  BOOST_TEST(r.info(PluginKind::Rule, "bptt").file.find("rnnlab_rule_bptt.so") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(unknown_names_list_the_available_ones) {
  try {
    test::builtin().make_optimizer("adma", {});
    BOOST_FAIL("no error");
  } catch (const Error& e) {
    BOOST_TEST(std::string(e.what()) == "unknown optimizer 'adma'; available: adam, sgd");
  }
  try {
    test::builtin().make_optimizer("adam", {{"learning_rate", 0.1}});
    BOOST_FAIL("no error");
  } catch (const Error& e) {
    BOOST_TEST(std::string(e.what()) ==
               "unknown parameter 'learning_rate' for optimizer 'adam'; valid: lr, beta1, beta2, eps, weight_decay, clip");
  }
}

BOOST_AUTO_TEST_CASE(an_extra_directory_adds_plugins) {
  Registry r;
  r.load(RNNLAB_TEST_PLUGIN_DIR);
  r.load(bad("good"));  // also holds a README.txt, skipped silently
  BOOST_TEST(r.failures().empty());
  BOOST_TEST(r.info(PluginKind::Task, "constant").version == "0.3");
  auto task = r.make_task("constant", {{"value", 2.0}});
  Batch b;
  task->generate(1, b);
  BOOST_TEST(b.y(0, 0, 0) == 2.0);
  r.load(bad("good"));  // loading the same library again changes nothing
  BOOST_TEST(r.failures().empty());
}

BOOST_AUTO_TEST_CASE(wrong_abi_is_rejected_before_registration) {
  BOOST_TEST(one_failure("wrong_abi") ==
             "plugin ABI version 999 does not match rnnlab's 2; rebuild the plugin against this rnnlab");
}

BOOST_AUTO_TEST_CASE(a_throwing_registration_keeps_nothing) {
  Registry r;
  r.load(bad("throwing"));
  BOOST_TEST_REQUIRE(r.failures().size() == 1u);
  BOOST_TEST(r.failures()[0].reason == "registration failed: the plugin's registration failed on purpose");
  BOOST_TEST(!has(r.names(PluginKind::Rule), "half_registered"));
}

BOOST_AUTO_TEST_CASE(duplicate_names_are_rejected) {
  BOOST_TEST(one_failure("duplicate").find("duplicate task 'romo' (already provided by ") == 0u);
}

BOOST_AUTO_TEST_CASE(libraries_without_entry_point_are_rejected) {
  BOOST_TEST(one_failure("no_entry") == "not an rnnlab plugin (no RNNLAB_PLUGIN entry point)");
}

BOOST_AUTO_TEST_CASE(files_that_are_not_libraries_are_rejected) {
  BOOST_TEST(one_failure("not_a_library").find("not a loadable library") == 0u);
}

BOOST_AUTO_TEST_CASE(a_missing_path_throws) {
  Registry r;
  BOOST_CHECK_THROW(r.load(bad("does_not_exist")), IoError);
}

BOOST_AUTO_TEST_SUITE_END()
