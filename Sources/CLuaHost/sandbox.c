/*
 * sandbox.c: a script's global table. Its metatable makes an undefined global an error naming
 * it, and keeps a script from shadowing a built-in name.
 */
#include "internal.h"

/* __index for a script's global table: undefined globals are an error naming them. Upvalue 1
 * is the frozen base environment. */
static int clua_global_index(lua_State *L) {
    lua_pushvalue(L, 2);
    if (lua_rawget(L, lua_upvalueindex(1)) != LUA_TNIL) return 1;
    if (lua_type(L, 2) == LUA_TSTRING)
        return luaL_error(L, "undefined global '%s'", lua_tostring(L, 2));
    return luaL_error(L, "undefined global");
}

void clua_push_global_index(lua_State *L) {
    lua_pushcclosure(L, clua_global_index, 1);
}

/* __newindex for a script's global table: a script may create globals but not shadow a
 * built-in name (`budget = budget "x"` would otherwise break every later call). */
static int clua_global_newindex(lua_State *L) {
    lua_pushvalue(L, 2);
    if (lua_rawget(L, lua_upvalueindex(1)) != LUA_TNIL && lua_type(L, 2) == LUA_TSTRING)
        return luaL_error(L, "cannot assign to '%s': it is a built-in name (use a local variable)",
                          lua_tostring(L, 2));
    lua_pop(L, 1);
    lua_rawset(L, 1);
    return 0;
}

void clua_push_global_newindex(lua_State *L) {
    lua_pushcclosure(L, clua_global_newindex, 1);
}
