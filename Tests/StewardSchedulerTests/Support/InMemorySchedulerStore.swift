import Foundation
@testable import StewardScheduler

/// A `SchedulerStore` in memory, with the same rules as Steward's database: one row per
/// (schedule, slot instant), whoever inserts it first wins; overlap `forbid` makes a schedule
/// with a running slot `busy`; recording a slot moves the last slot forward. Thread-safe, so
/// several runners (threads) can race on it.
final class InMemorySchedulerStore: SchedulerStore, @unchecked Sendable {
    // @unchecked: everything below is touched only under `lock`.
    struct Row: Equatable {
        var scheduleID: Int64
        var instant: Date
        var status: String
        var runnerID: String
        var claimedAt: Date
        var finishedAt: Date?
        var attempt: Int
        var reason: String?
    }

    private let lock = NSLock()
    private var states: [Int64: ScheduleState] = [:]
    private var enabled: [Int64: Bool] = [:]
    private(set) var rowsByID: [Int64: Row] = [:]
    private var keys: [String: Int64] = [:]
    private var nextID: Int64 = 1
    private var beats: [String: (pid: Int32, at: Date, interval: TimeInterval)] = [:]
    /// Schedules paused by `finish(.paused)`, in order.
    private(set) var pauses: [Int64] = []

    func add(_ state: ScheduleState) {
        lock.withLock {
            states[state.id] = state
            enabled[state.id] = true
        }
    }

    var rows: [Row] { lock.withLock { rowsByID.keys.sorted().map { rowsByID[$0]! } } }

    func isEnabled(_ id: Int64) -> Bool { lock.withLock { enabled[id] ?? false } }

    func state(_ id: Int64) -> ScheduleState? { lock.withLock { states[id] } }

    private func key(_ scheduleID: Int64, _ instant: Date) -> String {
        "\(scheduleID)|\(instant.timeIntervalSince1970)"
    }

    func schedules(now: Date) throws -> [ScheduleState] {
        lock.withLock {
            states.keys.sorted().filter { enabled[$0] == true }.map { id in
                var state = states[id]!
                let mine = rowsByID.values.filter { $0.scheduleID == id }
                if let previous = mine.filter({ !$0.runnerID.isEmpty && ["running", "succeeded", "failed", "abandoned"].contains($0.status) })
                    .max(by: { $0.claimedAt < $1.claimedAt }) {
                    state.previousRun = RunWindow(start: previous.claimedAt, end: previous.status == "running" ? nil : previous.finishedAt)
                }
                state.pendingRetries = rowsByID.filter { $0.value.scheduleID == id && $0.value.status == "claimed" && $0.value.runnerID.isEmpty }
                    .map { PendingRetry(slotID: $0.key, slotInstant: $0.value.instant, attempt: $0.value.attempt, due: $0.value.claimedAt) }
                    .sorted { $0.due < $1.due }
                return state
            }
        }
    }

    private func advance(_ scheduleID: Int64, _ instant: Date) {
        if let last = states[scheduleID]?.lastSlot, last < instant { states[scheduleID]?.lastSlot = instant }
    }

    func claim(_ slot: CronSlot, schedule: ScheduleState, runnerID: String, now: Date) throws -> SlotClaim {
        lock.withLock {
            if schedule.overlap == .forbid,
               rowsByID.values.contains(where: { $0.scheduleID == schedule.id && $0.status == "running" && !$0.runnerID.isEmpty }) {
                return .busy
            }
            let k = key(schedule.id, slot.instant)
            guard keys[k] == nil else { return .taken }
            let id = nextID
            nextID += 1
            keys[k] = id
            rowsByID[id] = Row(scheduleID: schedule.id, instant: slot.instant, status: "running", runnerID: runnerID,
                               claimedAt: now, attempt: 1)
            advance(schedule.id, slot.instant)
            return .claimed(slotID: id)
        }
    }

    func claimRetry(_ retry: PendingRetry, schedule: ScheduleState, runnerID: String, now: Date) throws -> Bool {
        lock.withLock {
            guard var row = rowsByID[retry.slotID], row.status == "claimed", row.runnerID.isEmpty else { return false }
            row.status = "running"
            row.runnerID = runnerID
            row.claimedAt = now
            rowsByID[retry.slotID] = row
            return true
        }
    }

    func recordSkipped(_ skipped: SkippedSlots, schedule: ScheduleState, runnerID: String, now: Date) throws {
        lock.withLock {
            let k = key(schedule.id, skipped.last.instant)
            if keys[k] == nil {
                let id = nextID
                nextID += 1
                keys[k] = id
                rowsByID[id] = Row(scheduleID: schedule.id, instant: skipped.last.instant, status: "skipped",
                                   runnerID: runnerID, claimedAt: now, finishedAt: now, attempt: 1,
                                   reason: skipped.description)
            }
            advance(schedule.id, skipped.last.instant)
        }
    }

    func finish(slotID: Int64, schedule: ScheduleState, result: SlotResult, runnerID: String, now: Date) throws {
        lock.withLock {
            guard var row = rowsByID[slotID] else { return }
            row.finishedAt = now
            switch result {
            case .succeeded:
                row.status = "succeeded"
                states[schedule.id]?.consecutiveFailures = 0
            case .failed(let reason, let n):
                row.status = "failed"
                row.reason = reason
                states[schedule.id]?.consecutiveFailures = n
            case .retry(let reason, let attempt, let at):
                row.status = "claimed"
                row.runnerID = ""
                row.claimedAt = at
                row.attempt = attempt
                row.reason = reason
                row.finishedAt = nil
            case .paused(let reason, let n):
                row.status = "failed"
                row.reason = reason
                states[schedule.id]?.consecutiveFailures = n
                enabled[schedule.id] = false
                pauses.append(schedule.id)
            case .skipped(let reason):
                row.status = "skipped"
                row.reason = reason
            case .abandoned(let reason):
                row.status = "abandoned"
                row.reason = reason
            }
            rowsByID[slotID] = row
        }
    }

    func advanceLastSlot(scheduleID: Int64, to instant: Date) throws {
        lock.withLock { advance(scheduleID, instant) }
    }

    func heartbeat(runnerID: String, pid: Int32, startedAt: Date, interval: TimeInterval, now: Date) throws {
        lock.withLock { beats[runnerID] = (pid, now, interval) }
    }

    /// Runners that are gone, as a test says (the in-memory "processes").
    var deadPIDs: Set<Int32> = []

    func recoverAbandoned(runnerID: String, pid: Int32, now: Date) throws -> [AbandonedSlot] {
        lock.withLock {
            var out: [AbandonedSlot] = []
            for (id, row) in rowsByID where ["claimed", "running"].contains(row.status) && !row.runnerID.isEmpty {
                guard let beat = beats[row.runnerID] else { continue }
                let dead = row.runnerID == runnerID ? (beat.pid != pid && deadPIDs.contains(beat.pid))
                    : now.timeIntervalSince(beat.at) > 2 * beat.interval
                guard dead else { continue }
                var updated = row
                updated.status = "abandoned"
                updated.finishedAt = now
                updated.reason = "runner \(row.runnerID) stopped"
                rowsByID[id] = updated
                out.append(AbandonedSlot(scheduleName: states[row.scheduleID]?.name ?? "?", slotInstant: row.instant,
                                         runnerID: row.runnerID))
            }
            return out
        }
    }
}

/// Records what an executor was asked to run, and answers from a script of verdicts.
final class RecordingExecutor: RunExecutor, @unchecked Sendable {
    struct Call: Equatable {
        var schedule: String
        var nominal: LocalDateTime
        var instant: Date
        var slotText: String
        var attempt: Int
        var runnerID: String
        var startedAt: Date
    }

    private let lock = NSLock()
    private var recorded: [Call] = []
    private let verdict: @Sendable (RunJob) -> RunVerdict
    /// Simulated run time: the executor advances this clock by it (nil: runs take no time).
    private let clock: ManualClock?
    private let duration: TimeInterval

    init(clock: ManualClock? = nil, duration: TimeInterval = 0,
         verdict: @escaping @Sendable (RunJob) -> RunVerdict = { _ in .succeeded }) {
        self.clock = clock
        self.duration = duration
        self.verdict = verdict
    }

    var calls: [Call] { lock.withLock { recorded } }

    func execute(_ job: RunJob) async -> RunVerdict {
        lock.withLock {
            recorded.append(Call(schedule: job.schedule.name, nominal: job.slot.nominal, instant: job.slot.instant,
                                 slotText: job.slotText, attempt: job.attempt, runnerID: job.runnerID,
                                 startedAt: job.startedAt))
        }
        // Give the other runner a chance to race for the same slots.
        await Task.yield()
        if let clock, duration > 0 { clock.advance(by: duration) }
        return verdict(job)
    }
}
