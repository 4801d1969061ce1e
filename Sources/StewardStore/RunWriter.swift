import Foundation
import GRDB
import StewardCore

/// Writes `runs` rows. Effects are kept as Core's JSON (sorted keys, so the same change set
/// always gives the same text), deflated when large (``StoredEffects``), with their number
/// beside them for listings (``SchemaV8``).
enum RunWriter {
    static func parametersJSON(_ parameters: [String: String]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(parameters), as: UTF8.self)
    }

    /// Inserts a run record and returns its id.
    ///
    /// - Parameter effects: the record's effects; nil writes none yet, for ``fillEffects(_:_:_:)``
    ///   to write before the transaction ends.
    static func insert(
        _ run: RunSubmission, status: StoredRunStatus, mode: RunMode, effects: EncodedEffects?, error: String?,
        userID: Int64, committedAt: String?, _ db: Database
    ) throws -> Int64 {
        let actingID = try run.actingAdminName.map { name in
            guard let id = try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM users WHERE name = ?"),
                                              arguments: [name]) else {
                throw StoreError.notFound(kind: "user", key: name)
            }
            return id
        }
        let duration = Int((run.finishedAt.timeIntervalSince(run.startedAt) * 1000).rounded())
        let stored = try effects?.stored() ?? .none
        try db.cachedStatement(sql: """
            INSERT INTO runs (user_id, acting_as_user_id, script_name, script_hash, script_version, trigger, mode,
                              params_json, status, effects_json, effects_inflated_size, effects_count, output, error,
                              started_at, finished_at, duration_ms, committed_at, schedule_id, slot_id, slot_at, runner_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [
                userID, actingID, run.scriptName, run.scriptSHA256, run.scriptVersion, run.trigger.rawValue,
                mode.rawValue, try parametersJSON(run.parameters), status.rawValue, stored.value, stored.inflatedSize,
                effects?.count ?? 0, run.output, error, Timestamp.text(run.startedAt), Timestamp.text(run.finishedAt), duration,
                committedAt, run.scheduleID, run.slotID, run.slotAt.map(Timestamp.text), run.runnerID,
            ])
        return db.lastInsertedRowID
    }

    /// Writes the effects of a run record inserted without them, in the same transaction.
    ///
    /// A large commit's effects are encoded on a thread of their own (``EncodedEffects``);
    /// its ledger rows need the run's id, so the record is inserted first and its effects
    /// written last, and the encoding runs alongside the inserts instead of holding them up
    /// (26,707 grants: the commit waited about 100 M instructions for it).
    static func fillEffects(_ runID: Int64, _ effects: EncodedEffects, _ db: Database) throws {
        let stored = try effects.stored()
        try db.cachedStatement(sql: "UPDATE runs SET effects_json = ?, effects_inflated_size = ?, effects_count = ? WHERE id = ?")
            .execute(arguments: [stored.value, stored.inflatedSize, effects.count, runID])
        guard db.changesCount == 1 else {
            throw StoreError.notFound(kind: "run", key: String(runID))
        }
    }
}

/// Appends rows to the append-only `audit` table.
enum AuditWriter {
    static func append(
        action: String, actor: String, userID: Int64?, objectType: String?, objectID: String?, runID: Int64?,
        scriptHash: String?, details: [String: String], at date: Date, _ db: Database
    ) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        try db.cachedStatement(sql: """
            INSERT INTO audit (at, user_id, actor, action, object_type, object_id, run_id, script_hash, details_json)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [
                Timestamp.text(date), userID, actor, action, objectType, objectID, runID, scriptHash,
                String(decoding: try encoder.encode(details), as: UTF8.self),
            ])
    }
}
