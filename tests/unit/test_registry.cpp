// Plugin loading through Boost.DLL, including deliberately broken files.
#include <sys/stat.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>

#include <rnnlab/sdk/abi.hpp>
#include <rnnlab/sdk/error.hpp>
#include <rnnlab/sdk/registry.hpp>

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
             "plugin ABI version 999 does not match rnnlab's " + std::to_string(RNNLAB_ABI_VERSION) +
                 "; rebuild the plugin against this rnnlab");
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

// Issue 15: files that would take the loading process down are tried in a
// child process first and reported; this process goes on.
BOOST_AUTO_TEST_CASE(a_crashing_static_initialiser_is_reported) {
  BOOST_TEST(one_failure("segv_init").find("crashed with SIGSEGV while loading") == 0u);
}

BOOST_AUTO_TEST_CASE(exit_in_a_static_initialiser_is_reported) {
  BOOST_TEST(one_failure("exit_init").find("called exit(0) while loading") == 0u);
}

BOOST_AUTO_TEST_CASE(a_data_symbol_is_not_an_entry_point) {
  BOOST_TEST(one_failure("data_abi").find("not an rnnlab plugin: rnnlab_plugin_abi_version is not a function") == 0u);
}

BOOST_AUTO_TEST_CASE(only_regular_files_are_opened) {
  const std::string dir = test::temp_dir("registry_not_regular");
  const std::string fifo = dir + "/x.so", loop = dir + "/loop.so";
  BOOST_TEST_REQUIRE(mkfifo(fifo.c_str(), 0600) == 0);
  BOOST_TEST_REQUIRE(symlink("loop.so", loop.c_str()) == 0);
  Registry r;
  r.load(dir);  // would block forever opening the FIFO
  BOOST_TEST_REQUIRE(r.failures().size() == 2u);
  BOOST_TEST(r.failures()[0].file == loop);  // sorted; the link's own name, never empty
  BOOST_TEST(r.failures()[0].reason == "not a regular file (a symbolic link that loops); not opened");
  BOOST_TEST(r.failures()[1].file == fifo);
  BOOST_TEST(r.failures()[1].reason == "not a regular file (a FIFO); not opened");
  Registry one;
  one.load(loop);  // named directly: a failure, not "does not exist"
  BOOST_TEST_REQUIRE(one.failures().size() == 1u);
  BOOST_TEST(one.failures()[0].file == loop);
}

BOOST_AUTO_TEST_CASE(a_missing_path_throws) {
  Registry r;
  BOOST_CHECK_THROW(r.load(bad("does_not_exist")), IoError);
}

BOOST_AUTO_TEST_SUITE_END()
