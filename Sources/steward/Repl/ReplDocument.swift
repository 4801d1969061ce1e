import Foundation
import LuaRuntime

/// A value the REPL prints, as the worker read it (ReplLuaHelpers' `__repl_render`) and the
/// parent formats it (ReplFormatter): plain data, with cycles and cut-offs already marked, so
/// nothing here can loop or grow without bound.
indirect enum ReplDocument: Codable, Sendable, Equatable {
    case nilValue
    case boolean(Bool)
    /// Numbers keep Lua's own text (`3`, `2.5`, `1e+100`, `inf`): JSON has no NaN.
    case integer(String)
    case float(String)
    case string(String)
    /// A host object (`member 12 王芳`, `budget relief-2025`, a date, ...).
    case object(kind: String, text: String)
    /// A function, thread or other value that only lives in the state.
    case opaque(String)
    case table(items: [ReplItem], more: Int)
    /// The table is one of its own ancestors.
    case cycle
    /// Deeper than the depth limit (or past the size limit).
    case deep
    /// Records as rows: the first rows of a query or a list, and how many there are.
    case rows(kind: String, headers: [String], rows: [[ReplCell]], total: Int)
    /// One record's fields.
    case record(kind: String, title: String, fields: [ReplField])
    case failure(String)
}

struct ReplItem: Codable, Sendable, Equatable {
    /// nil: the item is part of the table's sequence (`{1, 2}`).
    var key: ReplDocument?
    var value: ReplDocument
}

struct ReplField: Codable, Sendable, Equatable {
    var name: String
    var value: ReplCell
}

/// One cell of a record table.
enum ReplCell: Codable, Sendable, Equatable {
    case empty
    case text(String)
    case integer(Int64)
    case float(Double)
    case boolean(Bool)
    /// Money in fen, printed `¥1,234.56`.
    case money(Int64)

    var isNumeric: Bool {
        switch self {
        case .integer, .float, .money: return true
        default: return false
        }
    }
}

extension ReplDocument {
    /// Longest string carried to the parent; longer ones are cut and say so.
    static let maxStringBytes = 256 << 10

    /// Reads one document the helpers built. Anything unexpected becomes `failure`, never a
    /// crash: the shape comes from trusted code, but a bug there must not kill the session.
    init(lua value: LuaValue) {
        guard let t = value.tableValue else { self = .failure("unexpected result"); return }
        let tag = t["t"].stringValue ?? ""
        switch tag {
        case "nil": self = .nilValue
        case "boolean": self = .boolean(t["b"].boolValue ?? false)
        case "integer": self = .integer(t["s"].stringValue ?? "?")
        case "float": self = .float(t["s"].stringValue ?? "?")
        case "string": self = .string(Self.text(t["s"]))
        case "object": self = .object(kind: t["kind"].stringValue ?? "userdata", text: Self.text(t["s"]))
        case "cycle": self = .cycle
        case "deep": self = .deep
        case "error": self = .failure(Self.text(t["s"]))
        case "table":
            let items = (t["items"].tableValue?.array ?? []).map { item -> ReplItem in
                let it = item.tableValue ?? LuaTable()
                let key: ReplDocument? = it["k"] == .nil ? nil : ReplDocument(lua: it["k"])
                return ReplItem(key: key, value: ReplDocument(lua: it["v"]))
            }
            self = .table(items: items, more: Int(t["more"].intValue ?? 0))
        case "rows":
            let headers = (t["headers"].tableValue?.array ?? []).map { Self.text($0) }
            let rows = (t["rows"].tableValue?.array ?? []).map { row in
                (row.tableValue?.array ?? []).map(ReplCell.init(lua:))
            }
            self = .rows(kind: t["kind"].stringValue ?? "", headers: headers, rows: rows,
                         total: Int(t["total"].intValue ?? Int64(rows.count)))
        case "record":
            let fields = (t["rows"].tableValue?.array ?? []).map { pair -> ReplField in
                let p = pair.tableValue ?? LuaTable()
                return ReplField(name: Self.text(p[.integer(1)]), value: ReplCell(lua: p[.integer(2)]))
            }
            self = .record(kind: t["kind"].stringValue ?? "", title: Self.text(t["title"]), fields: fields)
        case "":
            self = .failure("unexpected result")
        default:
            self = .opaque(tag)
        }
    }

    /// A Lua string as text: invalid UTF-8 replaced, very long strings cut.
    static func text(_ value: LuaValue) -> String {
        guard case .string(let bytes) = value else { return value == .nil ? "" : "\(value)" }
        if bytes.bytes.count > maxStringBytes {
            let head = String(decoding: bytes.bytes.prefix(maxStringBytes), as: UTF8.self)
            return head + "… (\(bytes.bytes.count - maxStringBytes) more bytes)"
        }
        return String(decoding: bytes.bytes, as: UTF8.self)
    }
}

extension ReplCell {
    init(lua value: LuaValue) {
        switch value {
        case .nil, .boolean(false): self = .empty
        case .boolean(true): self = .boolean(true)
        case .integer(let i): self = .integer(i)
        case .number(let d): self = d.isFinite ? .float(d) : .text("\(d)")
        case .string: self = .text(ReplDocument.text(value))
        case .table(let t):
            if let fen = t["fen"].intValue { self = .money(fen) } else { self = .text("{…}") }
        case .opaque(let name): self = .text("<\(name)>")
        }
    }
}
