/// The level of an administrative place.
public enum PlaceKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// 区: a city district (Jintan 金坛区). The top of the hierarchy Steward serves.
    case district
    /// 镇: a town.
    case town
    /// 街道: a sub-district (urban counterpart of a town).
    case subdistrict
    /// 社区: an urban community.
    case community
    /// 村: a village.
    case village

    /// 区 / 镇 / 街道 / 社区 / 村.
    public var chineseName: String {
        switch self {
        case .district: return "区"
        case .town: return "镇"
        case .subdistrict: return "街道"
        case .community: return "社区"
        case .village: return "村"
        }
    }

    /// 0 for a district, 1 for a town or sub-district, 2 for a community or village.
    public var level: Int {
        switch self {
        case .district: return 0
        case .town, .subdistrict: return 1
        case .community, .village: return 2
        }
    }

    /// True when a place of this kind may sit directly under a place of `parent` kind.
    public func canBeChild(of parent: PlaceKind) -> Bool {
        parent.level + 1 == level
    }
}

/// A district, town, sub-district, community or village. Every member and facility belongs
/// to one place; every user is scoped to one (a district or a town).
public struct Place: Sendable, Hashable, Codable, Identifiable {
    /// Stable key, typically the statistical division code (`320482100` for 金城镇).
    public var code: String
    /// Chinese name, `金城镇`.
    public var name: String
    public var kind: PlaceKind
    /// The enclosing place's code; nil only for a district.
    public var parentCode: String?

    public var id: String { code }

    public init(code: String, name: String, kind: PlaceKind, parentCode: String?) {
        self.code = code
        self.name = name
        self.kind = kind
        self.parentCode = parentCode
    }
}

extension Place: Validatable {
    public func validationErrors() -> [ValidationError] {
        var errors = Check.code(code, record: "place") + Check.name(name, record: "place")
        if kind == .district, let parentCode {
            errors.append(Check.error("place", "parent_code",
                "The district '\(code)' cannot have a parent place ('\(parentCode)')."))
        }
        if kind != .district, parentCode == nil {
            errors.append(Check.error("place", "parent_code",
                "The \(kind.rawValue) '\(code)' needs a parent place."))
        }
        return errors
    }
}
