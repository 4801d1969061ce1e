/*
 * allocator.c: the counting allocator. Every state's memory goes through clua_alloc, which
 * counts it against the memory limit and keeps small blocks for reuse.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

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

static int clua_is_small(size_t size) { return size != 0 && size <= CLUA_SMALL_MAX; }
static size_t clua_small_class(size_t size) { return (size - 1) >> 4; }

/* A block for `size` (small): one of its class's free blocks, else a new one. */
static void *clua_small_take(clua_control *c, size_t size) {
    size_t k = clua_small_class(size);
    void *p = c->free_blocks[k];
    if (p) {
        c->free_blocks[k] = *(void **)p;
        return p;
    }
    return malloc((k + 1) << 4);
}

/* Frees block `p` of `size` bytes (as Lua last asked): onto its class's list if small. */
static void clua_block_free(clua_control *c, void *p, size_t size) {
    if (clua_is_small(size)) {
        size_t k = clua_small_class(size);
        *(void **)p = c->free_blocks[k];
        c->free_blocks[k] = p;
    } else {
        free(p);
    }
}

/* Returns every kept block to malloc. Only after lua_close: no block may be in use. */
void clua_release_free_blocks(clua_control *c) {
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
static void *clua_block_resize(clua_control *c, void *ptr, size_t old, size_t nsize) {
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
void *clua_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
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
