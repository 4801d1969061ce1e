import Foundation

/// A day in the Gregorian calendar, without time or time zone: a birth date, a certificate's
/// expiry, a grant's effective date.
///
/// Social-services dates are civil dates. Storing them as `Date` (an instant) makes a birthday
/// move by a day when a time zone changes; storing year, month and day cannot. Years 1–9999
/// are supported; every initialiser validates, so an invalid day (`2025-02-29`) never exists.
public struct CivilDate: Sendable, Hashable, Comparable, Codable {
    public let year: Int
    public let month: Int
    public let day: Int

    /// The earliest supported date, 0001-01-01.
    public static let earliest = CivilDate(unchecked: 1, 1, 1)
    /// The latest supported date, 9999-12-31.
    public static let latest = CivilDate(unchecked: 9999, 12, 31)

    /// A validated date. Throws `CivilDateError.invalidDate` for days that do not exist.
    public init(year: Int, month: Int, day: Int) throws(CivilDateError) {
        guard CivilDate.isValid(year: year, month: month, day: day) else {
            throw .invalidDate(year: year, month: month, day: day)
        }
        self.year = year
        self.month = month
        self.day = day
    }

    /// For values already known to be valid (internal arithmetic).
    init(unchecked year: Int, _ month: Int, _ day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// True when the day exists (and its year is in 1–9999): what ``init(year:month:day:)``
    /// accepts.
    static func isValid(year: Int, month: Int, day: Int) -> Bool {
        (1...9999).contains(year) && (1...12).contains(month)
            && day >= 1 && day <= CivilDate.daysInMonth(year: year, month: month)
    }

    /// True for Gregorian leap years (divisible by 4, except centuries not divisible by 400).
    public static func isLeapYear(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    /// The number of days in `month` of `year` (28–31); 0 for a month outside 1–12.
    public static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 1, 3, 5, 7, 8, 10, 12: return 31
        case 4, 6, 9, 11: return 30
        case 2: return isLeapYear(year) ? 29 : 28
        default: return 0
        }
    }

    /// True when this date's year is a leap year.
    public var isInLeapYear: Bool { CivilDate.isLeapYear(year) }

    public static func < (lhs: CivilDate, rhs: CivilDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    // MARK: Day numbers

    /// Days since 1970-01-01 (negative before it). Uses Howard Hinnant's `days_from_civil`,
    /// which is exact for the proleptic Gregorian calendar without any lookup tables.
    public var daysSinceEpoch: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let monthIndex = month > 2 ? month - 3 : month + 9
        let dayOfYear = (153 * monthIndex + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The date `days` days after 1970-01-01. Throws outside years 1–9999.
    public init(daysSinceEpoch days: Int) throws(CivilDateError) {
        guard days >= CivilDate.earliest.daysSinceEpoch, days <= CivilDate.latest.daysSinceEpoch else {
            throw .outOfRange("Day number \(days)")
        }
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        self.init(unchecked: year, month, day)
    }

    // MARK: Today

    /// The civil date of `instant` in `timeZone` (default Asia/Shanghai, where the offices are).
    public init(_ instant: Date, in timeZone: TimeZone = CivilDate.shanghai) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month, .day], from: instant)
        self.init(unchecked: parts.year!, parts.month!, parts.day!)
    }

    /// Asia/Shanghai: China Standard Time, UTC+8 all year.
    public static let shanghai = TimeZone(identifier: "Asia/Shanghai") ?? TimeZone(secondsFromGMT: 8 * 3600)!

    /// The instant at which this date begins in `timeZone`.
    public func startOfDay(in timeZone: TimeZone = CivilDate.shanghai) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let components = DateComponents(year: year, month: month, day: day)
        return calendar.date(from: components)!
    }

    // MARK: Text

    static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }

    /// ISO 8601 form, `2025-03-01`.
    public var iso: String {
        // Written byte by byte for the years a record holds: once per date stored or shown
        // (reminders by the thousand), where interpolating padded parts cost 1,600
        // instructions. Ten bytes make a small String: no allocation.
        guard (0...9999).contains(year) else {
            return "\(CivilDate.pad(year, 4))-\(CivilDate.pad(month, 2))-\(CivilDate.pad(day, 2))"
        }
        return String(unsafeUninitializedCapacity: 10) { bytes in
            CivilDate.writeDigits(year, 4, into: bytes, at: 0)
            bytes[4] = UInt8(ascii: "-")
            CivilDate.writeDigits(month, 2, into: bytes, at: 5)
            bytes[7] = UInt8(ascii: "-")
            CivilDate.writeDigits(day, 2, into: bytes, at: 8)
            return 10
        }
    }

    /// Writes the `width` lowest decimal digits of `value` (not negative) at `offset`, zero-padded.
    static func writeDigits(_ value: Int, _ width: Int, into bytes: UnsafeMutableBufferPointer<UInt8>, at offset: Int) {
        var value = value
        for i in stride(from: offset + width - 1, through: offset, by: -1) {
            bytes[i] = UInt8(ascii: "0") + UInt8(value % 10)
            value /= 10
        }
    }

    /// Compact form used inside identity numbers, `20250301`.
    public var compact: String {
        "\(CivilDate.pad(year, 4))\(CivilDate.pad(month, 2))\(CivilDate.pad(day, 2))"
    }

    /// Parses `2025-03-01` or `20250301` (surrounding whitespace ignored) and validates the day.
    public init(parsing text: String) throws(CivilDateError) {
        // Stored dates are `YYYY-MM-DD` exactly: read those digits in place, with the same
        // validation, and leave everything else (whitespace, the compact form, errors) to the
        // general path below.
        if let (year, month, day) = text.withUTF8Bytes(CivilDate.exactISOFields) {
            try self.init(year: year, month: month, day: day)
            return
        }
        self = try CivilDate.parseGeneral(text)
    }

    /// A date in exactly the stored form `YYYY-MM-DD`, read from its UTF-8 bytes: nil when the
    /// bytes are in any other form (the caller then has ``init(parsing:)`` read them); throws
    /// when they are in this form but name no day (`2025-02-30`).
    ///
    /// For readers of stored rows: a member has three dates, and making a String of each only
    /// to parse it was a sixth of reading one.
    public init?(isoBytes bytes: UnsafeBufferPointer<UInt8>) throws(CivilDateError) {
        guard let (year, month, day) = CivilDate.exactISOFields(bytes) else { return nil }
        try self.init(year: year, month: month, day: day)
    }

    /// The general path of ``init(parsing:)``: trims, then reads either form.
    static func parseGeneral(_ text: String) throws(CivilDateError) -> CivilDate {
        let trimmed = text.trimmingWhitespace()
        let bytes = Array(trimmed.utf8)
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for index in range {
                let byte = bytes[index]
                guard byte >= 0x30, byte <= 0x39 else { return nil }
                value = value * 10 + Int(byte - 0x30)
            }
            return value
        }
        let parts: (Int?, Int?, Int?)
        if bytes.count == 10, bytes[4] == 0x2D, bytes[7] == 0x2D {
            parts = (number(0..<4), number(5..<7), number(8..<10))
        } else if bytes.count == 8 {
            parts = (number(0..<4), number(4..<6), number(6..<8))
        } else {
            throw .unparseable(text)
        }
        guard let year = parts.0, let month = parts.1, let day = parts.2 else {
            throw .unparseable(text)
        }
        return try CivilDate(year: year, month: month, day: day)
    }

    /// Year, month and day when `bytes` are exactly `YYYY-MM-DD` with ASCII digits (not yet
    /// validated as a day); nil for any other form.
    static func exactISOFields(_ bytes: UnsafeBufferPointer<UInt8>) -> (Int, Int, Int)? {
        guard bytes.count == 10, bytes[4] == 0x2D, bytes[7] == 0x2D else { return nil }
        var fields = (0, 0, 0)
        for index in 0..<10 where index != 4 && index != 7 {
            let digit = bytes[index] &- 0x30
            guard digit < 10 else { return nil }
            switch index {
            case 0..<4: fields.0 = fields.0 * 10 + Int(digit)
            case 5..<7: fields.1 = fields.1 * 10 + Int(digit)
            default: fields.2 = fields.2 * 10 + Int(digit)
            }
        }
        return fields
    }

    // Dates encode as ISO text so JSON reads naturally and SQL text columns sort correctly.
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        try self.init(parsing: text)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(iso)
    }
}

extension CivilDate: CustomStringConvertible, LosslessStringConvertible {
    /// ISO form, `2025-03-01`.
    public var description: String { iso }

    /// Parses `2025-03-01` or `20250301`.
    public init?(_ description: String) {
        guard let date = try? CivilDate(parsing: description) else { return nil }
        self = date
    }
}
