import Foundation
import StewardCore
import StewardScheduler
import StewardStore

/// The scheduler's view of Steward's database (``SchedulerStore`` over ``Store``): schedules
/// in, claims, skips and outcomes out. Claims rest on the UNIQUE (schedule, slot) key of
/// `schedule_slots`; a slot is keyed by its instant.
struct StoreSchedulerAdapter: SchedulerStore {
    let store: Store
    let host: String

    func schedules(now: Date) throws -> [ScheduleState] {
        try store.runnerSchedules().map { row in
            let s = row.schedule
            let retry = RetryPolicy(maxRetries: max(0, s.maxRetries))
            return ScheduleState(
                id: s.id, name: s.name, cron: s.cron, timeZoneIdentifier: s.timeZoneIdentifier,
                catchUp: StewardScheduler.CatchUpPolicy(s.catchUp),
                catchUpCap: max(1, s.maxCatchUp),
                overlap: StewardScheduler.OverlapPolicy(s.overlap),
                retry: retry, lastSlot: s.lastSlotAt ?? s.createdAt, consecutiveFailures: s.consecutiveFailures,
                previousRun: row.previousRunStart.map { RunWindow(start: $0, end: row.previousRunEnd) },
                pendingRetries: row.pendingRetries.map {
                    PendingRetry(slotID: $0.slotID, slotInstant: $0.slotAt, attempt: $0.attempt, due: $0.due)
                })
        }
    }

    func claim(_ slot: CronSlot, schedule: ScheduleState, runnerID: String, now: Date) throws -> SlotClaim {
        switch try store.claimScheduleSlot(scheduleID: schedule.id, slotAt: slot.instant, runnerID: runnerID,
                                           forbidOverlap: schedule.overlap == .forbid, at: now) {
        case .claimed(let id): return .claimed(slotID: id)
        case .taken: return .taken
        case .busy: return .busy
        }
    }

    func claimRetry(_ retry: PendingRetry, schedule: ScheduleState, runnerID: String, now: Date) throws -> Bool {
        try store.claimSlotRetry(slotID: retry.slotID, runnerID: runnerID, at: now)
    }

    func recordSkipped(_ skipped: SkippedSlots, schedule: ScheduleState, runnerID: String, now: Date) throws {
        try store.recordSkippedSlot(scheduleID: schedule.id, slotAt: skipped.last.instant, reason: skipped.description,
                                    runnerID: runnerID, at: now)
    }

    func finish(slotID: Int64, schedule: ScheduleState, result: SlotResult, runnerID: String, now: Date) throws {
        let end: ScheduleSlotEnd
        switch result {
        case .succeeded: end = .succeeded
        case .failed(let reason, let n): end = .failed(reason: reason, consecutiveFailures: n)
        case .retry(let reason, let attempt, let at): end = .retry(reason: reason, attempt: attempt, at: at)
        case .paused(let reason, let n): end = .paused(reason: reason, consecutiveFailures: n)
        case .skipped(let reason): end = .skipped(reason: reason)
        case .abandoned(let reason): end = .abandoned(reason: reason)
        }
        try store.finishScheduleSlot(slotID, end, at: now)
    }

    func advanceLastSlot(scheduleID: Int64, to instant: Date) throws {
        try store.advanceScheduleLastSlot(scheduleID, to: instant)
    }

    func heartbeat(runnerID: String, pid: Int32, startedAt: Date, interval: TimeInterval, now: Date) throws {
        try store.runnerHeartbeat(runnerID: runnerID, host: host, pid: pid, startedAt: startedAt,
                                  intervalSeconds: max(1, Int(interval.rounded())), at: now)
    }

    func recoverAbandoned(runnerID: String, pid: Int32, now: Date) throws -> [AbandonedSlot] {
        try store.recoverAbandonedSlots(runnerID: runnerID, host: host, pid: pid, at: now, isAlive: Self.isAlive).map {
            AbandonedSlot(scheduleName: $0.scheduleName, slotInstant: $0.slotAt, runnerID: $0.runnerID)
        }
    }

    /// Whether a process exists on this host (a zombie — dead, not yet reaped — does not).
    static func isAlive(_ pid: Int32) -> Bool {
        guard pid > 0, kill(pid, 0) == 0 || errno == EPERM else { return false }
        guard let stat = FileManager.default.contents(atPath: "/proc/\(pid)/stat"),
              let close = stat.lastIndex(of: UInt8(ascii: ")")), close + 2 < stat.endIndex else { return true }
        return stat[close + 2] != UInt8(ascii: "Z")
    }
}
