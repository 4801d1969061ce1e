/// Civil affairs' record of an elderly resident's situation.
public struct ElderlyStatus: Sendable, Hashable, Codable {
    /// 空巢: children live elsewhere.
    public var emptyNest: Bool
    /// 独居: lives alone.
    public var livingAlone: Bool
    /// 失能: unable to look after themselves (assessed; reassessed periodically).
    public var dependent: Bool
    /// Home-visit service hours granted per quarter; unused hours lapse at quarter end.
    public var homeVisitHoursPerQuarter: Int

    public init(emptyNest: Bool = false, livingAlone: Bool = false, dependent: Bool = false,
                homeVisitHoursPerQuarter: Int = 0) {
        self.emptyNest = emptyNest
        self.livingAlone = livingAlone
        self.dependent = dependent
        self.homeVisitHoursPerQuarter = homeVisitHoursPerQuarter
    }
}

extension ElderlyStatus: Validatable {
    public func validationErrors() -> [ValidationError] {
        Check.nonNegative(homeVisitHoursPerQuarter, record: "elderly status", field: "home_visit_hours_per_quarter")
    }
}
