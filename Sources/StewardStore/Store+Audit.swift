import Foundation
import GRDB

/// One row of the append-only audit trail.
public struct AuditRecord: Sendable, Hashable {
    public let id: Int64
    public let at: Date?
    public let actor: String
    public let action: String
    public let objectType: String?
    public let objectID: String?
    public let runID: Int64?
    public let scriptHash: String?
    public let detailsJSON: String
}

extension Store {
    /// Appends an audit row (imports, user changes, approvals, uses of `--as`). There is no
    /// way to change or remove one: the database refuses it.
    public func audit(action: String, actor: String, objectType: String? = nil, objectID: String? = nil,
                      runID: Int64? = nil, scriptHash: String? = nil, details: [String: String] = [:],
                      at now: Date = Date()) throws {
        try writeImmediate { db in
            try AuditWriter.append(action: action, actor: actor, userID: try UserWriter.id(actor, db),
                                   objectType: objectType, objectID: objectID, runID: runID, scriptHash: scriptHash,
                                   details: details, at: now, db)
        }
    }
}

extension StoreSnapshot {
    /// Audit rows, oldest first, filtered by time, actor and run.
    public func auditRecords(since: Date? = nil, actor: String? = nil, runID: Int64? = nil) throws -> [AuditRecord] {
        var conditions = ["1"]
        var arguments = StatementArguments()
        if let since {
            conditions.append("at >= ?")
            _ = arguments.append(contentsOf: [Timestamp.text(since)])
        }
        if let actor {
            conditions.append("actor = ?")
            _ = arguments.append(contentsOf: [actor])
        }
        if let runID {
            conditions.append("run_id = ?")
            _ = arguments.append(contentsOf: [runID])
        }
        return try Row.fetchAll(db, sql: "SELECT * FROM audit WHERE \(conditions.joined(separator: " AND ")) ORDER BY id",
                                arguments: arguments).map { row in
            AuditRecord(id: row["id"], at: Timestamp.date(row["at"]), actor: row["actor"], action: row["action"],
                        objectType: row["object_type"], objectID: row["object_id"], runID: row["run_id"],
                        scriptHash: row["script_hash"], detailsJSON: row["details_json"])
        }
    }
}
