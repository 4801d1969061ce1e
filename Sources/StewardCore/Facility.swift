/// A home, centre, station or institution run or funded by one of the offices.
public struct Facility: Sendable, Hashable, Codable, Identifiable {
    /// Stable key, e.g. `jt-dph-01`.
    public var code: String
    /// Chinese name, `金城镇残疾人之家`.
    public var name: String
    public var kind: FacilityKind
    /// The place (town or community) where it stands.
    public var placeCode: String
    /// Places (beds, seats, slots). Enrolments never take occupancy above it.
    public var capacity: Int
    /// Currently enrolled or resident.
    public var occupancy: Int
    /// 1–3 stars where the facility is rated (homes for disabled persons); nil otherwise.
    public var starRating: Int?
    /// E.g. `ISO 9001:2015`.
    public var certifications: Set<String>
    /// Nursing-type beds (护理型床位), for elderly care institutions; nil elsewhere.
    public var nursingBeds: Int?
    /// Inspections in any order; see `latestInspection(of:)`.
    public var inspections: [Inspection]

    public var id: String { code }

    public init(code: String, name: String, kind: FacilityKind, placeCode: String, capacity: Int,
                occupancy: Int = 0, starRating: Int? = nil, certifications: Set<String> = [],
                nursingBeds: Int? = nil, inspections: [Inspection] = []) {
        self.code = code
        self.name = name
        self.kind = kind
        self.placeCode = placeCode
        self.capacity = capacity
        self.occupancy = occupancy
        self.starRating = starRating
        self.certifications = certifications
        self.nursingBeds = nursingBeds
        self.inspections = inspections
    }

    /// Places still free; never negative.
    public var freePlaces: Int { max(0, capacity - occupancy) }

    /// True when occupancy ≥ `percent` % of capacity, computed in integers (no rounding):
    /// the sheltered care centre's target is 80 %. A facility without capacity never meets it.
    public func meetsOccupancyTarget(percent: Int) -> Bool {
        capacity > 0 && occupancy * 100 >= capacity * percent
    }

    /// True when nursing-type beds are ≥ `percent` % of capacity (elderly care institutions
    /// must reach 80 %). False when the facility records no nursing beds.
    public func meetsNursingBedRatio(percent: Int) -> Bool {
        guard let nursingBeds, capacity > 0 else { return false }
        return nursingBeds * 100 >= capacity * percent
    }

    /// The most recent inspection of `kind`, if any.
    public func latestInspection(of kind: InspectionKind) -> Inspection? {
        inspections.filter { $0.kind == kind }.max { $0.date < $1.date }
    }

    /// True when no *passed* inspection of `kind` falls within the `months` months up to
    /// `date`: fire safety is overdue after 12 months. A failed inspection does not reset the
    /// clock, because the facility still needs a passing one.
    public func isInspectionOverdue(_ kind: InspectionKind, on date: CivilDate, everyMonths months: Int) -> Bool {
        guard let lastPassed = inspections.filter({ $0.kind == kind && $0.passed }).map(\.date).max() else {
            return true
        }
        guard let due = try? lastPassed.adding(months: months) else { return false }
        return date > due
    }
}

extension Facility: Validatable {
    public func validationErrors() -> [ValidationError] {
        var errors = Check.code(code, record: "facility") + Check.name(name, record: "facility")
        errors += Check.code(placeCode, record: "facility", field: "place_code")
        errors += Check.nonNegative(capacity, record: "facility", field: "capacity")
        errors += Check.nonNegative(occupancy, record: "facility", field: "occupancy")
        if occupancy > capacity, capacity >= 0 {
            errors.append(Check.error("facility", "occupancy",
                "The facility '\(code)' has occupancy \(occupancy) above its capacity \(capacity)."))
        }
        if let starRating, !(1...3).contains(starRating) {
            errors.append(Check.error("facility", "star_rating",
                "The facility '\(code)' has star rating \(starRating); it must be 1 to 3."))
        }
        if let nursingBeds {
            errors += Check.nonNegative(nursingBeds, record: "facility", field: "nursing_beds")
            if nursingBeds > capacity {
                errors.append(Check.error("facility", "nursing_beds",
                    "The facility '\(code)' has \(nursingBeds) nursing beds, more than its capacity \(capacity)."))
            }
        }
        return errors
    }
}
