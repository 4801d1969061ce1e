import StewardCore

/// The facility fields scripts may order or group by; a fixed list, as for members.
public enum FacilityField: String, Sendable, Hashable, CaseIterable {
    case code, name, kind, town, capacity, occupancy
    case starRating = "star_rating"
    case freePlaces = "free_places"
    /// Occupancy in basis points of capacity (8,000 = 80 %), integer so ordering is exact.
    case occupancyRate = "occupancy_rate"
    case nursingBeds = "nursing_beds"

    var sql: String {
        switch self {
        case .code: "f.code"
        case .name: "f.name"
        case .kind: "f.kind"
        case .town: "t.code"
        case .capacity: "f.capacity"
        case .occupancy: "f.occupancy"
        case .starRating: "f.star_rating"
        case .freePlaces: "(f.capacity - f.occupancy)"
        case .occupancyRate: "(CASE WHEN f.capacity > 0 THEN f.occupancy * 10000 / f.capacity END)"
        case .nursingBeds: "f.nursing_beds"
        }
    }

    var labelSQL: String { self == .town ? "t.name" : sql }
}

/// Which facilities a script means; compiled to parameterised SQL like ``MemberQuery``.
public struct FacilityQuery: Sendable, Hashable {
    /// The acting user's scope, set by the host.
    public var scopePlaceCode: String?
    public var placeCodes: [String] = []
    public var kinds: [FacilityKind] = []
    public var codes: [String]?
    public var starRatings: ClosedRange<Int>?
    /// Holding this certification (e.g. `ISO 9001:2015`).
    public var certification: String?
    /// True: with at least one free place.
    public var hasFreePlaces: Bool?
    /// Occupancy below this percentage of capacity (the 80 % target).
    public var occupancyBelowPercent: Int?
    /// No passed inspection of this kind on or after this date.
    public var inspectionOverdue: (kind: InspectionKind, since: CivilDate)? {
        get { overdueKind.map { ($0, overdueSince ?? CivilDate.earliest) } }
        set {
            overdueKind = newValue?.kind
            overdueSince = newValue?.since
        }
    }
    var overdueKind: InspectionKind?
    var overdueSince: CivilDate?
    public var order: [FacilityOrder] = []
    public var limit: Int?

    public init() {}
}

/// One sort key of a ``FacilityQuery``.
public struct FacilityOrder: Sendable, Hashable {
    public var field: FacilityField
    public var descending: Bool

    public init(_ field: FacilityField, descending: Bool = false) {
        self.field = field
        self.descending = descending
    }
}
