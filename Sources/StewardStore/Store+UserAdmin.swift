import Foundation
import GRDB
import StewardCore

/// A user change that cannot be made as asked: an unknown role, a place that is not a
/// district or town, a name already taken. Nothing was changed.
public struct UserAdminError: Error, Sendable, Hashable, CustomStringConvertible {
    public let message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}

/// What `steward users set` changes; nil fields stay as they are.
public struct UserChange: Sendable, Hashable {
    public var role: UserRole?
    /// A place code (resolve names with ``StoreSnapshot/scopePlace(_:)`` first).
    public var scopePlaceCode: String?
    public var canUnmask: Bool?
    /// `.some(nil)` removes the account mapping.
    public var osAccount: String??

    public init(role: UserRole? = nil, scopePlaceCode: String? = nil, canUnmask: Bool? = nil, osAccount: String?? = nil) {
        self.role = role
        self.scopePlaceCode = scopePlaceCode
        self.canUnmask = canUnmask
        self.osAccount = osAccount
    }

    public var isEmpty: Bool { role == nil && scopePlaceCode == nil && canUnmask == nil && osAccount == nil }
}

extension UserRole {
    /// A role as people type it: `operator`, or its Chinese name `经办员`.
    public init(parsing text: String) throws(UserAdminError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let role = UserRole(rawValue: trimmed.lowercased()) ?? UserRole.allCases.first(where: { $0.chineseName == trimmed })
        else {
            throw UserAdminError("unknown role '\(text)' (roles: \(UserRole.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        self = role
    }
}

extension StoreSnapshot {
    /// The place a user may be scoped to, given by code or Chinese name (`儒林镇`): the district
    /// or one town or sub-district.
    public func scopePlace(_ text: String) throws -> Place {
        let directory = try placeDirectory()
        let matches = directory[text].map { [$0] } ?? directory.places.values.filter { $0.name == text }.sorted { $0.code < $1.code }
        guard let place = matches.first else {
            throw UserAdminError("'\(text)' is not a place in this district (give a town's code or name, e.g. "
                + "\(directory.places.values.filter { $0.kind.level == 1 }.map(\.name).sorted().prefix(3).joined(separator: ", ")))")
        }
        guard matches.count == 1 else {
            throw UserAdminError("'\(text)' names \(matches.count) places (\(matches.map(\.code).joined(separator: ", "))); give the code")
        }
        guard place.kind.level <= 1 else {
            throw UserAdminError("\(place.name) (\(place.code)) is a \(place.kind.rawValue): a user's scope is the district or one town")
        }
        return place
    }

    /// Operating-system accounts by user name (users without one are absent).
    public func userAccounts() throws -> [String: String] {
        var out: [String: String] = [:]
        for row in try Row.fetchAll(db.cachedStatement(sql: "SELECT name, os_account FROM users WHERE os_account IS NOT NULL")) {
            out[row["name"]] = row["os_account"]
        }
        return out
    }
}

extension Store {
    /// Adds a user as `admin` (`steward users add`): admins only, inside the admin's own
    /// scope; granting unmask needs an admin who holds it. Audited.
    public func addUser(_ user: User, osAccount: String?, by admin: User, actingAdmin: String? = nil,
                        at now: Date = Date()) throws {
        try writeImmediate { db in
            let rules = try UserAdminRules(admin: admin, db)
            if let problem = user.validationErrors().first { throw UserAdminError(problem.message) }
            if try UserWriter.id(user.name, db) != nil { throw UserAdminError("a user named '\(user.name)' already exists") }
            try rules.checkScope(user.scopePlaceCode, for: user.name)
            if user.canUnmask { try rules.checkGrantsUnmask() }
            if let osAccount { try UserAdminRules.checkAccountFree(osAccount, for: user.name, db) }
            try UserWriter.insert(user, osAccount: osAccount, at: now, db)
            var details = ["role": user.role.rawValue, "scope": user.scopePlaceCode, "unmask": String(user.canUnmask)]
            if let osAccount { details["account"] = osAccount }
            if user.disabled { details["disabled"] = "true" }
            try rules.audit("user.add", user.name, details, actingAdmin: actingAdmin, at: now)
        }
    }

    /// Changes a user's role, scope, unmask grant or account, as `admin`: the user must be
    /// inside the admin's scope before and after; the last enabled district admin keeps that.
    /// Audited with what changed. Returns the user as changed.
    @discardableResult
    public func updateUser(_ name: String, _ change: UserChange, by admin: User, actingAdmin: String? = nil,
                           at now: Date = Date()) throws -> User {
        try writeImmediate { db in
            let rules = try UserAdminRules(admin: admin, db)
            let snapshot = StoreSnapshot(db: db)
            guard var user = try snapshot.user(named: name) else { throw UserAdminError("no Steward user named '\(name)'") }
            guard !change.isEmpty else { throw UserAdminError("nothing to change: give --role, --scope, --unmask/--no-unmask or --account") }
            try rules.checkScope(user.scopePlaceCode, for: name)
            var details: [String: String] = [:]
            let before = user
            if let role = change.role, role != user.role {
                user.role = role
                details["role"] = "\(before.role.rawValue) → \(role.rawValue)"
            }
            if let scope = change.scopePlaceCode, scope != user.scopePlaceCode {
                try rules.checkScope(scope, for: name)
                user.scopePlaceCode = scope
                details["scope"] = "\(before.scopePlaceCode) → \(scope)"
            }
            if let unmask = change.canUnmask, unmask != user.canUnmask {
                if unmask { try rules.checkGrantsUnmask() }
                user.canUnmask = unmask
                details["unmask"] = "\(before.canUnmask) → \(unmask)"
            }
            let accounts = try snapshot.userAccounts()
            if let account = change.osAccount, account != accounts[name] {
                if let account { try UserAdminRules.checkAccountFree(account, for: name, db) }
                details["account"] = "\(accounts[name] ?? "none") → \(account ?? "none")"
            }
            guard !details.isEmpty else { return user }
            guard let scopeID = try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM places WHERE code = ?"),
                                                   arguments: [user.scopePlaceCode])
            else { throw UserAdminError("'\(user.scopePlaceCode)' is not a place in this district") }
            let account: String? = change.osAccount ?? accounts[name]
            try db.cachedStatement(sql: """
                UPDATE users SET role = ?, scope_place_id = ?, can_unmask = ?, os_account = ? WHERE name = ?
                """)
                .execute(arguments: [user.role.rawValue, scopeID, user.canUnmask, account, name])
            try rules.checkDistrictAdminRemains(changing: name)
            try rules.audit("user.update", name, details, actingAdmin: actingAdmin, at: now)
            return user
        }
    }

    /// Disables (or enables again) a user, as `admin`. A disabled user can do nothing and is
    /// kept for the audit trail. Admins cannot disable themselves, and the last enabled
    /// district admin stays. Audited.
    public func setUserDisabled(_ name: String, _ disabled: Bool, by admin: User, actingAdmin: String? = nil,
                                at now: Date = Date()) throws {
        try writeImmediate { db in
            let rules = try UserAdminRules(admin: admin, db)
            guard let user = try StoreSnapshot(db: db).user(named: name) else { throw UserAdminError("no Steward user named '\(name)'") }
            try rules.checkScope(user.scopePlaceCode, for: name)
            guard user.disabled != disabled else {
                throw UserAdminError("\(name) is already \(disabled ? "disabled" : "enabled"); nothing was changed")
            }
            if disabled, name == admin.name || name == actingAdmin {
                throw AccessDenied("\(name) cannot disable their own account; another admin must")
            }
            try db.cachedStatement(sql: "UPDATE users SET disabled = ? WHERE name = ?").execute(arguments: [disabled, name])
            try rules.checkDistrictAdminRemains(changing: name)
            try rules.audit(disabled ? "user.disable" : "user.enable", name, ["role": user.role.rawValue],
                            actingAdmin: actingAdmin, at: now)
        }
    }
}

/// The rules an admin's user changes follow, inside one transaction.
struct UserAdminRules {
    let admin: User
    let db: Database
    let directory: PlaceDirectory

    init(admin: User, _ db: Database) throws {
        try admin.require(.manageUsers)
        self.admin = admin
        self.db = db
        directory = try StoreSnapshot(db: db).placeDirectory()
    }

    private func name(_ code: String) -> String { directory[code]?.name ?? code }

    /// The place must be a district or town, and inside the admin's scope.
    func checkScope(_ code: String, for user: String) throws {
        guard let place = directory[code] else { throw UserAdminError("'\(code)' is not a place in this district") }
        guard place.kind.level <= 1 else {
            throw UserAdminError("\(place.name) (\(place.code)) is a \(place.kind.rawValue): a user's scope is the district or one town")
        }
        guard directory.isWithin(code, scope: admin.scopePlaceCode) else {
            throw AccessDenied("\(admin.name) manages users in \(name(admin.scopePlaceCode)) only; "
                + "\(user) in \(name(code)) is outside that scope")
        }
    }

    /// Only an admin who may see numbers unmasked may let others see them.
    func checkGrantsUnmask() throws {
        guard admin.canUnmask else {
            throw AccessDenied("\(admin.name) may not see identity numbers unmasked, so may not grant that to others")
        }
    }

    static func checkAccountFree(_ account: String, for user: String, _ db: Database) throws {
        guard !account.isEmpty, !account.contains(where: { $0.isWhitespace || $0.isNewline }) else {
            throw UserAdminError("'\(account)' is not an operating-system account name")
        }
        if let holder = try String.fetchOne(db.cachedStatement(sql: "SELECT name FROM users WHERE os_account = ?"),
                                            arguments: [account]),
           holder != user {
            throw UserAdminError("the account '\(account)' is already mapped to the user '\(holder)'")
        }
    }

    /// After a change to `user`: at least one enabled admin scoped to the district remains,
    /// so nobody is locked out of managing users.
    func checkDistrictAdminRemains(changing user: String) throws {
        let count = try Int.fetchOne(db.cachedStatement(sql: """
            SELECT COUNT(*) FROM users u JOIN places p ON p.id = u.scope_place_id
            WHERE u.role = 'admin' AND u.disabled = 0 AND p.kind = 'district'
            """)) ?? 0
        guard count > 0 else {
            throw AccessDenied("\(user) is the last enabled district admin; add another before changing or disabling them")
        }
    }

    func audit(_ action: String, _ user: String, _ details: [String: String], actingAdmin: String?, at now: Date) throws {
        var details = details
        if let actingAdmin { details["acting_admin"] = actingAdmin }
        try AuditWriter.append(action: action, actor: actingAdmin ?? admin.name, userID: try UserWriter.id(admin.name, db),
                               objectType: "user", objectID: user, runID: nil, scriptHash: nil, details: details, at: now, db)
    }
}
