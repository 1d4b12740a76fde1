#include "rnnlab/registry.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <sstream>

#include "rnnlab/error.hpp"

namespace rnnlab {

const char* to_string(PluginKind k) {
  switch (k) {
    case PluginKind::Task: return "task";
    case PluginKind::Rule: return "rule";
    case PluginKind::Optimizer: return "optimizer";
    case PluginKind::Analysis: return "analysis";
  }
  return "?";
}

namespace {

// Parameters every plugin of a kind accepts, handled by the framework.
ParamSpecs kind_wide_params(PluginKind kind) {
  if (kind == PluginKind::Optimizer)
    return {ParamSpec::number("clip", 0).at_least(0).means("clip the gradient to this global L2 norm; 0 = off")};
  return {};
}

std::string owner(const PluginInfo& info) { return std::string(to_string(info.kind)) + " '" + info.name + "'"; }

}  // namespace

void PluginRegistrar::add(PluginInfo info, Factory factory) {
  if (info.name.empty()) throw Error("a plugin registered a " + std::string(to_string(info.kind)) + " with an empty name");
  for (auto& extra : kind_wide_params(info.kind)) {
    bool declared = false;
    for (const auto& s : info.params) declared |= s.name == extra.name;
    if (!declared) info.params.push_back(extra);
  }
  for (const auto& e : entries_)
    if (e.info.kind == info.kind && e.info.name == info.name)
      throw Error("registers " + owner(info) + " twice");
  entries_.push_back({std::move(info), std::move(factory)});
}

struct Registry::Impl {
  std::map<std::pair<PluginKind, std::string>, PluginRegistrar::Entry> entries;
  std::vector<std::string> loaded_files;  // canonical paths
};

Registry::Registry() : impl_(std::make_unique<Impl>()) {}
Registry::~Registry() = default;

void Registry::add(const PluginRegistrar& registrar, const std::string& file) {
  for (const auto& e : registrar.entries()) {
    auto it = impl_->entries.find({e.info.kind, e.info.name});
    if (it != impl_->entries.end()) {
      const std::string& other = it->second.info.file;
      throw Error("duplicate " + owner(e.info) + " (already provided by " + (other.empty() ? "the core" : other) + ")");
    }
  }
  for (auto e : registrar.entries()) {
    e.info.file = file;
    auto key = std::make_pair(e.info.kind, e.info.name);
    impl_->entries.emplace(std::move(key), std::move(e));
  }
}

// Declared in loader.cpp: opens a library, checks the ABI, runs its entry
// point into `registrar`. Throws Error with the reason on failure.
void run_plugin_library(const std::string& file, PluginRegistrar& registrar);

void Registry::load(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::exists(path, ec)) throw IoError("plugin path '" + path + "' does not exist");
  std::vector<fs::path> files;
  if (fs::is_directory(path, ec)) {
    for (const auto& entry : fs::directory_iterator(path, ec))
      if (entry.path().extension() == ".so") files.push_back(entry.path());
    std::sort(files.begin(), files.end());
  } else {
    files.push_back(path);
  }
  for (const auto& file : files) {
    const std::string canonical = fs::weakly_canonical(file, ec).string();
    if (std::find(impl_->loaded_files.begin(), impl_->loaded_files.end(), canonical) != impl_->loaded_files.end())
      continue;  // the same library reached twice through the search path
    impl_->loaded_files.push_back(canonical);
    try {
      PluginRegistrar registrar;
      run_plugin_library(canonical, registrar);
      if (registrar.entries().empty()) throw Error("registers nothing");
      add(registrar, canonical);
    } catch (const std::exception& e) {
      failures_.push_back({canonical, e.what()});
    }
  }
}

void Registry::load_default(const std::string& builtin_dir) {
  if (const char* env = std::getenv("RNNLAB_PLUGIN_PATH")) {
    std::stringstream ss(env);
    std::string dir;
    while (std::getline(ss, dir, ':')) {
      if (dir.empty()) continue;
      try {
        load(dir);
      } catch (const IoError& e) {
        failures_.push_back({dir, std::string(e.what()) + " (from RNNLAB_PLUGIN_PATH)"});
      }
    }
  }
  if (!builtin_dir.empty() && std::filesystem::is_directory(builtin_dir)) load(builtin_dir);
}

const PluginInfo& Registry::info(PluginKind kind, const std::string& name) const {
  auto it = impl_->entries.find({kind, name});
  if (it == impl_->entries.end()) {
    const auto available = names(kind);
    throw Error("unknown " + std::string(to_string(kind)) + " '" + name + "'; available: " +
                (available.empty() ? std::string("(none loaded)") : join(available)));
  }
  return it->second.info;
}

namespace {
template <class F>
const F& factory_of(const std::map<std::pair<PluginKind, std::string>, PluginRegistrar::Entry>& entries,
                    PluginKind kind, const std::string& name) {
  return std::get<F>(entries.at({kind, name}).factory);
}
}  // namespace

std::unique_ptr<Task> Registry::make_task(const std::string& name, const std::map<std::string, Value>& params) const {
  const auto& i = info(PluginKind::Task, name);
  return factory_of<TaskFactory>(impl_->entries, i.kind, name)(ParamSet::validate(i.params, params, owner(i)));
}

std::unique_ptr<Rule> Registry::make_rule(const std::string& name, const std::map<std::string, Value>& params) const {
  const auto& i = info(PluginKind::Rule, name);
  return factory_of<RuleFactory>(impl_->entries, i.kind, name)(ParamSet::validate(i.params, params, owner(i)));
}

std::unique_ptr<Optimizer> Registry::make_optimizer(const std::string& name,
                                                    const std::map<std::string, Value>& params) const {
  const auto& i = info(PluginKind::Optimizer, name);
  const ParamSet p = ParamSet::validate(i.params, params, owner(i));
  auto optimizer = factory_of<OptimizerFactory>(impl_->entries, i.kind, name)(p);
  optimizer->clip = p.number("clip");
  return optimizer;
}

std::unique_ptr<Analysis> Registry::make_analysis(const std::string& name,
                                                  const std::map<std::string, Value>& params) const {
  const auto& i = info(PluginKind::Analysis, name);
  return factory_of<AnalysisFactory>(impl_->entries, i.kind, name)(ParamSet::validate(i.params, params, owner(i)));
}

std::vector<const PluginInfo*> Registry::find(const std::string& name) const {
  std::vector<const PluginInfo*> out;
  for (const auto& [key, e] : impl_->entries)
    if (key.second == name) out.push_back(&e.info);
  return out;
}

std::vector<std::string> Registry::names(PluginKind kind) const {
  std::vector<std::string> out;
  for (const auto& [key, e] : impl_->entries)
    if (key.first == kind) out.push_back(key.second);
  return out;
}

std::vector<const PluginInfo*> Registry::all() const {
  std::vector<const PluginInfo*> out;
  for (const auto& [key, e] : impl_->entries) out.push_back(&e.info);
  return out;
}

std::string builtin_plugin_dir(const std::string& exe_path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::path exe = fs::weakly_canonical(exe_path, ec);
  return (exe.parent_path().parent_path() / "lib" / "rnnlab" / "plugins").string();
}

}  // namespace rnnlab
