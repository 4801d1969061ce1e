import Foundation
import LuaRuntime

/// Renders Lua values as Lua-like literals: `{1, 2, name = "王芳"}`, keys sorted, strings
/// quoted, long tables cut. Used for script results in `steward run` and the REPL.
public enum LuaValueText {
    public static func describe(_ value: LuaValue) -> String {
        var out = ""
        write(value, into: &out, depth: 0, top: true)
        return out
    }

    /// A value as a Lua literal, strings quoted: for naming a wrong argument in an error.
    static func literal(_ value: LuaValue) -> String {
        var out = ""
        write(value, into: &out, depth: 0)
        return out
    }

    static let maxItems = 50
    static let maxDepth = 6

    static func write(_ value: LuaValue, into out: inout String, depth: Int, top: Bool = false) {
        switch value {
        case .nil: out += "nil"
        case .boolean(let b): out += b ? "true" : "false"
        case .integer(let i): out += String(i)
        case .number(let d): out += formatNumber(d)
        case .string(let s):
            // A bare string result is shown as text, escaped like printed output.
            if top { out += String(decoding: LuaOutput.sanitize(s.bytes), as: UTF8.self) } else { out += quote(s.description) }
        case .opaque(let name): out += "<\(name)>"
        case .table(let t):
            if depth >= maxDepth { out += "{…}"; return }
            if t.count == 0 { out += "{}"; return }
            out += "{"
            var first = true
            var shown = 0
            let seq = sequencePrefix(t)
            for i in 0..<seq.count {
                if shown == maxItems { break }
                if !first { out += ", " }
                first = false
                write(seq[i], into: &out, depth: depth + 1)
                shown += 1
            }
            let rest = t.entries.filter { key, _ in
                if case .integer(let i) = key, i >= 1, i <= Int64(seq.count) { return false }
                return true
            }.sorted { sortKey($0.key) < sortKey($1.key) }
            for (k, v) in rest {
                if shown == maxItems { break }
                if !first { out += ", " }
                first = false
                if let name = k.stringValue, isIdentifier(name) { out += name } else {
                    out += "["
                    write(k, into: &out, depth: depth + 1)
                    out += "]"
                }
                out += " = "
                write(v, into: &out, depth: depth + 1)
                shown += 1
            }
            if shown < t.count { out += ", … (\(t.count - shown) more)" }
            out += "}"
        }
    }

    static func sequencePrefix(_ t: LuaTable) -> [LuaValue] {
        var out: [LuaValue] = []
        var i: Int64 = 1
        while let v = t.entries[.integer(i)] { out.append(v); i += 1 }
        return out
    }

    static func sortKey(_ v: LuaValue) -> String {
        switch v {
        case .integer(let i): return "0" + String(format: "%020lld", i)
        case .number(let d): return "1\(d)"
        case .string(let s): return "2" + s.description
        case .boolean(let b): return "3\(b)"
        default: return "4"
        }
    }

    static func formatNumber(_ d: Double) -> String {
        if d.isNaN { return d.sign == .minus ? "-nan" : "nan" }
        if d.isInfinite { return d < 0 ? "-inf" : "inf" }
        if d == d.rounded(), abs(d) < 1e15 { return String(format: "%.1f", d) }
        return String(format: "%.14g", d)
    }

    static func quote(_ s: String) -> String {
        var out = "\""
        for ch in s.unicodeScalars {
            switch ch {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default:
                if ch.value < 0x20 || ch.value == 0x7F { out += String(format: "\\%d", ch.value) } else { out.unicodeScalars.append(ch) }
            }
        }
        return out + "\""
    }

    static func isIdentifier(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, first == "_" || (first.isASCII && first.properties.isAlphabetic) else { return false }
        let keywords: Set<String> = ["and", "break", "do", "else", "elseif", "end", "false", "for", "function", "goto", "if",
                                     "in", "local", "nil", "not", "or", "repeat", "return", "then", "true", "until", "while"]
        return !keywords.contains(s) && s.unicodeScalars.allSatisfy { $0 == "_" || ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) }
    }
}
