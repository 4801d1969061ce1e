import Foundation
import GRDB
import StewardCore

/// A schedule as stored: a script on a cron timetable, with its catch-up, overlap and retry
/// settings and where its runs stand. Named after its script (one schedule per script).
public struct ScheduleRecord: Sendable, Hashable {
    public let id: Int64
    public let name: String
    public let scriptName: String
    public let cron: String
    public let timeZoneIdentifier: String
    public let catchUp: CatchUpPolicy
    public let maxCatchUp: Int
    public let overlap: OverlapPolicy
    public let parameters: [String: String]
    /// Whether runs commit their effects (always, for schedules set from the CLI).
    public let commit: Bool
    /// False when paused (by hand, or after five failed slots in a row).
    public let enabled: Bool
    /// The instant of the last slot dealt with; nil until the first.
    public let lastSlotAt: Date?
    public let consecutiveFailures: Int
    public let maxRetries: Int
    public let createdAt: Date
    public let createdBy: String?
}

/// What `steward schedule set` asks for.
public struct ScheduleSettings: Sendable, Hashable {
    public var cron: String
    public var timeZoneIdentifier: String
    public var catchUp: CatchUpPolicy
    public var maxCatchUp: Int
    public var overlap: OverlapPolicy
    public var parameters: [String: String]
    public var maxRetries: Int

    /// The schema's own defaults: catch-up latest (at most 24 under `all`), overlap forbid,
    /// no retries, Asia/Shanghai.
    public init(cron: String, timeZoneIdentifier: String = "Asia/Shanghai", catchUp: CatchUpPolicy = .latest,
                maxCatchUp: Int = 24, overlap: OverlapPolicy = .forbid, parameters: [String: String] = [:],
                maxRetries: Int = 0) {
        self.cron = cron
        self.timeZoneIdentifier = timeZoneIdentifier
        self.catchUp = catchUp
        self.maxCatchUp = maxCatchUp
        self.overlap = overlap
        self.parameters = parameters
        self.maxRetries = maxRetries
    }
}

extension Store {
    /// Creates or changes the schedule of a stored script (the schedule takes the script's
    /// name). The cron expression and zone must already be validated by the caller (the
    /// scheduler parses them; the store does not know cron).
    ///
    /// A new schedule starts from `now`: nothing before it is due. Changing the expression or
    /// the zone of an existing one also restarts it from `now`, so the new timetable's past
    /// slots are not "caught up". A paused schedule stays paused.
    /// - Returns: the schedule, and whether it was created.
    @discardableResult
    public func setSchedule(script: String, _ settings: ScheduleSettings, by actor: String, actingAdmin: String? = nil,
                            at now: Date = Date()) throws -> (schedule: ScheduleRecord, created: Bool) {
        guard settings.maxCatchUp >= 1 else { throw StoreRefusal("--max-catch-up must be at least 1") }
        guard settings.maxRetries >= 0 else { throw StoreRefusal("--max-retries cannot be negative") }
        return try writeImmediate { db in
            let actorID = try ScheduleWriter.scheduler(actor, db)
            guard let scriptID = try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM scripts WHERE name = ?"),
                                                    arguments: [script]) else {
                throw StoreError.notFound(kind: "stored script", key: script)
            }
            let params = try RunWriter.parametersJSON(settings.parameters)
            let existing = try ScheduleReader.record(name: script, db)
            if let existing {
                let restart = existing.cron != settings.cron || existing.timeZoneIdentifier != settings.timeZoneIdentifier
                let lastSlot = restart ? max(existing.lastSlotAt ?? now, now) : existing.lastSlotAt
                try db.cachedStatement(sql: """
                    UPDATE schedules SET cron = ?, time_zone = ?, catch_up = ?, max_catch_up = ?, overlap = ?,
                           params_json = ?, max_retries = ?, last_slot_at = ? WHERE id = ?
                    """).execute(arguments: [
                        settings.cron, settings.timeZoneIdentifier, settings.catchUp.rawValue, settings.maxCatchUp,
                        settings.overlap.rawValue, params, settings.maxRetries, lastSlot.map(Timestamp.text), existing.id,
                    ])
            } else {
                try db.cachedStatement(sql: """
                    INSERT INTO schedules (name, script_id, cron, time_zone, catch_up, max_catch_up, overlap, params_json,
                                           max_retries, created_by, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """).execute(arguments: [
                        script, scriptID, settings.cron, settings.timeZoneIdentifier, settings.catchUp.rawValue,
                        settings.maxCatchUp, settings.overlap.rawValue, params, settings.maxRetries, actorID, Timestamp.text(now),
                    ])
            }
            var details = ["cron": settings.cron, "time_zone": settings.timeZoneIdentifier,
                           "catch_up": settings.catchUp.rawValue, "overlap": settings.overlap.rawValue,
                           "max_retries": String(settings.maxRetries), "params": params]
            if let actingAdmin { details["acting_admin"] = actingAdmin }
            try AuditWriter.append(action: existing == nil ? "schedule.add" : "schedule.change", actor: actingAdmin ?? actor,
                                   userID: actorID, objectType: "schedule", objectID: script, runID: nil, scriptHash: nil,
                                   details: details, at: now, db)
            guard let record = try ScheduleReader.record(name: script, db) else { throw StoreError.notFound(kind: "schedule", key: script) }
            return (record, existing == nil)
        }
    }

    /// Pauses (`enabled: false`) or resumes a schedule, audited. Pausing cancels queued
    /// retries. Resuming clears the failure count and starts again from `now`: slots that fell
    /// due while paused are not caught up.
    /// - Returns: the schedule after the change, and whether anything changed.
    @discardableResult
    public func setScheduleEnabled(_ name: String, _ enabled: Bool, by actor: String, actingAdmin: String? = nil,
                                   at now: Date = Date()) throws -> (schedule: ScheduleRecord, changed: Bool) {
        try writeImmediate { db in
            let actorID = try ScheduleWriter.scheduler(actor, db)
            guard let existing = try ScheduleReader.record(name: name, db) else { throw StoreError.notFound(kind: "schedule", key: name) }
            guard existing.enabled != enabled else { return (existing, false) }
            if enabled {
                try db.cachedStatement(sql: """
                    UPDATE schedules SET enabled = 1, consecutive_failures = 0, last_slot_at = ? WHERE id = ?
                    """)
                    .execute(arguments: [Timestamp.text(max(existing.lastSlotAt ?? now, now)), existing.id])
            } else {
                try db.cachedStatement(sql: "UPDATE schedules SET enabled = 0 WHERE id = ?").execute(arguments: [existing.id])
                try SlotWriter.cancelRetries(scheduleID: existing.id, at: now, db)
            }
            try AuditWriter.append(action: enabled ? "schedule.resume" : "schedule.pause", actor: actingAdmin ?? actor,
                                   userID: actorID, objectType: "schedule", objectID: name, runID: nil, scriptHash: nil,
                                   details: actingAdmin.map { ["acting_admin": $0] } ?? [:], at: now, db)
            guard let record = try ScheduleReader.record(name: name, db) else { throw StoreError.notFound(kind: "schedule", key: name) }
            return (record, true)
        }
    }
}

extension StoreSnapshot {
    /// Every schedule, by name.
    public func schedules() throws -> [ScheduleRecord] {
        try ScheduleReader.all(db)
    }

    /// One schedule, or nil.
    public func schedule(named name: String) throws -> ScheduleRecord? {
        try ScheduleReader.record(name: name, db)
    }
}

enum ScheduleReader {
    static let select = """
        SELECT sc.*, s.name AS script_name, u.name AS creator FROM schedules sc JOIN scripts s ON s.id = sc.script_id
        LEFT JOIN users u ON u.id = sc.created_by
        """

    static func all(_ db: Database) throws -> [ScheduleRecord] {
        try Row.fetchAll(db.cachedStatement(sql: select + " ORDER BY sc.name")).map { try record($0) }
    }

    static func record(name: String, _ db: Database) throws -> ScheduleRecord? {
        try Row.fetchOne(db.cachedStatement(sql: select + " WHERE sc.name = ?"), arguments: [name]).map { try record($0) }
    }

    static func record(id: Int64, _ db: Database) throws -> ScheduleRecord? {
        try Row.fetchOne(db.cachedStatement(sql: select + " WHERE sc.id = ?"), arguments: [id]).map { try record($0) }
    }

    /// The schedule in `row`. Nothing stored is guessed: parameters read as none, or a policy
    /// read as the default, would run the script differently from what was set (other
    /// parameters can move other money; `all` catch-up runs every missed slot), and a lost
    /// `last_slot_at` would start the timetable again; a time zone that names none would fail
    /// only later, one schedule at a time, where the runner and `pauseReminder` read it. Each
    /// throws ``StoreError/invalidStoredValue(table:rowID:column:problem:)`` instead.
    static func record(_ row: Row) throws(StoreError) -> ScheduleRecord {
        let values = StoredValues(row, table: "schedules")
        _ = try values.timeZone("time_zone")
        return ScheduleRecord(
            id: values.rowID, name: row["name"], scriptName: row["script_name"], cron: row["cron"],
            timeZoneIdentifier: try values.text("time_zone"), catchUp: try values.choice("catch_up", "catch-up policy"),
            maxCatchUp: row["max_catch_up"], overlap: try values.choice("overlap", "overlap policy"),
            parameters: try values.json("params_json", [String: String].self, "a JSON object of texts"),
            commit: row["commit_effects"], enabled: row["enabled"], lastSlotAt: try values.optionalTimestamp("last_slot_at"),
            consecutiveFailures: row["consecutive_failures"], maxRetries: row["max_retries"],
            createdAt: try values.timestamp("created_at"), createdBy: row["creator"])
    }
}

enum ScheduleWriter {
    /// The id of a user who may set, pause and resume schedules (operators and above: the
    /// same people who edit scripts; what runs is still only what an approver approved).
    static func scheduler(_ name: String, _ db: Database) throws -> Int64 {
        guard let user = try UserWriter.user(name, db), let id = try UserWriter.id(name, db) else {
            throw StoreError.notFound(kind: "user", key: name)
        }
        guard !user.disabled else { throw StoreRefusal.denied("\(name) is disabled and may not change schedules") }
        guard user.role.allows(.editScript) else {
            throw StoreRefusal.denied("\(name) is a \(user.role.rawValue) and may not change schedules (operators and above may)")
        }
        return id
    }
}
