#pragma once
// Template definitions for lua_util.hpp.
namespace rnnlab::lua {

namespace detail {
void install_metatable(lua_State* L, const char* name, const luaL_Reg* methods, FieldGetter fields,
                       const char* const* field_names, lua_CFunction tostring, lua_CFunction gc);
template <class T>
int collect(lua_State* L) {
  // reset, not destroy: a second call (through debug.getmetatable) is harmless,
  // and check()/test() refuse the empty pointer left behind.
  auto* p = static_cast<std::shared_ptr<T>*>(luaL_checkudata(L, 1, TypeName<T>::value));
  p->reset();
  return 0;
}
}  // namespace detail

template <class T>
void define_type(lua_State* L, const luaL_Reg* methods, FieldGetter fields, const char* const* field_names,
                 lua_CFunction tostring) {
  detail::install_metatable(L, TypeName<T>::value, methods, fields, field_names, tostring, &detail::collect<T>);
}

}  // namespace rnnlab::lua
