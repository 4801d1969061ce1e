/// A Chinese resident identity number (公民身份号码) per GB 11643-1999: 18 characters.
///
/// Layout: 6-digit administrative region code, 8-digit birth date (`YYYYMMDD`), 3-digit
/// sequence (odd for men, even for women), and an ISO 7064 MOD 11-2 check character
/// (`0`–`9` or `X` for ten). Every value of this type has passed all four checks.
///
/// `description` is **masked** (`320482********123X`) so that an identity number printed by
/// accident — in a log, a report, an error — never leaks. Use `value` where the full number
/// is needed and allowed (storage, an unmasked export).
public struct IdentityNumber: Sendable, Hashable, Comparable, Codable {
    /// The full 18-character number, with a check character `X` in upper case.
    public let value: String

    /// Validates `text` (surrounding whitespace ignored; a lower-case `x` accepted).
    public init(_ text: String) throws(IdentityNumberError) {
        // Numbers mostly arrive already normalised (every member read back from the store):
        // check those on their bytes, without the copies the general path makes. Every check
        // is still made; anything else, valid or not, takes the general path, which
        // normalises and names the check that failed.
        if Self.isValidNormalised(text) {
            value = text
            return
        }
        value = try Self.normalise(text)
    }

    /// The general path of ``init(_:)``: trims, upper-cases, then checks length, digits,
    /// birth date and check character in turn, throwing for the first that fails.
    static func normalise(_ text: String) throws(IdentityNumberError) -> String {
        let candidate = text.trimmingWhitespace().uppercased()
        let characters = Array(candidate.utf8)
        guard characters.count == 18, candidate.count == 18 else {
            throw .wrongLength(text: text, length: candidate.count)
        }
        for (index, byte) in characters.prefix(17).enumerated() where !(0x30...0x39).contains(byte) {
            throw .notADigit(text: text, position: index + 1)
        }
        let last = characters[17]
        guard (0x30...0x39).contains(last) || last == UInt8(ascii: "X") else {
            throw .notADigit(text: text, position: 18)
        }
        let birthText = String(candidate.dropFirst(6).prefix(8))
        guard (try? CivilDate(parsing: birthText)) != nil else {
            throw .invalidBirthDate(text: text, birthDate: birthText)
        }
        let expected = IdentityNumber.checkCharacter(forFirst17: characters.prefix(17).map { Int($0 - 0x30) })
        guard Character(Unicode.Scalar(last)) == expected else {
            throw .wrongCheckCharacter(text: text, expected: expected, found: Character(Unicode.Scalar(last)))
        }
        return candidate
    }

    /// Builds a valid number from its parts, computing the check character. For demo data
    /// and tests.
    /// - Parameters:
    ///   - region: 6-digit region code, e.g. `320482` (Jintan).
    ///   - birthDate: the holder's birth date.
    ///   - sequence: 0–999; odd for a man, even for a woman.
    public static func make(region: String, birthDate: CivilDate, sequence: Int) throws(IdentityNumberError) -> IdentityNumber {
        guard region.utf8.count == 6, region.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else {
            throw .invalidRegion(region)
        }
        guard (0...999).contains(sequence) else { throw .invalidSequence(sequence) }
        guard (1000...9999).contains(birthDate.year) else {
            throw .invalidBirthDate(text: birthDate.iso, birthDate: birthDate.compact)
        }
        let first17 = region + birthDate.compact + CivilDate.pad(sequence, 3)
        let check = checkCharacter(forFirst17: first17.utf8.map { Int($0 - 0x30) })
        return try IdentityNumber(first17 + String(check))
    }

    /// True when `text` is exactly a valid number in normalised form (18 ASCII characters, an
    /// upper-case `X` if any): what ``init(_:)`` would accept and store unchanged.
    static func isValidNormalised(_ text: String) -> Bool {
        text.withUTF8Bytes(isValidNormalised(utf8:))
    }

    static func isValidNormalised(utf8 bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard bytes.count == 18 else { return false }
        var sum = 0
        for index in 0..<17 {
            let digit = bytes[index] &- 0x30
            guard digit < 10 else { return false }
            sum += Int(digit) * checkWeights[index]
        }
        func number(_ range: Range<Int>) -> Int { range.reduce(0) { $0 * 10 + Int(bytes[$1] &- 0x30) } }
        guard CivilDate.isValid(year: number(6..<10), month: number(10..<12), day: number(12..<14)) else { return false }
        let check = (12 - sum % 11) % 11
        return bytes[17] == (check == 10 ? UInt8(ascii: "X") : UInt8(0x30 + check))
    }

    /// The MOD 11-2 weight of each of the first 17 digits: 2^(17−i) mod 11.
    static let checkWeights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]

    /// The ISO 7064 MOD 11-2 check character for the first 17 digits (each 0–9).
    ///
    /// Weights are 2^(17−i) mod 11 for positions i = 0…16; the check value c satisfies
    /// (Σ dᵢ·wᵢ + c) ≡ 1 (mod 11), and 10 is written `X`.
    public static func checkCharacter(forFirst17 digits: [Int]) -> Character {
        precondition(digits.count == 17, "exactly 17 digits")
        var sum = 0
        for (digit, weight) in zip(digits, checkWeights) { sum += digit * weight }
        let check = (12 - sum % 11) % 11
        return check == 10 ? "X" : Character(String(check))
    }

    /// The 6-digit region code where the number was issued (`320482`).
    public var regionCode: String { String(value.prefix(6)) }

    /// The holder's birth date (validated at construction).
    public var birthDate: CivilDate {
        try! CivilDate(parsing: String(value.dropFirst(6).prefix(8)))
    }

    /// The 3-digit sequence number, 0–999.
    public var sequence: Int { Int(String(value.dropFirst(14).prefix(3)))! }

    /// Sex from the sequence: odd = male, even = female.
    public var sex: Sex { sequence % 2 == 1 ? .male : .female }

    /// The check character, `0`–`9` or `X`.
    public var checkCharacter: Character { value.last! }

    /// First 6 and last 4 characters visible: `320482********123X`.
    public var masked: String { Masking.mask(value, keepFirst: 6, keepLast: 4) }

    public static func < (lhs: IdentityNumber, rhs: IdentityNumber) -> Bool { lhs.value < rhs.value }

    // Encodes as the full number: storage needs it. Decoding re-validates.
    public init(from decoder: any Decoder) throws {
        try self.init(try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }
}

extension IdentityNumber: CustomStringConvertible, CustomDebugStringConvertible {
    /// The masked form; see the type's documentation.
    public var description: String { masked }
    /// The masked form, so `dump` and debuggers do not leak it either.
    public var debugDescription: String { "IdentityNumber(\(masked))" }
}

/// Which check an identity number failed. Descriptions mask nothing of the input because the
/// input is, by definition, not a valid identity number; they name the bad part.
public enum IdentityNumberError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Not 18 characters long.
    case wrongLength(text: String, length: Int)
    /// A character that must be a digit is not (`position` is 1-based; 18 allows `X`).
    case notADigit(text: String, position: Int)
    /// Characters 7–14 are not a real date.
    case invalidBirthDate(text: String, birthDate: String)
    /// The 18th character does not match the MOD 11-2 check.
    case wrongCheckCharacter(text: String, expected: Character, found: Character)
    /// `make`: a region code that is not 6 digits.
    case invalidRegion(String)
    /// `make`: a sequence outside 0–999.
    case invalidSequence(Int)

    public var description: String {
        switch self {
        case .wrongLength(let text, let length):
            return "Identity number '\(text)' has \(length) characters; it must have 18."
        case .notADigit(let text, let position):
            return position == 18
                ? "Identity number '\(text)' must end in a digit or X."
                : "Identity number '\(text)' has a non-digit at position \(position); the first 17 characters must be digits."
        case .invalidBirthDate(let text, let birthDate):
            return "Identity number '\(text)' contains '\(birthDate)', which is not a valid birth date."
        case .wrongCheckCharacter(let text, let expected, let found):
            return "Identity number '\(text)' has check character \(found), but its digits require \(expected)."
        case .invalidRegion(let region):
            return "Region code '\(region)' must be exactly 6 digits."
        case .invalidSequence(let sequence):
            return "Sequence number \(sequence) must be between 0 and 999."
        }
    }
}
