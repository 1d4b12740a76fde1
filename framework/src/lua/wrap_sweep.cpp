// lab.sweep{...}: the Lua table becomes JSON (also the sweep.json written
// to disk) and the kernel's sweep runner does the rest. lab.rank and
// lab.ranks tell a script run under mpirun which rank it is.
#include <cmath>

#include "../sweep/group.hpp"
#include "bindings.hpp"
#include "rnnlab/sdk/error.hpp"
#include "rnnlab/app/sweep.hpp"

namespace rnnlab::lua {
namespace {

using json = nlohmann::json;

// Where a value sits in the table, e.g. lab.sweep.grid.seed[3]; made into
// text only for an error message (a grid may list millions of values).
struct Path {
  const Path* parent = nullptr;
  std::string key;           // a field name, or
  lua_Integer index = 0;     // a list position (1-based) when key is empty
  std::string text() const {
    std::string t = parent ? parent->text() : std::string();
    if (!parent) t.append(key);
    else if (key.empty()) t.append("[").append(std::to_string(index)).append("]");
    else t.append(".").append(key);
    return t;
  }
};

json convert(lua_State* L, int index, const Path& where, int depth) {
  index = lua_absindex(L, index);
  if (depth > 20) throw Error(where.text() + ": tables nested too deeply");
  switch (lua_type(L, index)) {
    case LUA_TBOOLEAN: return static_cast<bool>(lua_toboolean(L, index));
    case LUA_TNUMBER:
      if (lua_isinteger(L, index)) return static_cast<long long>(lua_tointeger(L, index));
      if (!std::isfinite(lua_tonumber(L, index))) throw Error(where.text() + ": numbers must be finite");
      return lua_tonumber(L, index);
    case LUA_TSTRING: return std::string(lua_tostring(L, index));
    case LUA_TTABLE: break;
    default: throw Error(where.text() + " must hold plain values (names, numbers, tables), got " + type_of(L, index));
  }
  const lua_Unsigned n = lua_rawlen(L, index);
  std::size_t count = 0;
  lua_pushnil(L);
  while (lua_next(L, index)) {
    ++count;
    lua_pop(L, 1);
  }
  if (n > 0 && count == n) {  // a sequence
    json array = json::array();
    array.get_ref<json::array_t&>().reserve(n);
    Path item{&where, "", 0};
    for (lua_Unsigned i = 1; i <= n; ++i) {
      lua_rawgeti(L, index, static_cast<lua_Integer>(i));
      item.index = static_cast<lua_Integer>(i);
      array.push_back(convert(L, -1, item, depth + 1));
      lua_pop(L, 1);
    }
    return array;
  }
  // Named fields, with list items among them (as in { "accuracy", every =
  // 10 }) under the keys "1", "2", ...
  bool named = false;
  lua_pushnil(L);
  while (lua_next(L, index)) {
    named |= lua_type(L, -2) == LUA_TSTRING;
    lua_pop(L, 1);
  }
  json object = json::object();
  lua_pushnil(L);
  while (lua_next(L, index)) {
    const bool item = named && lua_isinteger(L, -2) && lua_tointeger(L, -2) >= 1;
    if (lua_type(L, -2) != LUA_TSTRING && !item) {
      lua_pop(L, 2);
      throw Error(where.text() + ": uses keys that are neither names nor list positions");
    }
    const std::string key = item ? std::to_string(lua_tointeger(L, -2)) : std::string(lua_tostring(L, -2));
    object[key] = convert(L, -1, Path{&where, key, 0}, depth + 1);
    lua_pop(L, 1);
  }
  return object;
}

}  // namespace

json to_json(lua_State* L, int index, const std::string& where) { return convert(L, index, Path{nullptr, where, 0}, 0); }

namespace {


int sweep(lua_State* L) {
  if (!lua_istable(L, 1)) throw Error("lab.sweep{...} expects a table, got " + type_of(L, 1));
  json config = to_json(L, 1, "lab.sweep");
  const Context& ctx = context(L);
  SweepOptions options;
  options.jobs = ctx.jobs;
  options.quiet = ctx.quiet;
  options.shard_index = ctx.shard_index;
  options.shard_count = ctx.shard_count;
  const SweepReport r = run_sweep(*ctx.registry, std::move(config), options);
  lua_createtable(L, 0, 6);
  lua_pushstring(L, r.out.c_str());
  lua_setfield(L, -2, "out");
  lua_pushinteger(L, static_cast<lua_Integer>(r.runs));
  lua_setfield(L, -2, "runs");
  lua_pushinteger(L, static_cast<lua_Integer>(r.completed));
  lua_setfield(L, -2, "completed");
  lua_pushinteger(L, static_cast<lua_Integer>(r.skipped));
  lua_setfield(L, -2, "skipped");
  lua_pushinteger(L, static_cast<lua_Integer>(r.diverged));
  lua_setfield(L, -2, "diverged");
  lua_pushnumber(L, r.seconds);
  lua_setfield(L, -2, "seconds");
  return 1;
}

}  // namespace

void open_sweep(lua_State* L) {
  static const luaL_Reg functions[] = {{"sweep", guarded<sweep>}, {nullptr, nullptr}};
  luaL_setfuncs(L, functions, 0);
  // lab.rank, lab.ranks: this process among those that share every sweep
  // (mpirun -np P in an MPI build; 0 and 1 otherwise).
  const SweepGroup* group = sweep_group();
  lua_pushinteger(L, group ? group->rank() : 0);
  lua_setfield(L, -2, "rank");
  lua_pushinteger(L, group ? group->size() : 1);
  lua_setfield(L, -2, "ranks");
}

}  // namespace rnnlab::lua
