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
            value = digits
            return
        }
        // Fixed line: 0 + 2- or 3-digit area code remainder + 7- or 8-digit local number.
        // Area codes of big cities have 3 digits (010, 021), others 4 (0519 Changzhou).
        if bytes.first == UInt8(ascii: "0"), (10...12).contains(bytes.count) || sawHyphen {
            let areaLength = ["010", "020", "021", "022", "023", "024", "025", "027", "028", "029"]
                .contains(String(digits.prefix(3))) ? 3 : 4
            let local = digits.count - areaLength
            if (7...8).contains(local) {
                value = String(digits.prefix(areaLength)) + "-" + String(digits.dropFirst(areaLength))
                return
            }
        }
        throw .invalid(text)
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
