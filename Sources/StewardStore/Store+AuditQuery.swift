import Foundation
import GRDB

/// One audit row with the name of the Steward user it was recorded for (`steward audit`).
/// `actor` is the person who acted — the admin, when `--as` was used — and `userName` the
/// Steward user the action was taken as.
public struct AuditEntry: Sendable, Hashable {
    public let record: AuditRecord
    public let userName: String?

    /// The details as a dictionary (they are stored as a JSON object of strings). JSON that
    /// does not decode throws ``StoreError/invalidStoredValue(table:rowID:column:problem:)``:
    /// shown as no details, a damaged audit row would pass for an ordinary one.
    public func details() throws(StoreError) -> [String: String] {
        try StoredJSON.decode([String: String].self, record.detailsJSON, "a JSON object of texts", table: "audit",
                              rowID: record.id, column: "details_json")
    }
}

extension Store {
    /// Appends an audit row recorded for `user` — the Steward user the action was taken as —
    /// with `actor` the person who acted (the admin, when `--as` was used).
    public func audit(action: String, actor: String, user: String, objectType: String? = nil, objectID: String? = nil,
                      runID: Int64? = nil, scriptHash: String? = nil, details: [String: String] = [:],
                      at now: Date = Date()) throws {
        try writeImmediate { db in
            try AuditWriter.append(action: action, actor: actor, userID: try UserWriter.id(user, db),
                                   objectType: objectType, objectID: objectID, runID: runID, scriptHash: scriptHash,
                                   details: details, at: now, db)
        }
    }
}

extension StoreSnapshot {
    /// Audit rows, oldest first: since an instant, by a user (as the actor or as the user
    /// acted as), about one run, at most `limit` of the newest.
    public func auditEntries(since: Date? = nil, user: String? = nil, runID: Int64? = nil,
                             limit: Int? = nil) throws -> [AuditEntry] {
        var conditions = ["1"]
        var arguments = StatementArguments()
        if let since {
            conditions.append("a.at >= ?")
            _ = arguments.append(contentsOf: [Timestamp.text(since)])
        }
        if let user {
            conditions.append("(a.actor = ? OR u.name = ?)")
            _ = arguments.append(contentsOf: [user, user])
        }
        if let runID {
            conditions.append("a.run_id = ?")
            _ = arguments.append(contentsOf: [runID])
        }
        var sql = """
            SELECT a.*, u.name AS user_name FROM audit a LEFT JOIN users u ON u.id = a.user_id
            WHERE \(conditions.joined(separator: " AND ")) ORDER BY a.id DESC
            """
        if let limit {
            sql += " LIMIT ?"
            _ = arguments.append(contentsOf: [max(0, limit)])
        }
        return try Row.fetchAll(db, sql: sql, arguments: arguments).reversed().map { row in
            AuditEntry(record: try AuditReader.record(row), userName: row["user_name"])
        }
    }
}
