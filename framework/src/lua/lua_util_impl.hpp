#pragma once
// Template definitions for lua_util.hpp.
namespace rnnlab::lua {

namespace detail {
void install_metatable(lua_State* L, const char* name, const luaL_Reg* methods, FieldGetter fields,
                       const char* const* field_names, lua_CFunction tostring, lua_CFunction gc);
/// __gc of every bound type: releases the object of a block made by push(),
/// whichever type it is (a script may have swapped metatables between
/// objects), and leaves any other userdata alone. Resetting rather than
/// destroying makes a second call (through debug.getmetatable) harmless;
/// check()/test() refuse the empty pointer left behind.
int collect(lua_State* L);
}  // namespace detail

template <class T>
void define_type(lua_State* L, const luaL_Reg* methods, FieldGetter fields, const char* const* field_names,
                 lua_CFunction tostring) {
  detail::install_metatable(L, TypeName<T>::value, methods, fields, field_names, tostring, &detail::collect);
}

}  // namespace rnnlab::lua
