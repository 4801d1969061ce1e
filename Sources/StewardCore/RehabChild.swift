/// A child aged 0–14 in a rehabilitation training programme.
public struct RehabChild: Sendable, Hashable, Codable {
    /// The rehabilitation centre's facility code.
    public var centreCode: String
    public var programmeStart: CivilDate

    public init(centreCode: String, programmeStart: CivilDate) {
        self.centreCode = centreCode
        self.programmeStart = programmeStart
    }
}

extension RehabChild: Validatable {
    public func validationErrors() -> [ValidationError] {
        Check.code(centreCode, record: "rehabilitation child", field: "centre_code")
    }
}
