import Foundation
import GRDB

/// One row of the append-only audit trail.
public struct AuditRecord: Sendable, Hashable {
    public let id: Int64
    /// When, as stored (ISO 8601 UTC); decode with ``at()``.
    public let atText: String
    public let actor: String
    public let action: String
    public let objectType: String?
    public let objectID: String?
    public let runID: Int64?
    public let scriptHash: String?
    public let detailsJSON: String

    /// When the row was recorded. Text that does not parse throws
    /// ``StoreError/invalidStoredValue(table:rowID:column:problem:)`` naming the row. Decoded
    /// here, when shown, not when the trail is read: the table is append-only, so a damaged
    /// row cannot be corrected in place, and the rest of the trail must stay readable around
    /// it (as with ``AuditEntry/details()``); shown as "?", it read like a row whose time was
    /// simply not recorded.
    public func at() throws(StoreError) -> Date {
        try StoredInstant.decode(atText, table: "audit", rowID: id, column: "at")
    }
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
                                arguments: arguments).map { try AuditReader.record($0) }
    }
}

enum AuditReader {
    /// The audit row in `row`. Its time and details are kept as the stored text and decoded
    /// when asked for; either column holding something other than text throws here (GRDB
    /// would stop the process).
    static func record(_ row: Row) throws(StoreError) -> AuditRecord {
        let values = StoredValues(row, table: "audit")
        return AuditRecord(id: values.rowID, atText: try values.text("at"), actor: row["actor"], action: row["action"],
                           objectType: row["object_type"], objectID: row["object_id"], runID: row["run_id"],
                           scriptHash: row["script_hash"], detailsJSON: try values.text("details_json"))
    }
}
