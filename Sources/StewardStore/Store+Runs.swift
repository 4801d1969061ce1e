import Foundation
import GRDB
import StewardCore

/// A run as stored, for `steward runs list|show`.
public struct StoredRun: Sendable, Hashable {
    public let id: Int64
    public let userName: String?
    public let scriptName: String
    public let scriptSHA256: String
    public let status: StoredRunStatus
    public let mode: RunMode
    public let trigger: RunTrigger
    public let parametersJSON: String
    /// Core's `[Effect]` as JSON; decode with ``effects()``.
    public let effectsJSON: String
    /// How many effects the record lists, if it was recorded (``SchemaV8``: nil only for an
    /// older record that could not be counted when the file was upgraded).
    public let effectCount: Int?
    public let output: String
    public let error: String?
    public let startedAt: Date?
    public let finishedAt: Date?
    public let slotAt: Date?

    /// The stored effects as a change set. JSON that does not decode, or lists another number
    /// of effects than ``effectCount``, throws ``StoreError/invalidStoredValue(table:rowID:column:problem:)``
    /// naming the run, not the decoder's bare account: a pending run is approved by applying
    /// exactly what this returns.
    public func effects() throws(StoreError) -> ChangeSet {
        ChangeSet(try StoredEffects.decode(effectsJSON, count: effectCount, runID: id))
    }
}

extension Store {
    /// Records a run that wrote nothing else: a dry run (`previewed`), a failure, a refusal,
    /// a timeout. Commits are recorded by ``apply(_:run:actor:at:pendingRunID:)`` in their own
    /// transaction instead.
    @discardableResult
    public func recordRun(_ run: RunSubmission, status: StoredRunStatus, effects: ChangeSet = ChangeSet(),
                          error: String? = nil) throws -> Int64 {
        precondition(status != .committed, "commits are recorded by apply")
        return try writeImmediate { db in
            guard let userID = try UserWriter.id(run.userName, db) else { throw StoreError.notFound(kind: "user", key: run.userName) }
            let mode: RunMode = status == .previewed ? .dryRun : .commit
            let runID = try RunWriter.insert(run, status: status, mode: mode, effects: EncodedEffects(effects), error: error,
                                             userID: userID, committedAt: nil, db)
            if status == .pendingApproval {
                try AuditWriter.append(action: "run.pending", actor: run.actingAdminName ?? run.userName, userID: userID,
                                       objectType: "run", objectID: String(runID), runID: runID,
                                       scriptHash: run.scriptSHA256, details: ["effects": String(effects.count)],
                                       at: run.finishedAt, db)
            }
            return runID
        }
    }

    /// Marks runs left `running` (their process died) as `abandoned`; returns how many.
    @discardableResult
    public func abandonUnfinishedRuns(at now: Date = Date()) throws -> Int {
        try writeImmediate { db in
            try db.cachedStatement(sql: "UPDATE runs SET status = 'abandoned', finished_at = ? WHERE status = 'running'")
                .execute(arguments: [Timestamp.text(now)])
            return db.changesCount
        }
    }
}

extension StoreSnapshot {
    /// One run, or nil.
    public func run(id: Int64) throws -> StoredRun? {
        let run = try db.cachedStatement(sql: """
            SELECT r.*, u.name AS user_name FROM runs r LEFT JOIN users u ON u.id = r.user_id WHERE r.id = ?
            """)
        return try Row.fetchOne(run, arguments: [id]).map { try Self.run($0) }
    }

    /// Runs, newest first, optionally of one script or status.
    public func runs(script: String? = nil, status: StoredRunStatus? = nil, limit: Int = 100) throws -> [StoredRun] {
        var conditions = ["1"]
        var arguments = StatementArguments()
        if let script {
            conditions.append("r.script_name = ?")
            _ = arguments.append(contentsOf: [script])
        }
        if let status {
            conditions.append("r.status = ?")
            _ = arguments.append(contentsOf: [status.rawValue])
        }
        _ = arguments.append(contentsOf: [limit])
        return try Row.fetchAll(db, sql: """
            SELECT r.*, u.name AS user_name FROM runs r LEFT JOIN users u ON u.id = r.user_id
            WHERE \(conditions.joined(separator: " AND ")) ORDER BY r.id DESC LIMIT ?
            """, arguments: arguments).map { try Self.run($0) }
    }

    /// The run in `row`. A status, mode or trigger Steward does not write throws rather than
    /// read as `failed`, `dry_run` or `manual`: a pending run read as failed could not be approved,
    /// and a commit read as a dry run would misreport what was applied.
    private static func run(_ row: Row) throws(StoreError) -> StoredRun {
        let values = StoredValues(row, table: "runs")
        return StoredRun(id: values.rowID, userName: row["user_name"], scriptName: row["script_name"],
                         scriptSHA256: row["script_hash"], status: try values.choice("status", "run status"),
                         mode: try values.choice("mode", "run mode"), trigger: try values.choice("trigger", "run trigger"),
                         parametersJSON: try values.text("params_json"), effectsJSON: try StoredEffects.json(values),
                         effectCount: try values.optionalCount("effects_count"), output: row["output"], error: row["error"], startedAt: try values.optionalTimestamp("started_at"),
                         finishedAt: try values.optionalTimestamp("finished_at"), slotAt: try values.optionalTimestamp("slot_at"))
    }
}
