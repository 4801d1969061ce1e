/*
 * CLua.h: the C side of Steward's bridge to Debian's liblua5.4.
 *
 * Everything here is small on purpose. It exists for three reasons:
 *  1. Lua's API macros (lua_pcall, lua_pop, lua_upvalueindex, ...) are not visible to Swift;
 *     they get static inline wrappers.
 *  2. Swift frames must never be unwound by longjmp. Every Swift function that Lua calls is
 *     entered through clua_trampoline: the Swift side pushes an error object and returns
 *     CLUA_RAISE, and only then, with no Swift frame left on the stack, C calls lua_error.
 *  3. Limits must hold whatever the script does: the counting allocator and the limit hook are
 *     plain C, so a tripped limit raises from C, never through Swift.
 */
#ifndef CLUA_H
#define CLUA_H

#include <lua5.4/lua.h>
#include <lua5.4/lauxlib.h>
#include <lua5.4/lualib.h>
#include <stdlib.h>
#include <string.h>

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
    void *free_blocks[16];         /* small blocks kept for reuse, by size class (clua_alloc) */
} clua_control;

/* lua_gc is variadic, which Swift cannot call. A full collection; in 5.4 an error in a
 * finalizer becomes a warning, so this never raises. */
static inline int clua_gc_collect(lua_State *L) { return lua_gc(L, LUA_GCCOLLECT, 0); }

static inline clua_control *clua_control_of(lua_State *L) {
    return *(clua_control **)lua_getextraspace(L);
}

static inline void clua_limit_hook(lua_State *L, lua_Debug *ar);

/*
 * Small blocks. Most of what a script allocates is small and short-lived: the table each
 * `fund:grant(m, amount, { ... })` call builds, its hash part, the userdata pushed for each
 * member. The collector frees them by the thousand in one sweep and the loop allocates them
 * again, more than glibc's per-thread cache holds, so most went through malloc's slow paths
 * (about 330 instructions an allocation and its free, 5 per member in a subsidy run).
 *
 * Lua always tells the allocator a block's size (osize), so blocks of up to CLUA_SMALL_MAX
 * bytes need no header: they are rounded up to a multiple of 16, and a freed one goes on
 * its size class's list (its first word links the list), from which the next allocation of
 * that class takes it. The lists hold only memory the script once had in use, so they never
 * exceed its peak; clua_release_free_blocks returns them to malloc once the state is closed.
 * The memory limit counts the sizes Lua asked for, as before.
 */
#define CLUA_SMALL_CLASSES 16
#define CLUA_SMALL_MAX (CLUA_SMALL_CLASSES * 16)

static inline int clua_is_small(size_t size) { return size != 0 && size <= CLUA_SMALL_MAX; }
static inline size_t clua_small_class(size_t size) { return (size - 1) >> 4; }

/* A block for `size` (small): one of its class's free blocks, else a new one. */
static inline void *clua_small_take(clua_control *c, size_t size) {
    size_t k = clua_small_class(size);
    void *p = c->free_blocks[k];
    if (p) {
        c->free_blocks[k] = *(void **)p;
        return p;
    }
    return malloc((k + 1) << 4);
}

/* Frees block `p` of `size` bytes (as Lua last asked): onto its class's list if small. */
static inline void clua_block_free(clua_control *c, void *p, size_t size) {
    if (clua_is_small(size)) {
        size_t k = clua_small_class(size);
        *(void **)p = c->free_blocks[k];
        c->free_blocks[k] = p;
    } else {
        free(p);
    }
}

/* Returns every kept block to malloc. Only after lua_close: no block may be in use. */
static inline void clua_release_free_blocks(clua_control *c) {
    for (int k = 0; k < CLUA_SMALL_CLASSES; k++) {
        void *p = c->free_blocks[k];
        while (p) {
            void *next = *(void **)p;
            free(p);
            p = next;
        }
        c->free_blocks[k] = NULL;
    }
}

/* lua_Alloc's contract for (ptr, old, nsize), nsize > 0: a block of nsize bytes holding the
 * first min(old, nsize) bytes of ptr, ptr freed; NULL with ptr untouched on failure. */
static inline void *clua_block_resize(clua_control *c, void *ptr, size_t old, size_t nsize) {
    if (clua_is_small(nsize)) {
        if (ptr && clua_is_small(old) && clua_small_class(old) == clua_small_class(nsize)) return ptr;
        void *p = clua_small_take(c, nsize);
        if (p && ptr) {
            memcpy(p, ptr, old < nsize ? old : nsize);
            clua_block_free(c, ptr, old);
        }
        return p;
    }
    if (ptr == NULL || !clua_is_small(old)) return realloc(ptr, nsize);
    void *p = malloc(nsize);  /* a small block grown past the classes */
    if (p) {
        memcpy(p, ptr, old);
        clua_block_free(c, ptr, old);
    }
    return p;
}

/*
 * The counting allocator. A refusal trips the memory limit. While a Swift callback runs
 * (in_host > 0) it never refuses: a memory error there would longjmp through Swift frames.
 * The trampoline raises the tripped limit as soon as the callback returns.
 */
static inline void *clua_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
    clua_control *c = (clua_control *)ud;
    size_t old = ptr ? osize : 0;
    if (nsize == 0) {
        if (ptr) clua_block_free(c, ptr, old);
        c->mem_used -= old;
        return NULL;
    }
    if (nsize > old && c->mem_limit != 0) {
        size_t grow = nsize - old;
        if (c->tripped == CLUA_TRIP_MEMORY || c->mem_used + grow > c->mem_limit) {
            if (c->tripped == CLUA_TRIP_NONE) {
                c->tripped = CLUA_TRIP_MEMORY;
                /* From now on every instruction raises, so pcall cannot swallow it. */
                if (c->L) lua_sethook(c->L, clua_limit_hook,
                                      LUA_MASKCALL | LUA_MASKRET | LUA_MASKCOUNT, 1);
            }
            if (c->in_host == 0) return NULL;
        }
    }
    void *p = clua_block_resize(c, ptr, old, nsize);
    if (p == NULL) return NULL;
    c->mem_used = c->mem_used - old + nsize;
    if (c->mem_used > c->mem_peak) c->mem_peak = c->mem_used;
    return p;
}

static inline const char *clua_trip_message(int trip) {
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
static inline void clua_limit_hook(lua_State *L, lua_Debug *ar) {
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
static inline void clua_trip(lua_State *L, int why) {
    clua_control *c = clua_control_of(L);
    if (c->tripped == CLUA_TRIP_NONE) c->tripped = why;
    lua_sethook(L, clua_limit_hook, LUA_MASKCALL | LUA_MASKRET | LUA_MASKCOUNT, 1);
}

/* Install a count hook for an instruction limit (interval = instructions between checks). */
static inline void clua_set_instruction_limit(lua_State *L, long long limit, int interval) {
    clua_control *c = clua_control_of(L);
    c->instr_budget = limit;
    c->instr_interval = interval;
    if (limit >= 0) lua_sethook(L, clua_limit_hook, LUA_MASKCOUNT, interval);
}

/*
 * The single entry point for every Swift closure. Upvalue `upvalue` holds the closure's box;
 * the Swift dispatcher returns a result count or CLUA_RAISE with the error object on top.
 * The box is looked up here, where lua_upvalueindex is a constant, rather than in Swift,
 * where it was one more call on the path of every call into Swift.
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

static inline int clua_trampoline(lua_State *L) { return clua_trampoline_at(L, 1); }

/* Push the Swift box on top of the stack as upvalue 1 of a new trampoline closure. */
static inline void clua_push_swift_closure(lua_State *L) {
    lua_pushcclosure(L, clua_trampoline, 1);
}

/*
 * Property reads on host userdata.
 *
 * Every object of a host type starts with the type's shared metatable, whose __index is
 * clua_userdata_index: upvalue 1 is the type's members table, from each name to its method (a
 * function) or to its property's number (looked up raw, no Swift call and no allocation: one
 * look-up for both, as a read is the common case), upvalue 2 the box of the Swift property
 * getter, upvalue 3 the type's cache metatable (below). The number is pushed for the getter, so
 * Swift finds the property by index rather than turning the key into a Swift string and
 * hashing it (that was half the cost of a first read). An unknown key reaches Swift with nil
 * there, for the error. From the second read of a cached property on, the getter stores its
 * value in the object's cache table (user value 1); the first read only sets the property's
 * bit in the userdata block, so objects whose properties are each read once never get a
 * table, and a first read does not look for one.
 *
 * Scalar properties (integers, booleans, nil computed from the object alone: a member's age,
 * grade, household flags) are numbered negative in upvalue 1. C reads them through the type's
 * clua_scalars (upvalue 4): one plain C call into Swift with the object's pointer, no Lua
 * call frame, no LuaCall and no retain. Their values are cached exactly as the others' are
 * (clua_remember_read), so promotion works the same for both.
 *
 * A cached read through a C function still costs a C call, ten times a table field read. So
 * the first time a read is served from the cache (a third read of some property), the object
 * is promoted: it gets a metatable of its own, a copy of the type's with __index = its cache
 * table T, and Lua serves cached reads as plain table look-ups. T's metatable is the type's
 * cache metatable, whose __index (clua_cache_index) handles what T lacks: methods, uncached
 * properties, properties not read yet, unknown keys, exactly as clua_userdata_index does.
 *
 * Scripts never reach T or the object's own metatable: the metatable is protected by
 * __metatable = false like the type's, nothing returns T, and T's back-reference to its object
 * is under a light userdata key no script can make. Type identity lives in the userdata block
 * (object pointer, type pointer), not in the metatable, so promoted objects are still
 * recognised; __name in the copy keeps type names in messages.
 *
 * __gc: Lua marks an object for finalization when lua_setmetatable gives it a metatable with
 * __gc, and at finalization calls the __gc of the metatable the object has then (manual
 * §2.5.3). The object was marked with the type's metatable; the copy keeps the same __gc, so
 * the Swift object is released exactly once.
 */

/* T[&clua_cache_owner_key] is T's object. Only its address matters. Every function that uses
 * it is pushed by clua_push_userdata_index, so all of them share one copy of this static even
 * though each C module that includes this header has its own. */
static const char clua_cache_owner_key = 0;

/*
 * A host type's scalar getter, written in Swift: the value of scalar property `number` of
 * `object` (the retained pointer in its userdata block). Stores an integer or a boolean (0 or
 * 1) in *value and returns LUA_TNUMBER or LUA_TBOOLEAN, or returns LUA_TNIL. It must not
 * touch the Lua state.
 */
typedef int (*clua_scalar_fn)(void *context, void *object, lua_Integer number, lua_Integer *value);

/* Upvalue 5 of a type's __index: how C reads its scalar properties. A full userdata, so its
 * memory lives as long as the closures that hold it; `context` is kept alive by the state. */
typedef struct clua_scalars {
    const void *identity;  /* the type's identity, as in each object's block (second pointer) */
    void *context;
    clua_scalar_fn get;
} clua_scalars;

/* The userdata block of a host object: the retained object, its type's identity, then a bit
 * per cached property (by number, the first 64) read once and not cached. LuaStack.swift
 * writes the same layout. */
#define CLUA_BLOCK_SIZE (3 * sizeof(void *))
#define CLUA_READ_ONCE_OFFSET (2 * sizeof(void *))

/* The block of the host object at index 1, or NULL if it is not one (a wrong `self`, which
 * Swift then names). */
static inline void **clua_host_block(lua_State *L) {
    void **block = (void **)lua_touserdata(L, 1);
    if (block == NULL || lua_rawlen(L, 1) != CLUA_BLOCK_SIZE) return NULL;
    return block;
}

/* Whether property `number` of the object with `block` was read before: only then can its
 * cache table hold it. Past the 64 bits, any property may be there. */
static inline int clua_was_read(void **block, lua_Integer number) {
    if (number > 64) return 1;
    unsigned long long read_once = *(unsigned long long *)((char *)block + CLUA_READ_ONCE_OFFSET);
    return (read_once >> (number - 1)) & 1;
}

/*
 * Stack: object (1) with `block`, key (2), the value read on top. Remembers a cached
 * property's read as the Swift getters do: the first read sets the property's bit in the
 * block, the second stores the value in the object's cache table (user value 1), made here if
 * the object has none yet, and from the third on clua_userdata_index serves it and promotes
 * the object. Leaves the value on top.
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
    if (lua_getiuservalue(L, 1, 1) != LUA_TTABLE) {
        lua_pop(L, 1);
        lua_createtable(L, 0, 4);          /* sized for a few reads, as on the Swift side */
        lua_pushvalue(L, -1);
        lua_setiuservalue(L, 1, 1);
    }
    lua_pushvalue(L, 2);
    lua_pushvalue(L, -3);
    lua_rawset(L, -3);
    lua_pop(L, 1);
    return 1;
}

/* clua_remember_read_in for the Swift getters, which have checked the object at 1. */
static inline int clua_remember_read(lua_State *L, lua_Integer number) {
    return clua_remember_read_in(L, (void **)lua_touserdata(L, 1), number);
}

/* Stack: object (1) with `block`, key (2). Scalar property `number` read in C: the object's
 * block is checked to be of this type first (anything else reaches Swift, which names the
 * error). */
static inline int clua_scalar_read(lua_State *L, void **block, lua_Integer number, int scalars_upvalue) {
    const clua_scalars *scalars = (const clua_scalars *)lua_touserdata(L, lua_upvalueindex(scalars_upvalue));
    if (scalars == NULL || block == NULL || block[1] != scalars->identity || block[0] == NULL) return -1;
    lua_Integer value = 0;
    switch (scalars->get(scalars->context, block[0], number, &value)) {
    case LUA_TNUMBER: lua_pushinteger(L, value); break;
    case LUA_TBOOLEAN: lua_pushboolean(L, value != 0); break;
    default: lua_pushnil(L); break;
    }
    return clua_remember_read_in(L, block, number);
}

/* Stack: object (1) with `block` (NULL if it is not a host object), key (2), the key's
 * `number` in the members table (3). A scalar property in C, else the Swift getter with the
 * number. */
static inline int clua_property_read(lua_State *L, void **block, lua_Integer number, int scalars_upvalue) {
    if (number < 0) {
        int n = clua_scalar_read(L, block, -number, scalars_upvalue);
        if (n >= 0) return n;
        lua_settop(L, 3);
    }
    return clua_trampoline_at(L, 2);
}

/*
 * Gives the object at 1 (cache table T at `cache`) its own metatable. Builds everything first
 * and sets the object's metatable last, so an allocation failure half way leaves the object
 * as it was (T's metatable and back-reference are unused until then). Leaves the stack as it
 * found it.
 */
static inline void clua_promote(lua_State *L, int cache) {
    int top = lua_gettop(L);
    lua_pushvalue(L, lua_upvalueindex(3));
    lua_setmetatable(L, cache);
    lua_pushvalue(L, 1);
    lua_rawsetp(L, cache, &clua_cache_owner_key);
    lua_getmetatable(L, 1);               /* top + 1: the type's metatable */
    lua_pushliteral(L, "__index");        /* top + 2 */
    int n = 0;
    lua_pushnil(L);
    while (lua_next(L, top + 1)) { n++; lua_pop(L, 1); }
    /* Sized exactly, so it never rehashes, and __index goes in first: a key keeps the node it
     * hashes to once it has it, so Lua finds __index, which every read looks up, at the first
     * node it tries. */
    lua_createtable(L, 0, n);             /* top + 3: the object's own */
    lua_pushvalue(L, top + 2);
    lua_pushvalue(L, cache);
    lua_rawset(L, top + 3);
    lua_pushnil(L);
    while (lua_next(L, top + 1)) {
        if (lua_rawequal(L, -2, top + 2)) { lua_pop(L, 1); continue; }
        lua_pushvalue(L, -2);
        lua_insert(L, -2);
        lua_rawset(L, top + 3);
    }
    lua_setmetatable(L, 1);
    lua_settop(L, top);
}

static inline int clua_userdata_index(lua_State *L) {
    lua_pushvalue(L, 2);
    /* 3: a method, a property's number, or nil for a key the type does not have */
    int kind = lua_rawget(L, lua_upvalueindex(1));
    if (kind == LUA_TFUNCTION) return 1;
    if (kind != LUA_TNUMBER) return clua_trampoline_at(L, 2);
    void **block = clua_host_block(L);
    lua_Integer number = lua_tointeger(L, 3);
    /* Properties read before may be cached in the userdata's user value table. */
    if (block == NULL || clua_was_read(block, number < 0 ? -number : number)) {
        if (lua_getiuservalue(L, 1, 1) == LUA_TTABLE) {
            lua_pushvalue(L, 2);
            if (lua_rawget(L, -2) != LUA_TNIL) {
                clua_promote(L, lua_absindex(L, -2));
                return 1;
            }
        }
        lua_settop(L, 3);
    }
    return clua_property_read(L, block, number, 4);
}

/* __index of a promoted object's cache table T: (T, key), for a key T lacks. Upvalues 1–2 as
 * clua_userdata_index's, 3 its clua_scalars. */
static inline int clua_cache_index(lua_State *L) {
    lua_rawgetp(L, 1, &clua_cache_owner_key);
    lua_replace(L, 1);
    lua_settop(L, 2);
    lua_pushvalue(L, 2);
    int kind = lua_rawget(L, lua_upvalueindex(1));
    if (kind == LUA_TFUNCTION) return 1;
    if (kind != LUA_TNUMBER) return clua_trampoline_at(L, 2);
    return clua_property_read(L, clua_host_block(L), lua_tointeger(L, 3), 3);
}

/* Expects the members table, getter box and clua_scalars userdata on top; replaces them with
 * the type's __index. The type's cache metatable is made here, one per type and state, and
 * lives as long as that __index (its upvalue 3; the scalars are 4). */
static inline void clua_push_userdata_index(lua_State *L) {
    lua_createtable(L, 0, 1);              /* the cache metatable */
    lua_pushvalue(L, -4);
    lua_pushvalue(L, -4);
    lua_pushvalue(L, -4);
    lua_pushcclosure(L, clua_cache_index, 3);
    lua_setfield(L, -2, "__index");
    lua_insert(L, -2);                     /* members, getter, cache metatable, scalars */
    lua_pushcclosure(L, clua_userdata_index, 4);
}

/* __index for a script's global table: undefined globals are an error naming them. Upvalue 1
 * is the frozen base environment. */
static inline int clua_global_index(lua_State *L) {
    lua_pushvalue(L, 2);
    if (lua_rawget(L, lua_upvalueindex(1)) != LUA_TNIL) return 1;
    if (lua_type(L, 2) == LUA_TSTRING)
        return luaL_error(L, "undefined global '%s'", lua_tostring(L, 2));
    return luaL_error(L, "undefined global");
}

static inline void clua_push_global_index(lua_State *L) {
    lua_pushcclosure(L, clua_global_index, 1);
}

/* __newindex for a script's global table: a script may create globals but not shadow a
 * built-in name (`budget = budget "x"` would otherwise break every later call). */
static inline int clua_global_newindex(lua_State *L) {
    lua_pushvalue(L, 2);
    if (lua_rawget(L, lua_upvalueindex(1)) != LUA_TNIL && lua_type(L, 2) == LUA_TSTRING)
        return luaL_error(L, "cannot assign to '%s': it is a built-in name (use a local variable)",
                          lua_tostring(L, 2));
    lua_pop(L, 1);
    lua_rawset(L, 1);
    return 0;
}

static inline void clua_push_global_newindex(lua_State *L) {
    lua_pushcclosure(L, clua_global_newindex, 1);
}

/*
 * Size-checked wrappers for the C library functions that can do unbounded work in one call,
 * where no hook fires. Upvalue 1 is the original function, the others its limits. They are
 * C, not Lua, so an error names the script's line even when called in tail position.
 */
static inline int clua_safe_rep(lua_State *L) {
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

static inline int clua_safe_concat(lua_State *L) {
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
static inline int clua_safe_pattern(lua_State *L) {
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
static inline int clua_guarded_handler(lua_State *L) {
    lua_settop(L, 1);
    if (clua_control_of(L)->tripped != CLUA_TRIP_NONE) return 1;
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, 1, 1);
    return 1;
}

/* Upvalue 1: the original xpcall. Wraps argument 2 (the handler) in clua_guarded_handler. */
static inline int clua_safe_xpcall(lua_State *L) {
    luaL_checktype(L, 2, LUA_TFUNCTION);
    lua_pushvalue(L, 2);
    lua_pushcclosure(L, clua_guarded_handler, 1);
    lua_replace(L, 2);
    return lua_tocfunction(L, lua_upvalueindex(1))(L);
}

/* Builds the wrappers from the real libraries (globals `string` and `table`) into the table
 * on top of the stack: fields rep, concat, find, match, gmatch, gsub, xpcall. Run under pcall. */
static inline int clua_make_safe_wrappers_f(lua_State *L) {
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

static inline int clua_make_safe_wrappers(lua_State *L, lua_Integer max_string,
                                          lua_Integer max_subject, lua_Integer max_pattern) {
    lua_pushcfunction(L, clua_make_safe_wrappers_f);
    lua_pushinteger(L, max_string);
    lua_pushinteger(L, max_subject);
    lua_pushinteger(L, max_pattern);
    return lua_pcall(L, 3, 1, 0);
}

/* Message handler for pcall: keeps the error value and records a traceback in the registry. */
static inline int clua_message_handler(lua_State *L) {
    const char *msg = lua_type(L, 1) == LUA_TSTRING ? lua_tostring(L, 1) : NULL;
    luaL_traceback(L, L, msg, 1);
    lua_setfield(L, LUA_REGISTRYINDEX, "clua.traceback");
    lua_settop(L, 1);
    return 1;
}

/* lua_pcall with the traceback handler, the handler inserted below the function. */
static inline int clua_pcall_traced(lua_State *L, int nargs, int nresults) {
    int base = lua_gettop(L) - nargs;
    lua_pushcfunction(L, clua_message_handler);
    lua_insert(L, base);
    int status = lua_pcall(L, nargs, nresults, base);
    lua_remove(L, base);
    return status;
}

/* Protected helpers: each runs a C function under lua_pcall so nothing raised escapes. */
static inline int clua_openlib_f(lua_State *L) {
    lua_CFunction open = (lua_CFunction)lua_touserdata(L, 1);
    const char *name = lua_tostring(L, 2);
    luaL_requiref(L, name, open, 0);
    return 1;
}

/* Open one standard library into a fresh table (not into the globals); leaves it on top. */
static inline int clua_open_library(lua_State *L, const char *name, lua_CFunction open) {
    lua_pushcfunction(L, clua_openlib_f);
    lua_pushlightuserdata(L, (void *)open);
    lua_pushstring(L, name);
    return lua_pcall(L, 2, 1, 0);
}

static inline lua_CFunction clua_luaopen_base(void) { return luaopen_base; }
static inline lua_CFunction clua_luaopen_string(void) { return luaopen_string; }
static inline lua_CFunction clua_luaopen_table(void) { return luaopen_table; }
static inline lua_CFunction clua_luaopen_math(void) { return luaopen_math; }
static inline lua_CFunction clua_luaopen_utf8(void) { return luaopen_utf8; }
static inline lua_CFunction clua_luaopen_os(void) { return luaopen_os; }

/* New state whose allocator counts into `c`; `c` is also stored in the extra space. */
static inline lua_State *clua_newstate(clua_control *c) {
    lua_State *L = lua_newstate(clua_alloc, c);
    if (L) {
        *(clua_control **)lua_getextraspace(L) = c;
        c->L = L;
    }
    return L;
}

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
