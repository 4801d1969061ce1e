import CLua
import CLuaHost
import LuaRuntime

// Thin wrappers so binding files read options from the stack without importing CLua
// everywhere. Raw access only: no metamethod of a script value runs.
@inline(__always) func lua_absindex_(_ L: OpaquePointer, _ i: Int32) -> Int32 { lua_absindex(L, i) }
@inline(__always) func lua_pushnil_(_ L: OpaquePointer) { lua_pushnil(L) }
@inline(__always) func lua_next_(_ L: OpaquePointer, _ t: Int32) -> Bool { lua_next(L, t) != 0 }
@inline(__always) func lua_pop_(_ L: OpaquePointer, _ n: Int32) { clua_pop(L, n) }
@inline(__always) func lua_istable_(_ L: OpaquePointer, _ i: Int32) -> Bool { lua_type(L, i) == LUA_TTABLE }
@inline(__always) func lua_gettop_(_ L: OpaquePointer) -> Int32 { lua_gettop(L) }

enum LuaStackText {
    /// The string at `i` if it is a Lua string holding valid UTF-8.
    static func string(_ L: OpaquePointer, _ i: Int32) -> String? {
        guard lua_type(L, i) == LUA_TSTRING else { return nil }
        var len = 0
        guard let p = lua_tolstring(L, i, &len) else { return nil }
        return p.withMemoryRebound(to: UInt8.self, capacity: len) {
            LuaText.string(validating: UnsafeBufferPointer(start: $0, count: len))
        }
    }
}
@inline(__always) func lua_pushstring_(_ L: OpaquePointer, _ s: String) { _ = lua_pushstring(L, s) }
@inline(__always) func lua_rawget_(_ L: OpaquePointer, _ t: Int32) { _ = lua_rawget(L, t) }
@inline(__always) func lua_setfield_(_ call: LuaCall, _ name: String) { lua_setfield(call.L, -2, name) }
