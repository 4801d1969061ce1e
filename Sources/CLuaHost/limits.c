/*
 * limits.c: the limit hook and the trips. Limits must hold whatever the script does, so a
 * tripped limit raises from C, never through Swift.
 */
#include "internal.h"

const char *clua_trip_message(int trip) {
    switch (trip) {
    case CLUA_TRIP_MEMORY: return "memory limit exceeded";
    case CLUA_TRIP_INSTRUCTIONS: return "instruction limit exceeded";
    case CLUA_TRIP_TIMEOUT: return "time limit exceeded";
    case CLUA_TRIP_CANCELLED: return "run cancelled";
    case CLUA_TRIP_OUTPUT: return "output limit exceeded";
    case CLUA_TRIP_HOST: return "host limit exceeded";
    default: return "limit exceeded";
    }
}

/*
 * The limit hook. With an instruction limit it is a count hook that spends the budget; once
 * anything trips it fires on every instruction, call and return, so pcall, xpcall and __close
 * handlers cannot swallow the error: the next instruction they run raises it again.
 */
void clua_limit_hook(lua_State *L, lua_Debug *ar) {
    clua_control *c = clua_control_of(L);
    (void)ar;
    if (c->tripped == CLUA_TRIP_NONE && c->instr_budget >= 0) {
        c->instr_budget -= c->instr_interval;
        if (c->instr_budget < 0) c->tripped = CLUA_TRIP_INSTRUCTIONS;
    }
    if (c->tripped != CLUA_TRIP_NONE) {
        lua_sethook(L, clua_limit_hook, LUA_MASKCALL | LUA_MASKRET | LUA_MASKCOUNT, 1);
        /* A fixed string: pushing it needs no allocation once interned. */
        lua_pushstring(L, clua_trip_message(c->tripped));
        lua_error(L);
    }
}

/* Arm the hook for a limit that tripped outside Lua (timer, cancel, output). Safe from
 * another thread: lua_sethook is designed to be called asynchronously (lua.c does so from a
 * signal handler). */
void clua_trip(lua_State *L, int why) {
    clua_control *c = clua_control_of(L);
    if (c->tripped == CLUA_TRIP_NONE) c->tripped = why;
    lua_sethook(L, clua_limit_hook, LUA_MASKCALL | LUA_MASKRET | LUA_MASKCOUNT, 1);
}

/* Install a count hook for an instruction limit (interval = instructions between checks). */
void clua_set_instruction_limit(lua_State *L, long long limit, int interval) {
    clua_control *c = clua_control_of(L);
    c->instr_budget = limit;
    c->instr_interval = interval;
    if (limit >= 0) lua_sethook(L, clua_limit_hook, LUA_MASKCOUNT, interval);
}
