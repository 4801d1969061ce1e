import CLua
import CLuaHost

extension LuaState {
    /// Compiles and runs a script in the sandbox's script environment and returns its results.
    ///
    /// ```swift
    /// try state.run("print('你好')", name: "hello.lua")
    /// ```
    /// - Parameter name: the chunk name errors show (`hello.lua:3: ...`). Pass a file name,
    ///   never a full path: messages must not leak paths.
    @discardableResult
    public func run(_ source: String, name: String) throws -> [LuaValue] {
        try load(source, name: name)
        return try callTop(arguments: [])
    }

    /// Compiles `source` (text only: binary chunks are refused) and leaves the function on
    /// the stack, its `_ENV` set to the script environment.
    public func load(_ source: String, name: String) throws {
        var source = source
        guard source.utf8.count <= limits.sourceBytes else {
            throw LuaError.syntax(message: "\(name): script is \(LuaByteCount.format(source.utf8.count)), "
                + "larger than the limit of \(LuaByteCount.format(limits.sourceBytes))")
        }
        try withHostFrame {
            let status = source.withUTF8 { buf in
                buf.withMemoryRebound(to: CChar.self) {
                    clua_loadtext(L, $0.baseAddress, $0.count, "=" + name)
                }
            }
            if status != LUA_OK {
                let message = popErrorMessage()
                if status == LUA_ERRMEM || control.pointee.tripped != 0 {
                    throw limitError(control.pointee.tripped)
                }
                // A binary chunk passed as text: Lua's message is about the mode.
                // That refusal and "C stack overflow" (source nested too deeply) carry no
                // position: name the chunk so the message still says which script failed.
                let named = message.hasPrefix(name + ":") ? message : "\(name): \(message)"
                throw LuaError.syntax(message: named)
            }
            if globalsRef != LUA_NOREF {
                lua_rawgeti(L, clua_registryindex(), Int64(globalsRef))
                _ = lua_setupvalue(L, -2, 1)
            }
        }
    }

    /// Calls a global function of the script environment by name.
    @discardableResult
    public func call(_ function: String, _ arguments: [LuaValue] = []) throws -> [LuaValue] {
        try withHostFrame {
            lua_rawgeti(L, clua_registryindex(), Int64(globalsRef != LUA_NOREF ? globalsRef : Int32(LUA_RIDX_GLOBALS)))
            LuaCallable.pushText(function, L)
            var type = lua_rawget(L, -2)
            if type == LUA_TNIL, baseRef != LUA_NOREF {
                clua_pop(L, 1)
                lua_rawgeti(L, clua_registryindex(), Int64(baseRef))
                LuaCallable.pushText(function, L)
                type = lua_rawget(L, -2)
                clua_remove(L, -2)
            }
            clua_remove(L, -2)
            guard type == LUA_TFUNCTION else {
                clua_pop(L, 1)
                throw LuaError.runtime(message: "no function named '\(function)'", traceback: "")
            }
        }
        return try callTop(arguments: arguments)
    }

    /// Calls the function on top of the stack with `arguments` under `lua_pcall`, arming the
    /// deadline watchdog for the outermost call, and returns all results.
    public func callTop(arguments: [LuaValue]) throws -> [LuaValue] {
        if let tripped = trippedLimit {
            clua_pop(L, 1)
            throw tripped
        }
        let base = lua_gettop(L) - 1
        try withHostFrame {
            do {
                for a in arguments { try LuaStack.push(L, a) }
            } catch {
                // An argument that cannot cross: the call is off, so the function goes too,
                // as it does when a tripped limit stops the call.
                lua_settop(L, base)
                throw error
            }
        }
        let outermost = callDepth == 0
        var watchdog: LuaWatchdog?
        if outermost, let timeout = limits.timeout {
            watchdog = LuaWatchdog(canceller: canceller, timeout: timeout, grace: limits.hardGrace,
                                   action: hardDeadline)
        }
        callDepth += 1
        // Lua code runs with allocation refusals live; restore the host frame count after.
        let savedInHost = control.pointee.in_host
        control.pointee.in_host = 0
        let status = clua_pcall_traced(L, Int32(arguments.count), LUA_MULTRET)
        control.pointee.in_host = savedInHost
        callDepth -= 1
        watchdog?.disarm()

        return try withHostFrame {
            if status != LUA_OK {
                let tripped = control.pointee.tripped
                let message = popErrorMessage()
                let traceback = takeTraceback()
                if tripped != 0 { throw limitError(tripped) }
                if status == LUA_ERRMEM { throw limitError(Int32(CLUA_TRIP_MEMORY.rawValue)) }
                throw LuaError.runtime(message: message, traceback: traceback)
            }
            let top = lua_gettop(L)
            var results: [LuaValue] = []
            results.reserveCapacity(Int(top - base))
            defer { lua_settop(L, base) }
            if top > base {
                for i in (base + 1)...top { results.append(try LuaStack.value(L, i)) }
            }
            return results
        }
    }

    /// Pops the error object and describes it without running any of its metamethods.
    func popErrorMessage() -> String {
        defer { clua_pop(L, 1) }
        switch lua_type(L, -1) {
        case LUA_TSTRING:
            return LuaState.displayable(LuaStack.bytes(L, -1), limit: LuaState.maxMessageBytes)
        case LUA_TNUMBER:
            var ok: Int32 = 0
            if clua_isinteger(L, -1) != 0 { return String(clua_tointegerx(L, -1, &ok)) }
            return String(clua_tonumberx(L, -1, &ok))
        case LUA_TNIL:
            return "error object is nil"
        default:
            let name = String(cString: lua_typename(L, lua_type(L, -1)))
            return "(error object is a \(name) value)"
        }
    }

    /// Longest error message kept: a script chooses the text of its errors.
    static let maxMessageBytes = 4096

    /// An error text as it may reach a terminal or a log. Scripts choose it
    /// (`error("\27[2J")`, `error(string.rep("x", 1e7))`), so, like printed output
    /// (``LuaOutput/sanitize(_:)``), control characters are escaped, invalid UTF-8 replaced,
    /// and the length capped: found by hostile scripts that cleared the terminal and flooded
    /// stderr through `error`.
    static func displayable(_ raw: [UInt8], limit: Int) -> String {
        guard raw.count > limit else { return String(decoding: LuaOutput.sanitize(raw), as: UTF8.self) }
        let text = String(decoding: LuaOutput.sanitize(Array(raw.prefix(limit))), as: UTF8.self)
        return text + "… (\(raw.count - limit) more bytes)"
    }

    func takeTraceback() -> String {
        lua_pushstring(L, "clua.traceback")
        let type = lua_rawget(L, clua_registryindex())
        defer { clua_pop(L, 1) }
        guard type == LUA_TSTRING else { return "" }
        let text = LuaState.displayable(LuaStack.bytes(L, -1), limit: 4 * LuaState.maxMessageBytes)
        lua_pushstring(L, "clua.traceback")
        lua_pushnil(L)
        lua_rawset(L, clua_registryindex())
        return text
    }
}
