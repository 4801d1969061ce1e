import Foundation
import GRDB
import StewardCore

/// One enabled schedule as the runner plans it: the stored schedule plus what its slots say.
public struct RunnerSchedule: Sendable, Hashable {
    public let schedule: ScheduleRecord
    /// The latest run of this schedule by any runner: when it started and ended (nil end:
    /// still running). For overlap `forbid`.
    public let previousRunStart: Date?
    public let previousRunEnd: Date?
    /// Failed attempts waiting to run again, soonest due first.
    public let pendingRetries: [PendingSlotRetry]
}

/// A slot queued for another attempt.
public struct PendingSlotRetry: Sendable, Hashable {
    public let slotID: Int64
    public let slotAt: Date
    public let attempt: Int
    public let due: Date
}

/// The answer to ``Store/claimScheduleSlot(scheduleID:slotAt:runnerID:forbidOverlap:at:)``.
public enum ScheduleSlotClaim: Sendable, Hashable {
    case claimed(slotID: Int64)
    /// The slot already has a row: another runner claimed or skipped it.
    case taken
    /// Another runner is running this schedule and overlap is forbidden.
    case busy
}

/// How a claimed slot ended.
public enum ScheduleSlotEnd: Sendable, Hashable {
    case succeeded
    case failed(reason: String, consecutiveFailures: Int)
    case retry(reason: String, attempt: Int, at: Date)
    case paused(reason: String, consecutiveFailures: Int)
    case skipped(reason: String)
    case abandoned(reason: String)
}

/// A slot that a runner left running and that was marked abandoned.
public struct RecoveredSlot: Sendable, Hashable {
    public let scheduleName: String
    public let slotAt: Date
    public let runnerID: String
}

/// What a scheduled run executes: the schedule's script at its latest version, and the
/// author whose delegate the run is.
public struct ScheduledScript: Sendable, Hashable {
    public let schedule: ScheduleRecord
    public let version: ScriptVersion
    public let author: User
    /// Whether the author's scope is the whole district.
    public let authorHasDistrictScope: Bool
}

/// A runner's last heartbeat.
public struct RunnerHeartbeat: Sendable, Hashable {
    public let runnerID: String
    public let host: String
    public let pid: Int32
    public let startedAt: Date
    public let lastTickAt: Date
    public let intervalSeconds: Int
}

/// One row of a schedule's slot history.
public struct ScheduleSlotRecord: Sendable, Hashable {
    public let id: Int64
    public let scheduleName: String
    public let slotAt: Date
    /// claimed (a retry waiting when `runnerID` is empty), running, succeeded, failed, skipped, abandoned.
    public let status: String
    public let runnerID: String
    /// When it was claimed; for a retry waiting, when the retry is due.
    public let claimedAt: Date
    /// Nil while it is claimed or running.
    public let finishedAt: Date?
    public let attempt: Int
    public let reason: String?
    /// The latest run recorded for the slot.
    public let runID: Int64?
}

extension Store {
    /// The enabled schedules with their previous run and pending retry, by id.
    public func runnerSchedules() throws -> [RunnerSchedule] {
        try read { snapshot in
            let db = snapshot.db
            let enabled = try db.cachedStatement(sql: ScheduleReader.select + " WHERE sc.enabled = 1 ORDER BY sc.id")
            return try Row.fetchAll(enabled).map { row in
                let schedule = try ScheduleReader.record(row)
                let previous = try Row.fetchOne(db.cachedStatement(sql: """
                    SELECT id, claimed_at, finished_at, status FROM schedule_slots
                    WHERE schedule_id = ? AND runner_id <> '' AND status IN ('running', 'succeeded', 'failed', 'abandoned')
                    ORDER BY claimed_at DESC LIMIT 1
                    """), arguments: [schedule.id])
                let retries = try Row.fetchAll(db.cachedStatement(sql: """
                    SELECT id, nominal_at, attempt, claimed_at FROM schedule_slots
                    WHERE schedule_id = ? AND status = 'claimed' AND runner_id = '' ORDER BY claimed_at, nominal_at
                    """), arguments: [schedule.id])
                // Instants that do not parse throw: a retry dropped would never run, and a
                // previous run read as none would let overlap=forbid start a second one.
                let pending = try retries.map { r throws(StoreError) -> PendingSlotRetry in
                    let slot = StoredValues(r, table: "schedule_slots")
                    return PendingSlotRetry(slotID: slot.rowID, slotAt: try slot.timestamp("nominal_at"), attempt: r["attempt"],
                                            due: try slot.timestamp("claimed_at"))
                }
                let last = previous.map { StoredValues($0, table: "schedule_slots") }
                let running = previous.map { ($0["status"] as String) == "running" } ?? false
                return RunnerSchedule(schedule: schedule, previousRunStart: try last?.timestamp("claimed_at"),
                                      previousRunEnd: running ? nil : try last?.optionalTimestamp("finished_at"),
                                      pendingRetries: pending)
            }
        }
    }

    /// Claims the slot (schedule, instant) for `runnerID`: exactly one caller wins, whatever
    /// the number of runners, by the UNIQUE (schedule_id, nominal_at) key of `schedule_slots`.
    /// With `forbidOverlap`, a schedule that another runner is running now is `busy`.
    public func claimScheduleSlot(scheduleID: Int64, slotAt: Date, runnerID: String, forbidOverlap: Bool,
                                  at now: Date) throws -> ScheduleSlotClaim {
        try writeImmediate { db in
            if forbidOverlap, try Bool.fetchOne(db.cachedStatement(sql: """
                SELECT EXISTS (SELECT 1 FROM schedule_slots WHERE schedule_id = ? AND status = 'running' AND runner_id <> '')
                """), arguments: [scheduleID]) == true {
                return .busy
            }
            try db.cachedStatement(sql: """
                INSERT INTO schedule_slots (schedule_id, nominal_at, status, runner_id, claimed_at)
                VALUES (?, ?, 'running', ?, ?) ON CONFLICT (schedule_id, nominal_at) DO NOTHING
                """).execute(arguments: [scheduleID, Timestamp.text(slotAt), runnerID, Timestamp.text(now)])
            guard db.changesCount == 1 else { return .taken }
            let slotID = db.lastInsertedRowID
            try SlotWriter.advance(scheduleID, to: slotAt, db)
            return .claimed(slotID: slotID)
        }
    }

    /// Claims a slot queued for a retry; false when another runner took it first.
    public func claimSlotRetry(slotID: Int64, runnerID: String, at now: Date) throws -> Bool {
        try writeImmediate { db in
            try db.cachedStatement(sql: """
                UPDATE schedule_slots SET status = 'running', runner_id = ?, claimed_at = ?
                WHERE id = ? AND status = 'claimed' AND runner_id = ''
                """).execute(arguments: [runnerID, Timestamp.text(now), slotID])
            return db.changesCount == 1
        }
    }

    /// Records due slots that are not run (one row, keyed by `slotAt`, the newest of the
    /// group), unless that key is taken. Moves the schedule's last slot forward to it.
    public func recordSkippedSlot(scheduleID: Int64, slotAt: Date, reason: String, runnerID: String, at now: Date) throws {
        try writeImmediate { db in
            try db.cachedStatement(sql: """
                INSERT INTO schedule_slots (schedule_id, nominal_at, status, runner_id, claimed_at, finished_at, reason)
                VALUES (?, ?, 'skipped', ?, ?, ?, ?) ON CONFLICT (schedule_id, nominal_at) DO NOTHING
                """).execute(arguments: [scheduleID, Timestamp.text(slotAt), runnerID, Timestamp.text(now), Timestamp.text(now),
                                         reason])
            try SlotWriter.advance(scheduleID, to: slotAt, db)
        }
    }

    /// Records how a claimed slot ended and what follows for its schedule: the failure count,
    /// a queued retry, or a pause with a reminder for the script's author.
    public func finishScheduleSlot(_ slotID: Int64, _ end: ScheduleSlotEnd, at now: Date) throws {
        try writeImmediate { db in
            let slot = try db.cachedStatement(sql: "SELECT schedule_id FROM schedule_slots WHERE id = ?")
            guard let scheduleID = try Int64.fetchOne(slot, arguments: [slotID]) else {
                throw StoreError.notFound(kind: "slot", key: String(slotID))
            }
            let stamp = Timestamp.text(now)
            func finish(_ status: String, _ reason: String?) throws {
                try db.cachedStatement(sql: "UPDATE schedule_slots SET status = ?, reason = ?, finished_at = ? WHERE id = ?")
                    .execute(arguments: [status, reason, stamp, slotID])
            }
            switch end {
            case .succeeded:
                try finish("succeeded", nil)
                try db.cachedStatement(sql: "UPDATE schedules SET consecutive_failures = 0 WHERE id = ?")
                    .execute(arguments: [scheduleID])
            case .failed(let reason, let failures):
                try finish("failed", reason)
                try db.cachedStatement(sql: "UPDATE schedules SET consecutive_failures = ? WHERE id = ?")
                    .execute(arguments: [failures, scheduleID])
            case .retry(let reason, let attempt, let at):
                // Queued: status 'claimed' with no runner, due at claimed_at (see runnerSchedules()).
                try db.cachedStatement(sql: """
                    UPDATE schedule_slots SET status = 'claimed', runner_id = '', claimed_at = ?, attempt = ?, reason = ?,
                           finished_at = NULL WHERE id = ?
                    """).execute(arguments: [Timestamp.text(at), attempt, reason, slotID])
            case .paused(let reason, let failures):
                try finish("failed", reason)
                try db.cachedStatement(sql: "UPDATE schedules SET consecutive_failures = ?, enabled = 0 WHERE id = ?")
                    .execute(arguments: [failures, scheduleID])
                try SlotWriter.pauseReminder(scheduleID: scheduleID, failures: failures, reason: reason, at: now, db)
                try SlotWriter.cancelRetries(scheduleID: scheduleID, at: now, db)
            case .skipped(let reason):
                try finish("skipped", reason)
            case .abandoned(let reason):
                try finish("abandoned", reason)
            }
        }
    }

    /// Stores `instant` as the schedule's last slot if it is later than the stored one.
    public func advanceScheduleLastSlot(_ scheduleID: Int64, to instant: Date) throws {
        try writeImmediate { db in try SlotWriter.advance(scheduleID, to: instant, db) }
    }

    /// Records that a runner is alive: its process, when it started and its interval.
    public func runnerHeartbeat(runnerID: String, host: String, pid: Int32, startedAt: Date, intervalSeconds: Int,
                                at now: Date) throws {
        try writeImmediate { db in
            try db.cachedStatement(sql: """
                INSERT INTO runner_heartbeats (runner_id, host, pid, started_at, last_tick_at, interval_seconds)
                VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (runner_id) DO UPDATE SET host = excluded.host, pid = excluded.pid,
                    started_at = excluded.started_at, last_tick_at = excluded.last_tick_at,
                    interval_seconds = excluded.interval_seconds
                """).execute(arguments: [runnerID, host, pid, Timestamp.text(startedAt), Timestamp.text(now), intervalSeconds])
        }
    }

    /// Marks as abandoned the slots left running by runners that are gone — this runner's
    /// earlier processes (same id; `isAlive` says a pid on this host is gone) and runners
    /// whose last tick is older than twice their interval — and records an `abandoned` run
    /// for each, naming the runner. A slot whose run was in fact committed (the runner died
    /// between committing and recording the slot) is marked succeeded instead.
    ///
    /// Recovery invents no instants. A dead slot's claim time (the start of its run and the
    /// earliest end on record) or nominal time (its run's slot), or a runner's last tick that
    /// does not parse, throws ``StoreError/invalidStoredValue(table:rowID:column:problem:)``
    /// naming the row, and nothing is recovered (one transaction). Each fallback this replaces
    /// wrote something false: `now` as the claim stretched a dead run over the slots due since
    /// (overlap=forbid then skipped them, see below), `now` as the slot recorded the run under
    /// the wrong slot, and a tick that does not parse, read as no heartbeat, declared a runner
    /// that may be alive dead — its slot abandoned and an `abandoned` run recorded while it was
    /// still running and about to commit. Throwing stops `steward runner` at start and is logged
    /// on every tick of a running one ("recovering abandoned slots: …") until the named row is
    /// corrected: loud, and it says which row, where a guess would be silent and permanent.
    /// (``runnerSchedules()`` already refuses these columns the same way.) A runner with no
    /// heartbeat row at all has never said it is alive, and is dead as before.
    public func recoverAbandonedSlots(runnerID: String, host: String, pid: Int32, at now: Date,
                                      isAlive: (Int32) -> Bool) throws -> [RecoveredSlot] {
        try writeImmediate { db in
            let rows = try Row.fetchAll(db.cachedStatement(sql: """
                SELECT sl.id, sl.schedule_id, sl.nominal_at, sl.runner_id, sl.claimed_at, sl.attempt, sc.name AS schedule_name,
                       h.rowid AS heartbeat_rowid, h.host, h.pid, h.last_tick_at, h.interval_seconds
                FROM schedule_slots sl JOIN schedules sc ON sc.id = sl.schedule_id
                LEFT JOIN runner_heartbeats h ON h.runner_id = sl.runner_id
                WHERE sl.status IN ('claimed', 'running') AND sl.runner_id <> ''
                """))
            var recovered: [RecoveredSlot] = []
            for row in rows {
                let slot = StoredValues(row, table: "schedule_slots")
                let owner: String = row["runner_id"]
                let ownerHost: String? = row["host"]
                let ownerPID: Int32? = row["pid"]
                // runner_heartbeats is keyed by runner id: its row is named by its rowid.
                let heartbeat = (row["heartbeat_rowid"] as DatabaseValue).isNull
                    ? nil : StoredValues(row, table: "runner_heartbeats", idColumn: "heartbeat_rowid")
                let lastTick = try heartbeat?.timestamp("last_tick_at")
                let interval = TimeInterval(row["interval_seconds"] as Int? ?? 60)
                let dead: Bool
                if owner == runnerID, ownerHost == host, let ownerPID, ownerPID != pid {
                    dead = !isAlive(ownerPID)
                } else if owner == runnerID, ownerPID == pid {
                    dead = false  // our own run in progress
                } else if let lastTick {
                    dead = now.timeIntervalSince(lastTick) > 2 * interval
                } else {
                    dead = true
                }
                guard dead else { continue }
                let slotID: Int64 = row["id"]
                let committed = try db.cachedStatement(sql: """
                    SELECT EXISTS (SELECT 1 FROM runs WHERE slot_id = ? AND status = 'committed')
                    """)
                if try Bool.fetchOne(committed, arguments: [slotID]) == true {
                    try db.cachedStatement(sql: "UPDATE schedule_slots SET status = 'succeeded', finished_at = ? WHERE id = ?")
                        .execute(arguments: [Timestamp.text(now), slotID])
                    continue
                }
                let reason = "runner \(owner)\(ownerPID.map { " (pid \($0)\(ownerHost.map { " on \($0)" } ?? ""))" } ?? "") stopped before the run finished; nothing was written"
                // The run ended when its runner died, not when this runner noticed: its last
                // sign of life (the claim, or a later heartbeat) is the end on record. Recording
                // `now` stretched the dead run over every slot due before this start, so
                // overlap=forbid skipped the very slot this start should run or catch up
                // ("previous run still running") — a crash mid-run cost the next slot too.
                let claimedAt = try slot.timestamp("claimed_at")
                let slotAt = try slot.timestamp("nominal_at")
                let lastAlive = min(now, max(claimedAt, lastTick ?? claimedAt))
                let unrecorded = try SlotWriter.abandonedRun(scheduleID: row["schedule_id"], slotID: slotID, slotAt: slotAt,
                                                             runnerID: owner, startedAt: claimedAt, reason: reason, at: now, db)
                try db.cachedStatement(sql: """
                    UPDATE schedule_slots SET status = 'abandoned', reason = ?, finished_at = ? WHERE id = ?
                    """)
                    .execute(arguments: [reason + (unrecorded.map { "; \($0)" } ?? ""), Timestamp.text(lastAlive), slotID])
                recovered.append(RecoveredSlot(scheduleName: row["schedule_name"], slotAt: slotAt, runnerID: owner))
            }
            return recovered
        }
    }
}

extension StoreSnapshot {
    /// What a schedule runs now: its script's latest version and that version's author.
    public func scheduledScript(scheduleID: Int64) throws -> ScheduledScript? {
        guard let schedule = try ScheduleReader.record(id: scheduleID, db),
              let version = try ScriptReader.version(schedule.scriptName, nil, db)?.version,
              let author = try UserWriter.user(version.author, db) else { return nil }
        let district = try UserWriter.districtCode(db)
        return ScheduledScript(schedule: schedule, version: version, author: author,
                               authorHasDistrictScope: author.scopePlaceCode == district)
    }

    /// Every runner's last heartbeat, most recent first. An instant that does not parse throws
    /// (the row named by its rowid: the table is keyed by runner id): read as none, a runner
    /// whose tick was damaged showed as never having ticked, and as silent.
    public func runnerHeartbeats() throws -> [RunnerHeartbeat] {
        let heartbeats = try db.cachedStatement(sql: "SELECT rowid, * FROM runner_heartbeats ORDER BY last_tick_at DESC")
        return try Row.fetchAll(heartbeats).map { row in
            let values = StoredValues(row, table: "runner_heartbeats", idColumn: "rowid")
            return RunnerHeartbeat(runnerID: row["runner_id"], host: row["host"], pid: row["pid"],
                                   startedAt: try values.timestamp("started_at"), lastTickAt: try values.timestamp("last_tick_at"),
                                   intervalSeconds: row["interval_seconds"])
        }
    }

    /// Slots, newest first: of one schedule, or with a given status, or all. An instant that
    /// does not parse throws: shown as "?" or "-", `runner status` and `schedule history`
    /// listed a slot without saying which one it was, or when it was claimed or is due again.
    public func scheduleSlots(schedule: String? = nil, status: String? = nil, limit: Int = 50) throws -> [ScheduleSlotRecord] {
        var conditions = ["1"]
        var arguments = StatementArguments()
        if let schedule {
            conditions.append("sc.name = ?")
            _ = arguments.append(contentsOf: [schedule])
        }
        if let status {
            conditions.append("sl.status = ?")
            _ = arguments.append(contentsOf: [status])
        }
        _ = arguments.append(contentsOf: [limit])
        return try Row.fetchAll(db, sql: """
            SELECT sl.*, sc.name AS schedule_name, (SELECT MAX(r.id) FROM runs r WHERE r.slot_id = sl.id) AS run_id
            FROM schedule_slots sl JOIN schedules sc ON sc.id = sl.schedule_id
            WHERE \(conditions.joined(separator: " AND ")) ORDER BY sl.nominal_at DESC, sl.id DESC LIMIT ?
            """, arguments: arguments).map { row in
            let values = StoredValues(row, table: "schedule_slots")
            return ScheduleSlotRecord(id: values.rowID, scheduleName: row["schedule_name"], slotAt: try values.timestamp("nominal_at"),
                                      status: row["status"], runnerID: row["runner_id"],
                                      claimedAt: try values.timestamp("claimed_at"),
                                      finishedAt: try values.optionalTimestamp("finished_at"),
                                      attempt: row["attempt"], reason: row["reason"], runID: row["run_id"])
        }
    }
}

enum SlotWriter {
    static func advance(_ scheduleID: Int64, to instant: Date, _ db: Database) throws {
        let text = Timestamp.text(instant)
        try db.cachedStatement(sql: """
            UPDATE schedules SET last_slot_at = ? WHERE id = ? AND (last_slot_at IS NULL OR last_slot_at < ?)
            """).execute(arguments: [text, scheduleID, text])
    }

    /// A paused schedule leaves its script's author (of the latest version) a reminder in the
    /// outbox, due today, listed under the author's scope.
    ///
    /// A script with no stored version has no author to tell (Steward stores every script with
    /// its first version and deletes none, so the database was changed by other means). The
    /// pause is still said: the reminder is about the schedule itself, listed for the whole
    /// district, and says what to restore. (It used to be left out without a word.)
    ///
    /// It is due on today's date in the schedule's zone. A zone that names none throws
    /// ``StoreError/invalidStoredValue(table:rowID:column:problem:)`` (and the pause with it:
    /// one transaction), rather than date the reminder in Asia/Shanghai, or on 1970-01-01.
    static func pauseReminder(scheduleID: Int64, failures: Int, reason: String, at now: Date, _ db: Database) throws {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT sc.id, sc.name AS schedule_name, sc.time_zone, s.name AS script_name, u.name AS author,
                   u.scope_place_id
            FROM schedules sc JOIN scripts s ON s.id = sc.script_id
            LEFT JOIN script_versions v ON v.script_id = s.id
                 AND v.version = (SELECT MAX(version) FROM script_versions WHERE script_id = s.id)
            LEFT JOIN users u ON u.id = v.author_id WHERE sc.id = ?
            """), arguments: [scheduleID]) else {
            throw StoreError.notFound(kind: "schedule", key: String(scheduleID))
        }
        let name: String = row["schedule_name"]
        let author: String? = row["author"]
        let due = CivilDate(now, in: try StoredValues(row, table: "schedules").timeZone("time_zone")).iso
        let firstLine = reason.split(separator: "\n").first.map(String.init) ?? reason
        let paused = "schedule '\(name)' was paused after \(failures) failed runs in a row (last: \(firstLine))."
        let resume = "steward schedule resume \(name)"
        let subject: (kind: String, id: String, place: Int64?, text: String)
        if let author {
            subject = ("user", author, row["scope_place_id"], "\(author): \(paused) Fix the script, then: \(resume)")
        } else {
            let script: String = row["script_name"]
            subject = ("schedule", name, nil, "\(paused) Its script '\(script)' has no stored version, so no author "
                       + "to tell (Steward deletes none, so the database was changed by other means): restore its "
                       + "versions from a backup, then: \(resume)")
        }
        try db.cachedStatement(sql: """
            INSERT INTO reminders (dedup_key, kind, subject_kind, subject_id, place_id, due_on, text, status, created_at)
            VALUES (?, 'schedule_paused', ?, ?, ?, ?, ?, 'pending', ?) ON CONFLICT (dedup_key) DO NOTHING
            """).execute(arguments: [
                "schedule-paused:\(name):\(Timestamp.text(now))", subject.kind, subject.id, subject.place, due,
                String(subject.text.prefix(1000)), Timestamp.text(now),
            ])
    }

    /// Ends the retries a paused schedule had queued: resuming starts afresh.
    static func cancelRetries(scheduleID: Int64, at now: Date, _ db: Database) throws {
        try db.cachedStatement(sql: """
            UPDATE schedule_slots SET status = 'failed', finished_at = ?,
                   reason = COALESCE(reason, 'failed') || ' (retry cancelled: the schedule was paused)'
            WHERE schedule_id = ? AND status = 'claimed' AND runner_id = ''
            """).execute(arguments: [Timestamp.text(now), scheduleID])
    }

    /// The run record of a slot whose runner died: the schedule's latest version, acting as
    /// its author, status `abandoned`.
    ///
    /// A run record names the script version that ran (`script_hash` is NOT NULL), and a
    /// schedule whose script has no version has none to name: Steward stores every script
    /// with its first version and deletes none, so the versions were removed by other means.
    /// Inventing a version would put a run of code nobody approved in the history; throwing
    /// would undo the whole recovery, leaving every other dead runner's slot `running` (and
    /// `overlap=forbid` schedules skipping their slots) over one damaged script. So the slot is
    /// still abandoned — that is what happened — and the missing run record is said where the
    /// slot is read (`schedule history`, `runner status`): this returns why there is none, for
    /// the slot's reason. (It used to return quietly, and the slot read as though its run had
    /// been recorded.)
    /// - Returns: nil when the run was recorded; otherwise why it was not, one clause.
    static func abandonedRun(scheduleID: Int64, slotID: Int64, slotAt: Date, runnerID: String, startedAt: Date,
                             reason: String, at now: Date, _ db: Database) throws -> String? {
        // The recovery read the slot joined to its schedule in this transaction.
        guard let schedule = try ScheduleReader.record(id: scheduleID, db) else {
            throw StoreError.notFound(kind: "schedule", key: String(scheduleID))
        }
        guard let version = try ScriptReader.version(schedule.scriptName, nil, db)?.version else {
            return "no run was recorded: script '\(schedule.scriptName)' of schedule '\(schedule.name)' has no stored version "
                + "(Steward deletes none, so the database was changed by other means: restore its versions from a backup)"
        }
        // `ScriptReader.version` joined the author, so there is one.
        guard let userID = try UserWriter.id(version.author, db) else {
            throw StoreError.notFound(kind: "user", key: version.author)
        }
        let run = RunSubmission(userName: version.author, scriptName: schedule.scriptName, scriptSHA256: version.sha256,
                                scriptVersion: version.version, trigger: .schedule, parameters: schedule.parameters,
                                startedAt: startedAt, finishedAt: max(now, startedAt), scheduleID: scheduleID, slotID: slotID,
                                slotAt: slotAt, runnerID: runnerID)
        _ = try RunWriter.insert(run, status: .abandoned, mode: .commit, effects: EncodedEffects(ChangeSet()), error: reason,
                                 userID: userID, committedAt: nil, db)
        return nil
    }
}
