import CLua
import CLuaHost

/// Text made from a Lua string's bytes.
public enum LuaText {
    /// The bytes as a String if they are valid UTF-8, else nil.
    ///
    /// Checked by ``isValidUTF8(_:)``, then made with the non-validating initialiser. The
    /// standard library's `String(validating:as:)` is generic and not specialised here: it
    /// looked its encoding's metadata up at run time on every call, 1,900 instructions for a
    /// reminder's 60-byte Chinese text (5 % of a 26,707-grant subsidy run when it also took
    /// the ASCII codes).
    public static func string(validating bytes: UnsafeBufferPointer<UInt8>) -> String? {
        guard isValidUTF8(bytes) else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Whether `bytes` are well-formed UTF-8, as the Unicode Standard's table 3-7 defines it:
    /// no overlong forms, no surrogates (U+D800–U+DFFF), nothing above U+10FFFF, no sequence
    /// cut short or continuation byte on its own. A NUL is a character like any other.
    public static func isValidUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let count = bytes.count
        var index = 0
        func isContinuation(_ offset: Int) -> Bool { bytes[index + offset] & 0xC0 == 0x80 }
        while index < count {
            let lead = bytes[index]
            if lead < 0x80 {
                index += 1
                continue
            }
            switch lead {
            case 0xC2...0xDF:
                guard index + 1 < count, isContinuation(1) else { return false }
                index += 2
            case 0xE0...0xEF:
                guard index + 2 < count, isContinuation(2) else { return false }
                let second = bytes[index + 1]
                switch lead {
                case 0xE0: guard (0xA0...0xBF).contains(second) else { return false }  // not overlong
                case 0xED: guard (0x80...0x9F).contains(second) else { return false }  // not a surrogate
                default: guard isContinuation(1) else { return false }
                }
                index += 3
            case 0xF0...0xF4:
                guard index + 3 < count, isContinuation(2), isContinuation(3) else { return false }
                let second = bytes[index + 1]
                switch lead {
                case 0xF0: guard (0x90...0xBF).contains(second) else { return false }  // not overlong
                case 0xF4: guard (0x80...0x8F).contains(second) else { return false }  // ≤ U+10FFFF
                default: guard isContinuation(1) else { return false }
                }
                index += 4
            default:
                // A continuation byte with no lead, C0 and C1 (overlong), F5–FF (beyond U+10FFFF).
                return false
            }
        }
        return true
    }
}

/// Reading and pushing values on a Lua stack, with raw access only: no `__index`, `__pairs`
/// or `__tostring` of script values ever runs while Swift copies a result.
enum LuaStack {
    /// Deepest table nesting copied to Swift.
    static let maxDepth = 64
    /// Most entries copied out of one script result (all tables together).
    static let maxEntries = 1_000_000

    static func bytes(_ L: OpaquePointer, _ i: Int32) -> [UInt8] {
        var len = 0
        guard let p = lua_tolstring(L, i, &len) else { return [] }
        return p.withMemoryRebound(to: UInt8.self, capacity: len) {
            Array(UnsafeBufferPointer(start: $0, count: len))
        }
    }

    /// A string as UTF-8 text; nil if the bytes are not valid UTF-8. Copies before any more
    /// Lua runs, as `lua_tolstring`'s pointer may not outlive the value.
    static func string(_ L: OpaquePointer, _ i: Int32) -> String? {
        var len = 0
        guard let p = lua_tolstring(L, i, &len) else { return nil }
        return p.withMemoryRebound(to: UInt8.self, capacity: len) {
            LuaText.string(validating: UnsafeBufferPointer(start: $0, count: len))
        }
    }

    static func value(_ L: OpaquePointer, _ i: Int32) throws -> LuaValue {
        var budget = maxEntries
        var path: [UnsafeRawPointer] = []
        return try value(L, lua_absindex(L, i), depth: 0, path: &path, budget: &budget)
    }

    private static func value(_ L: OpaquePointer, _ i: Int32, depth: Int,
                              path: inout [UnsafeRawPointer], budget: inout Int) throws -> LuaValue {
        switch lua_type(L, i) {
        case LUA_TNIL, LUA_TNONE: return .nil
        case LUA_TBOOLEAN: return .boolean(lua_toboolean(L, i) != 0)
        case LUA_TNUMBER:
            if clua_isinteger(L, i) != 0 {
                var ok: Int32 = 0
                return .integer(clua_tointegerx(L, i, &ok))
            }
            var ok: Int32 = 0
            return .number(clua_tonumberx(L, i, &ok))
        case LUA_TSTRING: return .string(LuaBytes(bytes(L, i)))
        case LUA_TTABLE:
            guard depth < maxDepth else {
                throw LuaError.conversion("table nested deeper than \(maxDepth) levels")
            }
            let id = lua_topointer(L, i)!
            // Cycle: the table is one of its own ancestors. (A table shared by two branches
            // is not a cycle and is copied twice.)
            if path.contains(id) { throw LuaError.conversion("table contains a cycle") }
            guard lua_checkstack(L, 3) != 0 else { throw LuaError.conversion("Lua stack overflow") }
            path.append(id)
            defer { path.removeLast() }
            var table = LuaTable()
            lua_pushnil(L)
            while lua_next(L, i) != 0 {
                budget -= 1
                if budget < 0 {
                    clua_pop(L, 2)
                    throw LuaError.conversion("result has more than \(maxEntries) entries")
                }
                let top = lua_gettop(L)
                let key: LuaValue
                let val: LuaValue
                do {
                    key = try value(L, top - 1, depth: depth + 1, path: &path, budget: &budget)
                    val = try value(L, top, depth: depth + 1, path: &path, budget: &budget)
                } catch {
                    clua_pop(L, 2)
                    throw error
                }
                table.entries[key] = val
                clua_pop(L, 1)
            }
            return .table(table)
        default:
            if lua_type(L, i) == LUA_TUSERDATA, let name = hostTypeName(L, i) {
                return .opaque(name)
            }
            return .opaque(String(cString: lua_typename(L, lua_type(L, i))))
        }
    }

    /// The host type name (`__name`) of a userdata, read raw.
    static func hostTypeName(_ L: OpaquePointer, _ i: Int32) -> String? {
        guard lua_getmetatable(L, i) != 0 else { return nil }
        defer { clua_pop(L, 2) }
        lua_pushstring(L, "__name")
        guard lua_rawget(L, -2) == LUA_TSTRING else { return nil }
        return string(L, -1)
    }

    /// Pushes a Swift value. Must run inside a host frame (allocations cannot fail there).
    ///
    /// A value that cannot cross throws `LuaError.conversion` and leaves the stack as it was:
    /// a table that is only half pushed is removed again.
    static func push(_ L: OpaquePointer, _ v: LuaValue) throws {
        let top = lua_gettop(L)
        do {
            try push(L, v, depth: 0)
        } catch {
            lua_settop(L, top)
            throw error
        }
    }

    private static func push(_ L: OpaquePointer, _ v: LuaValue, depth: Int) throws {
        guard lua_checkstack(L, 3) != 0 else { throw LuaError.conversion("Lua stack overflow") }
        switch v {
        case .nil: lua_pushnil(L)
        case .boolean(let b): lua_pushboolean(L, b ? 1 : 0)
        case .integer(let i): lua_pushinteger(L, i)
        case .number(let d): lua_pushnumber(L, d)
        case .string(let s):
            s.bytes.withUnsafeBufferPointer { buf in
                buf.withMemoryRebound(to: CChar.self) { _ = lua_pushlstring(L, $0.baseAddress, $0.count) }
            }
        case .table(let t):
            guard depth < maxDepth else { throw LuaError.conversion("table nested deeper than \(maxDepth) levels") }
            let n = t.array?.count ?? 0
            lua_createtable(L, Int32(clamping: n), Int32(clamping: t.count - n))
            for (k, value) in t.entries {
                // A nil value is no entry. Setting it would delete an entry already pushed under
                // the same Lua key (2.0 → 2), so the result depended on Swift's hash order.
                if value == .nil { continue }
                // Keys Lua refuses are refused here: `lua_rawset` would raise its error with no
                // protected call around it, and Lua would abort the process.
                if case .number(let d) = k, d.isNaN { throw LuaError.conversion("table key is NaN") }
                if case .nil = k { throw LuaError.conversion("table key is nil") }
                // Lua stores a float key with an integer value as that integer, so 1.0 and 1 are
                // one key there: which value survived depended on Swift's hash order.
                if case .number(let d) = k, let i = Int64(exactly: d), t.entries[.integer(i)].map({ $0 != .nil }) == true {
                    throw LuaError.conversion("table has two keys that are the same key in Lua: \(i) and \(d)")
                }
                try push(L, k, depth: depth + 1)
                try push(L, value, depth: depth + 1)
                lua_rawset(L, -3)
            }
        case .opaque(let name):
            throw LuaError.conversion("a \(name) cannot be copied into Lua")
        }
    }

    /// An object's userdata block: the retained object (first, where `LuaBox.releaseBox`
    /// expects it), then its type's ``LuaType/identity``, then ``readOnceOffset`` and the
    /// memo's two slots and next slot (``memoOffset``): the layout CLuaHost.h names
    /// `CLUA_BLOCK_SIZE`, `CLUA_READ_ONCE_OFFSET`, `CLUA_MEMO_OFFSET` and
    /// `CLUA_MEMO_NEXT_OFFSET`.
    static let objectBlockSize = 5 * MemoryLayout<UnsafeRawPointer>.size
    /// Where the block keeps a bit per cached property (by number, the first 64) that was
    /// read once and not cached: see `LuaState.registerType(_:)`.
    static let readOnceOffset = 2 * MemoryLayout<UnsafeRawPointer>.size
    /// Where the block keeps the numbers of the two properties whose values are the memo's
    /// slots (user values 2 and 3), then the slot the next first read takes (properties.c).
    static let memoOffset = 3 * MemoryLayout<UnsafeRawPointer>.size

    /// The Swift object if value `i` is a userdata of `type`; nil for anything else, including
    /// a closure box (one pointer) and an object already finalized.
    static func object<T: AnyObject>(_ L: OpaquePointer, _ i: Int32, _ type: LuaType<T>) -> T? {
        guard lua_type(L, i) == LUA_TUSERDATA, lua_rawlen(L, i) == lua_Unsigned(objectBlockSize),
              let block = lua_touserdata(L, i),
              block.load(fromByteOffset: MemoryLayout<UnsafeRawPointer>.size, as: UnsafeRawPointer.self) == type.identity,
              let object = block.load(as: UnsafeRawPointer?.self) else { return nil }
        return Unmanaged<T>.fromOpaque(object).takeUnretainedValue()
    }

    static func pushObject<T: AnyObject>(_ L: OpaquePointer, _ object: T, _ type: LuaType<T>) {
        precondition(type.select(L), "LuaType '\(type.name)' is not registered in this state")
        // User values: 1, the cache table; 2 and 3, the memo's slots.
        let block = lua_newuserdatauv(L, objectBlockSize, 3)!
        block.storeBytes(of: UnsafeRawPointer(Unmanaged.passRetained(object).toOpaque()),
                         as: UnsafeRawPointer.self)
        block.storeBytes(of: type.identity, toByteOffset: MemoryLayout<UnsafeRawPointer>.size,
                         as: UnsafeRawPointer.self)
        block.storeBytes(of: 0, toByteOffset: readOnceOffset, as: UInt64.self)
        block.storeBytes(of: 0, toByteOffset: memoOffset, as: Int64.self)       // both slots empty
        block.storeBytes(of: 0, toByteOffset: memoOffset + 8, as: Int64.self)   // the next is slot 0
        lua_rawgeti(L, clua_registryindex(), Int64(type.metatableRef))
        lua_setmetatable(L, -2)
    }

    /// Pushes the userdata interned under `key` in `type`'s table, made by `make` and
    /// interned if there is none. The table's values are weak: an object no script holds is
    /// collected as any other, and Lua takes it out of the table before its `__gc` runs, so a
    /// finalized object is never handed out again.
    static func pushInterned<T: AnyObject>(_ L: OpaquePointer, key: Int64, _ type: LuaType<T>, _ make: () -> T) {
        precondition(type.select(L), "LuaType '\(type.name)' is not registered in this state")
        if type.internedRef == LUA_NOREF { makeInternedTable(L, type) }
        lua_rawgeti(L, clua_registryindex(), Int64(type.internedRef))     // table
        if lua_rawgeti(L, -1, key) == LUA_TUSERDATA {                     // table, object
            clua_remove(L, -2)                                             // object
            return
        }
        lua_settop(L, -2)                                                  // table
        pushObject(L, make(), type)                                        // table, object
        lua_pushvalue(L, -1)
        lua_rawseti(L, -3, key)
        clua_remove(L, -2)                                                 // object
    }

    private static func makeInternedTable<T: AnyObject>(_ L: OpaquePointer, _ type: LuaType<T>) {
        lua_createtable(L, 0, 0)
        lua_createtable(L, 0, 1)
        lua_pushstring(L, "v")
        lua_setfield(L, -2, "__mode")
        lua_setmetatable(L, -2)
        let ref = luaL_ref(L, clua_registryindex())
        let state = Unmanaged<LuaState>.fromOpaque(clua_control_of(L)!.pointee.owner).takeUnretainedValue()
        state.internedTables[ObjectIdentifier(type)] = ref
        type.internedRef = ref
    }
}
