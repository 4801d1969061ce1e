/// The kinds of facility the three offices run or fund. `rawValue` is the stable code used in
/// storage, CSV and scripts.
public enum FacilityKind: String, Sendable, Hashable, Codable, CaseIterable {
    case disabledPersonsHome = "disabled_persons_home"
    case shelteredCareCentre = "sheltered_care_centre"
    case childRehabCentre = "child_rehab_centre"
    case assistiveDeviceCentre = "assistive_device_centre"
    case starWorkshop = "star_workshop"
    case workerServiceCentre = "worker_service_centre"
    case areaServiceStation = "area_service_station"
    case homeCareStation = "home_care_station"
    case mealPoint = "meal_point"
    case elderlyCareInstitution = "elderly_care_institution"

    /// The stable code, e.g. `disabled_persons_home`.
    public var code: String { rawValue }

    /// 残疾人之家, 庇护托养中心, …
    public var chineseName: String {
        switch self {
        case .disabledPersonsHome: return "残疾人之家"
        case .shelteredCareCentre: return "庇护托养中心"
        case .childRehabCentre: return "康复培训中心"
        case .assistiveDeviceCentre: return "康复辅具服务中心"
        case .starWorkshop: return "星工坊"
        case .workerServiceCentre: return "职工服务中心"
        case .areaServiceStation: return "片区服务站"
        case .homeCareStation: return "居家养老服务站"
        case .mealPoint: return "助餐点"
        case .elderlyCareInstitution: return "养老机构"
        }
    }

    /// Home for disabled persons, sheltered care centre, …
    public var englishName: String {
        switch self {
        case .disabledPersonsHome: return "Home for disabled persons"
        case .shelteredCareCentre: return "Sheltered care centre"
        case .childRehabCentre: return "Children's rehabilitation centre"
        case .assistiveDeviceCentre: return "Assistive-device service centre"
        case .starWorkshop: return "Star workshop"
        case .workerServiceCentre: return "Worker service centre"
        case .areaServiceStation: return "Area service station"
        case .homeCareStation: return "Home-care service station"
        case .mealPoint: return "Meal point"
        case .elderlyCareInstitution: return "Elderly care institution"
        }
    }

    /// The office responsible for facilities of this kind.
    public var office: Office {
        switch self {
        case .disabledPersonsHome, .shelteredCareCentre, .childRehabCentre, .assistiveDeviceCentre, .starWorkshop:
            return .disabilityFederation
        case .workerServiceCentre, .areaServiceStation:
            return .tradeUnion
        case .homeCareStation, .mealPoint, .elderlyCareInstitution:
            return .civilAffairs
        }
    }

    /// Reads the code (`meal_point`) or the Chinese name (`助餐点`).
    public init?(text: String) {
        let trimmed = text.trimmingWhitespace()
        if let match = Self(rawValue: trimmed.lowercased()) { self = match; return }
        guard let match = Self.allCases.first(where: { $0.chineseName == trimmed }) else { return nil }
        self = match
    }
}
