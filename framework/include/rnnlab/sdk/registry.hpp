#pragma once
// Name-keyed registry of plugin types, filled by plugin entry points.
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "rnnlab/sdk/params.hpp"
#include "rnnlab/sdk/plugin.hpp"

namespace rnnlab {

enum class PluginKind { Task, Rule, Optimizer, Analysis };
const char* to_string(PluginKind k);  ///< "task", "rule", ...

struct PluginInfo {
  PluginKind kind = PluginKind::Task;
  std::string name;
  std::string version;
  std::string summary;  ///< one line
  ParamSpecs params;    ///< includes kind-wide parameters (e.g. clip)
  std::string file;     ///< library it came from ("" if built in)
};

using TaskFactory = std::function<std::unique_ptr<Task>(const ParamSet&)>;
using RuleFactory = std::function<std::unique_ptr<Rule>(const ParamSet&)>;
using OptimizerFactory = std::function<std::unique_ptr<Optimizer>(const ParamSet&)>;
using AnalysisFactory = std::function<std::unique_ptr<Analysis>(const ParamSet&)>;
using Factory = std::variant<TaskFactory, RuleFactory, OptimizerFactory, AnalysisFactory>;

/// What a plugin's entry point receives. Registration is staged: if the
/// entry point throws or a name is taken, nothing of the plugin is kept.
class PluginRegistrar {
 public:
  template <class T>
  void add_task(std::string name, std::string summary, ParamSpecs specs, std::string version = "1.0") {
    add({PluginKind::Task, std::move(name), std::move(version), std::move(summary), std::move(specs), {}},
        TaskFactory([](const ParamSet& p) { return std::make_unique<T>(p); }));
  }
  template <class T>
  void add_rule(std::string name, std::string summary, ParamSpecs specs, std::string version = "1.0") {
    add({PluginKind::Rule, std::move(name), std::move(version), std::move(summary), std::move(specs), {}},
        RuleFactory([](const ParamSet& p) { return std::make_unique<T>(p); }));
  }
  template <class T>
  void add_optimizer(std::string name, std::string summary, ParamSpecs specs, std::string version = "1.0") {
    add({PluginKind::Optimizer, std::move(name), std::move(version), std::move(summary), std::move(specs), {}},
        OptimizerFactory([](const ParamSet& p) { return std::make_unique<T>(p); }));
  }
  template <class T>
  void add_analysis(std::string name, std::string summary, ParamSpecs specs, std::string version = "1.0") {
    add({PluginKind::Analysis, std::move(name), std::move(version), std::move(summary), std::move(specs), {}},
        AnalysisFactory([](const ParamSet& p) { return std::make_unique<T>(p); }));
  }
  void add(PluginInfo info, Factory factory);

  struct Entry {
    PluginInfo info;
    Factory factory;
  };
  const std::vector<Entry>& entries() const { return entries_; }

 private:
  std::vector<Entry> entries_;
};

/// A plugin file that could not be used, and why.
struct LoadFailure {
  std::string file;
  std::string reason;
};

class Registry {
 public:
  Registry();
  ~Registry();
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;

  /// Loads every plugin library in a directory (non-recursive, sorted), or
  /// one library file. Failures are collected, never thrown, except that a
  /// missing path throws IoError. Only regular files are opened, and each is
  /// first loaded in a child process: one that crashes, hangs, throws or
  /// exits while loading is a failure naming the file, and this process
  /// never loads it. Verdicts are cached by path, size and times.
  void load(const std::string& path);
  /// RNNLAB_PLUGIN_PATH directories, then `builtin_dir` (may be empty).
  void load_default(const std::string& builtin_dir);
  /// Adds the entries of an entry point run in-process (tests, static builds).
  void add(const PluginRegistrar& registrar, const std::string& file = "");

  std::unique_ptr<Task> make_task(const std::string& name, const std::map<std::string, Value>& params) const;
  std::unique_ptr<Rule> make_rule(const std::string& name, const std::map<std::string, Value>& params) const;
  std::unique_ptr<Optimizer> make_optimizer(const std::string& name, const std::map<std::string, Value>& params) const;
  std::unique_ptr<Analysis> make_analysis(const std::string& name, const std::map<std::string, Value>& params) const;

  /// Throws Error "unknown rule 'x'; available: a, b" if absent.
  const PluginInfo& info(PluginKind kind, const std::string& name) const;
  /// All plugins with this name, of any kind.
  std::vector<const PluginInfo*> find(const std::string& name) const;
  std::vector<std::string> names(PluginKind kind) const;
  std::vector<const PluginInfo*> all() const;
  const std::vector<LoadFailure>& failures() const { return failures_; }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::vector<LoadFailure> failures_;
};

/// Directory of built-in plugins for an executable at `exe_path`
/// (<prefix>/bin/rnnlab → <prefix>/lib/rnnlab/plugins).
std::string builtin_plugin_dir(const std::string& exe_path);

}  // namespace rnnlab
