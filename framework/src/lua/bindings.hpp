#pragma once
// Types exposed to Lua and the functions that register them in the
// `rnnlab` module table.
#include <map>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <string>

#include "lua_util.hpp"
#include "rnnlab/sdk/network.hpp"
#include "rnnlab/sdk/plugin.hpp"
#include "rnnlab/sdk/registry.hpp"

namespace rnnlab::lua {

/// A plugin-made object together with the name it was made under.
template <class T>
struct Made {
  std::shared_ptr<T> object;
  std::string name;
  std::string params;  ///< "key=value, ..." as given, for tostring
  std::map<std::string, Value> values;  ///< the parameters as given
};
using TaskObject = Made<Task>;
using RuleObject = Made<Rule>;
using OptimizerObject = Made<Optimizer>;
using AnalysisObject = Made<Analysis>;
using InitializerObject = Made<Initializer>;

template <> struct TypeName<Network> { static constexpr const char* value = "rnnlab.Network"; };
template <> struct TypeName<Batch> { static constexpr const char* value = "rnnlab.Batch"; };
template <> struct TypeName<Gradient> { static constexpr const char* value = "rnnlab.Gradient"; };
template <class Base> struct TypeName<Made<Base>> { static constexpr const char* value = PluginKindOf<Base>::type; };

/// Each adds its functions to the module table at the top of the stack
/// and defines the metatables of its types.
void open_objects(lua_State* L);  ///< network, load_network, load_batch
void open_plugins(lua_State* L);  ///< one constructor a plugin kind (task, rule, ...), load_plugins, plugins
void open_rule(lua_State* L);     ///< rule:feedback(), set_feedback(), save_feedback() (after open_plugins)
void open_train(lua_State* L);    ///< train
void open_sweep(lua_State* L);    ///< sweep
void open_plot(lua_State* L);     ///< plot.curves, plot.lyapunov, plot.trial
void open_results(lua_State* L);  ///< results: a sweep's runs and best selection, for scripts

/// Resolves a Batch argument: a Batch userdata, or nil.
std::shared_ptr<Batch> opt_batch(lua_State* L, int index);

/// A Lua value as JSON (lab.sweep's config, monitor specs): a sequence
/// becomes an array, a table with names an object (list items mixed in are
/// under the keys "1", "2", ...). `where` names the value in errors.
nlohmann::json to_json(lua_State* L, int index, const std::string& where);

/// "key=value, ..." for tostring.
std::string describe_params(const std::map<std::string, Value>& params);

}  // namespace rnnlab::lua
