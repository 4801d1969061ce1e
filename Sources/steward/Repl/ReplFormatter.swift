import Foundation
import LuaRuntime
import StewardCore
import StewardScripting

/// How `\format` prints values.
enum ReplFormat: String, CaseIterable, Sendable {
    case table, csv, json
}

/// Turns the worker's documents into text: Lua-like literals (sorted keys, cycles marked),
/// records and query results as tables whose columns line up with Chinese text, money as
/// `¥1,234.56`; or CSV or JSON with `\format`.
struct ReplFormatter {
    var format: ReplFormat = .table
    /// Width a literal may take on one line before it is laid out over several.
    var width = 100

    func render(_ doc: ReplDocument) -> String {
        switch format {
        case .table: return text(doc)
        case .csv: return csv(doc)
        case .json: return json(doc)
        }
    }

    // MARK: text

    func text(_ doc: ReplDocument) -> String {
        switch doc {
        case .string(let s):
            // A top-level string prints as itself, as `print` would, with control characters
            // escaped so a value cannot drive the terminal.
            return String(decoding: LuaOutput.sanitize(Array(s.utf8)), as: UTF8.self)
        case .rows(let kind, let headers, let rows, let total):
            return table(kind: kind, headers: headers, rows: rows, total: total)
        case .record(_, let title, let fields):
            return record(title: title, fields: fields)
        case .failure(let message):
            return "<\(LuaOutput.sanitizedLine(message))>"
        case .object(_, let text):
            // A date, a period, a query: its own words at the top level, `<...>` inside tables.
            return LuaOutput.sanitizedLine(text)
        default:
            return literal(doc, indent: 0)
        }
    }

    /// A value as a Lua literal: on one line if it fits, else one entry per line.
    func literal(_ doc: ReplDocument, indent: Int) -> String {
        let flat = inline(doc)
        guard case .table(let items, let more) = doc, !items.isEmpty,
              DisplayWidth.of(flat) + indent > width else { return flat }
        let pad = String(repeating: " ", count: indent + 2)
        var out = "{\n"
        for item in items {
            out += pad
            if let key = item.key { out += keyText(key) + " = " }
            out += literal(item.value, indent: indent + 2) + ",\n"
        }
        if more > 0 { out += pad + "… (\(more) more)\n" }
        return out + String(repeating: " ", count: indent) + "}"
    }

    func inline(_ doc: ReplDocument) -> String {
        switch doc {
        case .nilValue: return "nil"
        case .boolean(let b): return b ? "true" : "false"
        case .integer(let s), .float(let s): return s
        case .string(let s): return Self.quote(s)
        case .object(_, let text): return "<\(LuaOutput.sanitizedLine(text))>"
        case .opaque(let kind): return "<\(kind)>"
        case .cycle: return "<cycle>"
        case .deep: return "{…}"
        case .failure(let message): return "<\(LuaOutput.sanitizedLine(message))>"
        case .rows(let kind, _, _, let total): return "<\(total) \(kind) rows>"
        case .record(_, let title, _): return "<\(LuaOutput.sanitizedLine(title))>"
        case .table(let items, let more):
            if items.isEmpty && more == 0 { return "{}" }
            var parts = items.map { item in
                (item.key.map { keyText($0) + " = " } ?? "") + inline(item.value)
            }
            if more > 0 { parts.append("… (\(more) more)") }
            return "{" + parts.joined(separator: ", ") + "}"
        }
    }

    func keyText(_ key: ReplDocument) -> String {
        if case .string(let s) = key, Self.isIdentifier(s) { return s }
        return "[" + inline(key) + "]"
    }

    func table(kind: String, headers: [String], rows: [[ReplCell]], total: Int) -> String {
        var right = Set<Int>()
        for i in headers.indices where rows.contains(where: { i < $0.count && $0[i].isNumeric }) { right.insert(i) }
        let body = rows.map { $0.map(cellText) }
        var out = TextTable(headers: headers, rows: body, rightAligned: right).render()
        let noun = Self.plural(kind, total)
        if total > rows.count {
            out += "\n(\(rows.count) of \(Self.grouped(total)) \(noun); \\format csv or json lists up to 10,000)"
        } else {
            out += "\n(\(Self.grouped(total)) \(noun))"
        }
        return out
    }

    func record(title: String, fields: [ReplField]) -> String {
        let width = fields.map { DisplayWidth.of($0.name) }.max() ?? 0
        var lines = [LuaOutput.sanitizedLine(title)]
        for f in fields { lines.append("  " + DisplayWidth.pad(f.name, to: width) + "  " + cellText(f.value)) }
        return lines.joined(separator: "\n")
    }

    func cellText(_ cell: ReplCell) -> String {
        switch cell {
        case .empty: return ""
        case .text(let s): return LuaOutput.sanitizedLine(s)
        case .integer(let i): return String(i)
        case .float(let d): return ReplFormatter.number(d)
        case .boolean(let b): return b ? "yes" : "no"
        case .money(let fen): return Money(fen: fen).formatted()
        }
    }

    // MARK: CSV

    func csv(_ doc: ReplDocument) -> String {
        switch doc {
        case .rows(_, let headers, let rows, _):
            var lines = [headers.map(Self.csvField).joined(separator: ",")]
            for row in rows { lines.append(row.map { Self.csvField(csvCell($0)) }.joined(separator: ",")) }
            return lines.joined(separator: "\n")
        case .record(_, _, let fields):
            var lines = ["field,value"]
            for f in fields { lines.append(Self.csvField(f.name) + "," + Self.csvField(csvCell(f.value))) }
            return lines.joined(separator: "\n")
        default:
            return text(doc)
        }
    }

    func csvCell(_ cell: ReplCell) -> String {
        switch cell {
        case .money(let fen): return Money(fen: fen).plainYuan
        case .boolean(let b): return b ? "true" : "false"
        default: return cellText(cell)
        }
    }

    static func csvField(_ s: String) -> String {
        if s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return s
    }

    // MARK: JSON

    func json(_ doc: ReplDocument) -> String {
        switch doc {
        case .rows(_, let headers, let rows, _):
            let objects = rows.map { row in
                "{" + headers.enumerated().map { i, h in
                    Self.jsonString(h) + ": " + jsonCell(i < row.count ? row[i] : .empty)
                }.joined(separator: ", ") + "}"
            }
            return "[\n" + objects.map { "  " + $0 }.joined(separator: ",\n") + "\n]"
        case .record(_, _, let fields):
            return "{" + fields.map { Self.jsonString($0.name) + ": " + jsonCell($0.value) }.joined(separator: ", ") + "}"
        default:
            return jsonValue(doc)
        }
    }

    func jsonValue(_ doc: ReplDocument) -> String {
        switch doc {
        case .nilValue: return "null"
        case .boolean(let b): return b ? "true" : "false"
        case .integer(let s): return s
        case .float(let s): return Double(s).map { $0.isFinite ? s : Self.jsonString(s) } ?? Self.jsonString(s)
        case .string(let s): return Self.jsonString(s)
        case .table(let items, _):
            if items.allSatisfy({ $0.key == nil }) {
                return "[" + items.map { jsonValue($0.value) }.joined(separator: ", ") + "]"
            }
            return "{" + items.map { item in
                let key: String
                switch item.key {
                case .string(let s)?: key = s
                case let k?: key = inline(k)
                case nil: key = ""
                }
                return Self.jsonString(key) + ": " + jsonValue(item.value)
            }.joined(separator: ", ") + "}"
        default:
            return Self.jsonString(inline(doc))
        }
    }

    func jsonCell(_ cell: ReplCell) -> String {
        switch cell {
        case .empty: return "null"
        case .text(let s): return Self.jsonString(s)
        case .integer(let i): return String(i)
        case .float(let d): return ReplFormatter.number(d)
        case .boolean(let b): return b ? "true" : "false"
        case .money(let fen): return Money(fen: fen).plainYuan
        }
    }

    static func jsonString(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F || (0x80..<0xA0).contains(scalar.value) {
                    out += String(format: "\\u%04x", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    // MARK: helpers

    /// A string as Lua would write it, with control characters as `\ddd` escapes.
    static func quote(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F || (0x80..<0xA0).contains(scalar.value) {
                    out += "\\\(scalar.value)"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    static let keywords: Set<String> = [
        "and", "break", "do", "else", "elseif", "end", "false", "for", "function", "goto", "if", "in",
        "local", "nil", "not", "or", "repeat", "return", "then", "true", "until", "while",
    ]

    static func isIdentifier(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, first == "_" || (first.isASCII && first.properties.isAlphabetic)
        else { return false }
        return !keywords.contains(s) && s.unicodeScalars.allSatisfy {
            $0 == "_" || ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0)))
        }
    }

    static func number(_ d: Double) -> String {
        if d == d.rounded(), abs(d) < 1e15 { return String(format: "%.1f", d) }
        return String(format: "%.14g", d)
    }

    static func grouped(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (n < 0 ? "-" : "") + out
    }

    static func plural(_ kind: String, _ n: Int) -> String {
        let nouns = ["member": "members", "facility": "facilities", "budget": "budgets", "programme": "programmes"]
        if n == 1 { return kind.isEmpty ? "row" : kind }
        return nouns[kind] ?? (kind.isEmpty ? "rows" : kind + "s")
    }
}

extension LuaOutput {
    /// One line of untrusted text, safe for a terminal: control characters (newlines too)
    /// escaped.
    static func sanitizedLine(_ text: String) -> String {
        String(decoding: sanitize(Array(text.utf8)), as: UTF8.self).replacingOccurrences(of: "\n", with: "\\n")
    }
}
