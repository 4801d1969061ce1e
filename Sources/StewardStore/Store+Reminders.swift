import Foundation
import GRDB
import StewardCore

/// A reminder in the outbox, with the place it is listed under, for `steward reminders`.
public struct ReminderRecord: Sendable, Hashable {
    public let id: Int64
    public let dedupKey: String
    /// Script-defined: `certificate_expiry`, `hours_lapsing`; `schedule_paused` from the runner.
    public let kind: String
    /// `member`, `facility`, `place`, … (`user` for the runner's reminders to a script's author).
    public let subjectKind: String
    public let subjectID: String
    /// The subject's town (or the place itself), if known.
    public let placeCode: String?
    public let placeName: String?
    public let dueOn: CivilDate
    /// Settable so a listing can mask personal numbers for a reader who may not see them.
    public var text: String
    public let status: ReminderStatus
    public let runID: Int64?
    public let createdAt: Date?
    /// When the status last changed.
    public let statusAt: Date?
}

/// Which reminders to list or export.
public struct ReminderFilter: Sendable, Hashable {
    /// Nil: any status.
    public var status: ReminderStatus?
    /// Only reminders due on or before this date (overdue ones included).
    public var dueOnOrBefore: CivilDate?
    /// Only reminders listed under this town (its code), or under a place within it.
    public var townCode: String?

    public init(status: ReminderStatus? = nil, dueOnOrBefore: CivilDate? = nil, townCode: String? = nil) {
        self.status = status
        self.dueOnOrBefore = dueOnOrBefore
        self.townCode = townCode
    }
}

extension StoreSnapshot {
    /// Reminders matching `filter`, soonest due first.
    public func reminders(_ filter: ReminderFilter = ReminderFilter()) throws -> [ReminderRecord] {
        var conditions = ["1"]
        var arguments = StatementArguments()
        if let status = filter.status {
            conditions.append("r.status = ?")
            _ = arguments.append(contentsOf: [status.rawValue])
        }
        if let due = filter.dueOnOrBefore {
            conditions.append("r.due_on <= ?")
            _ = arguments.append(contentsOf: [due.iso])
        }
        if let town = filter.townCode {
            conditions.append("(p.code = ? OR parent.code = ?)")
            _ = arguments.append(contentsOf: [town, town])
        }
        return try Row.fetchAll(db, sql: """
            SELECT r.*, p.code AS place_code, p.name AS place_name FROM reminders r
            LEFT JOIN places p ON p.id = r.place_id LEFT JOIN places parent ON parent.id = p.parent_id
            WHERE \(conditions.joined(separator: " AND ")) ORDER BY r.due_on, r.id
            """, arguments: arguments).map { try ReminderReader.record($0) }
    }

    /// One reminder, or nil.
    public func reminder(id: Int64) throws -> ReminderRecord? {
        try Row.fetchOne(db.cachedStatement(sql: """
            SELECT r.*, p.code AS place_code, p.name AS place_name FROM reminders r
            LEFT JOIN places p ON p.id = r.place_id WHERE r.id = ?
            """), arguments: [id]).map { try ReminderReader.record($0) }
    }
}

extension Store {
    /// Sets a reminder's status (`done` when acted upon), audited.
    /// - Returns: the reminder before the change.
    @discardableResult
    public func setReminderStatus(_ id: Int64, _ status: ReminderStatus, by actor: String, actingAdmin: String? = nil,
                                  at now: Date = Date()) throws -> ReminderRecord {
        try writeImmediate { db in
            guard let before = try StoreSnapshot(db: db).reminder(id: id) else {
                throw StoreError.notFound(kind: "reminder", key: String(id))
            }
            try db.cachedStatement(sql: "UPDATE reminders SET status = ?, status_at = ? WHERE id = ?")
                .execute(arguments: [status.rawValue, Timestamp.text(now), id])
            var details = ["from": before.status.rawValue, "to": status.rawValue]
            if let actingAdmin { details["acting_admin"] = actingAdmin }
            try AuditWriter.append(action: "reminder.\(status.rawValue)", actor: actingAdmin ?? actor,
                                   userID: try UserWriter.id(actor, db), objectType: "reminder", objectID: String(id),
                                   runID: nil, scriptHash: nil, details: details, at: now, db)
            return before
        }
    }

    /// Marks pending reminders as sent (delivered by an export). Others are left as they are.
    /// - Returns: how many changed.
    @discardableResult
    public func markRemindersSent(_ ids: [Int64], at now: Date = Date()) throws -> Int {
        guard !ids.isEmpty else { return 0 }
        return try writeImmediate { db in
            var changed = 0
            for id in ids {
                try db.cachedStatement(sql: """
                    UPDATE reminders SET status = 'sent', status_at = ? WHERE id = ? AND status = 'pending'
                    """)
                    .execute(arguments: [Timestamp.text(now), id])
                changed += db.changesCount
            }
            return changed
        }
    }
}

enum ReminderReader {
    /// The reminder in `row`. A due date or status that does not parse throws rather than drop
    /// the reminder from every listing (a notice nobody would send) or read it as `pending`
    /// (one already dealt with sent again).
    static func record(_ row: Row) throws(StoreError) -> ReminderRecord {
        let values = StoredValues(row, table: "reminders")
        return ReminderRecord(
            id: values.rowID, dedupKey: row["dedup_key"], kind: row["kind"], subjectKind: row["subject_kind"],
            subjectID: row["subject_id"], placeCode: row["place_code"], placeName: row["place_name"],
            dueOn: try values.date("due_on"), text: row["text"], status: try values.choice("status", "reminder status"),
            runID: row["run_id"], createdAt: try values.optionalTimestamp("created_at"),
            statusAt: try values.optionalTimestamp("status_at"))
    }
}
