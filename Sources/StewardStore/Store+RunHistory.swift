import Foundation
import GRDB
import StewardCore

/// A run as `steward runs list|show` shows it: everything the `runs` row records, with the
/// names behind its ids (user, acting admin, schedule, deciding approver).
public struct RunHistoryEntry: Sendable, Hashable {
    public let id: Int64
    public let userName: String?
    public let actingAdminName: String?
    public let scriptName: String
    public let scriptSHA256: String
    public let scriptVersion: Int?
    public let trigger: String
    public let mode: String
    /// `StoredRunStatus` raw value: committed, previewed, failed, timed_out, crashed, abandoned, …
    public let status: String
    public let parametersJSON: String
    /// Core's `[Effect]` as JSON, as the record holds them; nil in a listing
    /// (``StoreSnapshot/runHistory(_:)``), which reads only how many there are.
    public let effectsJSON: String?
    /// How many effects the record lists (``SchemaV8``).
    public let effectCount: Int
    public let output: String
    public let error: String?
    public let startedAt: Date?
    public let finishedAt: Date?
    public let durationMs: Int?
    public let committedAt: Date?
    public let scheduleName: String?
    public let slotID: Int64?
    public let slotAt: Date?
    public let runnerID: String?
    /// Which attempt at its slot this run was (1, then 2 for the first retry), for scheduled runs.
    public let attempt: Int?

    /// The recorded effects, of an entry read with them (``StoreSnapshot/runHistoryEntry(id:)``).
    /// JSON that does not decode throws ``StoreError/invalidStoredValue(table:rowID:column:problem:)``:
    /// shown as "no effects", a committed run whose record was damaged would look as if it had
    /// changed nothing. So does a record that lists other than ``effectCount`` effects, the
    /// number a listing shows.
    public func effects() throws(StoreError) -> [Effect] {
        guard let effectsJSON else {
            preconditionFailure("a listing's entries carry no effects: read the run with runHistoryEntry(id:)")
        }
        return try StoredEffects.decode(effectsJSON, count: effectCount, runID: id)
    }

    /// The parameters the run was given; throws as ``effects()`` does, rather than show none.
    public func parameters() throws(StoreError) -> [String: String] {
        try StoredJSON.decode([String: String].self, parametersJSON, "a JSON object of texts", table: "runs", rowID: id,
                              column: "params_json")
    }
}

/// Which runs to list.
public struct RunHistoryFilter: Sendable, Hashable {
    public var script: String?
    public var status: String?
    /// Runs started at or after this instant.
    public var since: Date?
    public var schedule: String?
    public var limit: Int

    public init(script: String? = nil, status: String? = nil, since: Date? = nil, schedule: String? = nil, limit: Int = 100) {
        self.script = script
        self.status = status
        self.since = since
        self.schedule = schedule
        self.limit = limit
    }
}

extension StoreSnapshot {
    /// Runs matching `filter`, newest first.
    public func runHistory(_ filter: RunHistoryFilter = RunHistoryFilter()) throws -> [RunHistoryEntry] {
        var conditions = ["1"]
        var arguments = StatementArguments()
        if let script = filter.script {
            conditions.append("r.script_name = ?")
            _ = arguments.append(contentsOf: [script])
        }
        if let status = filter.status {
            conditions.append("r.status = ?")
            _ = arguments.append(contentsOf: [status])
        }
        if let since = filter.since {
            conditions.append("r.started_at >= ?")
            _ = arguments.append(contentsOf: [Timestamp.text(since)])
        }
        if let schedule = filter.schedule {
            conditions.append("sc.name = ?")
            _ = arguments.append(contentsOf: [schedule])
        }
        _ = arguments.append(contentsOf: [max(1, filter.limit)])
        return try Row.fetchAll(db, sql: RunHistoryReader.select(withEffects: false) + """
             WHERE \(conditions.joined(separator: " AND ")) ORDER BY r.started_at DESC, r.id DESC LIMIT ?
            """, arguments: arguments).map { try RunHistoryReader.entry($0, withEffects: false) }
    }

    /// One run, or nil.
    public func runHistoryEntry(id: Int64) throws -> RunHistoryEntry? {
        try Row.fetchOne(db, sql: RunHistoryReader.select(withEffects: true) + " WHERE r.id = ?", arguments: [id])
            .map { try RunHistoryReader.entry($0, withEffects: true) }
    }
}

enum RunHistoryReader {
    /// The query of entries, with their effects or, for a listing, with only their count
    /// (``SchemaV8``): a listing reads a record's effects only when the count was never
    /// recorded, to count them, so that it does not read and inflate megabytes per run.
    static func select(withEffects: Bool) -> String {
        let effects = withEffects ? "r.effects_json, r.effects_inflated_size" : """
            CASE WHEN r.effects_count IS NULL THEN r.effects_json END AS effects_json,
                   CASE WHEN r.effects_count IS NULL THEN r.effects_inflated_size END AS effects_inflated_size
            """
        return """
            SELECT r.id, r.script_name, r.script_hash, r.script_version, r.trigger, r.mode, r.status, r.params_json,
                   r.output, r.error, r.started_at, r.finished_at, r.duration_ms, r.committed_at, r.slot_id, r.slot_at,
                   r.runner_id, r.effects_count, \(effects),
                   u.name AS user_name, a.name AS admin_name, sc.name AS schedule_name,
                   CASE WHEN r.slot_id IS NULL THEN NULL
                        ELSE (SELECT COUNT(*) FROM runs r2 WHERE r2.slot_id = r.slot_id AND r2.id <= r.id) END AS slot_attempt
            FROM runs r LEFT JOIN users u ON u.id = r.user_id LEFT JOIN users a ON a.id = r.acting_as_user_id
            LEFT JOIN schedules sc ON sc.id = r.schedule_id
            """
    }

    /// The run in `row`, from ``select(withEffects:)``. Its parameters are decoded when asked
    /// for, and its effects too when they were read; an instant that does not parse throws
    /// here rather than show "-". A record whose count was never recorded (``SchemaV8``) is
    /// counted by decoding it, so one that does not decode throws here, in a listing too.
    static func entry(_ row: Row, withEffects: Bool) throws(StoreError) -> RunHistoryEntry {
        let values = StoredValues(row, table: "runs")
        func date(_ column: String) throws(StoreError) -> Date? { try values.optionalTimestamp(column) }
        // Uncounted records are rare (damaged before the upgrade): reading one twice for
        // `runs show` is simpler than threading the text through.
        let count: Int
        if let recorded = try values.optionalCount("effects_count") {
            count = recorded
        } else {
            count = try StoredEffects.decode(try StoredEffects.json(values), count: nil, runID: values.rowID).count
        }
        let json = withEffects ? try StoredEffects.json(values) : nil
        return RunHistoryEntry(
            id: values.rowID, userName: row["user_name"], actingAdminName: row["admin_name"], scriptName: row["script_name"],
            scriptSHA256: row["script_hash"], scriptVersion: row["script_version"], trigger: row["trigger"], mode: row["mode"],
            status: row["status"], parametersJSON: try values.text("params_json"), effectsJSON: json,
            effectCount: count, output: row["output"], error: row["error"], startedAt: try date("started_at"),
            finishedAt: try date("finished_at"), durationMs: row["duration_ms"], committedAt: try date("committed_at"),
            scheduleName: row["schedule_name"], slotID: row["slot_id"], slotAt: try date("slot_at"), runnerID: row["runner_id"],
            attempt: row["slot_attempt"])
    }
}
