import StewardCore

/// Which members a script means, as a value: filters, order and limit, compiled to one
/// parameterised SQL statement (see `MemberQuery+SQL.swift`). Every filter narrows; an empty
/// query means every member in scope.
public struct MemberQuery: Sendable, Hashable {
    /// The place the acting user may see (a town or the district): set by the host, never by
    /// a script, and applied whatever else the query says.
    public var scopePlaceCode: String?
    /// Members in any of these places (district, town or community codes).
    public var placeCodes: [String] = []
    /// Members carrying every one of these tags.
    public var tags: [String] = []
    /// Only these member ids.
    public var ids: [MemberID]?
    public var sex: Sex?
    /// True: holders of a disability certificate only; false: members without one.
    public var hasDisabilityCertificate: Bool?
    public var disabilityCategories: [DisabilityCategory] = []
    /// Grades in this range (1 = most severe).
    public var disabilityGrades: ClosedRange<Int>?
    /// Certificates whose last valid day is in this range.
    public var certificateExpiring: ClosedRange<CivilDate>?
    public var hasUnionCard: Bool?
    /// True: model workers at any level; false: union members who are not.
    public var modelWorker: Bool?
    /// True: any new-form worker; use `newFormWorkerKinds` for particular kinds.
    public var newFormWorker: Bool?
    public var newFormWorkerKinds: [NewFormWorkerKind] = []
    /// Birth dates in this range (ages are turned into birth-date ranges: see
    /// ``requireAge(atLeast:atMost:on:)``).
    public var bornBetween: ClosedRange<CivilDate>?
    public var minimumLivingAllowance: Bool?
    public var extremeHardship: Bool?
    public var registeredPoor: Bool?
    /// True: any of the three household hardship flags.
    public var inHardship: Bool?
    /// On the elderly register (civil affairs).
    public var elderly: Bool?
    public var emptyNest: Bool?
    public var livingAlone: Bool?
    public var dependent: Bool?
    /// A student in hardship with a scholarship application.
    public var student: Bool?
    public var rehabChild: Bool?
    /// Sort keys, first first; `id` is always appended last so the order is total and stable.
    public var order: [MemberOrder] = []
    public var limit: Int?

    public init() {}

    /// Narrows to members aged at least/at most the given ages on `date`, by turning the ages
    /// into a birth-date range (indexed) with the same rule as `CivilDate.age(on:)`.
    public mutating func requireAge(atLeast minimum: Int? = nil, atMost maximum: Int? = nil, on date: CivilDate) {
        var range = bornBetween ?? CivilDate.earliest...CivilDate.latest
        if let minimum {
            // Latest birth date whose age on `date` is >= minimum.
            let latest = Self.latestBirthDate(forAge: minimum, on: date)
            range = range.lowerBound...min(range.upperBound, latest)
        }
        if let maximum {
            // Earliest birth date whose age is <= maximum: the day after the latest birth
            // date giving age maximum + 1.
            let tooOld = Self.latestBirthDate(forAge: maximum + 1, on: date)
            let earliest = (try? tooOld.adding(days: 1)) ?? CivilDate.earliest
            range = max(range.lowerBound, earliest)...range.upperBound
        }
        if range.lowerBound > range.upperBound {
            bornBetween = CivilDate.latest...CivilDate.latest
            ids = []
        } else {
            bornBetween = range
        }
    }

    static func latestBirthDate(forAge age: Int, on date: CivilDate) -> CivilDate {
        guard var candidate = try? date.adding(years: -age) else { return CivilDate.earliest }
        // adding(years:) clamps 29 February; walk to the exact boundary of age(on:).
        while candidate.age(on: date) < age, let earlier = try? candidate.adding(days: -1) { candidate = earlier }
        while let later = try? candidate.adding(days: 1), later.age(on: date) >= age { candidate = later }
        return candidate
    }
}

/// One sort key of a ``MemberQuery``.
public struct MemberOrder: Sendable, Hashable {
    public var field: MemberField
    public var descending: Bool

    public init(_ field: MemberField, descending: Bool = false) {
        self.field = field
        self.descending = descending
    }
}
