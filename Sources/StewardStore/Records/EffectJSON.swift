import Foundation
import StewardCore

/// A change set's effects as the JSON a run record keeps: exactly the bytes `JSONEncoder`
/// writes with `.sortedKeys` and `.withoutEscapingSlashes` for Core's `Codable` effects.
///
/// Ledger entries and reminders, which one run proposes by the ten thousand, are written
/// here directly; every other kind goes through `JSONEncoder`. Encoding 26,707 grants with
/// `JSONEncoder` alone took a sixth of a subsidy commit (it builds, sorts and walks a tree
/// per effect). `EffectJSONTests` holds this writer to `JSONEncoder`'s output byte for byte,
/// so a change to a payload's `Codable` shape fails there, not silently here.
enum EffectJSON {
    static func encode(_ effects: [Effect]) throws -> String {
        String(decoding: try encodeBytes(effects), as: UTF8.self)
    }

    /// ``encode(_:)``'s UTF-8, for a writer that stores it as it is: making the String checked
    /// every byte of a text that is valid by construction (a sixth of the encoding).
    static func encodeBytes(_ effects: [Effect]) throws -> [UInt8] {
        var out = JSONBytes()
        out.bytes.reserveCapacity(effects.count * 256 + 2)
        out.append("[")
        var encoder: JSONEncoder?
        for (index, effect) in effects.enumerated() {
            if index > 0 { out.append(",") }
            switch effect {
            case .ledger(let entry):
                writeLedger(entry, into: &out)
            case .reminder(let reminder):
                writeReminder(reminder, into: &out)
            default:
                if encoder == nil {
                    encoder = JSONEncoder()
                    encoder?.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
                }
                out.bytes.append(contentsOf: try encoder!.encode(effect))
            }
        }
        out.append("]")
        return out.bytes
    }

    /// `{"ledger":{...}}`, keys in byte order as `.sortedKeys` puts them; nil optionals left
    /// out, as synthesised `Codable` does.
    private static func writeLedger(_ e: LedgerEffect, into out: inout JSONBytes) {
        out.open(#"{"ledger":{"#)
        out.member("amount", e.amount.fen)
        if let v = e.benefitKind { out.member("benefitKind", v) }
        out.member("budgetCode", e.budgetCode)
        if let v = e.facilityCode { out.member("facilityCode", v) }
        if let v = e.idempotencyKey { out.member("idempotencyKey", v) }
        out.member("kind", e.kind.rawValue)
        if let v = e.memberID { out.member("memberID", v) }
        out.member("memo", e.memo)
        if let v = e.period { out.member("period", v.description) }
        if let v = e.placeCode { out.member("placeCode", v) }
        if let v = e.programmeCode { out.member("programmeCode", v) }
        if let v = e.reversesEntryID { out.member("reversesEntryID", v) }
        out.append("}}")
    }

    private static func writeReminder(_ r: ReminderEffect, into out: inout JSONBytes) {
        out.open(#"{"reminder":{"#)
        out.member("dedupKey", r.dedupKey)
        out.member("dueDate", r.dueDate.iso)
        out.member("kind", r.kind)
        out.member("subjectID", r.subjectID)
        out.member("subjectKind", r.subjectKind.rawValue)
        out.member("text", r.text)
        out.append("}}")
    }

    /// The output, and whether the object being written has no member yet (for commas).
    struct JSONBytes {
        var bytes: [UInt8] = []
        private var firstMember = true

        mutating func append(_ text: StaticString) {
            bytes.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
        }

        /// Starts an object's members (no nested object may be opened before its last one).
        mutating func open(_ text: StaticString) {
            append(text)
            firstMember = true
        }

        mutating func member(_ key: StaticString, _ value: String) {
            self.key(key)
            EffectJSON.quoted(value, into: &bytes)
        }

        mutating func member(_ key: StaticString, _ value: Int64) {
            self.key(key)
            bytes.appendDecimal(value)
        }

        private mutating func key(_ key: StaticString) {
            if !firstMember { bytes.append(UInt8(ascii: ",")) }
            firstMember = false
            bytes.append(UInt8(ascii: "\""))
            append(key)
            bytes.append(UInt8(ascii: "\""))
            bytes.append(UInt8(ascii: ":"))
        }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// A JSON string as `JSONEncoder` writes one: `"` and `\` escaped, the control characters
    /// as `\b \f \n \r \t` or `\u00XX`, everything else (slashes and non-ASCII included) as is.
    static func quoted(_ text: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        // Nearly every string (codes, keys, periods, names) has nothing to escape: copied whole.
        // `withUTF8` gives a small string's bytes too; `utf8.withContiguousStorageIfAvailable`
        // did not, and sent most values (kinds, periods, codes) byte by byte through the loop
        // below.
        var text = text
        let copied = text.withUTF8 { buffer -> Bool in
            guard !buffer.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) else { return false }
            out.append(contentsOf: buffer)
            return true
        }
        if !copied {
            for byte in text.utf8 {
                if byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                    appendEscaped(byte, into: &out)
                } else {
                    out.append(byte)
                }
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    private static func appendEscaped(_ byte: UInt8, into out: inout [UInt8]) {
        switch byte {
        case UInt8(ascii: "\""): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
        case UInt8(ascii: "\\"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
        case 0x08: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "b")])
        case 0x0C: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "f")])
        case 0x0A: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
        case 0x0D: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
        case 0x09: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
        default:
            out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                                    hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0xF)]])
        }
    }
}
