import CLua
import CLuaHost

/// The arguments and results of one call from Lua into Swift.
///
/// Argument indices start at 1, as in Lua. Readers throw a ``LuaScriptError`` shaped like
/// Lua's own (`bad argument #2 to 'grant' (integer expected, got string)`), which the
/// trampoline raises at the script's line.
///
/// ```swift
/// state.register("double") { call in
///     call.push(try call.integer(1) * 2)
///     return 1
/// }
/// ```
public struct LuaCall {
    public let L: OpaquePointer
    let callable: Unmanaged<LuaCallable>

    /// The name the function was registered under, for error messages.
    public var functionName: String { callable.takeUnretainedValue().name }

    /// Number of arguments.
    @inlinable public var count: Int32 { lua_gettop(L) }

    /// The state this call runs in.
    public var state: LuaState {
        Unmanaged<LuaState>.fromOpaque(clua_control_of(L)!.pointee.owner).takeUnretainedValue()
    }

    public func typeName(_ i: Int32) -> String {
        String(cString: lua_typename(L, lua_type(L, i)))
    }

    public func argumentError(_ i: Int32, _ message: String) -> LuaScriptError {
        LuaScriptError("bad argument #\(i) to '\(functionName)' (\(message))")
    }

    @usableFromInline
    func expected(_ i: Int32, _ what: String) -> LuaScriptError {
        let got = lua_type(L, i) == LUA_TNONE ? "no value" : typeName(i)
        return argumentError(i, "\(what) expected, got \(got)")
    }

    public func isNil(_ i: Int32) -> Bool { clua_isnoneornil(L, i) != 0 }

    /// Whether argument `i` is a table: without making the type's name a String, as
    /// `typeName(i) == "table"` did on every `remind{ … }`.
    public func isTable(_ i: Int32) -> Bool { lua_type(L, i) == LUA_TTABLE }

    /// An integer argument. Floats with an exact integer value are accepted, as in Lua.
    ///
    /// Inlinable, like the other readers and pushers a binding calls on every call: out of
    /// line, each was a call across modules (this is the path of every script's call into
    /// Swift).
    @inlinable
    public func integer(_ i: Int32) throws -> Int64 {
        if let v = exactInteger(i) { return v }
        throw expected(i, "integer")
    }

    /// Argument `i` if it is a number with an exact integer value (`3` or `3.0`), else nil:
    /// for a binding that takes other things too, without making an error to discard.
    @inlinable
    public func exactInteger(_ i: Int32) -> Int64? {
        var ok: Int32 = 0
        let v = clua_tointegerx(L, i, &ok)
        return ok != 0 && lua_type(L, i) == LUA_TNUMBER ? v : nil
    }

    public func optionalInteger(_ i: Int32) throws -> Int64? {
        isNil(i) ? nil : try integer(i)
    }

    /// A number argument (integer or float), as a Double. NaN and infinities are refused.
    public func number(_ i: Int32) throws -> Double {
        guard lua_type(L, i) == LUA_TNUMBER else { throw expected(i, "number") }
        var ok: Int32 = 0
        let v = clua_tonumberx(L, i, &ok)
        guard v.isFinite else { throw argumentError(i, "finite number expected, got \(v)") }
        return v
    }

    public func boolean(_ i: Int32) -> Bool { lua_toboolean(L, i) != 0 }

    /// A string argument as UTF-8 text. Invalid UTF-8 is refused. Numbers are not converted:
    /// Steward's API wants what it asks for.
    public func string(_ i: Int32) throws -> String {
        guard lua_type(L, i) == LUA_TSTRING else { throw expected(i, "string") }
        guard let s = LuaStack.string(L, i) else { throw argumentError(i, "string is not valid UTF-8") }
        return s
    }

    public func optionalString(_ i: Int32) throws -> String? {
        isNil(i) ? nil : try string(i)
    }

    /// The raw bytes of a string argument.
    public func bytes(_ i: Int32) throws -> [UInt8] {
        guard lua_type(L, i) == LUA_TSTRING else { throw expected(i, "string") }
        return LuaStack.bytes(L, i)
    }

    /// Any argument copied to a Swift value (tables deeply, with cycle and depth checks).
    public func value(_ i: Int32) throws -> LuaValue {
        try LuaStack.value(L, i)
    }

    /// A table argument copied to Swift.
    public func table(_ i: Int32) throws -> LuaTable {
        guard lua_type(L, i) == LUA_TTABLE else { throw expected(i, "table") }
        guard case .table(let t) = try LuaStack.value(L, i) else { throw expected(i, "table") }
        return t
    }

    public func optionalTable(_ i: Int32) throws -> LuaTable? {
        isNil(i) ? nil : try table(i)
    }

    /// The Swift object behind a host userdata argument of type `type`.
    public func object<T: AnyObject>(_ i: Int32, _ type: LuaType<T>) throws -> T {
        guard let obj = LuaStack.object(L, i, type) else { throw expected(i, type.name) }
        return obj
    }

    /// The Swift object if argument `i` is a host userdata of type `type`.
    public func optionalObject<T: AnyObject>(_ i: Int32, _ type: LuaType<T>) -> T? {
        LuaStack.object(L, i, type)
    }

    // MARK: results

    @inlinable public func push(_ v: Int64) { lua_pushinteger(L, v) }
    @inlinable public func push(_ v: Int) { lua_pushinteger(L, Int64(v)) }
    @inlinable public func push(_ v: Double) { lua_pushnumber(L, v) }
    @inlinable public func push(_ v: Bool) { lua_pushboolean(L, v ? 1 : 0) }
    public func push(_ v: String) { LuaCallable.pushText(v, L) }
    public func pushNil() { lua_pushnil(L) }
    public func push(_ v: LuaValue) throws { try LuaStack.push(L, v) }
    public func push<T: AnyObject>(_ object: T, as type: LuaType<T>) { LuaStack.pushObject(L, object, type) }

    /// Pushes the object of `type` interned under `key`, making it with `make` only when no
    /// script holds one: for immutable values read over and over, such as the dates of a
    /// loop's records, where a new userdata (and its finalizer) per read cost more than the
    /// read. Equal keys must mean equal objects; scripts then see one userdata per value,
    /// so `rawequal` holds and a table keyed by such values has one key per value.
    ///
    /// ```swift
    /// // One userdata per day, however often scripts read it.
    /// call.push(interned: Int64(day.number), as: dayType) { DayBox(day) }
    /// ```
    public func push<T: AnyObject>(interned key: Int64, as type: LuaType<T>, _ make: () -> T) {
        LuaStack.pushInterned(L, key: key, type, make)
    }
    /// Pushes a copy of argument `i` (to return it unchanged).
    public func pushArgument(_ i: Int32) { lua_pushvalue(L, i) }

    /// Calls the Lua function at argument `i` with `arguments`, from inside this callback
    /// (Swift → Lua → Swift). A Lua error comes back as a thrown ``LuaError``.
    public func call(_ i: Int32, _ arguments: [LuaValue]) throws -> [LuaValue] {
        guard lua_type(L, i) == LUA_TFUNCTION else { throw expected(i, "function") }
        lua_pushvalue(L, i)
        return try state.callTop(arguments: arguments)
    }
}
