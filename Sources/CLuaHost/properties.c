/*
 * properties.c: property reads on host userdata.
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
 * table, and a first read does not look for one. A first read through a Swift getter also
 * keeps its value in one of the object's two memo slots (user values 2 and 3, their numbers
 * in the block), taken in turn: a second read served from a slot costs no call into Swift and
 * no table, and a third read puts the value in the cache table and promotes the object, as a
 * read served from the cache does.
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

#include "internal.h"

/* T[&clua_cache_owner_key] is T's object. Only its address matters. */
static const char clua_cache_owner_key = 0;

/* The block of the host object at index 1, or NULL if it is not one (a wrong `self`, which
 * Swift then names). */
static void **clua_host_block(lua_State *L) {
    void **block = (void **)lua_touserdata(L, 1);
    if (block == NULL || lua_rawlen(L, 1) != CLUA_BLOCK_SIZE) return NULL;
    return block;
}

/* Whether property `number` of the object with `block` was read before: only then can its
 * cache table hold it. Past the 64 bits, any property may be there. */
static int clua_was_read(void **block, lua_Integer number) {
    if (number > 64) return 1;
    unsigned long long read_once = *(unsigned long long *)((char *)block + CLUA_READ_ONCE_OFFSET);
    return (read_once >> (number - 1)) & 1;
}

/* The second read of a cached property, or any read past its 64th (clua_remember_read_in,
 * CLuaHost.h): the value on top goes in the object's cache table (user value 1), made here if
 * the object has none yet. Leaves the value on top. */
int clua_remember_in_cache(lua_State *L) {
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

/* Stack: object (1) with `block`, key (2). Scalar property `number` read in C: the object's
 * block is checked to be of this type first (anything else reaches Swift, which names the
 * error). */
static int clua_scalar_read(lua_State *L, void **block, lua_Integer number, int scalars_upvalue) {
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
static int clua_property_read(lua_State *L, void **block, lua_Integer number, int scalars_upvalue) {
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
static void clua_promote(lua_State *L, int cache) {
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

/*
 * Stack: object (1) with `block` (NULL if it is not a host object), key (2), the key's
 * `number` (3). Serves property `number` from a memo slot if one holds it (clua_remember_read,
 * CLuaHost.h): a second read from the slot; a third puts the value in the cache table and,
 * with `promote`, promotes the object, as a read served from the cache does. Returns 1 with
 * the value on top, or 0 having left the stack as it was.
 */
static int clua_memo_read(lua_State *L, void **block, lua_Integer number, int promote) {
    if (block == NULL || number <= 0 || number > 64) return 0;
    int32_t *memo = (int32_t *)((char *)block + CLUA_MEMO_OFFSET);
    for (int slot = 0; slot < 2; slot++) {
        if (memo[slot] == number) {
            memo[slot] = (int32_t)-number;
            lua_getiuservalue(L, 1, 2 + slot);
            return 1;
        }
        if (memo[slot] == -number) {
            memo[slot] = 0;
            lua_getiuservalue(L, 1, 2 + slot);    /* 4: the value */
            clua_remember_in_cache(L);
            if (promote) {
                lua_getiuservalue(L, 1, 1);       /* 5: the cache table it is in now */
                clua_promote(L, 5);
                lua_settop(L, 4);
            }
            return 1;
        }
    }
    return 0;
}

/* Looks the key at 2 up in the type's members table (upvalue 1), which leaves what it finds
 * at 3. Returns what __index returns when that settles the read: 1 for a method, the getter's
 * count for a key the type does not have (Swift names it). Returns -1 for a property, with
 * its number in *number and the object's block in *block. Both __index functions begin so.
 * Inlined by force: left to itself the compiler called it, which cost 25 instructions a read. */
__attribute__((always_inline)) static inline int clua_member_at(lua_State *L, lua_Integer *number, void ***block) {
    lua_pushvalue(L, 2);
    int kind = lua_rawget(L, lua_upvalueindex(1));
    if (kind == LUA_TFUNCTION) return 1;
    if (kind != LUA_TNUMBER) return clua_trampoline_at(L, 2);
    *block = clua_host_block(L);
    *number = lua_tointeger(L, 3);
    return -1;
}

static int clua_userdata_index(lua_State *L) {
    void **block;
    lua_Integer number;
    int settled = clua_member_at(L, &number, &block);
    if (settled >= 0) return settled;
    /* Properties read before may be cached in the userdata's user value table, or be in a
     * memo slot (user values 2 and 3, clua_remember_read). */
    if (block == NULL || clua_was_read(block, number < 0 ? -number : number)) {
        if (lua_getiuservalue(L, 1, 1) == LUA_TTABLE) {
            lua_pushvalue(L, 2);
            if (lua_rawget(L, -2) != LUA_TNIL) {
                clua_promote(L, lua_absindex(L, -2));
                return 1;
            }
        }
        lua_settop(L, 3);
        if (clua_memo_read(L, block, number, 1)) return 1;
    }
    return clua_property_read(L, block, number, 4);
}

/* __index of a promoted object's cache table T: (T, key), for a key T lacks. Upvalues 1–2 as
 * clua_userdata_index's, 3 its clua_scalars. */
static int clua_cache_index(lua_State *L) {
    lua_rawgetp(L, 1, &clua_cache_owner_key);
    lua_replace(L, 1);
    lua_settop(L, 2);
    void **block;
    lua_Integer number;
    int settled = clua_member_at(L, &number, &block);
    if (settled >= 0) return settled;
    if (clua_memo_read(L, block, number, 0)) return 1;
    return clua_property_read(L, block, number, 3);
}

/* Expects the members table, getter box and clua_scalars userdata on top; replaces them with
 * the type's __index. The type's cache metatable is made here, one per type and state, and
 * lives as long as that __index (its upvalue 3; the scalars are 4). */
void clua_push_userdata_index(lua_State *L) {
    lua_createtable(L, 0, 1);              /* the cache metatable */
    lua_pushvalue(L, -4);
    lua_pushvalue(L, -4);
    lua_pushvalue(L, -4);
    lua_pushcclosure(L, clua_cache_index, 3);
    lua_setfield(L, -2, "__index");
    lua_insert(L, -2);                     /* members, getter, cache metatable, scalars */
    lua_pushcclosure(L, clua_userdata_index, 4);
}
