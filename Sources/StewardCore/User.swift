/// What a user may do, from least to most.
public enum UserRole: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    /// Reads and runs dry runs.
    case viewer
    /// Also commits runs and edits scripts.
    case `operator`
    /// Also approves other people's script versions for scheduled running.
    case approver
    /// Also manages users.
    case admin

    /// 查看员 / 经办员 / 审核员 / 管理员.
    public var chineseName: String {
        switch self {
        case .viewer: return "查看员"
        case .operator: return "经办员"
        case .approver: return "审核员"
        case .admin: return "管理员"
        }
    }

    public static func < (lhs: UserRole, rhs: UserRole) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }

    /// True when this role includes `action`. Roles are cumulative: each one may do what the
    /// ones below it may.
    public func allows(_ action: UserAction) -> Bool {
        self >= action.minimumRole
    }
}

/// Actions gated by role.
public enum UserAction: String, Sendable, Hashable, Codable, CaseIterable {
    case read
    case dryRun = "dry_run"
    case commit
    case editScript = "edit_script"
    case approveScript = "approve_script"
    case manageUsers = "manage_users"

    /// The least role that may perform the action.
    public var minimumRole: UserRole {
        switch self {
        case .read, .dryRun: return .viewer
        case .commit, .editScript: return .operator
        case .approveScript: return .approver
        case .manageUsers: return .admin
        }
    }
}

/// A person who uses Steward. Every run acts as a user; every query is filtered to the
/// user's scope.
public struct User: Sendable, Hashable, Codable, Identifiable {
    /// Login name, unique: `wang.li`.
    public var name: String
    public var role: UserRole
    /// The place the user works for: the district, or one town.
    public var scopePlaceCode: String
    /// A disabled user can do nothing; kept rather than deleted for the audit trail.
    public var disabled: Bool
    /// May see identity and phone numbers unmasked.
    public var canUnmask: Bool

    public var id: String { name }

    public init(name: String, role: UserRole, scopePlaceCode: String, disabled: Bool = false, canUnmask: Bool = false) {
        self.name = name
        self.role = role
        self.scopePlaceCode = scopePlaceCode
        self.disabled = disabled
        self.canUnmask = canUnmask
    }

    /// True when the user is enabled and the role allows `action`.
    public func may(_ action: UserAction) -> Bool {
        !disabled && role.allows(action)
    }
}

extension User: Validatable {
    public func validationErrors() -> [ValidationError] {
        Check.code(name, record: "user", field: "name")
            + Check.code(scopePlaceCode, record: "user", field: "scope_place_code")
    }
}
