import Foundation
import GRDB
import StewardCore

extension Store {
    /// Makes the operating-system account `osAccount` an admin scoped to the district, unless
    /// it is already mapped to a user; `steward init` and `steward demo` call it so the person
    /// who set up the database can use it at once.
    /// - Returns: the user's name, and whether it was created now.
    @discardableResult
    public func ensureAdmin(osAccount: String, at now: Date = Date()) throws -> (name: String, created: Bool) {
        try writeImmediate { db in try UserWriter.ensureAdmin(osAccount: osAccount, at: now, db) }
    }

    /// Adds a user (the access issue's `steward users add`), audited.
    public func addUser(_ user: User, osAccount: String?, by actor: String, at now: Date = Date()) throws {
        try writeImmediate { db in
            try UserWriter.insert(user, osAccount: osAccount, at: now, db)
            try AuditWriter.append(action: "user.add", actor: actor, userID: try UserWriter.id(actor, db),
                                   objectType: "user", objectID: user.name, runID: nil, scriptHash: nil,
                                   details: ["role": user.role.rawValue, "scope": user.scopePlaceCode], at: now, db)
        }
    }
}

enum UserWriter {
    /// The district's place code: the scope of a user who sees everything.
    static func districtCode(_ db: Database) throws -> String? {
        try String.fetchOne(db.cachedStatement(sql: "SELECT code FROM places WHERE kind = 'district' ORDER BY id LIMIT 1"))
    }

    static func id(_ name: String, _ db: Database) throws -> Int64? {
        try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM users WHERE name = ?"), arguments: [name])
    }

    static func ensureAdmin(osAccount: String, at now: Date, _ db: Database) throws -> (name: String, created: Bool) {
        if let name = try String.fetchOne(db.cachedStatement(sql: "SELECT name FROM users WHERE os_account = ?"),
                                          arguments: [osAccount]) {
            return (name, false)
        }
        guard let district = try districtCode(db) else { throw StoreError.notFound(kind: "district place", key: "") }
        let user = User(name: osAccount, role: .admin, scopePlaceCode: district, canUnmask: true)
        try insert(user, osAccount: osAccount, at: now, db)
        try AuditWriter.append(action: "user.add", actor: osAccount, userID: db.lastInsertedRowID, objectType: "user",
                               objectID: osAccount, runID: nil, scriptHash: nil,
                               details: ["role": "admin", "scope": district, "reason": "first admin"], at: now, db)
        return (osAccount, true)
    }

    static func insert(_ user: User, osAccount: String?, at now: Date, _ db: Database) throws {
        guard let scope = try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM places WHERE code = ?"),
                                             arguments: [user.scopePlaceCode])
        else { throw StoreError.notFound(kind: "place", key: user.scopePlaceCode) }
        try db.cachedStatement(sql: """
            INSERT INTO users (name, os_account, role, scope_place_id, can_unmask, disabled, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [user.name, osAccount, user.role.rawValue, scope, user.canUnmask, user.disabled,
                                     Timestamp.text(now)])
    }
}

extension StoreSnapshot {
    /// Every user, by name.
    public func users() throws -> [User] {
        try Row.fetchAll(db.cachedStatement(sql: """
            SELECT u.*, p.code AS scope_code FROM users u JOIN places p ON p.id = u.scope_place_id ORDER BY u.name
            """)).map { try Self.user($0) }
    }

    /// The user an operating-system account is mapped to, if any.
    public func user(osAccount: String) throws -> User? {
        try Row.fetchOne(db.cachedStatement(sql: """
            SELECT u.*, p.code AS scope_code FROM users u JOIN places p ON p.id = u.scope_place_id WHERE u.os_account = ?
            """), arguments: [osAccount]).map { try Self.user($0) }
    }

    /// The user with this name, if any.
    public func user(named name: String) throws -> User? {
        try Row.fetchOne(db.cachedStatement(sql: """
            SELECT u.*, p.code AS scope_code FROM users u JOIN places p ON p.id = u.scope_place_id WHERE u.name = ?
            """), arguments: [name]).map { try Self.user($0) }
    }

    /// The user in `row` (selected with `u.*`). A role Steward does not write throws rather
    /// than read as viewer: access would change without anyone having changed it.
    static func user(_ row: Row) throws(StoreError) -> User {
        User(name: row["name"], role: try StoredValues(row, table: "users").choice("role", "role"),
             scopePlaceCode: row["scope_code"], disabled: row["disabled"], canUnmask: row["can_unmask"])
    }
}
