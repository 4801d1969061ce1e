/*
 * CLua.h: Debian's liblua5.4 (apt: liblua5.4-dev), as one module for Swift and for CLuaHost.
 *
 * Only Lua's own headers, and nothing of ours: this is a system-library target, whose header
 * SwiftPM does not track (an edit here rebuilds nothing). Steward's C, the wrappers of Lua's
 * macros included, lives in the CLuaHost target, which SwiftPM compiles and tracks.
 */
#ifndef CLUA_H
#define CLUA_H

#include <lua5.4/lua.h>
#include <lua5.4/lauxlib.h>
#include <lua5.4/lualib.h>

#endif
