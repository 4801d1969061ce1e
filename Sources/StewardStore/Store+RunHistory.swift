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
    /// Core's `[Effect]` as JSON.
    public let effectsJSON: String
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

    /// The recorded effects. JSON that does not decode throws
    /// ``StoreError/invalidStoredValue(table:rowID:column:problem:)``: shown as "no effects", a
    /// committed run whose record was damaged would look as if it had changed nothing.
    public func effects() throws(StoreError) -> [Effect] {
        try StoredJSON.decode([Effect].self, effectsJSON, "a JSON list of effects", table: "runs", rowID: id,
                              column: "effects_json")
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
        return try Row.fetchAll(db, sql: RunHistoryReader.select + """
             WHERE \(conditions.joined(separator: " AND ")) ORDER BY r.started_at DESC, r.id DESC LIMIT ?
            """, arguments: arguments).map { try RunHistoryReader.entry($0) }
    }

    /// One run, or nil.
    public func runHistoryEntry(id: Int64) throws -> RunHistoryEntry? {
        try Row.fetchOne(db, sql: RunHistoryReader.select + " WHERE r.id = ?", arguments: [id]).map { try RunHistoryReader.entry($0) }
    }
}

enum RunHistoryReader {
    static let select = """
        SELECT r.*, u.name AS user_name, a.name AS admin_name, sc.name AS schedule_name,
               CASE WHEN r.slot_id IS NULL THEN NULL
                    ELSE (SELECT COUNT(*) FROM runs r2 WHERE r2.slot_id = r.slot_id AND r2.id <= r.id) END AS slot_attempt
        FROM runs r LEFT JOIN users u ON u.id = r.user_id LEFT JOIN users a ON a.id = r.acting_as_user_id
        LEFT JOIN schedules sc ON sc.id = r.schedule_id
        """

    /// The run in `row`. Its effects and parameters are decoded when asked for (a listing
    /// need not decode them); an instant that does not parse throws here rather than show "-".
    static func entry(_ row: Row) throws(StoreError) -> RunHistoryEntry {
        let values = StoredValues(row, table: "runs")
        func date(_ column: String) throws(StoreError) -> Date? { try values.optionalTimestamp(column) }
        return RunHistoryEntry(
            id: values.rowID, userName: row["user_name"], actingAdminName: row["admin_name"], scriptName: row["script_name"],
            scriptSHA256: row["script_hash"], scriptVersion: row["script_version"], trigger: row["trigger"], mode: row["mode"],
            status: row["status"], parametersJSON: try values.text("params_json"), effectsJSON: try StoredEffects.json(values),
            output: row["output"], error: row["error"], startedAt: try date("started_at"), finishedAt: try date("finished_at"),
            durationMs: row["duration_ms"], committedAt: try date("committed_at"), scheduleName: row["schedule_name"],
            slotID: row["slot_id"], slotAt: try date("slot_at"), runnerID: row["runner_id"], attempt: row["slot_attempt"])
    }
}
