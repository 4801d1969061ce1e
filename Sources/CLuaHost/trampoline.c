/*
 * trampoline.c: how Lua calls Swift. Swift frames must never be unwound by longjmp, so every
 * Swift function that Lua calls is entered through clua_trampoline: the Swift side pushes an
 * error object and returns CLUA_RAISE, and only then, with no Swift frame left on the stack,
 * C calls lua_error (clua_trampoline_at, internal.h).
 */
#include "internal.h"

static int clua_trampoline(lua_State *L) { return clua_trampoline_at(L, 1); }

/* Push the Swift box on top of the stack as upvalue 1 of a new trampoline closure. */
void clua_push_swift_closure(lua_State *L) {
    lua_pushcclosure(L, clua_trampoline, 1);
}
