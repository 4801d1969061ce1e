/*
 * CLuaHost.h: the C side of Steward's bridge to Debian's liblua5.4 (module CLua), as Swift
 * sees it.
 *
 * Everything in this target is small on purpose. It exists for three reasons:
 *  1. Lua's API macros (lua_pcall, lua_pop, lua_upvalueindex, ...) are not visible to Swift;
 *     they get static inline wrappers, here at the end.
 *  2. Swift frames must never be unwound by longjmp. Every Swift function that Lua calls is
 *     entered through clua_trampoline (trampoline.c): the Swift side pushes an error object
 *     and returns CLUA_RAISE, and only then, with no Swift frame left on the stack, C calls
 *     lua_error.
 *  3. Limits must hold whatever the script does: the counting allocator (allocator.c) and the
 *     limit hook (limits.c) are plain C, so a tripped limit raises from C, never through Swift.
 * What Lua calls through a pointer and may raise from is C for the same reason: property reads
 * on host objects (properties.c), the sandbox's globals (sandbox.c), the size-checked library
 * wrappers and xpcall's guard (safelib.c), the message handler (state.c).
 *
 * This header declares what Swift calls; internal.h holds what only the .c files share. It is a
 * regular C target, not the system library's header, so SwiftPM compiles it and tracks every
 * file: an edit to any of them rebuilds what depends on it.
 *
 * Static inline here: the macro wrappers, clua_control_of and the bit a property's first read
 * sets (clua_remember_read_in), which Swift uses on every call into it or every property read.
 * In a .c file each would be a call across modules from Swift, which costs as much as their
 * whole work.
 */
#ifndef CLUA_HOST_H
#define CLUA_HOST_H

/* Lua's headers through the CLua module's own header, by its path: Swift's importer then sees
 * module CLua here, so Lua's declarations belong to that one module (no duplicates for Swift),
 * and a plain C compile, which has no path to it, still finds it. */
#include "../../CLua/CLua.h"
#include <stddef.h>
#include <stdint.h>

/* Returned by a Swift callback that has pushed an error object for the trampoline to raise. */
#define CLUA_RAISE (-1)

/* Why a run was stopped. Once set, the limit keeps firing until the state is closed. */
enum clua_trip {
    CLUA_TRIP_NONE = 0,
    CLUA_TRIP_MEMORY = 1,
    CLUA_TRIP_INSTRUCTIONS = 2,
    CLUA_TRIP_TIMEOUT = 3,
    CLUA_TRIP_CANCELLED = 4,
    CLUA_TRIP_OUTPUT = 5,
    CLUA_TRIP_HOST = 6 /* a host-defined limit (effects per run, ...) */
};

/* The Swift entry point: `box` is the block of the closure's box (LuaBox), found here in C. */
typedef int (*clua_dispatch_fn)(lua_State *L, void *box);

/*
 * Per-state control block. Its address is the allocator's ud and also sits in the state's
 * extra space, so the hook and the trampoline find it without a lookup.
 */
typedef struct clua_control {
    volatile int tripped;          /* enum clua_trip; written by other threads too */
    int in_host;                   /* > 0 while a Swift callback runs: allocations never fail */
    size_t mem_used;
    size_t mem_peak;
    size_t mem_limit;              /* 0 = unlimited */
    long long instr_budget;        /* instructions left; < 0 = unlimited */
    int instr_interval;            /* count-hook interval when an instruction limit is set */
    clua_dispatch_fn dispatch;     /* the Swift entry point for every Swift closure */
    void *owner;                   /* the Swift object that owns the state (unretained) */
    lua_State *L;                  /* the state, so the allocator can arm the limit hook */
    void *free_blocks[16];         /* small blocks kept for reuse, by size class (allocator.c) */
} clua_control;

static inline clua_control *clua_control_of(lua_State *L) {
    return *(clua_control **)lua_getextraspace(L);
}

/* state.c: states, protected calls, libraries. */

/* New state whose allocator counts into `c`; `c` is also stored in the extra space. */
lua_State *clua_newstate(clua_control *c);
/* lua_pcall with the traceback handler, the handler inserted below the function. */
int clua_pcall_traced(lua_State *L, int nargs, int nresults);
/* Open one standard library into a fresh table (not into the globals); leaves it on top. */
int clua_open_library(lua_State *L, const char *name, lua_CFunction open);
lua_CFunction clua_luaopen_base(void);
lua_CFunction clua_luaopen_string(void);
lua_CFunction clua_luaopen_table(void);
lua_CFunction clua_luaopen_math(void);
lua_CFunction clua_luaopen_utf8(void);
lua_CFunction clua_luaopen_os(void);

/* allocator.c: returns every kept block to malloc. Only after lua_close: no block may be in
 * use. */
void clua_release_free_blocks(clua_control *c);

/* limits.c */

/* Arm the hook for a limit that tripped outside Lua (timer, cancel, output). Safe from
 * another thread. */
void clua_trip(lua_State *L, int why);
/* Install a count hook for an instruction limit (interval = instructions between checks). */
void clua_set_instruction_limit(lua_State *L, long long limit, int interval);

/* trampoline.c: push the Swift box on top of the stack as upvalue 1 of a new trampoline
 * closure. */
void clua_push_swift_closure(lua_State *L);

/* properties.c: property reads on host userdata. */

/*
 * A host type's scalar getter, written in Swift: the value of scalar property `number` of
 * `object` (the retained pointer in its userdata block). Stores an integer or a boolean (0 or
 * 1) in *value and returns LUA_TNUMBER or LUA_TBOOLEAN, or returns LUA_TNIL. It must not
 * touch the Lua state.
 */
typedef int (*clua_scalar_fn)(void *context, void *object, lua_Integer number, lua_Integer *value);

/* Upvalue 4 of a type's __index: how C reads its scalar properties. A full userdata, so its
 * memory lives as long as the closures that hold it; `context` is kept alive by the state. */
typedef struct clua_scalars {
    const void *identity;  /* the type's identity, as in each object's block (second pointer) */
    void *context;
    clua_scalar_fn get;
} clua_scalars;

/* The userdata block of a host object: the retained object, its type's identity, a bit per
 * cached property (by number, the first 64) read once and not cached, then the memo: two
 * slots (int32_t each), the numbers of the last two cached properties first read through
 * Swift, whose values are user values 2 and 3 (0: empty; negative once a read was served from
 * it), and the slot the next first read takes (int32_t, 0 or 1). LuaStack.swift writes the
 * same layout and gives each object three user values (1: its cache table). */
#define CLUA_BLOCK_SIZE (5 * sizeof(void *))
#define CLUA_READ_ONCE_OFFSET (2 * sizeof(void *))
#define CLUA_MEMO_OFFSET (3 * sizeof(void *))
#define CLUA_MEMO_NEXT_OFFSET (4 * sizeof(void *))

/* Expects the members table, getter box and clua_scalars userdata on top; replaces them with
 * the type's __index. */
void clua_push_userdata_index(lua_State *L);
/* The slow half of clua_remember_read_in, below: the value goes in the cache table. */
int clua_remember_in_cache(lua_State *L);

/*
 * Stack: object (1) with `block`, key (2), the value read on top. Remembers a cached
 * property's read as the Swift getters do: the first read sets the property's bit in the
 * block, the second stores the value in the object's cache table (user value 1,
 * clua_remember_in_cache), and from the third on clua_userdata_index serves it and promotes
 * the object. Leaves the value on top.
 *
 * Inline because the Swift getters call it on every read of a cached property, most of them
 * first reads, which only set a bit: out of line, that cost 13 more instructions a read.
 */
static inline int clua_remember_read_in(lua_State *L, void **block, lua_Integer number) {
    if (number <= 64) {
        unsigned long long *read_once = (unsigned long long *)((char *)block + CLUA_READ_ONCE_OFFSET);
        unsigned long long bit = 1ULL << (number - 1);
        if (!(*read_once & bit)) {
            *read_once |= bit;
            return 1;
        }
    }
    return clua_remember_in_cache(L);
}

/*
 * clua_remember_read_in for the Swift getters, which have checked the object at 1. A first
 * read also keeps its value in one of the object's two memo slots (user values 2 and 3, taken
 * in turn): a second read of the same property, with at most one first read of another Swift
 * property in between, is then served from it by clua_userdata_index, with no call into
 * Swift, no new value (a second date object) and no cache table. A script that uses a value
 * twice (`due = m.certificate_expiry`, then `m.name .. tostring(m.certificate_expiry)`) paid
 * 2,750 instructions for the second read.
 */
static inline int clua_remember_read(lua_State *L, lua_Integer number) {
    void **block = (void **)lua_touserdata(L, 1);
    if (number <= 64) {
        unsigned long long *read_once = (unsigned long long *)((char *)block + CLUA_READ_ONCE_OFFSET);
        unsigned long long bit = 1ULL << (number - 1);
        if (!(*read_once & bit)) {
            *read_once |= bit;
            int32_t *memo = (int32_t *)((char *)block + CLUA_MEMO_OFFSET);
            int32_t *next = (int32_t *)((char *)block + CLUA_MEMO_NEXT_OFFSET);
            int slot = *next;
            *next = slot ^ 1;
            lua_pushvalue(L, -1);
            lua_setiuservalue(L, 1, 2 + slot);
            memo[slot] = (int32_t)number;
            return 1;
        }
    }
    return clua_remember_in_cache(L);
}

/* sandbox.c: __index and __newindex for a script's global table; upvalue 1 (on top) is the
 * frozen base environment. */
void clua_push_global_index(lua_State *L);
void clua_push_global_newindex(lua_State *L);

/* safelib.c: the size-checked string.rep, table.concat, find, match, gmatch, gsub and the
 * guarded xpcall, built from the real libraries into a table left on top. */
int clua_make_safe_wrappers(lua_State *L, lua_Integer max_string,
                            lua_Integer max_subject, lua_Integer max_pattern);

/* lua_gc is variadic, which Swift cannot call. A full collection; in 5.4 an error in a
 * finalizer becomes a warning, so this never raises. */
static inline int clua_gc_collect(lua_State *L) { return lua_gc(L, LUA_GCCOLLECT, 0); }

/* Macro wrappers. */
static inline int clua_upvalueindex(int i) { return lua_upvalueindex(i); }
static inline int clua_registryindex(void) { return LUA_REGISTRYINDEX; }
static inline void clua_pop(lua_State *L, int n) { lua_pop(L, n); }
static inline void clua_newtable(lua_State *L) { lua_newtable(L); }
static inline int clua_pcall(lua_State *L, int nargs, int nresults, int msgh) {
    return lua_pcall(L, nargs, nresults, msgh);
}
static inline int clua_isnoneornil(lua_State *L, int i) { return lua_isnoneornil(L, i); }
static inline const char *clua_tostring(lua_State *L, int i) { return lua_tolstring(L, i, NULL); }
static inline void *clua_newuserdata(lua_State *L, size_t size) { return lua_newuserdatauv(L, size, 1); }
static inline void clua_insert(lua_State *L, int i) { lua_insert(L, i); }
static inline void clua_remove(lua_State *L, int i) { lua_remove(L, i); }
static inline void clua_replace(lua_State *L, int i) { lua_replace(L, i); }
static inline void clua_pushcfunction(lua_State *L, lua_CFunction f) { lua_pushcfunction(L, f); }
static inline int clua_loadtext(lua_State *L, const char *buf, size_t len, const char *name) {
    return luaL_loadbufferx(L, buf, len, name, "t");
}
/* Binary chunks are accepted only from the host itself: trusted host Lua (the sandbox
 * prelude, the domain library) compiled once per process by this same library into a
 * LuaTrustedChunk (a corrupted binary chunk can crash liblua). Scripts always load through
 * clua_loadtext. */
static inline int clua_load_host_binary(lua_State *L, const char *buf, size_t len, const char *name) {
    return luaL_loadbufferx(L, buf, len, name, "b");
}

static inline lua_Integer clua_tointegerx(lua_State *L, int i, int *isnum) {
    return lua_tointegerx(L, i, isnum);
}
static inline lua_Number clua_tonumberx(lua_State *L, int i, int *isnum) {
    return lua_tonumberx(L, i, isnum);
}
static inline int clua_isinteger(lua_State *L, int i) { return lua_isinteger(L, i); }

#endif
