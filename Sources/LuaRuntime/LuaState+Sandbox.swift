import CLua
import CLuaHost

extension LuaState {
    /// Builds the sandbox: the standard libraries are opened into the state's own globals
    /// (trusted space, never shown to scripts); the trusted prelude copies the allow-listed
    /// names into a frozen base; scripts get a fresh global table that reads through to the
    /// base (reading an undefined global is an error naming it) and cannot shadow base names.
    func installSandbox() throws {
        // The real globals get every library: only trusted chunks run there.
        try protectedOpen("_G", clua_luaopen_base())
        for (name, open) in [("string", clua_luaopen_string()), ("table", clua_luaopen_table()),
                             ("math", clua_luaopen_math()), ("utf8", clua_luaopen_utf8()),
                             ("os", clua_luaopen_os())] {
            try protectedOpen(name, open)
            withHostFrame { lua_setglobal(L, name) }
        }
        let output = self.output
        try withHostFrame {
            clua_newtable(L)
            let status = clua_make_safe_wrappers(L, Int64(limits.stringBytes),
                                                 Int64(min(limits.stringBytes, 1 << 20)),
                                                 Int64(limits.patternBytes))
            guard status == LUA_OK else { throw LuaError.api("sandbox wrappers: \(popErrorMessage())") }
            lua_setfield(L, -2, "safe")
            LuaCallable.pushText("write", L)
            pushFunction(name: "print") { call in
                let bytes = try call.bytes(1)
                if !output.append(line: bytes) {
                    let state = call.state
                    state.trip(CLUA_TRIP_OUTPUT)
                }
                return 0
            }
            lua_rawset(L, -3)
        }
        // Load the prelude (compiled once per process) with the real globals as its
        // environment and call it.
        try withHostFrame {
            let status = LuaSandboxPrelude.chunk.load(into: L)
            guard status == LUA_OK else { throw LuaError.api("sandbox prelude: \(popErrorMessage())") }
            clua_insert(L, -2)  // function below the host table
        }
        let savedInHost = control.pointee.in_host
        control.pointee.in_host = 0
        let status = clua_pcall_traced(L, 1, 1)
        control.pointee.in_host = savedInHost
        try withHostFrame {
            guard status == LUA_OK else { throw LuaError.api("sandbox prelude: \(popErrorMessage())") }
            baseRef = luaL_ref(L, clua_registryindex())
            globalsRef = makeScriptGlobals()
        }
    }

    /// A new, empty script global table over the frozen base.
    func makeScriptGlobals() -> Int32 {
        clua_newtable(L)                       // globals
        lua_createtable(L, 0, 3)               // its metatable
        lua_rawgeti(L, clua_registryindex(), Int64(baseRef))
        clua_push_global_index(L)
        lua_setfield(L, -2, "__index")
        lua_rawgeti(L, clua_registryindex(), Int64(baseRef))
        clua_push_global_newindex(L)
        lua_setfield(L, -2, "__newindex")
        lua_pushboolean(L, 0)
        lua_setfield(L, -2, "__metatable")
        lua_setmetatable(L, -2)
        return luaL_ref(L, clua_registryindex())
    }

    /// Replaces the script globals with a fresh table (a new run in the same state).
    public func resetScriptGlobals() {
        withHostFrame {
            if globalsRef != LUA_NOREF { luaL_unref(L, clua_registryindex(), globalsRef) }
            globalsRef = makeScriptGlobals()
        }
    }

    /// Names a script can see without defining them: the frozen base, sorted.
    public var baseNames: [String] { keys(ofRef: baseRef) }

    /// Names the script has defined as globals, sorted.
    public var scriptGlobalNames: [String] { keys(ofRef: globalsRef) }

    /// The names in `base[table]` (or in the base itself when `table` is nil), for completion.
    public func names(in table: String?) -> [String] {
        guard let table else { return baseNames }
        return withHostFrame {
            var names: [String] = []
            for ref in [globalsRef, baseRef] where ref != LUA_NOREF {
                lua_rawgeti(L, clua_registryindex(), Int64(ref))
                LuaCallable.pushText(table, L)
                if lua_rawget(L, -2) == LUA_TTABLE {
                    names += tableKeys(at: -1)
                    // read-only views keep their entries behind __index
                    if lua_getmetatable(L, -1) != 0 {
                        lua_pushstring(L, "__index")
                        if lua_rawget(L, -2) == LUA_TTABLE { names += tableKeys(at: -1) }
                        clua_pop(L, 2)
                    }
                    clua_pop(L, 2)
                    return Array(Set(names)).sorted()
                }
                clua_pop(L, 2)
            }
            return []
        }
    }

    func keys(ofRef ref: Int32) -> [String] {
        guard ref != LUA_NOREF else { return [] }
        return withHostFrame {
            lua_rawgeti(L, clua_registryindex(), Int64(ref))
            defer { clua_pop(L, 1) }
            return tableKeys(at: -1).sorted()
        }
    }

    func tableKeys(at index: Int32) -> [String] {
        let t = lua_absindex(L, index)
        var names: [String] = []
        lua_pushnil(L)
        while lua_next(L, t) != 0 {
            if lua_type(L, -2) == LUA_TSTRING, let s = LuaStack.string(L, -2) { names.append(s) }
            clua_pop(L, 1)
        }
        return names
    }

    /// Runs trusted host Lua (the domain language's library) with the full standard library
    /// and `sandbox` (the frozen base, writable here) in reach. What it stores in `sandbox`
    /// becomes visible to scripts.
    public func runTrusted(_ source: String, name: String) throws {
        let saved = globalsRef
        globalsRef = LUA_NOREF  // load() leaves _ENV as the real globals
        defer { globalsRef = saved }
        try load(source, name: name)
        _ = try callTop(arguments: [])
    }

    /// Runs trusted host Lua compiled once per process (``LuaTrustedChunk``), as
    /// ``runTrusted(_:name:)`` runs source: with the full standard library and `sandbox` in
    /// reach.
    public func runTrusted(_ chunk: LuaTrustedChunk) throws {
        try withHostFrame {
            // Lua sets a loaded chunk's first upvalue, _ENV, to the real globals.
            let status = chunk.load(into: L)
            guard status == LUA_OK else {
                let message = popErrorMessage()
                if status == LUA_ERRMEM || control.pointee.tripped != 0 { throw limitError(control.pointee.tripped) }
                throw LuaError.api("\(chunk.name): \(message)")
            }
        }
        _ = try callTop(arguments: [])
    }
}
