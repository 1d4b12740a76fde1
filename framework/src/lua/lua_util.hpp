#pragma once
// Shared machinery of the Lua binding: one metatable per type holding a
// std::shared_ptr, an exception boundary, and parameter-table conversion.
#include <lua.hpp>

#include <cstddef>
#include <map>
#include <new>
#include <stdexcept>
#include <memory>
#include <string>

#include "rnnlab/sdk/params.hpp"
#include "rnnlab/sdk/registry.hpp"

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
  } catch (const std::length_error&) {  // "cannot create std::vector larger than max_size()"
    message = "out of memory: the objects asked for are too large (check sizes such as hidden and batch, and dt)";
  } catch (const std::exception& e) {
    message = e.what();
  }
  raise(L, message);
}

/// Metatable name of each bound type.
template <class T>
struct TypeName;

/// The memory block of every bound userdata starts with this header and
/// holds a std::shared_ptr<T> after it. A script can give any userdata any
/// metatable (debug.setmetatable), so the metatable proves nothing: the
/// header does. Its fields are addresses of statics of this library, which
/// no script can write into a block (and the block's size must match).
struct BoxHeader {
  const void* magic;           ///< box_magic(): made by push()
  const void* tag;             ///< type_tag<T>(): which T
  void (*release)(void* box);  ///< resets the shared_ptr<T>
};
inline constexpr std::size_t kBoxOffset = (sizeof(BoxHeader) + alignof(std::max_align_t) - 1) /
                                          alignof(std::max_align_t) * alignof(std::max_align_t);
inline constexpr std::size_t kBoxSize = kBoxOffset + sizeof(std::shared_ptr<int>);

const void* box_magic();

template <class T>
const void* type_tag() {
  static const char tag = 0;
  return &tag;
}

template <class T>
std::shared_ptr<T>* box_object(void* box) {
  return std::launder(reinterpret_cast<std::shared_ptr<T>*>(static_cast<char*>(box) + kBoxOffset));
}

/// The header at `index` if the value is a block made by push() (of any
/// type), else nullptr.
BoxHeader* box_header(lua_State* L, int index);

template <class T>
void push(lua_State* L, std::shared_ptr<T> object) {
  static_assert(sizeof(std::shared_ptr<T>) == sizeof(std::shared_ptr<int>));
  void* memory = lua_newuserdatauv(L, kBoxSize, 0);
  new (static_cast<char*>(memory) + kBoxOffset) std::shared_ptr<T>(std::move(object));
  new (memory) BoxHeader{box_magic(), type_tag<T>(), [](void* box) { box_object<T>(box)->reset(); }};
  luaL_setmetatable(L, TypeName<T>::value);
}

/// The shared_ptr at `index` if push<T> made it, whatever its metatable
/// now is, else nullptr.
template <class T>
std::shared_ptr<T>* genuine(lua_State* L, int index) {
  BoxHeader* header = box_header(L, index);
  return header && header->tag == type_tag<T>() ? box_object<T>(header) : nullptr;
}

/// The object at `index` if it is a live T, else nullptr. (An object whose
/// __gc already ran, e.g. called through debug.getmetatable, is empty.)
template <class T>
std::shared_ptr<T>* test(lua_State* L, int index) {
  auto* p = genuine<T>(L, index);
  return p && *p ? p : nullptr;
}

/// The T at `index`; raises the usual "bad argument" error otherwise.
template <class T>
std::shared_ptr<T>& check(lua_State* L, int index) {
  auto* p = genuine<T>(L, index);
  if (!p) {
    // Another value carrying T's metatable (set by debug.setmetatable).
    if (luaL_testudata(L, index, TypeName<T>::value))
      luaL_argerror(L, index, (std::string(TypeName<T>::value) + " expected, got a " + luaL_typename(L, index) +
                               " posing as one (its metatable was replaced)").c_str());
    luaL_typeerror(L, index, TypeName<T>::value);
  }
  if (!*p) luaL_argerror(L, index, (std::string(TypeName<T>::value) + " was already collected").c_str());
  return *p;
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
