import Foundation
import LuaRuntime
import StewardCore
import Testing
@testable import StewardScripting
import TestRandom

/// Bad input everywhere, for `--param NAME=VALUE`: random text for a parameter of each declared
/// type. The run either sees the value, typed and exact (strings byte for byte), or stops
/// before the script does anything with an input error of the form `--param v=TEXT: reason` —
/// never a script error, a limit, a crash or effects. What a value must become is what Core's
/// parser for that type makes of the text (integers: `Int64` of the text without surrounding
/// spaces; numbers: a finite `Double`). Messages show the text with control characters
/// escaped (`\x00`), as every message that reaches a terminal does.
@Suite("Fuzz: script parameters")
struct ParameterFuzzTests {
    static let kinds = ScriptHeader.ParameterSpec.Kind.allCases

    /// Prints the value's Lua type and an exact rendering of it.
    static func script(_ kind: ScriptHeader.ParameterSpec.Kind) -> String {
        """
        script { name = "fuzz-params", params = { v = { type = "\(kind.rawValue)" } } }
        local v = params.v
        if type(v) == "string" then
          local hex = {}
          for i = 1, #v do hex[#hex + 1] = string.format("%02x", v:byte(i)) end
          print("string", #v, table.concat(hex))
        elseif math.type(v) == "float" then
          print("float", string.format("%.17g", v))
        elseif math.type(v) == "integer" then
          print("integer", v)
        elseif type(v) == "boolean" then
          print("boolean", v)
        elseif "\(kind.rawValue)" == "date" then
          print("date", v:iso())
        else
          print("period", tostring(v))
        end
        """
    }

    /// What the run must print for `text`, or nil when the text must be refused.
    static func expectedOutput(_ kind: ScriptHeader.ParameterSpec.Kind, _ text: String) -> String? {
        switch kind {
        case .integer: return Int64(text.trimmingCharacters(in: .whitespaces)).map { "integer\t\($0)\n" }
        case .number:
            guard let d = Double(text.trimmingCharacters(in: .whitespaces)), d.isFinite else { return nil }
            return "float\t" + String(format: "%.17g", d) + "\n"
        case .string:
            let bytes = Array(text.utf8)
            return "string\t\(bytes.count)\t" + bytes.map { String(format: "%02x", $0) }.joined() + "\n"
        case .boolean:
            switch text.trimmingCharacters(in: .whitespaces).lowercased() {
            case "true", "yes", "1": return "boolean\ttrue\n"
            case "false", "no", "0": return "boolean\tfalse\n"
            default: return nil
            }
        case .money: return (try? Money.parse(text)).map { "integer\t\($0.fen)\n" }
        case .date: return (try? CivilDate(parsing: text)).map { "date\t\($0.iso)\n" }
        case .period: return Period(text).map { "period\t\($0)\n" }
        }
    }

    /// Text aimed at `kind`: valid forms, near-misses, and anything at all.
    static func randomText(_ kind: ScriptHeader.ParameterSpec.Kind, _ random: inout SplitMix64) -> String {
        let anything: [String] = ["", " ", "\u{0}", "\n", "😀", "١٢٣", "１２３", "-", "+", "=", "a=b", "NaN", "inf", "null",
                                  "true", "0", "2025", "2025-06-15", "¥1,234.56", "\u{202E}1", String(repeating: "9", count: 400)]
        var candidates = anything
        switch kind {
        case .integer:
            candidates += [String(Int64.random(in: .min ... .max, using: &random)), "9223372036854775807", "9223372036854775808",
                           "-9223372036854775808", "-9223372036854775809", " 42 ", "\t42", "+7", "007", "1e3", "0x10", "4.0", "- 1"]
        case .number:
            candidates += [String(Double(bitPattern: random.next())), "1e308", "1e309", "-1e309", "nan", "-inf", "0x1p-1074",
                           "4.9e-324", "-0", ".5", "5.", "1_000", " 1.5", "1.5 ", "0x1.fffffffffffffp1023", "+2.5"]
        case .string:
            let scalars = (0..<random.int(0...60)).map { _ in
                Unicode.Scalar(UInt32(random.pick([random.int(0...0x7F), random.int(0x80...0xD7FF), random.int(0xE000...0x10FFFF)])))
                    ?? "?"
            }
            candidates += [String(String.UnicodeScalarView(scalars)), String(repeating: "金", count: random.int(1000...5000)),
                           "a\u{0}b", "--param v=x", "\u{1B}[2J"]
        case .boolean:
            candidates += ["TRUE", "Yes", "no", "NO", "1", "0", "y", "on", "off", "是", " true", "false\n"]
        case .money:
            let fen = Int64.random(in: .min ... .max, using: &random) >> random.int(0...60)
            let money = Money(fen: fen)
            candidates += [money.formatted(), money.plainYuan, "￥１，２３４．５６", "12.345", "1,23", "¥ -5", "−¥0.01",
                           "92233720368547758.08", "-92233720368547758.08", "12.", ".5"]
        case .date:
            candidates += ["2025-02-29", "2024-02-29", "20240229", "0000-01-01", "0001-01-01", "9999-12-31", " 2025-06-15 ",
                           "2025/06/15", "2025-6-15", "2025-06-15T00:00", "１９９０-01-01",
                           String(format: "%04ld-%02ld-%02ld", random.int(0...9999), random.int(0...13), random.int(0...32))]
        case .period:
            candidates += ["2025", "2025-Q1", "2025q4", "2025Q5", "2025-Q0", "2025-13", "2025-00", "2025-1", "10000", "0000",
                           "2025-Q2 ", "２０２５", String(format: "%04ld-%02ld", random.int(0...9999), random.int(0...13))]
        }
        var text = random.pick(candidates)
        if random.chance(15) { text = random.pick([" ", "\t", "\u{3000}", "\n"]) + text }
        if random.chance(15) { text += random.pick([" ", "x", "\u{0}", "0"]) }
        return text
    }

    /// Text as messages show it: control characters escaped.
    static func shown(_ text: String) -> String {
        String(decoding: LuaOutput.sanitize(Array(text.utf8)), as: UTF8.self)
    }

    @Test("each declared type gets its value exactly, or an input error naming the parameter and the text")
    func parameterValues() throws {
        let demo = try DemoDatabase.copy()
        var outcomes: [String: Int] = [:]
        for seed in Fuzz.seeds(base: 0x9A4A_0000, short: 420, long: 6_000) {
            var random = SplitMix64(seed: seed)
            let kind = Self.kinds[Int(seed % UInt64(Self.kinds.count))]
            let text = Self.randomText(kind, &random)
            let context = "\(Fuzz.name(seed)): \(kind.rawValue) \(text.debugDescription)"
            let report = try demo.lua(Self.script(kind), params: ["v": text])
            #expect(report.effects.isEmpty, "\(context)")
            if let expected = Self.expectedOutput(kind, text) {
                outcomes["accepted", default: 0] += 1
                #expect(report.status == .ok, "\(context): \(report.problem)")
                #expect(report.output == expected, "\(context)")
            } else {
                outcomes["refused", default: 0] += 1
                #expect(report.status == .inputError, "\(context): \(report.problem)")
                let message = report.error?.message ?? ""
                let prefix = Self.shown("--param v=\(text): ")
                #expect(message.hasPrefix(prefix) && message.count > prefix.count, "\(context): \(message.debugDescription)")
                #expect(report.output.isEmpty, "\(context): the script ran: \(report.output.debugDescription)")
            }
        }
        #expect(outcomes["accepted", default: 0] > 0 && outcomes["refused", default: 0] > 0, "\(outcomes)")
    }

    /// Interesting cases kept inline (the fuzzer found no crash): the ends of Int64, numbers
    /// that are not finite, NUL and control characters in strings, dates at the ends of the
    /// calendar, and periods one past their range.
    @Test("kept cases", arguments: [
        ("integer", "-9223372036854775808", true), ("integer", "9223372036854775808", false), ("integer", " 42\t", true),
        ("integer", "\u{3000}42", true), ("number", "1e309", false), ("number", "nan", false), ("number", "4.9e-324", true),
        ("string", "a\u{0}b\u{1B}[2J", true), ("string", "", true), ("boolean", "YES", true), ("boolean", "是", false),
        ("money", "-92233720368547758.08", true), ("money", "92233720368547758.08", false), ("money", "￥１，２３４．５６", true),
        ("date", "0001-01-01", true), ("date", "0000-01-01", false), ("date", "2025-02-29", false),
        ("period", "9999-Q4", true), ("period", "2025-Q5", false), ("period", "２０２５", false),
    ])
    func keptCases(kind: String, text: String, accepted: Bool) throws {
        let demo = try DemoDatabase.copy()
        let parameterKind = try #require(ScriptHeader.ParameterSpec.Kind(rawValue: kind))
        let report = try demo.lua(Self.script(parameterKind), params: ["v": text])
        #expect((report.status == .ok) == accepted, "\(report.problem)")
        #expect((Self.expectedOutput(parameterKind, text) != nil) == accepted)
        if accepted { #expect(report.output == Self.expectedOutput(parameterKind, text)) }
        else { #expect(report.status == .inputError && report.error?.message.hasPrefix(Self.shown("--param v=\(text): ")) == true) }
    }
}
