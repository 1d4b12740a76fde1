#pragma once
// Shared machinery of the Lua binding: one metatable per type holding a
// std::shared_ptr, an exception boundary, and parameter-table conversion.
#include <lua.hpp>

#include <map>
#include <memory>
#include <string>

#include "rnnlab/params.hpp"
#include "rnnlab/registry.hpp"

namespace rnnlab::lua {

/// Per-state context: the registry and run options, kept in the Lua registry.
struct Context {
  Registry* registry = nullptr;
  bool quiet = false;
  int jobs = 0;
  int shard_index = 0, shard_count = 1;
};
Context& context(lua_State* L);
void set_context(lua_State* L, Context* ctx);

/// Raises a Lua error "file:line: msg" located at the nearest user script
/// frame (prelude frames are skipped). Never returns.
[[noreturn]] int raise(lua_State* L, const std::string& msg);

/// Calls F; any std::exception becomes a Lua error raised after the catch
/// block, so no C++ object is skipped by the unwinding.
template <int (*F)(lua_State*)>
int guarded(lua_State* L) {
  std::string message;
  try {
    return F(L);
  } catch (const std::bad_alloc&) {
    message = "out of memory: the objects asked for are too large (check sizes such as hidden and batch, and dt)";
  } catch (const std::exception& e) {
    message = e.what();
  }
  raise(L, message);
}

/// Metatable name of each bound type.
template <class T>
struct TypeName;

template <class T>
void push(lua_State* L, std::shared_ptr<T> object) {
  void* memory = lua_newuserdatauv(L, sizeof(std::shared_ptr<T>), 0);
  new (memory) std::shared_ptr<T>(std::move(object));
  luaL_setmetatable(L, TypeName<T>::value);
}

/// The object at `index` if it is a live T, else nullptr. (An object whose
/// __gc already ran, e.g. called through debug.getmetatable, is empty.)
template <class T>
std::shared_ptr<T>* test(lua_State* L, int index) {
  auto* p = static_cast<std::shared_ptr<T>*>(luaL_testudata(L, index, TypeName<T>::value));
  return p && *p ? p : nullptr;
}

/// The T at `index`; raises the usual "bad argument" error otherwise.
template <class T>
std::shared_ptr<T>& check(lua_State* L, int index) {
  auto& p = *static_cast<std::shared_ptr<T>*>(luaL_checkudata(L, index, TypeName<T>::value));
  if (!p) luaL_argerror(L, index, (std::string(TypeName<T>::value) + " was already collected").c_str());
  return p;
}

/// A file or directory path argument: a Lua string, never a number
/// (so net:save(42) does not write a file named "42"). Throws Error.
std::string path_arg(lua_State* L, int index, const std::string& call);

/// Field getter for __index: pushes the value of `key` or returns false.
using FieldGetter = bool (*)(lua_State* L, int self, const std::string& key);

/// Creates the metatable of T with __gc, __tostring, and __index that
/// looks up `methods` first, then `fields`; `field_names` (nullptr-ended)
/// are offered in the error for an unknown key.
template <class T>
void define_type(lua_State* L, const luaL_Reg* methods, FieldGetter fields, const char* const* field_names,
                 lua_CFunction tostring);

/// Converts a Lua table of parameters (or nil) to Values. Throws Error on
/// non-string keys or values that are not booleans, numbers or strings.
std::map<std::string, Value> to_params(lua_State* L, int index, const std::string& owner);

/// One parameter value; throws Error for other Lua types.
Value to_value(lua_State* L, int index, const std::string& key, const std::string& owner);

/// A short type description of the value at `index` ("number", "table", ...).
std::string type_of(lua_State* L, int index);

}  // namespace rnnlab::lua

#include "lua_util_impl.hpp"
