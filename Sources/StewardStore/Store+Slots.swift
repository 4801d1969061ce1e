import Foundation
import GRDB

/// How a claimed schedule slot ended.
public enum SlotOutcome: String, Sendable, CaseIterable {
    case succeeded, failed, skipped, abandoned
}

extension Store {
    /// Claims the slot (schedule, nominal time) for `runnerID`. The table's
    /// UNIQUE(schedule_id, nominal_at) makes this succeed for exactly one caller, whatever
    /// the number of runners on the database: the others get nil and must not run the slot.
    /// - Returns: the slot's id when this runner won it.
    public func claimSlot(scheduleID: Int64, nominalAt: Date, runnerID: String, at now: Date = Date()) throws -> Int64? {
        try writeImmediate { db in
            try db.cachedStatement(sql: """
                INSERT INTO schedule_slots (schedule_id, nominal_at, status, runner_id, claimed_at)
                VALUES (?, ?, 'claimed', ?, ?) ON CONFLICT (schedule_id, nominal_at) DO NOTHING
                """).execute(arguments: [scheduleID, Timestamp.text(nominalAt), runnerID, Timestamp.text(now)])
            guard db.changesCount == 1 else { return nil }
            let slotID = db.lastInsertedRowID
            // The last slot is stored with the schedule so a restarted runner knows where it was.
            try db.cachedStatement(sql: """
                UPDATE schedules SET last_slot_at = ? WHERE id = ? AND (last_slot_at IS NULL OR last_slot_at < ?)
                """).execute(arguments: [Timestamp.text(nominalAt), scheduleID, Timestamp.text(nominalAt)])
            return slotID
        }
    }

    /// Records how a claimed slot ended.
    public func finishSlot(_ slotID: Int64, outcome: SlotOutcome, reason: String? = nil, at now: Date = Date()) throws {
        try writeImmediate { db in
            try db.cachedStatement(sql: "UPDATE schedule_slots SET status = ?, reason = ?, finished_at = ? WHERE id = ?")
                .execute(arguments: [outcome.rawValue, reason, Timestamp.text(now), slotID])
            guard db.changesCount == 1 else { throw StoreError.notFound(kind: "slot", key: String(slotID)) }
        }
    }

    /// Records that a runner is alive (`steward runner status` reads it).
    public func heartbeat(runnerID: String, host: String, pid: Int32, startedAt: Date, intervalSeconds: Int,
                          at now: Date = Date()) throws {
        try writeImmediate { db in
            try db.cachedStatement(sql: """
                INSERT INTO runner_heartbeats (runner_id, host, pid, started_at, last_tick_at, interval_seconds)
                VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (runner_id) DO UPDATE SET last_tick_at = excluded.last_tick_at,
                                                      interval_seconds = excluded.interval_seconds
                """).execute(arguments: [runnerID, host, pid, Timestamp.text(startedAt), Timestamp.text(now), intervalSeconds])
        }
    }
}

extension StoreSnapshot {
    /// The most recent tick of any runner, with its interval, or nil if none ever ticked. A
    /// tick that does not parse throws (the row named by its rowid) rather than read as "never
    /// ticked".
    public func lastRunnerTick() throws -> (runnerID: String, at: Date, intervalSeconds: Int)? {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT rowid, runner_id, last_tick_at, interval_seconds FROM runner_heartbeats ORDER BY last_tick_at DESC LIMIT 1
            """)) else { return nil }
        let at = try StoredValues(row, table: "runner_heartbeats", idColumn: "rowid").timestamp("last_tick_at")
        return (row["runner_id"], at, row["interval_seconds"])
    }
}
