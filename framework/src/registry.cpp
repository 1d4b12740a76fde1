#include "rnnlab/sdk/registry.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <sstream>

#include "plugin_probe.hpp"
#include "rnnlab/sdk/error.hpp"
#include "rnnlab/sdk/parameters.hpp"

namespace rnnlab {

const char* to_string(PluginKind k) {
  const char* name = "?";
  for_each_plugin_base([&](auto base) {
    using Base = typename decltype(base)::type;
    if (PluginKindOf<Base>::kind == k) name = PluginKindOf<Base>::name;
  });
  return name;
}

std::vector<PluginKind> plugin_kinds() {
  std::vector<PluginKind> kinds;
  for_each_plugin_base([&](auto base) { kinds.push_back(PluginKindOf<typename decltype(base)::type>::kind); });
  return kinds;
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

PluginInfo& PluginRegistrar::add(PluginInfo info, Factory factory) {
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
  return entries_.back().info;
}

Network make_network(const Registry& registry, NetworkConfig config) {
  if (config.init.empty()) return Network(config);
  const std::string owner = "initializer '" + config.init + "'";
  const ParamSet p = ParamSet::validate(registry.info(PluginKind::Initializer, config.init).params, config.init_params, owner);
  config.init_params = p.values();
  return Network(config, *registry.make<Initializer>(config.init, config.init_params));
}

ParameterBlocks initial_weights(const Network& net, const Registry* registry, const std::string& who) {
  if (net.has_initial_params()) return net.initial_params();
  const NetworkConfig& config = net.config();
  if (config.init.empty()) return Network(config).params();
  if (!registry)
    throw Error(who + ": the network was drawn by initializer '" + config.init +
                "'; drawing its initial weights again needs the plugins (AnalysisInput::registry)");
  return make_network(*registry, config).params();
}

void append_weight_changes(const ParameterBlocks& now, const ParameterBlocks& initial, bool bias,
                           AnalysisResult& out) {
  out.emplace_back("change", relative_change(now.theta, initial.theta));
  out.emplace_back("W_h_change", relative_change(now.W_h, initial.W_h));
  out.emplace_back("W_x_change", relative_change(now.W_x, initial.W_x));
  out.emplace_back("W_out_change", relative_change(now.W_out, initial.W_out));
  if (bias) {
    out.emplace_back("b_change", relative_change(now.b, initial.b));
    out.emplace_back("b_out_change", relative_change(now.b_out, initial.b_out));
  }
}

struct Registry::Impl {
  std::map<std::pair<PluginKind, std::string>, PluginRegistrar::Entry> entries;
  std::vector<std::string> loaded_files;  // canonical paths
  std::unique_ptr<probe::Cache> cache;    // read when first needed
};

Registry::Registry() : impl_(std::make_unique<Impl>()) {}
Registry::~Registry() = default;

void Registry::add(const PluginRegistrar& registrar, const std::string& file) {
  for (const auto& e : registrar.entries()) {
    if (!e.info.exact.empty()) {
      if (e.info.kind != PluginKind::Rule)
        throw Error(owner(e.info) + " declares exact gradient blocks ('" + e.info.exact + "'); only rules have gradients");
      try {
        BlockMask::parse(e.info.exact);
      } catch (const Error& err) {
        throw Error(owner(e.info) + " declares its gradient exact on an " + err.what());
      }
    }
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

namespace {

// Why `file` is not opened at all, or "" for a regular file (then `st` is
// its stat, symbolic links followed). A FIFO would block open() forever, a
// device could do anything: only regular files are ever opened.
std::string not_regular(const std::filesystem::path& file, struct stat& st) {
  if (::stat(file.c_str(), &st) == 0) {
    if (S_ISREG(st.st_mode)) return "";
    const char* what = S_ISDIR(st.st_mode)                            ? "a directory"
                       : S_ISFIFO(st.st_mode)                         ? "a FIFO"
                       : S_ISSOCK(st.st_mode)                         ? "a socket"
                       : S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)   ? "a device"
                                                                      : "not a file";
    return std::string("not a regular file (") + what + "); not opened";
  }
  const int err = errno;
  struct stat link {};
  if (err == ELOOP) return "not a regular file (a symbolic link that loops); not opened";
  if (err == ENOENT && ::lstat(file.c_str(), &link) == 0 && S_ISLNK(link.st_mode))
    return "not a regular file (a dangling symbolic link); not opened";
  return std::string("cannot be read: ") + std::strerror(err);
}

// Whether a regular file may be loaded in this process: "" if its trial
// load in a child process (or the cached verdict of one, for exactly this
// version of the file) went well, else the reason.
std::string vet(const std::string& file, const struct stat& st, std::unique_ptr<probe::Cache>& cache) {
  if (!cache) cache = std::make_unique<probe::Cache>();
  const auto key = probe::FileKey::of(st);
  probe::Verdict verdict;
  if (const auto* cached = cache->find(file, key)) {
    verdict = *cached;
  } else {
    verdict = probe::run(file);
    cache->store(file, key, verdict);
  }
  if (!verdict.ok) return verdict.reason;
  // What is loaded in-process must be the file that was probed.
  struct stat now {};
  if (::stat(file.c_str(), &now) != 0 || !S_ISREG(now.st_mode) || !(probe::FileKey::of(now) == key))
    return "changed while being loaded; not loaded";
  return "";
}

}  // namespace

void Registry::load(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const bool is_link = fs::is_symlink(fs::symlink_status(path, ec));
  if (!fs::exists(path, ec) && !is_link) throw IoError("plugin path '" + path + "' does not exist");
  std::vector<fs::path> files;
  if (fs::is_directory(path, ec)) {
    for (const auto& entry : fs::directory_iterator(path, ec))
      if (entry.path().extension() == ".so") files.push_back(entry.path());
    std::sort(files.begin(), files.end());
  } else {
    files.push_back(path);
  }
  for (const auto& file : files) {
    struct stat st {};
    const std::string refused = not_regular(file, st);
    // The name shown is the canonical path, or for a file that cannot be
    // resolved (a looping link) its own absolute path: never empty.
    std::string name;
    if (refused.empty()) {
      const fs::path canonical = fs::canonical(file, ec);
      if (!ec) name = canonical.string();
    }
    if (name.empty()) {
      const fs::path absolute = fs::absolute(file, ec);
      name = ec ? file.string() : absolute.lexically_normal().string();
    }
    if (std::find(impl_->loaded_files.begin(), impl_->loaded_files.end(), name) != impl_->loaded_files.end())
      continue;  // the same library reached twice through the search path
    impl_->loaded_files.push_back(name);
    if (!refused.empty()) {
      failures_.push_back({name, refused});
      continue;
    }
    // Every file, the built-in ones included: probing those costs about
    // 17 ms each once per build (then the cache answers), and a file
    // dropped into the built-in directory is no safer than any other.
    if (const std::string why = vet(name, st, impl_->cache); !why.empty()) {
      failures_.push_back({name, why});
      continue;
    }
    try {
      PluginRegistrar registrar;
      run_plugin_library(name, registrar);
      if (registrar.entries().empty()) throw Error("registers nothing");
      add(registrar, name);
    } catch (const std::exception& e) {
      failures_.push_back({name, e.what()});
    }
  }
  if (impl_->cache) impl_->cache->save();
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

const Factory& Registry::factory(PluginKind kind, const std::string& name, const std::map<std::string, Value>& params,
                                 ParamSet& validated) const {
  const PluginInfo& i = info(kind, name);
  validated = ParamSet::validate(i.params, params, owner(i));
  return impl_->entries.at({kind, name}).factory;
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
