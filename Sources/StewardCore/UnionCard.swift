/// The level at which a worker was honoured as a model worker (劳动模范) or craftsman (工匠).
public enum ModelWorkerLevel: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case none, district, city, provincial, national

    /// 无 / 区级劳模 / 市级劳模 / 省级劳模 / 全国劳模.
    public var chineseName: String {
        switch self {
        case .none: return "无"
        case .district: return "区级劳模"
        case .city: return "市级劳模"
        case .provincial: return "省级劳模"
        case .national: return "全国劳模"
        }
    }

    public static func < (lhs: ModelWorkerLevel, rhs: ModelWorkerLevel) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// New forms of employment (新就业形态) the union federation focuses on.
public enum NewFormWorkerKind: String, Sendable, Hashable, Codable, CaseIterable {
    case deliveryRider = "delivery_rider"
    case courier
    case rideHailingDriver = "ride_hailing_driver"
    case truckDriver = "truck_driver"
    case domesticWorker = "domestic_worker"
    case other

    /// 外卖骑手 / 快递员 / 网约车司机 / 货车司机 / 家政服务员 / 其他.
    public var chineseName: String {
        switch self {
        case .deliveryRider: return "外卖骑手"
        case .courier: return "快递员"
        case .rideHailingDriver: return "网约车司机"
        case .truckDriver: return "货车司机"
        case .domesticWorker: return "家政服务员"
        case .other: return "其他"
        }
    }
}

/// A union service card (工会服务卡). Premium refunds and benefits are paid onto it.
public struct UnionCard: Sendable, Hashable, Codable {
    public var cardNumber: String
    public var issued: CivilDate
    public var modelWorker: ModelWorkerLevel
    /// Set for new-form workers (delivery riders, couriers, …); nil for others.
    public var newFormWorker: NewFormWorkerKind?

    public init(cardNumber: String, issued: CivilDate, modelWorker: ModelWorkerLevel = .none,
                newFormWorker: NewFormWorkerKind? = nil) {
        self.cardNumber = cardNumber
        self.issued = issued
        self.modelWorker = modelWorker
        self.newFormWorker = newFormWorker
    }

    /// True for a model worker or craftsman at any level.
    public var isModelWorker: Bool { modelWorker != .none }
}

extension UnionCard: Validatable {
    public func validationErrors() -> [ValidationError] {
        Check.name(cardNumber, record: "union card", field: "card_number")
    }
}
