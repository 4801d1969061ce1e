/// Identifies one quota: a programme's limit for a period, in one place or district-wide.
public struct QuotaKey: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    public var programmeCode: String
    public var period: Period
    /// A place code, or nil for the whole district.
    public var placeCode: String?

    public init(programmeCode: String, period: Period, placeCode: String? = nil) {
        self.programmeCode = programmeCode
        self.period = period
        self.placeCode = placeCode
    }

    /// True when a booking for `programme`, `period` and `place` counts against this quota:
    /// same programme, this quota's period contains the booking's period (a yearly quota
    /// counts monthly bookings), and either this quota is district-wide or it is for the
    /// booking's place.
    public func covers(programmeCode: String, period: Period, placeCode: String?) -> Bool {
        self.programmeCode == programmeCode && self.period.contains(period)
            && (self.placeCode == nil || self.placeCode == placeCode)
    }

    public static func < (lhs: QuotaKey, rhs: QuotaKey) -> Bool {
        (lhs.programmeCode, lhs.period, lhs.placeCode ?? "") < (rhs.programmeCode, rhs.period, rhs.placeCode ?? "")
    }

    /// `'free-health-check' 2025 in 320482100` or `'free-health-check' 2025 (whole district)`.
    public var description: String {
        "'\(programmeCode)' \(period) " + (placeCode.map { "in \($0)" } ?? "(whole district)")
    }
}

/// A programme's limit for one period and place: 20,000 health checks in 2025 district-wide,
/// 1,834 of them for 金城镇.
public struct Quota: Sendable, Hashable, Codable {
    public var programmeCode: String
    public var period: Period
    /// A place code, or nil for the whole district.
    public var placeCode: String?
    /// The most bookings allowed.
    public var limit: Int
    /// Hard: a booking beyond the limit refuses the run. Soft: it is allowed with a warning.
    public var hard: Bool

    public init(programmeCode: String, period: Period, placeCode: String? = nil, limit: Int, hard: Bool) {
        self.programmeCode = programmeCode
        self.period = period
        self.placeCode = placeCode
        self.limit = limit
        self.hard = hard
    }

    public var key: QuotaKey {
        QuotaKey(programmeCode: programmeCode, period: period, placeCode: placeCode)
    }
}

extension Quota: Validatable {
    public func validationErrors() -> [ValidationError] {
        var errors = Check.code(programmeCode, record: "quota", field: "programme_code")
        if let placeCode { errors += Check.code(placeCode, record: "quota", field: "place_code") }
        errors += Check.nonNegative(limit, record: "quota", field: "limit")
        return errors
    }
}
