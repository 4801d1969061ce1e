/// A mainland China phone number: an 11-digit mobile number (`13812341234`) or a fixed line
/// with its area code (`0519-82812345`).
///
/// Input may carry a `+86`/`86` prefix, spaces and hyphens; the stored `value` is normalised
/// (mobile: 11 digits; fixed line: `0AAA-NNNNNNN`). `description` is masked, like
/// `IdentityNumber`, so it never leaks by accident.
public struct PhoneNumber: Sendable, Hashable, Codable {
    /// The normalised number.
    public let value: String

    /// Validates and normalises `text`.
    public init(_ text: String) throws(PhoneNumberError) {
        // Numbers read back from the store are already normalised: recognise those on their
        // bytes, without the per-character walk and copies of the general path. The test is
        // exact (a `value` the general path would produce from itself); anything else takes
        // the general path.
        if text.withUTF8Bytes(PhoneNumber.isNormalised) {
            value = text
            return
        }
        value = try Self.normalise(text)
    }

    /// The general path of ``init(_:)``: strips `+86`, spaces, hyphens and brackets, then
    /// accepts a mobile number or a fixed line with its area code.
    static func normalise(_ text: String) throws(PhoneNumberError) -> String {
        var digits = ""
        var sawHyphen = false
        for character in text.trimmingWhitespace() {
            if character.isASCII, character.isNumber {
                digits.append(character)
            } else if character == "-" {
                sawHyphen = true
            } else if character == " " || character == "+" || character == "(" || character == ")" {
                continue
            } else {
                throw .invalid(text)
            }
        }
        if digits.count == 13, digits.hasPrefix("86") { digits.removeFirst(2) }
        let bytes = Array(digits.utf8)
        if bytes.count == 11, bytes[0] == UInt8(ascii: "1"), (UInt8(ascii: "3")...UInt8(ascii: "9")).contains(bytes[1]) {
            return digits
        }
        // Fixed line: 0 + 2- or 3-digit area code remainder + 7- or 8-digit local number.
        // Area codes of big cities have 3 digits (010, 021), others 4 (0519 Changzhou).
        if bytes.first == UInt8(ascii: "0"), (10...12).contains(bytes.count) || sawHyphen {
            let areaLength = PhoneNumber.threeDigitAreaCodes.contains(String(digits.prefix(3))) ? 3 : 4
            let local = digits.count - areaLength
            if (7...8).contains(local) {
                return String(digits.prefix(areaLength)) + "-" + String(digits.dropFirst(areaLength))
            }
        }
        throw .invalid(text)
    }

    /// The area codes of the big cities, three digits long; every other area code has four.
    static let threeDigitAreaCodes = ["010", "020", "021", "022", "023", "024", "025", "027", "028", "029"]

    /// True when `bytes` are a `value` as the general path writes it: 11 digits `1[3-9]…`, or
    /// `0` + area code (3 digits for ``threeDigitAreaCodes``, else 4) + `-` + 7 or 8 digits.
    static func isNormalised(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        func isDigit(_ byte: UInt8) -> Bool { byte &- 0x30 < 10 }
        if bytes.count == 11, bytes[0] == UInt8(ascii: "1"), (UInt8(ascii: "3")...UInt8(ascii: "9")).contains(bytes[1]),
           bytes.allSatisfy(isDigit) {
            return true
        }
        guard (11...13).contains(bytes.count), bytes[0] == UInt8(ascii: "0"), isDigit(bytes[1]), isDigit(bytes[2]) else {
            return false
        }
        let threeDigits = threeDigitAreaCodes.contains { code in code.utf8.elementsEqual(bytes.prefix(3)) }
        let hyphen = threeDigits ? 3 : 4
        guard bytes[hyphen] == UInt8(ascii: "-"), (7...8).contains(bytes.count - hyphen - 1) else { return false }
        return bytes.indices.allSatisfy { $0 == hyphen || isDigit(bytes[$0]) }
    }

    /// True for an 11-digit mobile number.
    public var isMobile: Bool { !value.contains("-") }

    /// Mobile: first 3 and last 4 digits visible (`138****1234`). Fixed line: the area code
    /// and the last 4 digits (`0519-****2345`).
    public var masked: String {
        if isMobile { return Masking.mask(value, keepFirst: 3, keepLast: 4) }
        let parts = value.split(separator: "-", maxSplits: 1)
        return String(parts[0]) + "-" + Masking.mask(String(parts[1]), keepFirst: 0, keepLast: 4)
    }

    public init(from decoder: any Decoder) throws {
        try self.init(try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }
}

extension PhoneNumber: CustomStringConvertible, CustomDebugStringConvertible {
    /// The masked form.
    public var description: String { masked }
    /// The masked form.
    public var debugDescription: String { "PhoneNumber(\(masked))" }
}

/// A phone number that is neither a mainland mobile nor a fixed line with area code.
public enum PhoneNumberError: Error, Sendable, Hashable, CustomStringConvertible {
    case invalid(String)

    public var description: String {
        switch self {
        case .invalid(let text):
            return "'\(text)' is not a phone number: expected an 11-digit mobile number (13812341234) or a fixed line with area code (0519-82812345)."
        }
    }
}
