/// A reporting period: a calendar month, quarter or year. Quotas, ledger entries and
/// service hours are counted per period.
///
/// Text forms (`description`, `init(parsing:)`, Codable, and what the store keeps):
/// `2025` (year), `2025-Q2` (quarter), `2025-03` (month). Parsing also accepts a lower-case
/// `q` and `2025Q2`. Every value is valid by construction.
public struct Period: Sendable, Hashable, Comparable, Codable {
    /// The length of a period.
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        case month, quarter, year

        /// How many months a period of this kind spans.
        public var months: Int {
            switch self {
            case .month: return 1
            case .quarter: return 3
            case .year: return 12
            }
        }

        /// 月 / 季度 / 年.
        public var chineseName: String {
            switch self {
            case .month: return "月"
            case .quarter: return "季度"
            case .year: return "年"
            }
        }
    }

    public let kind: Kind
    /// Year, 1–9999.
    public let year: Int
    /// Month 1–12 for a month, quarter 1–4 for a quarter, 1 for a year.
    public let number: Int

    private init(unchecked kind: Kind, _ year: Int, _ number: Int) {
        self.kind = kind
        self.year = year
        self.number = number
    }

    /// A calendar month. Throws for a month outside 1–12 or a year outside 1–9999.
    public static func month(_ year: Int, _ month: Int) throws(PeriodError) -> Period {
        guard (1...9999).contains(year), (1...12).contains(month) else {
            throw .invalid("month \(month) of year \(year)")
        }
        return Period(unchecked: .month, year, month)
    }

    /// A calendar quarter (Q1 = January–March). Throws for a quarter outside 1–4.
    public static func quarter(_ year: Int, _ quarter: Int) throws(PeriodError) -> Period {
        guard (1...9999).contains(year), (1...4).contains(quarter) else {
            throw .invalid("quarter \(quarter) of year \(year)")
        }
        return Period(unchecked: .quarter, year, quarter)
    }

    /// A calendar year. Throws for a year outside 1–9999.
    public static func year(_ year: Int) throws(PeriodError) -> Period {
        guard (1...9999).contains(year) else { throw .invalid("year \(year)") }
        return Period(unchecked: .year, year, 1)
    }

    /// The period of `kind` that contains `date`.
    public static func containing(_ date: CivilDate, kind: Kind) -> Period {
        switch kind {
        case .month: return Period(unchecked: .month, date.year, date.month)
        case .quarter: return Period(unchecked: .quarter, date.year, (date.month - 1) / 3 + 1)
        case .year: return Period(unchecked: .year, date.year, 1)
        }
    }

    /// The first month (1–12) of the period.
    public var firstMonth: Int {
        switch kind {
        case .month: return number
        case .quarter: return (number - 1) * 3 + 1
        case .year: return 1
        }
    }

    /// The first day of the period.
    public var firstDay: CivilDate { CivilDate(unchecked: year, firstMonth, 1) }

    /// The last day of the period.
    public var lastDay: CivilDate {
        let lastMonth = firstMonth + kind.months - 1
        return CivilDate(unchecked: year, lastMonth, CivilDate.daysInMonth(year: year, month: lastMonth))
    }

    /// The number of days in the period.
    public var dayCount: Int { firstDay.days(until: lastDay) + 1 }

    /// True when `date` falls within the period (both ends inclusive).
    public func contains(_ date: CivilDate) -> Bool {
        date >= firstDay && date <= lastDay
    }

    /// True when `other` lies wholly within this period: `2025` contains `2025-Q2` and
    /// `2025-03`; a period contains itself.
    public func contains(_ other: Period) -> Bool {
        other.firstDay >= firstDay && other.lastDay <= lastDay
    }

    /// The following period of the same kind (`2025-12` → `2026-01`, `2025-Q4` → `2026-Q1`).
    /// Throws after the year 9999.
    public func next() throws(PeriodError) -> Period {
        try offset(by: 1)
    }

    /// The preceding period of the same kind. Throws before the year 1.
    public func previous() throws(PeriodError) -> Period {
        try offset(by: -1)
    }

    /// The period `count` periods of the same kind later (earlier if negative).
    public func offset(by count: Int) throws(PeriodError) -> Period {
        let perYear = 12 / kind.months
        let (index, overflow) = (year * perYear + (number - 1)).addingReportingOverflow(count)
        let newYear = index >= 0 ? index / perYear : (index - perYear + 1) / perYear
        guard !overflow, (1...9999).contains(newYear) else {
            throw .invalid("the period \(count) after \(self)")
        }
        return Period(unchecked: kind, newYear, index - newYear * perYear + 1)
    }

    /// The months making up this period, in order.
    public var months: [Period] {
        (0..<kind.months).map { Period(unchecked: .month, year, firstMonth + $0) }
    }

    /// Orders by first day, then by length (shorter first), so `2025-01` < `2025-Q1` < `2025`.
    public static func < (lhs: Period, rhs: Period) -> Bool {
        (lhs.firstDay, lhs.kind.months) < (rhs.firstDay, rhs.kind.months)
    }
}

extension Period: CustomStringConvertible, LosslessStringConvertible {
    /// `2025`, `2025-Q2` or `2025-03`.
    public var description: String {
        // Byte by byte for four-digit years: once per ledger row stored or recorded, where
        // interpolating padded parts cost 1,600 instructions. A small String: no allocation.
        if (0...9999).contains(year) {
            return String(unsafeUninitializedCapacity: 7) { bytes in
                CivilDate.writeDigits(year, 4, into: bytes, at: 0)
                switch kind {
                case .year:
                    return 4
                case .quarter:
                    bytes[4] = UInt8(ascii: "-")
                    bytes[5] = UInt8(ascii: "Q")
                    CivilDate.writeDigits(number, 1, into: bytes, at: 6)
                case .month:
                    bytes[4] = UInt8(ascii: "-")
                    CivilDate.writeDigits(number, 2, into: bytes, at: 5)
                }
                return 7
            }
        }
        let yearText = CivilDate.pad(year, 4)
        switch kind {
        case .year: return yearText
        case .quarter: return "\(yearText)-Q\(number)"
        case .month: return "\(yearText)-\(CivilDate.pad(number, 2))"
        }
    }

    /// Parses `2025`, `2025-Q2` (also `2025-q2`, `2025Q2`) or `2025-03`.
    public init?(_ description: String) {
        guard let period = try? Period(parsing: description) else { return nil }
        self = period
    }

    /// Parses `2025`, `2025-Q2` (also `2025-q2`, `2025Q2`) or `2025-03`.
    public init(parsing text: String) throws(PeriodError) {
        // Bytes, not Characters: every option table naming a period parses one (a subsidy
        // run, once per grant), and only ASCII digits, `-` and `Q` can make a period, so a
        // byte scan decides exactly as a Character scan would, without grapheme breaking.
        let characters = Array(text.trimmingWhitespace().utf8)
        func number(_ slice: ArraySlice<UInt8>) -> Int? {
            guard !slice.isEmpty, slice.count <= 9, slice.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
            return slice.reduce(0) { $0 * 10 + Int($1 - 0x30) }
        }
        guard characters.count >= 4, let year = number(characters[0..<4]) else {
            throw .unparseable(text)
        }
        var rest = characters[4...]
        if rest.isEmpty {
            self = try Period.year(year)
            return
        }
        if rest.first == UInt8(ascii: "-") { rest = rest.dropFirst() }
        if let first = rest.first, first == UInt8(ascii: "Q") || first == UInt8(ascii: "q") {
            guard rest.count == 2, let quarter = number(rest.dropFirst()) else { throw .unparseable(text) }
            self = try Period.quarter(year, quarter)
        } else if characters[4] == UInt8(ascii: "-"), rest.count == 2, let month = number(rest) {
            self = try Period.month(year, month)
        } else {
            throw .unparseable(text)
        }
    }

    // Periods encode as their text form: readable in JSON, a natural SQL key.
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        try self.init(parsing: text)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// Why a period could not be made or parsed.
public enum PeriodError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The text is not `YYYY`, `YYYY-Qn` or `YYYY-MM`.
    case unparseable(String)
    /// The parts are out of range (month 13, quarter 5, year 10000, …).
    case invalid(String)

    public var description: String {
        switch self {
        case .unparseable(let text):
            return "'\(text)' is not a period: expected a year (2025), a quarter (2025-Q2) or a month (2025-03)."
        case .invalid(let what):
            return "There is no \(what): months run 1–12, quarters 1–4, years 1–9999."
        }
    }
}
