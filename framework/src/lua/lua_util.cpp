#include "lua_util.hpp"

#include <cmath>
#include <algorithm>
#include <cstring>
#include <vector>

#include "rnnlab/sdk/error.hpp"

namespace rnnlab::lua {
namespace {
const char* const kContextKey = "rnnlab.context";
}

Context& context(lua_State* L) {
  lua_getfield(L, LUA_REGISTRYINDEX, kContextKey);
  auto* ctx = static_cast<Context*>(lua_touserdata(L, -1));
  lua_pop(L, 1);
  if (!ctx) throw Error("internal: rnnlab Lua context missing");
  return *ctx;
}

void set_context(lua_State* L, Context* ctx) {
  lua_pushlightuserdata(L, ctx);
  lua_setfield(L, LUA_REGISTRYINDEX, kContextKey);
}

int raise(lua_State* L, const std::string& msg) {
  std::string where;
  lua_Debug ar;
  for (int level = 1; lua_getstack(L, level, &ar); ++level) {
    if (!lua_getinfo(L, "Sl", &ar)) break;
    if (ar.currentline > 0 && std::strncmp(ar.source, "=[rnnlab", 8) != 0) {
      where = std::string(ar.short_src) + ":" + std::to_string(ar.currentline) + ": ";
      break;
    }
  }
  lua_pushstring(L, (where + msg).c_str());
  lua_error(L);
  std::abort();  // lua_error does not return
}

std::string type_of(lua_State* L, int index) {
  if (luaL_getmetafield(L, index, "__name") == LUA_TSTRING) {
    std::string name = lua_tostring(L, -1);
    lua_pop(L, 1);
    return name;
  }
  return luaL_typename(L, index);
}

const void* box_magic() {
  static const char magic = 0;
  return &magic;
}

BoxHeader* box_header(lua_State* L, int index) {
  if (lua_type(L, index) != LUA_TUSERDATA || lua_rawlen(L, index) != kBoxSize) return nullptr;
  auto* header = static_cast<BoxHeader*>(lua_touserdata(L, index));
  return header->magic == box_magic() ? header : nullptr;
}

namespace detail {

int collect(lua_State* L) {
  if (BoxHeader* header = box_header(L, 1)) header->release(header);
  return 0;
}

namespace {

// __index(self, key): methods first, then fields; anything else is an
// error so that typos do not silently read nil.
int index(lua_State* L) {
  const char* type_name = lua_tostring(L, lua_upvalueindex(3));
  if (lua_type(L, 2) == LUA_TSTRING) {
    lua_pushvalue(L, 2);
    if (lua_rawget(L, lua_upvalueindex(1)) != LUA_TNIL) return 1;
    lua_pop(L, 1);
    auto fields = reinterpret_cast<FieldGetter>(lua_touserdata(L, lua_upvalueindex(2)));
    const std::string key = lua_tostring(L, 2);
    bool found = false;
    std::string message;
    try {
      found = fields && fields(L, 1, key);
    } catch (const std::exception& e) {
      message = e.what();
    }
    if (!message.empty()) raise(L, message);
    if (found) return 1;
  }
  raise(L, std::string(type_name) + " has no field or method '" + luaL_tolstring(L, 2, nullptr) + "'" +
               lua_tostring(L, lua_upvalueindex(4)));
}

}  // namespace

void install_metatable(lua_State* L, const char* name, const luaL_Reg* methods, FieldGetter fields,
                       const char* const* field_names, lua_CFunction tostring, lua_CFunction gc) {
  // The "valid keys" part of the unknown-key error, sorted, built once.
  std::vector<std::string> fields_sorted, methods_sorted;
  for (auto f = field_names; f && *f; ++f) fields_sorted.emplace_back(*f);
  for (auto m = methods; m->name; ++m) methods_sorted.emplace_back(std::string(m->name) + "()");
  std::sort(fields_sorted.begin(), fields_sorted.end());
  std::sort(methods_sorted.begin(), methods_sorted.end());
  std::string valid;
  if (!fields_sorted.empty()) valid += "; fields: " + join(fields_sorted);
  if (!methods_sorted.empty()) valid += "; methods: " + join(methods_sorted);

  luaL_newmetatable(L, name);  // sets __name
  // getmetatable(obj) returns the type name: scripts cannot reach __gc and
  // destroy an object that is still in use.
  lua_pushstring(L, name);
  lua_setfield(L, -2, "__metatable");
  lua_pushcfunction(L, gc);
  lua_setfield(L, -2, "__gc");
  lua_pushcfunction(L, tostring);
  lua_setfield(L, -2, "__tostring");
  lua_newtable(L);
  luaL_setfuncs(L, methods, 0);
  lua_pushlightuserdata(L, reinterpret_cast<void*>(fields));
  lua_pushstring(L, name);
  lua_pushstring(L, valid.c_str());
  lua_pushcclosure(L, index, 4);
  lua_setfield(L, -2, "__index");
  lua_pop(L, 1);
}

}  // namespace detail

std::string path_arg(lua_State* L, int index, const std::string& call) {
  if (lua_type(L, index) != LUA_TSTRING)
    throw Error(call + ": the path must be a string, got " +
                (lua_isnone(L, index) ? std::string("nothing") : type_of(L, index)));
  return lua_tostring(L, index);
}

Value to_value(lua_State* L, int index, const std::string& key, const std::string& owner) {
  switch (lua_type(L, index)) {
    case LUA_TBOOLEAN: return static_cast<bool>(lua_toboolean(L, index));
    case LUA_TNUMBER: return static_cast<double>(lua_tonumber(L, index));
    case LUA_TSTRING: return std::string(lua_tostring(L, index));
    default:
      throw Error("parameter '" + key + "' of " + owner + " must be a boolean, number or string, got " +
                  type_of(L, index));
  }
}

std::map<std::string, Value> to_params(lua_State* L, int index, const std::string& owner) {
  std::map<std::string, Value> out;
  index = lua_absindex(L, index);
  if (lua_isnoneornil(L, index)) return out;
  if (!lua_istable(L, index))
    throw Error("parameters of " + owner + " must be a table, got " + type_of(L, index));
  lua_pushnil(L);
  while (lua_next(L, index)) {
    if (lua_type(L, -2) != LUA_TSTRING) {
      lua_pop(L, 2);
      throw Error("parameters of " + owner + " must be given as name = value (found a non-name key)");
    }
    const std::string key = lua_tostring(L, -2);
    out[key] = to_value(L, -1, key, owner);
    lua_pop(L, 1);
  }
  return out;
}

}  // namespace rnnlab::lua
