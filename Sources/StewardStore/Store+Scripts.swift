import Foundation
import GRDB
import StewardCore

/// A stored script with where its versions stand, for `steward scripts list`.
public struct StoredScriptSummary: Sendable, Hashable {
    public let name: String
    public let title: String
    public let latestVersion: Int
    public let latestAuthor: String
    public let latestSHA256: String
    /// Whether the latest version is approved: only then does the script run on a schedule.
    public let latestApproved: Bool
    /// The newest approved version, if any (older than the latest when an update awaits approval).
    public let newestApprovedVersion: Int?
    public let createdAt: Date
    /// The schedule running it, if any.
    public let schedule: String?
}

extension Store {
    /// Stores a new script as version 1, written by `author` (unapproved), audited.
    ///
    /// - Throws: ``StoreRefusal`` if the name is taken or not a valid code, or the author may
    ///   not edit scripts; ``StoreError/notFound(kind:key:)`` for an unknown author.
    @discardableResult
    public func addScript(name: String, title: String = "", source: String, author: String, actingAdmin: String? = nil,
                          at now: Date = Date()) throws -> ScriptVersion {
        if let problem = StoredScript(name: name, title: title, createdBy: author, createdAt: now).validationErrors().first {
            throw StoreRefusal("script name '\(name)': \(problem)")
        }
        return try writeImmediate { db in
            let authorID = try ScriptWriter.editor(author, db)
            if try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM scripts WHERE name = ?"), arguments: [name]) != nil {
                throw StoreRefusal("a script named '\(name)' already exists: use `steward scripts update \(name) FILE` for a new version")
            }
            try db.cachedStatement(sql: "INSERT INTO scripts (name, title, created_at, created_by) VALUES (?, ?, ?, ?)")
                .execute(arguments: [name, title, Timestamp.text(now), authorID])
            let version = ScriptVersion(scriptName: name, version: 1, source: source, author: author, createdAt: now)
            try ScriptWriter.insert(version, scriptID: db.lastInsertedRowID, authorID: authorID, db)
            try ScriptWriter.audit("script.add", version, actor: author, userID: authorID, actingAdmin: actingAdmin, at: now, db)
            return version
        }
    }

    /// Stores `source` as the next version of `name`, written by `author`. The new version is
    /// unapproved, and since schedules run only an approved *latest* version, the script stops
    /// running on its schedule until someone else approves it.
    ///
    /// - Throws: ``StoreRefusal`` if the text is the same as the latest version's.
    @discardableResult
    public func updateScript(name: String, source: String, author: String, actingAdmin: String? = nil,
                             title: String? = nil, at now: Date = Date()) throws -> ScriptVersion {
        try writeImmediate { db in
            let authorID = try ScriptWriter.editor(author, db)
            guard let scriptID = try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM scripts WHERE name = ?"),
                                                    arguments: [name]) else {
                throw StoreError.notFound(kind: "script", key: name)
            }
            let latest = try Row.fetchOne(db.cachedStatement(sql: """
                SELECT version, sha256 FROM script_versions WHERE script_id = ? ORDER BY version DESC LIMIT 1
                """), arguments: [scriptID])
            let number = (latest?["version"] as Int? ?? 0) + 1
            let version = ScriptVersion(scriptName: name, version: number, source: source, author: author, createdAt: now)
            if let latest, latest["sha256"] as String == version.sha256 {
                throw StoreRefusal("the file is the same as version \(number - 1) of '\(name)': nothing to update")
            }
            try ScriptWriter.insert(version, scriptID: scriptID, authorID: authorID, db)
            if let title { try db.cachedStatement(sql: "UPDATE scripts SET title = ? WHERE id = ?")
                .execute(arguments: [title, scriptID]) }
            try ScriptWriter.audit("script.update", version, actor: author, userID: authorID, actingAdmin: actingAdmin, at: now, db)
            return version
        }
    }

    /// Approves one exact version (its content hash) of a script: maker ≠ checker by
    /// ``FourEyes`` — the approver may not be its author, nor the admin who wrote it through
    /// `--as`, nor act through `--as` for someone when they wrote it themselves. Admins are no
    /// exception.
    ///
    /// - Parameters:
    ///   - version: the version to approve (default: the latest).
    ///   - expectedSHA256: if given, a prefix the version's hash must start with, so the
    ///     approver approves the text they reviewed and not one stored since.
    /// - Throws: ``StoreRefusal`` naming who may approve, or why not.
    @discardableResult
    public func approveScript(name: String, version: Int? = nil, expectedSHA256: String? = nil, approver: String,
                              actingAdmin: String? = nil, at now: Date = Date()) throws -> ScriptVersion {
        try writeImmediate { db in
            guard let user = try UserWriter.user(approver, db) else { throw StoreError.notFound(kind: "user", key: approver) }
            guard user.may(.approveScript) else { throw StoreRefusal.denied(AccessDenied.role(user, .approveScript).message) }
            guard let stored = try ScriptReader.version(name, version, db) else {
                throw StoreError.notFound(kind: "script version", key: version.map { "\(name) v\($0)" } ?? name)
            }
            if let expectedSHA256, !stored.version.sha256.hasPrefix(expectedSHA256.lowercased()) {
                throw StoreRefusal("version \(stored.version.version) of '\(name)' has hash \(stored.version.sha256.prefix(12)), not \(expectedSHA256): it is not the text you reviewed")
            }
            if let by = stored.version.approvedBy {
                throw StoreRefusal("version \(stored.version.version) of '\(name)' is already approved by \(by)")
            }
            // Maker ≠ checker, by the rule change sets use too (FourEyes): not the author, not
            // the admin who wrote it through --as, not the author acting as an approver.
            let maker = FourEyes.Participant(user: stored.version.author,
                                             actingAdmin: try ScriptReader.actingAdmin(of: stored.version, db))
            let checker = FourEyes.Participant(user: approver, actingAdmin: actingAdmin)
            if let refusal = FourEyes.refusal(maker: maker, checker: checker,
                                              work: "version \(stored.version.version) of '\(name)'", verb: "wrote") {
                throw StoreRefusal.denied(refusal)
            }
            let approved: ScriptVersion
            do {
                approved = try stored.version.approved(by: approver, actingAdmin: actingAdmin, at: now)
            } catch {
                throw StoreRefusal.denied("\(error)")
            }
            try db.cachedStatement(sql: "UPDATE script_versions SET approved_by = ?, approved_at = ? WHERE id = ?")
                .execute(arguments: [try UserWriter.id(approver, db), Timestamp.text(now), stored.id])
            var details = ["version": String(approved.version), "author": maker.user]
            if let actingAdmin { details["acting_admin"] = actingAdmin }
            if FourEyes.sameActingAdmin(maker: maker, checker: checker), let admin = actingAdmin {
                details["same_acting_admin"] = admin
            }
            try AuditWriter.append(action: "script.approve", actor: actingAdmin ?? approver, userID: try UserWriter.id(approver, db),
                                   objectType: "script", objectID: "\(name)@\(approved.version)", runID: nil,
                                   scriptHash: approved.sha256, details: details, at: now, db)
            return approved
        }
    }
}

extension StoreSnapshot {
    /// Every stored script, by name. A creation time that does not parse throws
    /// ``StoreError/invalidStoredValue(table:rowID:column:problem:)`` rather than read as none.
    public func storedScripts() throws -> [StoredScriptSummary] {
        try Row.fetchAll(db.cachedStatement(sql: """
            SELECT s.id, s.name, s.title, s.created_at, v.version, v.sha256, v.approved_by, u.name AS author,
                   (SELECT MAX(a.version) FROM script_versions a WHERE a.script_id = s.id AND a.approved_by IS NOT NULL) AS approved_version,
                   (SELECT sc.name FROM schedules sc WHERE sc.script_id = s.id ORDER BY sc.id LIMIT 1) AS schedule
            FROM scripts s
            JOIN script_versions v ON v.script_id = s.id
                 AND v.version = (SELECT MAX(version) FROM script_versions WHERE script_id = s.id)
            JOIN users u ON u.id = v.author_id
            ORDER BY s.name
            """)).map { row in
            StoredScriptSummary(name: row["name"], title: row["title"], latestVersion: row["version"],
                                latestAuthor: row["author"], latestSHA256: row["sha256"],
                                latestApproved: (row["approved_by"] as Int64?) != nil,
                                newestApprovedVersion: row["approved_version"],
                                createdAt: try StoredValues(row, table: "scripts").timestamp("created_at"),
                                schedule: row["schedule"])
        }
    }

    /// One version of a script (default: the latest), or nil.
    public func scriptVersion(_ name: String, version: Int? = nil) throws -> ScriptVersion? {
        try ScriptReader.version(name, version, db)?.version
    }

    /// Every version of a script, oldest first (empty if there is no such script).
    public func scriptVersions(_ name: String) throws -> [ScriptVersion] {
        try Int.fetchAll(db.cachedStatement(sql: """
            SELECT v.version FROM script_versions v JOIN scripts s ON s.id = v.script_id WHERE s.name = ? ORDER BY v.version
            """), arguments: [name]).compactMap { try ScriptReader.version(name, $0, db)?.version }
    }

    /// The script's title.
    public func scriptTitle(_ name: String) throws -> String? {
        try String.fetchOne(db.cachedStatement(sql: "SELECT title FROM scripts WHERE name = ?"), arguments: [name])
    }
}

enum ScriptReader {
    /// A version as stored. Its times that do not parse throw
    /// ``StoreError/invalidStoredValue(table:rowID:column:problem:)``: a creation time read as
    /// 1970-01-01 was shown by `scripts show` as when the author wrote it, and an approval
    /// time read as none dropped it from the record of who approved what, when.
    static func version(_ name: String, _ version: Int?, _ db: Database) throws -> (id: Int64, version: ScriptVersion)? {
        var sql = """
            SELECT v.id, v.version, v.source, v.sha256, v.created_at, v.approved_at, a.name AS author, p.name AS approver
            FROM script_versions v JOIN scripts s ON s.id = v.script_id JOIN users a ON a.id = v.author_id
            LEFT JOIN users p ON p.id = v.approved_by WHERE s.name = ?
            """
        var arguments: StatementArguments = [name]
        if let version {
            sql += " AND v.version = ?"
            _ = arguments.append(contentsOf: [version])
        } else {
            sql += " ORDER BY v.version DESC LIMIT 1"
        }
        // One of two fixed texts, so the statement cache holds at most two.
        guard let row = try Row.fetchOne(db.cachedStatement(sql: sql), arguments: arguments) else { return nil }
        let values = StoredValues(row, table: "script_versions")
        var stored = ScriptVersion(scriptName: name, version: row["version"], source: row["source"], author: row["author"],
                                   createdAt: try values.timestamp("created_at"),
                                   approvedBy: row["approver"], approvedAt: try values.optionalTimestamp("approved_at"))
        // Kept as stored: a mismatch with the source (a hand-edited row) then shows up in
        // `validationErrors()` and the runner refuses to run it.
        stored.sha256 = row["sha256"]
        return (row["id"], stored)
    }

    /// The admin who wrote a version through `--as`, from its audit row. Maker ≠ checker rests
    /// on it, so details that do not decode throw
    /// ``StoreError/invalidStoredValue(table:rowID:column:problem:)``: read as "no admin", they
    /// would let that admin approve their own script.
    static func actingAdmin(of version: ScriptVersion, _ db: Database) throws -> String? {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT id, details_json FROM audit WHERE action IN ('script.add', 'script.update') AND object_type = 'script'
            AND object_id = ? ORDER BY id DESC LIMIT 1
            """), arguments: ["\(version.scriptName)@\(version.version)"]) else { return nil }
        let details = try StoredValues(row, table: "audit").json("details_json", [String: String].self, "a JSON object of texts")
        return details["acting_admin"]
    }
}

enum ScriptWriter {
    /// The author's id, if they exist and may edit scripts.
    static func editor(_ name: String, _ db: Database) throws -> Int64 {
        guard let user = try UserWriter.user(name, db), let id = try UserWriter.id(name, db) else {
            throw StoreError.notFound(kind: "user", key: name)
        }
        guard user.may(.editScript) else { throw StoreRefusal.denied(AccessDenied.role(user, .editScript).message) }
        return id
    }

    static func insert(_ version: ScriptVersion, scriptID: Int64, authorID: Int64, _ db: Database) throws {
        try db.cachedStatement(sql: """
            INSERT INTO script_versions (script_id, version, source, sha256, author_id, created_at)
            VALUES (?, ?, ?, ?, ?, ?)
            """).execute(arguments: [scriptID, version.version, version.source, version.sha256, authorID,
                                     Timestamp.text(version.createdAt)])
    }

    static func audit(_ action: String, _ version: ScriptVersion, actor: String, userID: Int64, actingAdmin: String?,
                      at now: Date, _ db: Database) throws {
        var details = ["version": String(version.version), "bytes": String(version.source.utf8.count)]
        if let actingAdmin { details["acting_admin"] = actingAdmin }
        try AuditWriter.append(action: action, actor: actingAdmin ?? actor, userID: userID, objectType: "script",
                               objectID: "\(version.scriptName)@\(version.version)", runID: nil,
                               scriptHash: version.sha256, details: details, at: now, db)
    }
}

extension UserWriter {
    /// The user with this name, or nil.
    static func user(_ name: String, _ db: Database) throws -> User? {
        try Row.fetchOne(db.cachedStatement(sql: """
            SELECT u.id, u.name, u.role, u.disabled, u.can_unmask, p.code AS scope_code
            FROM users u JOIN places p ON p.id = u.scope_place_id WHERE u.name = ?
            """), arguments: [name]).map { try StoreSnapshot.user($0) }
    }
}
