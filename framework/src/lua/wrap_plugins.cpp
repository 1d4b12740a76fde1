// Lua binding of plugin-made objects: lab.task, lab.rule, ... (one per
// kind of plugin) and the objects they make.
#include <new>
#include <sstream>
#include <stdexcept>

#include "bindings.hpp"
#include "rnnlab/sdk/error.hpp"
#include "rnnlab/sdk/random.hpp"

namespace rnnlab::lua {

std::string describe_params(const std::map<std::string, Value>& params) {
  std::string out;
  for (const auto& [k, v] : params) out += (out.empty() ? "" : ", ") + k + "=" + describe(v);
  return out;
}

namespace {

template <class T>
int made_tostring(lua_State* L) {
  const auto& m = *check<T>(L, 1);
  std::string kind = TypeName<T>::value + 7;  // strip "rnnlab."
  std::string text = kind + "(" + m.name + (m.params.empty() ? "" : ", " + m.params) + ")";
  lua_pushstring(L, text.c_str());
  return 1;
}

std::string name_arg(lua_State* L, const char* kind) {
  if (lua_type(L, 1) != LUA_TSTRING)
    throw Error(std::string("lab.") + kind + "(name, params): name must be a string, got " + type_of(L, 1));
  return lua_tostring(L, 1);
}

// lab.<kind>(name, params), for every kind.
template <class Base>
int made_new(lua_State* L) {
  const char* kind = PluginKindOf<Base>::name;
  const std::string name = name_arg(L, kind);
  auto params = to_params(L, 2, std::string(kind) + " '" + name + "'");
  std::shared_ptr<Base> object = context(L).registry->make<Base>(name, params);
  push(L, std::make_shared<Made<Base>>(Made<Base>{std::move(object), name, describe_params(params), params}));
  return 1;
}

// What the objects of a kind offer besides `name`: methods and fields.
template <class Base>
struct LuaKind {
  static constexpr luaL_Reg methods[] = {{nullptr, nullptr}};
  static constexpr const char* fields[] = {"name", nullptr};
  static bool field(lua_State*, int, const std::string&) { return false; }
};

template <class Base>
bool made_field(lua_State* L, int self, const std::string& key) {
  if (key != "name") return LuaKind<Base>::field(L, self, key);
  lua_pushstring(L, check<Made<Base>>(L, self)->name.c_str());
  return true;
}

// --- Task -----------------------------------------------------------------
// Which sizes did not fit: the task's parameters as given.
std::string too_large(const TaskObject& t) {
  return "out of memory: a batch of task '" + t.name + "'" + (t.params.empty() ? "" : " (" + t.params + ")") +
         " is too large to hold (check batch and the durations against dt)";
}

int task_batch(lua_State* L) {
  const auto& t = *check<TaskObject>(L, 1);
  const lua_Integer seed = luaL_optinteger(L, 2, 1);
  if (seed < 0) throw Error("task:batch(seed): seed must be non-negative");
  auto batch = std::make_shared<Batch>();
  try {
    t.object->generate(static_cast<std::uint64_t>(seed), *batch);
  } catch (const std::bad_alloc&) {
    throw Error(too_large(t));
  } catch (const std::length_error&) {
    throw Error(too_large(t));
  }
  push(L, batch);
  return 1;
}

template <>
struct LuaKind<Task> {
  static constexpr luaL_Reg methods[] = {{"batch", guarded<task_batch>}, {nullptr, nullptr}};
  static constexpr const char* fields[] = {"inputs", "outputs", "dt", "loss", "name", nullptr};
  static bool field(lua_State* L, int self, const std::string& key) {
    const TaskInfo info = check<TaskObject>(L, self)->object->info();
    if (key == "inputs") lua_pushinteger(L, static_cast<lua_Integer>(info.inputs));
    else if (key == "outputs") lua_pushinteger(L, static_cast<lua_Integer>(info.outputs));
    else if (key == "dt") lua_pushnumber(L, info.dt);
    else if (key == "loss") lua_pushstring(L, to_string(info.loss));
    else return false;
    return true;
  }
};

// --- Rule -----------------------------------------------------------------
int rule_gradient(lua_State* L) {
  auto& r = *check<RuleObject>(L, 1);
  const Network& net = *check<Network>(L, 2);
  auto batch = opt_batch(L, 3);
  if (!batch) throw Error("rule:gradient(net, batch): argument 3 must be an rnnlab.Batch, got " + type_of(L, 3));
  check_compatible(net, *batch);
  // Outside training, a rule starts fresh for this network on every call.
  r.object->begin(net, derive_seed(net.config().seed, "rule"));
  auto grad = std::make_shared<Gradient>();
  grad->params = ParameterBlocks(net.shape());
  r.object->gradient(net, *batch, *grad);
  grad->rule = r.name;
  push(L, grad);
  return 1;
}

template <>
struct LuaKind<Rule> : LuaKind<void> {
  static constexpr luaL_Reg methods[] = {{"gradient", guarded<rule_gradient>}, {nullptr, nullptr}};
};

// --- Optimizer ----------------------------------------------------------------
// --- Analysis -----------------------------------------------------------------
void push_value(lua_State* L, const AnalysisValue& v) {
  if (auto d = std::get_if<double>(&v)) {
    lua_pushnumber(L, *d);
  } else if (auto s = std::get_if<std::string>(&v)) {
    lua_pushstring(L, s->c_str());
  } else {
    const auto& xs = std::get<std::vector<double>>(v);
    lua_createtable(L, static_cast<int>(xs.size()), 0);
    for (std::size_t i = 0; i < xs.size(); ++i) {
      lua_pushnumber(L, xs[i]);
      lua_rawseti(L, -2, static_cast<lua_Integer>(i + 1));
    }
  }
}

int analysis_run(lua_State* L) {
  auto& a = *check<AnalysisObject>(L, 1);
  const Network& net = *check<Network>(L, 2);
  AnalysisInput input;
  input.registry = context(L).registry;
  if (auto* t = test<TaskObject>(L, 3)) input.task = (*t)->object.get();
  else if (auto* b = test<Batch>(L, 3)) input.batch = b->get();
  else throw Error("analysis:run(net, task_or_batch): argument 3 must be an rnnlab.Task or rnnlab.Batch, got " + type_of(L, 3));
  const AnalysisResult result = a.object->run(net, input, derive_seed(net.config().seed, "analysis." + a.name));
  lua_createtable(L, 0, static_cast<int>(result.size()));
  for (const auto& [key, value] : result) {
    push_value(L, value);
    lua_setfield(L, -2, key.c_str());
  }
  return 1;
}

template <>
struct LuaKind<Analysis> : LuaKind<void> {
  static constexpr luaL_Reg methods[] = {{"run", guarded<analysis_run>}, {nullptr, nullptr}};
};

// --- Plugin management -------------------------------------------------------
int load_plugins(lua_State* L) {
  Registry& registry = *context(L).registry;
  const std::size_t before = registry.failures().size();
  registry.load(path_arg(L, 1, "lab.load_plugins(path)"));
  if (registry.failures().size() > before) {
    const auto& f = registry.failures().back();
    throw Error("could not load plugin '" + f.file + "': " + f.reason);
  }
  return 0;
}

int list_plugins(lua_State* L) {
  const auto all = context(L).registry->all();
  lua_createtable(L, static_cast<int>(all.size()), 0);
  int i = 0;
  for (const PluginInfo* info : all) {
    lua_createtable(L, 0, 4);
    lua_pushstring(L, to_string(info->kind));
    lua_setfield(L, -2, "kind");
    lua_pushstring(L, info->name.c_str());
    lua_setfield(L, -2, "name");
    lua_pushstring(L, info->version.c_str());
    lua_setfield(L, -2, "version");
    lua_pushstring(L, info->file.c_str());
    lua_setfield(L, -2, "file");
    lua_rawseti(L, -2, ++i);
  }
  return 1;
}

}  // namespace

void open_plugins(lua_State* L) {
  for_each_plugin_base([L](auto base) {
    using Base = typename decltype(base)::type;
    define_type<Made<Base>>(L, LuaKind<Base>::methods, made_field<Base>, LuaKind<Base>::fields,
                            guarded<made_tostring<Made<Base>>>);
    lua_pushcfunction(L, guarded<made_new<Base>>);
    lua_setfield(L, -2, PluginKindOf<Base>::name);
  });
  static const luaL_Reg functions[] = {
      {"load_plugins", guarded<load_plugins>}, {"plugins", guarded<list_plugins>}, {nullptr, nullptr}};
  luaL_setfuncs(L, functions, 0);
}

}  // namespace rnnlab::lua
