/*
 * state.c: new states, protected calls with a traceback, the standard libraries.
 */
#include "internal.h"

/* New state whose allocator counts into `c`; `c` is also stored in the extra space. */
lua_State *clua_newstate(clua_control *c) {
    lua_State *L = lua_newstate(clua_alloc, c);
    if (L) {
        *(clua_control **)lua_getextraspace(L) = c;
        c->L = L;
    }
    return L;
}

/* Message handler for pcall: keeps the error value and records a traceback in the registry. */
static int clua_message_handler(lua_State *L) {
    const char *msg = lua_type(L, 1) == LUA_TSTRING ? lua_tostring(L, 1) : NULL;
    luaL_traceback(L, L, msg, 1);
    lua_setfield(L, LUA_REGISTRYINDEX, "clua.traceback");
    lua_settop(L, 1);
    return 1;
}

/* lua_pcall with the traceback handler, the handler inserted below the function. */
int clua_pcall_traced(lua_State *L, int nargs, int nresults) {
    int base = lua_gettop(L) - nargs;
    lua_pushcfunction(L, clua_message_handler);
    lua_insert(L, base);
    int status = lua_pcall(L, nargs, nresults, base);
    lua_remove(L, base);
    return status;
}

/* Protected helpers: each runs a C function under lua_pcall so nothing raised escapes. */
static int clua_openlib_f(lua_State *L) {
    lua_CFunction open = (lua_CFunction)lua_touserdata(L, 1);
    const char *name = lua_tostring(L, 2);
    luaL_requiref(L, name, open, 0);
    return 1;
}

/* Open one standard library into a fresh table (not into the globals); leaves it on top. */
int clua_open_library(lua_State *L, const char *name, lua_CFunction open) {
    lua_pushcfunction(L, clua_openlib_f);
    lua_pushlightuserdata(L, (void *)open);
    lua_pushstring(L, name);
    return lua_pcall(L, 2, 1, 0);
}

lua_CFunction clua_luaopen_base(void) { return luaopen_base; }
lua_CFunction clua_luaopen_string(void) { return luaopen_string; }
lua_CFunction clua_luaopen_table(void) { return luaopen_table; }
lua_CFunction clua_luaopen_math(void) { return luaopen_math; }
lua_CFunction clua_luaopen_utf8(void) { return luaopen_utf8; }
lua_CFunction clua_luaopen_os(void) { return luaopen_os; }

