import Foundation

/// A member taking part in a programme, optionally at a facility (a place at the sheltered
/// care centre, a child in the rehabilitation centre, an 80-year-old in home visits).
public struct Enrolment: Sendable, Hashable, Codable, Identifiable {
    /// Assigned by the store.
    public var id: Int64
    public var memberID: MemberID
    public var programmeCode: String
    /// The facility whose place it takes, if any: counts against its capacity.
    public var facilityCode: String?
    public var startDate: CivilDate
    /// Last day (inclusive); nil while ongoing.
    public var endDate: CivilDate?
    public var runID: Int64?
    public var createdAt: Date

    public init(id: Int64, memberID: MemberID, programmeCode: String, facilityCode: String? = nil,
                startDate: CivilDate, endDate: CivilDate? = nil, runID: Int64? = nil, createdAt: Date) {
        self.id = id
        self.memberID = memberID
        self.programmeCode = programmeCode
        self.facilityCode = facilityCode
        self.startDate = startDate
        self.endDate = endDate
        self.runID = runID
        self.createdAt = createdAt
    }

    /// True on days from start to end inclusive.
    public func isActive(on date: CivilDate) -> Bool {
        date >= startDate && (endDate.map { date <= $0 } ?? true)
    }
}

extension Enrolment: Validatable {
    public func validationErrors() -> [ValidationError] {
        var errors = Check.code(programmeCode, record: "enrolment", field: "programme_code")
        if let facilityCode { errors += Check.code(facilityCode, record: "enrolment", field: "facility_code") }
        if let endDate, endDate < startDate {
            errors.append(Check.error("enrolment", "end_date",
                "The enrolment ends (\(endDate)) before it starts (\(startDate))."))
        }
        return errors
    }
}
