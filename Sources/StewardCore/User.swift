/// What a user may do, from least to most.
public enum UserRole: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    /// Reads and runs dry runs.
    case viewer
    /// Also commits runs, imports records and edits scripts.
    case `operator`
    /// Also approves (or rejects) other people's script versions and large change sets, and
    /// reads the audit trail.
    case approver
    /// Also manages users and settings.
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

/// Actions gated by role. Scope (district or one town) and maker ≠ checker narrow them
/// further; see `FourEyes` and the README's "Who can do what".
public enum UserAction: String, Sendable, Hashable, Codable, CaseIterable {
    case read
    case dryRun = "dry_run"
    case commit
    /// `steward import ... --commit`.
    case importRecords = "import"
    case editScript = "edit_script"
    case approveScript = "approve_script"
    /// Approving or rejecting a change set held for a second approver.
    case approveRun = "approve_run"
    /// `steward audit`.
    case readAudit = "read_audit"
    case manageUsers = "manage_users"
    case manageSettings = "manage_settings"

    /// The least role that may perform the action.
    public var minimumRole: UserRole {
        switch self {
        case .read, .dryRun: return .viewer
        case .commit, .importRecords, .editScript: return .operator
        case .approveScript, .approveRun, .readAudit: return .approver
        case .manageUsers, .manageSettings: return .admin
        }
    }

    /// What the action is, for refusals: "commit runs".
    public var phrase: String {
        switch self {
        case .read: return "read records"
        case .dryRun: return "dry-run scripts"
        case .commit: return "commit runs"
        case .importRecords: return "import records"
        case .editScript: return "edit stored scripts"
        case .approveScript: return "approve script versions"
        case .approveRun: return "approve or reject change sets"
        case .readAudit: return "read the audit trail"
        case .manageUsers: return "manage users"
        case .manageSettings: return "change settings"
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
    /// Names are what people call each other (`王芳`, `wang.li`): 1–64 characters, no
    /// whitespace or control characters, so a name prints and parses as one word.
    public func validationErrors() -> [ValidationError] {
        var errors = Check.code(scopePlaceCode, record: "user", field: "scope_place_code")
        let clean = name.unicodeScalars.allSatisfy { scalar in
            !scalar.properties.isWhitespace && scalar.properties.generalCategory != .control
                && scalar.properties.generalCategory != .format && scalar.properties.generalCategory != .unassigned
        }
        if name.isEmpty || name.count > 64 || !clean {
            errors.append(Check.error("user", "name",
                "The user name '\(name)' must be 1–64 characters without spaces or control characters."))
        }
        return errors
    }
}
