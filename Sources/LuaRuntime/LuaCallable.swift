import CLua
import CLuaHost

/// A Swift function as Lua sees it: the body called through the C trampoline.
///
/// The body reads its arguments and pushes its results through ``LuaCall`` and returns how
/// many results it pushed. It reports errors by throwing: the dispatcher turns the error into
/// a Lua error object and returns `CLUA_RAISE`, so the `longjmp` happens in C after every Swift
/// frame has returned (and run its `defer`s).
final class LuaCallable {
    let name: String
    let body: (LuaCall) throws -> Int32

    init(name: String, body: @escaping (LuaCall) throws -> Int32) {
        self.name = name
        self.body = body
        LuaDiagnostics.callableCreated()
    }

    deinit { LuaDiagnostics.callableReleased() }

    @inline(__always)
    func invoke(_ L: OpaquePointer) -> Int32 {
        do {
            return try body(LuaCall(L: L, callable: Unmanaged.passUnretained(self)))
        } catch {
            LuaCallable.pushError(error, L)
            return CLUA_RAISE
        }
    }

    /// Pushes the Lua error object for a Swift error thrown by a callback.
    static func pushError(_ error: Error, _ L: OpaquePointer) {
        let control = clua_control_of(L)!
        switch error {
        case let e as LuaScriptError:
            if e.withPosition { luaL_where(L, 1) } else { lua_pushstring(L, "") }
            pushText(e.message, L)
            lua_concat(L, 2)
        case let e as LuaHostLimitError:
            let state = Unmanaged<LuaState>.fromOpaque(control.pointee.owner).takeUnretainedValue()
            state.trip(CLUA_TRIP_HOST, message: e.message)
            pushText(e.message, L)
        case let e as LuaError:
            // A nested call failed; its message already carries the script position.
            pushText(e.description, L)
        default:
            luaL_where(L, 1)
            pushText(String(describing: error), L)
            lua_concat(L, 2)
        }
    }

    static func pushText(_ text: String, _ L: OpaquePointer) {
        var text = text
        text.withUTF8 { buf in
            _ = buf.withMemoryRebound(to: CChar.self) { lua_pushlstring(L, $0.baseAddress, $0.count) }
        }
    }
}

/// A box placed in a full userdata (upvalue 1 of the trampoline closure). Its `__gc` releases
/// the Swift object, so closures live exactly as long as Lua can still call them.
enum LuaBox {
    static let gcMetatableKey = "steward.box"

    /// Pushes a userdata holding a retained reference to `object`, with the releasing `__gc`.
    static func push(_ object: AnyObject, _ L: OpaquePointer) {
        let block = clua_newuserdata(L, MemoryLayout<UnsafeRawPointer>.size)!
        block.storeBytes(of: UnsafeRawPointer(Unmanaged.passRetained(object).toOpaque()),
                         as: UnsafeRawPointer.self)
        if luaL_newmetatable(L, gcMetatableKey) != 0 {
            lua_pushcclosure(L, releaseBox, 0)
            lua_setfield(L, -2, "__gc")
            lua_pushboolean(L, 0)
            lua_setfield(L, -2, "__metatable")
        }
        lua_setmetatable(L, -2)
    }

    /// `__gc` of a box: release the Swift object. Never raises.
    static let releaseBox: lua_CFunction = { L in
        if let raw = takeObject(L) { Unmanaged<AnyObject>.fromOpaque(raw).release() }
        return 0
    }

    /// The retained object in the block at index 1, taken out: the block's pointer is
    /// cleared, so the object is released once whatever runs `__gc` again. Nil if there is
    /// none (already taken, or not a box).
    static func takeObject(_ L: OpaquePointer?) -> UnsafeRawPointer? {
        guard let L, let block = lua_touserdata(L, 1),
              let raw = block.load(as: UnsafeRawPointer?.self) else { return nil }
        block.storeBytes(of: nil, as: UnsafeRawPointer?.self)
        return raw
    }
}
