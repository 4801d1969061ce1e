/*
 * safelib.c: the sandbox's size-checked library functions and its guarded xpcall.
 *
 * Size-checked wrappers for the C library functions that can do unbounded work in one call,
 * where no hook fires. Upvalue 1 is the original function, the others its limits. They are
 * C, not Lua, so an error names the script's line even when called in tail position.
 */
#include "internal.h"

static int clua_safe_rep(lua_State *L) {
    size_t l, lsep;
    luaL_checklstring(L, 1, &l);
    lua_Integer n = luaL_checkinteger(L, 2);
    luaL_optlstring(L, 3, "", &lsep);
    lua_Integer max = lua_tointeger(L, lua_upvalueindex(2));
    /* An empty result is built here: the C loop would run n times even for "". */
    if (n <= 0 || l + lsep == 0) { lua_pushliteral(L, ""); return 1; }
    lua_Number size = ((lua_Number)l + (lua_Number)lsep) * (lua_Number)n - (lua_Number)lsep;
    if (size > (lua_Number)max) {
        lua_Integer shown = size >= 9.2e18 ? LUA_MAXINTEGER : (lua_Integer)size;
        return luaL_error(L, "string.rep would build %I bytes, more than the limit of %I bytes",
                          shown, max);
    }
    return lua_tocfunction(L, lua_upvalueindex(1))(L);
}

static int clua_safe_concat(lua_State *L) {
    luaL_checktype(L, 1, LUA_TTABLE);
    size_t lsep;
    luaL_optlstring(L, 2, "", &lsep);
    lua_Integer i = luaL_optinteger(L, 3, 1);
    lua_Integer j = lua_isnoneornil(L, 4) ? (lua_Integer)lua_rawlen(L, 1) : luaL_checkinteger(L, 4);
    lua_Integer max = lua_tointeger(L, lua_upvalueindex(2));
    if (i <= j) {
        if ((lua_Unsigned)j - (lua_Unsigned)i >= (lua_Unsigned)max)
            return luaL_error(L, "table.concat over more than %I items is more than the limit", max);
        lua_Number size = (lua_Number)(j - i) * (lua_Number)lsep;
        for (lua_Integer k = i; k <= j; k++) {
            int t = lua_rawgeti(L, 1, k);
            if (t == LUA_TSTRING) size += (lua_Number)lua_rawlen(L, -1);
            else if (t == LUA_TNUMBER) size += 48;
            lua_pop(L, 1);
            if (t != LUA_TSTRING && t != LUA_TNUMBER) break; /* the original reports it */
            if (size > (lua_Number)max)
                return luaL_error(L, "table.concat would build more than the limit of %I bytes", max);
        }
    }
    return lua_tocfunction(L, lua_upvalueindex(1))(L);
}

/* Upvalues: original, name, subject limit, pattern limit. */
static int clua_safe_pattern(lua_State *L) {
    size_t ls, lp;
    luaL_checklstring(L, 1, &ls);
    luaL_checklstring(L, 2, &lp);
    lua_Integer max_s = lua_tointeger(L, lua_upvalueindex(3));
    lua_Integer max_p = lua_tointeger(L, lua_upvalueindex(4));
    const char *name = lua_tostring(L, lua_upvalueindex(2));
    if ((lua_Integer)ls > max_s)
        return luaL_error(L, "string.%s: subject of %I bytes is longer than the limit of %I bytes",
                          name, (lua_Integer)ls, max_s);
    if ((lua_Integer)lp > max_p)
        return luaL_error(L, "string.%s: pattern of %I bytes is longer than the limit of %I bytes",
                          name, (lua_Integer)lp, max_p);
    return lua_tocfunction(L, lua_upvalueindex(1))(L);
}

/*
 * xpcall whose message handler is guarded. Lua runs a hook with hooks switched off
 * (L->allowhook = 0); when the limit hook raises inside a script's message handler, Lua calls
 * that handler again from there, hooks still off, and nothing turns them back on until the
 * error reaches a pcall. A handler that loops (`xpcall(f, function() while true do end end)`)
 * then runs past every instruction and time limit: found by a hostile script, only the hard
 * watchdog could end it. The guard calls the script's handler (upvalue 1) only while no limit
 * has tripped; once one has, it hands the error on untouched, so no script code ever runs
 * with hooks off.
 */
static int clua_guarded_handler(lua_State *L) {
    lua_settop(L, 1);
    if (clua_control_of(L)->tripped != CLUA_TRIP_NONE) return 1;
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, 1, 1);
    return 1;
}

/* Upvalue 1: the original xpcall. Wraps argument 2 (the handler) in clua_guarded_handler. */
static int clua_safe_xpcall(lua_State *L) {
    luaL_checktype(L, 2, LUA_TFUNCTION);
    lua_pushvalue(L, 2);
    lua_pushcclosure(L, clua_guarded_handler, 1);
    lua_replace(L, 2);
    return lua_tocfunction(L, lua_upvalueindex(1))(L);
}

/* Builds the wrappers from the real libraries (globals `string` and `table`) into the table
 * on top of the stack: fields rep, concat, find, match, gmatch, gsub, xpcall. Run under pcall. */
static int clua_make_safe_wrappers_f(lua_State *L) {
    lua_Integer max_string = lua_tointeger(L, 1);
    lua_Integer max_subject = lua_tointeger(L, 2);
    lua_Integer max_pattern = lua_tointeger(L, 3);
    lua_newtable(L);
    lua_getglobal(L, "string");
    lua_getfield(L, -1, "rep");
    lua_pushinteger(L, max_string);
    lua_pushcclosure(L, clua_safe_rep, 2);
    lua_setfield(L, -3, "rep");
    static const char *const names[] = { "find", "match", "gmatch", "gsub" };
    for (int k = 0; k < 4; k++) {
        lua_getfield(L, -1, names[k]);
        lua_pushstring(L, names[k]);
        lua_pushinteger(L, max_subject);
        lua_pushinteger(L, max_pattern);
        lua_pushcclosure(L, clua_safe_pattern, 4);
        lua_setfield(L, -3, names[k]);
    }
    lua_pop(L, 1);
    lua_getglobal(L, "table");
    lua_getfield(L, -1, "concat");
    lua_pushinteger(L, max_string);
    lua_pushcclosure(L, clua_safe_concat, 2);
    lua_setfield(L, -3, "concat");
    lua_pop(L, 1);
    lua_getglobal(L, "xpcall");
    lua_pushcclosure(L, clua_safe_xpcall, 1);
    lua_setfield(L, -2, "xpcall");
    return 1;
}

int clua_make_safe_wrappers(lua_State *L, lua_Integer max_string,
                            lua_Integer max_subject, lua_Integer max_pattern) {
    lua_pushcfunction(L, clua_make_safe_wrappers_f);
    lua_pushinteger(L, max_string);
    lua_pushinteger(L, max_subject);
    lua_pushinteger(L, max_pattern);
    return lua_pcall(L, 3, 1, 0);
}
