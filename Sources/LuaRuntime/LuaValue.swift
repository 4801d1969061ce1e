/// A Lua value copied out of (or to be pushed into) a state.
///
/// Data values (`nil`, booleans, numbers, strings, tables) are plain Swift values that
/// outlive the state. Integers stay integers and floats stay floats, as in Lua 5.4; strings
/// are bytes, because Lua strings are (use ``LuaValue/stringValue`` for UTF-8 text).
///
/// ```swift
/// let v: LuaValue = ["name": "王芳", "grade": 2, "tags": ["低保"]]
/// ```
public enum LuaValue: Hashable, Sendable {
    case `nil`
    case boolean(Bool)
    case integer(Int64)
    case number(Double)
    case string(LuaBytes)
    case table(LuaTable)
    /// A value that only lives inside the state (function, userdata) — described, not copied.
    case opaque(String)

    /// The Lua type name (`"nil"`, `"boolean"`, `"number"`, `"string"`, `"table"`, ...).
    public var typeName: String {
        switch self {
        case .nil: return "nil"
        case .boolean: return "boolean"
        case .integer, .number: return "number"
        case .string: return "string"
        case .table: return "table"
        case .opaque(let name): return name
        }
    }

    /// The string as UTF-8 text, or nil if this is not a string or not valid UTF-8.
    public var stringValue: String? {
        guard case .string(let bytes) = self else { return nil }
        return bytes.utf8String
    }

    public var intValue: Int64? {
        switch self {
        case .integer(let i): return i
        case .number(let d):
            guard d.isFinite, d == d.rounded(), let i = Int64(exactly: d) else { return nil }
            return i
        default: return nil
        }
    }

    public var doubleValue: Double? {
        switch self {
        case .integer(let i): return Double(i)
        case .number(let d): return d
        default: return nil
        }
    }

    public var boolValue: Bool? {
        if case .boolean(let b) = self { return b }
        return nil
    }

    public var tableValue: LuaTable? {
        if case .table(let t) = self { return t }
        return nil
    }

    /// Lua truthiness: everything but `nil` and `false` is true.
    public var isTruthy: Bool {
        switch self {
        case .nil: return false
        case .boolean(let b): return b
        default: return true
        }
    }
}

extension LuaValue: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral, ExpressibleByStringLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    public init(nilLiteral: ()) { self = .nil }
    public init(booleanLiteral value: Bool) { self = .boolean(value) }
    public init(integerLiteral value: Int64) { self = .integer(value) }
    public init(floatLiteral value: Double) { self = .number(value) }
    public init(stringLiteral value: String) { self = .string(LuaBytes(value)) }
    public init(arrayLiteral elements: LuaValue...) { self = .table(LuaTable(array: elements)) }
    public init(dictionaryLiteral elements: (LuaValue, LuaValue)...) {
        var t = LuaTable()
        for (k, v) in elements { t[k] = v }
        self = .table(t)
    }
    public init(_ string: String) { self = .string(LuaBytes(string)) }
}

/// The bytes of a Lua string. Lua strings may hold any byte, NUL included.
public struct LuaBytes: Hashable, Sendable, CustomStringConvertible {
    public var bytes: [UInt8]
    public init(_ bytes: [UInt8]) { self.bytes = bytes }
    public init(_ string: String) { self.bytes = Array(string.utf8) }
    /// The text if the bytes are valid UTF-8.
    public var utf8String: String? { String(validating: bytes, as: UTF8.self) }
    public var description: String { utf8String ?? String(decoding: bytes, as: UTF8.self) }
}

/// A Lua table copied out of a state: its entries by key, in no particular order.
public struct LuaTable: Hashable, Sendable {
    public var entries: [LuaValue: LuaValue]

    public init() { entries = [:] }
    public init(array: [LuaValue]) {
        entries = [:]
        for (i, v) in array.enumerated() where v != .nil { entries[.integer(Int64(i + 1))] = v }
    }
    public init(dictionary: [String: LuaValue]) {
        entries = [:]
        for (k, v) in dictionary where v != .nil { entries[LuaValue(k)] = v }
    }

    /// Setting `nil` removes the key, as in Lua.
    public subscript(key: LuaValue) -> LuaValue {
        get { entries[key] ?? .nil }
        set { entries[key] = newValue == .nil ? nil : newValue }
    }

    public subscript(key: String) -> LuaValue {
        get { self[LuaValue(key)] }
        set { self[LuaValue(key)] = newValue }
    }

    public var count: Int { entries.count }

    /// The sequence `t[1] ... t[n]` if the table is exactly a sequence, else nil.
    public var array: [LuaValue]? {
        var out: [LuaValue] = []
        out.reserveCapacity(entries.count)
        for i in 1...max(entries.count, 1) {
            guard let v = entries[.integer(Int64(i))] else { break }
            out.append(v)
        }
        return out.count == entries.count ? out : nil
    }

    /// The entries whose keys are UTF-8 strings, if every key is one.
    public var dictionary: [String: LuaValue]? {
        var out: [String: LuaValue] = [:]
        for (k, v) in entries {
            guard let s = k.stringValue else { return nil }
            out[s] = v
        }
        return out
    }
}
