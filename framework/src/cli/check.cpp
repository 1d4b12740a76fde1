// `rnnlab check PLUGIN.so`: the contract suites (rnnlab/app/contract.hpp) on
// every plugin one file registers.
#include "check.hpp"

#include <filesystem>
#include <iostream>

#include "rnnlab/app/contract.hpp"
#include "rnnlab/sdk/error.hpp"
#include "rnnlab/sdk/registry.hpp"

namespace rnnlab {

int run_check(const std::string& exe, const CheckOptions& options) {
  std::vector<std::string> exact_override;
  try {
    if (options.exact) exact_override = contract::parse_blocks(*options.exact);
  } catch (const Error& e) {
    std::cerr << "rnnlab: --exact: " << e.what() << "\n";
    return 2;
  }
  std::error_code ec;
  if (!std::filesystem::is_regular_file(options.plugin, ec)) {
    std::cerr << "rnnlab: check: '" << options.plugin << "' is not a file (give the plugin's .so)\n";
    return 2;
  }
  // The file alone, through the normal loader (trial load in a child
  // process first); the built-in plugins separately, for the romo task
  // the rules and analyses are run on.
  Registry plugin;
  plugin.load(options.plugin);
  for (const auto& f : plugin.failures()) {
    std::cout << "FAIL load " << f.file << ": " << f.reason << "\n";
    return 1;
  }
  if (plugin.all().empty()) {
    std::cout << "FAIL load " << options.plugin << ": registers no plugins\n";
    return 1;
  }
  Registry builtin;
  const std::string dir = builtin_plugin_dir(exe);
  if (std::filesystem::is_directory(dir, ec)) builtin.load(dir);
  std::unique_ptr<Task> task4, task8;
  const auto romo = [&](double batch) {
    if (builtin.names(PluginKind::Task).empty() || builtin.find("romo").empty())
      throw Error("the built-in task 'romo' (in " + dir + ") is needed to check rules and analyses");
    return builtin.make_task("romo", {{"batch", batch}});
  };

  std::vector<contract::Verdict> all;
  bool exact_used = false;
  for (const PluginInfo* info : plugin.all()) {
    std::vector<contract::Verdict> verdicts;
    switch (info->kind) {
      case PluginKind::Rule: {
        if (!task4) task4 = romo(4);
        // What the rule declares (checked when it was registered), unless --exact says otherwise.
        const auto exact = options.exact ? exact_override : contract::parse_blocks(info->exact);
        verdicts = contract::check_rule(plugin, info->name, *task4, exact);
        exact_used = true;
        if (exact.empty())
          std::cout << "note rule " << info->name
                    << ": no exactness claimed (declare PluginInfo::exact, or --exact W_out,... checks blocks against "
                       "finite differences)\n";
        else
          std::cout << "note rule " << info->name << ": exact on " << join(exact, ",")
                    << (options.exact ? " (--exact)" : " (declared)") << "\n";
        break;
      }
      case PluginKind::Task:
        verdicts = contract::check_task(plugin, info->name);
        break;
      case PluginKind::Analysis:
        if (!task8) task8 = romo(8);
        verdicts = contract::check_analysis(plugin, info->name, *task8, &builtin);
        break;
      default:
        std::cout << "note " << to_string(info->kind) << " " << info->name << ": no contract suite for this kind\n";
        break;
    }
    for (const auto& v : verdicts) std::cout << contract::format(v) << "\n";
    all.insert(all.end(), verdicts.begin(), verdicts.end());
  }
  if (!exact_override.empty() && !exact_used) {
    std::cerr << "rnnlab: --exact applies to rules, and " << options.plugin << " registers none\n";
    return 2;
  }
  std::size_t failures = 0;
  for (const auto& v : all) failures += v.pass ? 0 : 1;
  std::cout << all.size() << " checks, " << failures << " failed\n";
  return failures == 0 ? 0 : 1;
}

}  // namespace rnnlab
