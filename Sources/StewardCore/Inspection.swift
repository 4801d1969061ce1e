/// What an inspection checked.
public enum InspectionKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// 消防安全: yearly.
    case fireSafety = "fire_safety"
    /// 食品安全: meal points and care institutions.
    case foodSafety = "food_safety"
    /// 建筑安全.
    case buildingSafety = "building_safety"
    /// 服务质量: star-rating reviews and service audits.
    case serviceQuality = "service_quality"
    /// 无障碍: accessibility.
    case accessibility
    case other

    /// 消防安全 / 食品安全 / 建筑安全 / 服务质量 / 无障碍 / 其他.
    public var chineseName: String {
        switch self {
        case .fireSafety: return "消防安全"
        case .foodSafety: return "食品安全"
        case .buildingSafety: return "建筑安全"
        case .serviceQuality: return "服务质量"
        case .accessibility: return "无障碍"
        case .other: return "其他"
        }
    }
}

/// A dated inspection of a facility and its outcome.
public struct Inspection: Sendable, Hashable, Codable {
    public var kind: InspectionKind
    public var date: CivilDate
    public var passed: Bool
    /// Findings, in the inspector's words; may be empty.
    public var note: String

    public init(kind: InspectionKind, date: CivilDate, passed: Bool, note: String = "") {
        self.kind = kind
        self.date = date
        self.passed = passed
        self.note = note
    }
}
