/*
 * internal.h: what the .c files of CLuaHost share and Swift never calls.
 */
#ifndef CLUA_INTERNAL_H
#define CLUA_INTERNAL_H

#include "CLuaHost.h"

/* allocator.c: the lua_Alloc of every state (clua_newstate). */
void *clua_alloc(void *ud, void *ptr, size_t osize, size_t nsize);

/* limits.c: the lua_Hook that spends the instruction budget and raises a tripped limit, and
 * the message it raises. */
void clua_limit_hook(lua_State *L, lua_Debug *ar);
const char *clua_trip_message(int trip);

/*
 * The single entry point for every Swift closure. Upvalue `upvalue` holds the closure's box;
 * the Swift dispatcher returns a result count or CLUA_RAISE with the error object on top.
 * The box is looked up here, where lua_upvalueindex is a constant, rather than in Swift,
 * where it was one more call on the path of every call into Swift.
 *
 * Inline here, not in trampoline.c, because property reads (properties.c) enter Swift through
 * it too, and each would otherwise pay a call between the two files.
 */
static inline int clua_trampoline_at(lua_State *L, int upvalue) {
    clua_control *c = clua_control_of(L);
    void *box = lua_touserdata(L, lua_upvalueindex(upvalue));
    c->in_host++;
    int n = c->dispatch(L, box);
    c->in_host--;
    if (c->tripped != CLUA_TRIP_NONE && c->in_host == 0) {
        clua_trip(L, c->tripped);
        lua_pushstring(L, clua_trip_message(c->tripped));
        return lua_error(L);
    }
    if (n == CLUA_RAISE) return lua_error(L);
    return n;
}

#endif
