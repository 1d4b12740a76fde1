#pragma once
// Name-keyed registry of plugin types, filled by plugin entry points.
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <type_traits>
#include <variant>
#include <vector>

#include "rnnlab/sdk/export.hpp"
#include "rnnlab/sdk/params.hpp"
#include "rnnlab/sdk/plugin.hpp"

namespace rnnlab {

/// The kinds of plugin. Adding a kind: its interface in plugin.hpp, a value
/// here, its type in PluginBases (same order) and one PluginKindOf line.
enum class PluginKind { Task, Rule, Optimizer, Analysis, Initializer };
using PluginBases = std::tuple<Task, Rule, Optimizer, Analysis, Initializer>;

/// The kind of a plugin interface: `kind`, its `name` ("rule") as in
/// `rnnlab plugins` and lab.rule, and the Lua type of its objects.
template <class Base>
struct PluginKindOf;
template <> struct PluginKindOf<Task> { static constexpr PluginKind kind = PluginKind::Task; static constexpr const char *name = "task", *type = "rnnlab.Task"; };
template <> struct PluginKindOf<Rule> { static constexpr PluginKind kind = PluginKind::Rule; static constexpr const char *name = "rule", *type = "rnnlab.Rule"; };
template <> struct PluginKindOf<Optimizer> { static constexpr PluginKind kind = PluginKind::Optimizer; static constexpr const char *name = "optimizer", *type = "rnnlab.Optimizer"; };
template <> struct PluginKindOf<Analysis> { static constexpr PluginKind kind = PluginKind::Analysis; static constexpr const char *name = "analysis", *type = "rnnlab.Analysis"; };
template <> struct PluginKindOf<Initializer> { static constexpr PluginKind kind = PluginKind::Initializer; static constexpr const char *name = "initializer", *type = "rnnlab.Initializer"; };

RNNLAB_EXPORT const char* to_string(PluginKind k);      ///< "task", "rule", ...
RNNLAB_EXPORT std::vector<PluginKind> plugin_kinds();  ///< every kind, in PluginKind order

/// Calls f(std::type_identity<Base>{}) for every interface of PluginBases, in order.
template <class F>
void for_each_plugin_base(F&& f) {
                [&]<class... Base>(std::tuple<Base...>*) { (f(std::type_identity<Base>{}), ...); }(static_cast<PluginBases*>(nullptr));
}

struct PluginInfo {
  PluginKind kind = PluginKind::Task;
  std::string name;
  std::string version;
  std::string summary;  ///< one line
  ParamSpecs params;    ///< includes kind-wide parameters (e.g. clip)
  std::string file;     ///< library it came from ("" if built in)
  /// Rules only: the parameter blocks whose gradient, at the default
  /// parameters, is the true gradient of the task loss: "all", a list such
  /// as "W_out,b_out", or "" (none). `rnnlab check` holds the rule to it
  /// (finite differences). Set it on what add<T>() returns.
  std::string exact;
};

/// Makes an object of one registered type from validated parameters.
template <class Base>
using Maker = std::function<std::unique_ptr<Base>(const ParamSet&)>;
template <class Bases>
struct FactoryOf;
template <class... Base>
struct FactoryOf<std::tuple<Base...>> {
  using type = std::variant<Maker<Base>...>;
};
using Factory = FactoryOf<PluginBases>::type;
using TaskFactory = Maker<Task>;
using RuleFactory = Maker<Rule>;
using OptimizerFactory = Maker<Optimizer>;
using AnalysisFactory = Maker<Analysis>;

/// The interface of PluginBases that T implements (exactly one).
template <class T, class Bases = PluginBases>
struct PluginBaseOf;
template <class T, class... Base>
struct PluginBaseOf<T, std::tuple<Base...>> {
  static_assert((std::is_base_of_v<Base, T> + ...) == 1,
                "a plugin type derives from exactly one of Task, Rule, Optimizer, Analysis, Initializer");
  static constexpr std::size_t index = [] {
    std::size_t i = 0;
    static_cast<void>(((std::is_base_of_v<Base, T> ? false : (++i, true)) && ...));
    return i;
  }();
  using type = std::tuple_element_t<index, std::tuple<Base...>>;
};

/// What a plugin's entry point receives. Registration is staged: if the
/// entry point throws or a name is taken, nothing of the plugin is kept.
class RNNLAB_EXPORT PluginRegistrar {
 public:
  /// Registers T under `name`; its kind is that of the interface T derives
  /// from. Returns the registered info, valid until the next add(), for
  /// declarations made at once: r.add<MyRule>(...).exact = "W_out,b_out";
  template <class T>
  PluginInfo& add(std::string name, std::string summary, ParamSpecs specs, std::string version = "1.0") {
    using Base = typename PluginBaseOf<T>::type;
    return add({PluginKindOf<Base>::kind, std::move(name), std::move(version), std::move(summary), std::move(specs), {}, {}},
               Factory(Maker<Base>([](const ParamSet& p) -> std::unique_ptr<Base> { return std::make_unique<T>(p); })));
  }
  // The per-kind names of add<T>, for plugins written before it.
  template <class T> PluginInfo& add_task(std::string n, std::string s, ParamSpecs p, std::string v = "1.0") { return add<T>(std::move(n), std::move(s), std::move(p), std::move(v)); }
  template <class T> PluginInfo& add_rule(std::string n, std::string s, ParamSpecs p, std::string v = "1.0") { return add<T>(std::move(n), std::move(s), std::move(p), std::move(v)); }
  template <class T> PluginInfo& add_optimizer(std::string n, std::string s, ParamSpecs p, std::string v = "1.0") { return add<T>(std::move(n), std::move(s), std::move(p), std::move(v)); }
  template <class T> PluginInfo& add_analysis(std::string n, std::string s, ParamSpecs p, std::string v = "1.0") { return add<T>(std::move(n), std::move(s), std::move(p), std::move(v)); }
  PluginInfo& add(PluginInfo info, Factory factory);

  struct Entry {
    PluginInfo info;
    Factory factory;
  };
  const std::vector<Entry>& entries() const { return entries_; }

 private:
  std::vector<Entry> entries_;
};

/// Sets what the framework handles for every plugin of a kind from the
/// kind-wide parameters (see kind_wide_params): an optimizer's clip.
inline void apply_kind_wide(Optimizer& o, const ParamSet& p) { o.clip = p.number("clip"); }
template <class Base>
void apply_kind_wide(Base&, const ParamSet&) {}

/// A plugin file that could not be used, and why.
struct LoadFailure {
  std::string file;
  std::string reason;
};

class RNNLAB_EXPORT Registry {
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

  /// A new object of the registered type `name` of Base's kind, from
  /// `params` checked against its table. Throws Error naming what is wrong.
  template <class Base>
  std::unique_ptr<Base> make(const std::string& name, const std::map<std::string, Value>& params) const {
    ParamSet validated;
    auto object = std::get<Maker<Base>>(factory(PluginKindOf<Base>::kind, name, params, validated))(validated);
    apply_kind_wide(*object, validated);
    return object;
  }
  // The per-kind names of make<Base>.
  std::unique_ptr<Task> make_task(const std::string& n, const std::map<std::string, Value>& p) const { return make<Task>(n, p); }
  std::unique_ptr<Rule> make_rule(const std::string& n, const std::map<std::string, Value>& p) const { return make<Rule>(n, p); }
  std::unique_ptr<Optimizer> make_optimizer(const std::string& n, const std::map<std::string, Value>& p) const { return make<Optimizer>(n, p); }
  std::unique_ptr<Analysis> make_analysis(const std::string& n, const std::map<std::string, Value>& p) const { return make<Analysis>(n, p); }

  /// Throws Error "unknown rule 'x'; available: a, b" if absent.
  const PluginInfo& info(PluginKind kind, const std::string& name) const;
  /// All plugins with this name, of any kind.
  std::vector<const PluginInfo*> find(const std::string& name) const;
  std::vector<std::string> names(PluginKind kind) const;
  std::vector<const PluginInfo*> all() const;
  const std::vector<LoadFailure>& failures() const { return failures_; }

 private:
  /// The factory of `name`; `validated` receives `params` checked against its table.
  const Factory& factory(PluginKind kind, const std::string& name, const std::map<std::string, Value>& params,
                         ParamSet& validated) const;
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::vector<LoadFailure> failures_;
};

/// A new network drawn by the initializer its config names: config.init
/// with config.init_params, or Network(config) if config.init is "". The
/// network's config records the parameters completed with the
/// initializer's defaults, so make_network(registry, net.config()) draws
/// the same weights again (e.g. a trained network's initial weights).
/// Throws Error for an unknown initializer or invalid parameters.
RNNLAB_EXPORT Network make_network(const Registry& registry, NetworkConfig config);

/// The weights `net` started from: its recorded initial weights
/// (Network::initial_params), or, when it carries none (never trained, or
/// read from a file without them), the weights its configuration draws
/// again: Network(config), or make_network(*registry, config) for a named
/// initializer. Throws Error naming `who` when an initializer must be made
/// and `registry` is null. The `weights` and `weight_change` analyses
/// compare with these.
RNNLAB_EXPORT ParameterBlocks initial_weights(const Network& net, const Registry* registry, const std::string& who);

/// Appends to `out` how far each block moved, relative_change(now, initial):
/// "change" over all of θ, then "W_h_change", "W_x_change",
/// "W_out_change", and "b_change", "b_out_change" when `bias`.
RNNLAB_EXPORT void append_weight_changes(const ParameterBlocks& now, const ParameterBlocks& initial, bool bias,
                                         AnalysisResult& out);

/// Directory of built-in plugins for an executable at `exe_path`
/// (<prefix>/bin/rnnlab → <prefix>/lib/rnnlab/plugins).
RNNLAB_EXPORT std::string builtin_plugin_dir(const std::string& exe_path);

}  // namespace rnnlab
