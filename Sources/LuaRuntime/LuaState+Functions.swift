import CLua
import CLuaHost

extension LuaState {
    /// Makes a Swift function callable from scripts as a global (in the frozen base, so a
    /// script cannot replace it). The body returns the number of results it pushed.
    ///
    /// ```swift
    /// state.register("yuan") { call in
    ///     call.push(try call.integer(1) * 100)
    ///     return 1
    /// }
    /// ```
    public func register(_ name: String, _ body: @escaping (LuaCall) throws -> Int32) {
        withHostFrame {
            pushFunction(name: name, body)
            setInBase(name)
        }
    }

    /// Registers a function under `table.name` (the table is created in the base if needed).
    public func register(_ name: String, in table: String, _ body: @escaping (LuaCall) throws -> Int32) {
        withHostFrame {
            pushBaseTable(table)
            LuaCallable.pushText(name, L)
            pushFunction(name: "\(table).\(name)", body)
            lua_rawset(L, -3)
            clua_pop(L, 1)
        }
    }

    /// Sets a global value in the frozen base (tables are copied).
    public func setGlobal(_ name: String, _ value: LuaValue) throws {
        try withHostFrame {
            try LuaStack.push(L, value)
            setInBase(name)
        }
    }

    /// Pushes a Swift function as a Lua closure onto the stack (for bridge extensions).
    public func pushFunction(name: String, _ body: @escaping (LuaCall) throws -> Int32) {
        withHostFrame {
            LuaBox.push(LuaCallable(name: name, body: body), L)
            clua_push_swift_closure(L)
        }
    }

    /// Pops the top value into the base environment (or the real globals when unsandboxed).
    func setInBase(_ name: String) {
        lua_rawgeti(L, clua_registryindex(), Int64(baseRef != LUA_NOREF ? baseRef : Int32(LUA_RIDX_GLOBALS)))
        LuaCallable.pushText(name, L)
        lua_rotate(L, -3, -1)  // value, base, name -> base, name, value
        lua_rawset(L, -3)
        clua_pop(L, 1)
    }

    /// Pushes `base[name]`, creating an empty table there if it does not exist.
    func pushBaseTable(_ name: String) {
        lua_rawgeti(L, clua_registryindex(), Int64(baseRef != LUA_NOREF ? baseRef : Int32(LUA_RIDX_GLOBALS)))
        LuaCallable.pushText(name, L)
        if lua_rawget(L, -2) != LUA_TTABLE {
            clua_pop(L, 1)
            clua_newtable(L)
            LuaCallable.pushText(name, L)
            lua_pushvalue(L, -2)
            lua_rawset(L, -4)
        }
        clua_remove(L, -2)
    }
}

extension LuaState {
    /// Registers a function only trusted host Lua can call (in the state's own globals, which
    /// scripts never see): helpers the domain library builds its script-facing API on.
    public func registerTrusted(_ name: String, _ body: @escaping (LuaCall) throws -> Int32) {
        withHostFrame {
            pushFunction(name: name, body)
            lua_setglobal(L, name)  // the real globals have no metatable: cannot raise
        }
    }

    /// Pops the value on top of the stack into the frozen base as global `name`. For host
    /// values that cannot be a ``LuaValue`` (tables holding host objects).
    public func setGlobalFromTop(_ name: String) {
        withHostFrame { setInBase(name) }
    }
}

extension LuaState {
    /// Counts output the host keeps outside Lua (a script's warnings) toward the output
    /// limit. Past the limit it trips it, like `print` does, and returns false.
    @discardableResult
    public func chargeOutput(_ bytes: Int) -> Bool {
        if output.charge(bytes) { return true }
        trip(CLUA_TRIP_OUTPUT)
        return false
    }
}
