import Foundation

/// What the runner needs to know about one enabled schedule at one moment, as its store keeps
/// it. The runner plans from this and reports back through ``SchedulerStore``; it keeps no
/// state of its own between ticks, so a restarted runner (or a second one) carries on where
/// the database says.
public struct ScheduleState: Sendable, Hashable {
    public var id: Int64
    public var name: String
    /// The cron expression as stored (refused at `schedule set` if invalid; a stored one that
    /// no longer parses is reported and skipped, never guessed at).
    public var cron: String
    public var timeZoneIdentifier: String
    public var catchUp: CatchUpPolicy
    /// For catch-up `all`: the most missed slots run at once.
    public var catchUpCap: Int
    public var overlap: OverlapPolicy
    public var retry: RetryPolicy
    /// The instant of the last slot dealt with (run, skipped or failed). For a schedule that
    /// has never had one: when it was set, or when it was last resumed.
    public var lastSlot: Date
    /// Failed slots in a row, up to and including the most recent one.
    public var consecutiveFailures: Int
    /// The most recent run of this schedule, by any runner: for overlap `forbid`.
    public var previousRun: RunWindow?
    /// Failed attempts waiting for their retries, soonest due first.
    public var pendingRetries: [PendingRetry]

    public init(id: Int64, name: String, cron: String, timeZoneIdentifier: String = CronSchedule.defaultTimeZoneIdentifier,
                catchUp: CatchUpPolicy = .latest, catchUpCap: Int = SlotPlanner.defaultCatchUpCap,
                overlap: OverlapPolicy = .forbid, retry: RetryPolicy = RetryPolicy(), lastSlot: Date,
                consecutiveFailures: Int = 0, previousRun: RunWindow? = nil, pendingRetries: [PendingRetry] = []) {
        self.id = id
        self.name = name
        self.cron = cron
        self.timeZoneIdentifier = timeZoneIdentifier
        self.catchUp = catchUp
        self.catchUpCap = catchUpCap
        self.overlap = overlap
        self.retry = retry
        self.lastSlot = lastSlot
        self.consecutiveFailures = consecutiveFailures
        self.previousRun = previousRun
        self.pendingRetries = pendingRetries
    }
}

/// When a run of a schedule went on: a slot that fell due inside it overlapped it.
public struct RunWindow: Sendable, Hashable {
    public var start: Date
    /// Nil while the run is still going.
    public var end: Date?

    public init(start: Date, end: Date?) {
        self.start = start
        self.end = end
    }

    /// Whether a slot due at `instant` fell due while this run was going.
    public func covers(_ instant: Date) -> Bool {
        instant >= start && (end.map { instant < $0 } ?? true)
    }
}

/// A slot whose attempt failed and which is to be run again.
public struct PendingRetry: Sendable, Hashable {
    /// The store's id of the slot.
    public var slotID: Int64
    /// The slot's instant (its key).
    public var slotInstant: Date
    /// The number of the attempt to make (2 = the first retry).
    public var attempt: Int
    /// Not before.
    public var due: Date

    public init(slotID: Int64, slotInstant: Date, attempt: Int, due: Date) {
        self.slotID = slotID
        self.slotInstant = slotInstant
        self.attempt = attempt
        self.due = due
    }
}

/// The answer to a claim.
public enum SlotClaim: Sendable, Hashable {
    /// This runner won the slot: run it.
    case claimed(slotID: Int64)
    /// The slot already has a record (another runner claimed or skipped it): leave it.
    case taken
    /// Overlap is `forbid` and another runner is running this schedule now: leave the slot
    /// for later (that runner, once done, decides whether it overlapped).
    case busy
}

/// How a claimed slot ended, for ``SchedulerStore/finish(slotID:schedule:result:runnerID:now:)``.
public enum SlotResult: Sendable, Hashable {
    /// The run succeeded; the schedule's consecutive failures go back to 0.
    case succeeded
    /// The run failed for good; `consecutiveFailures` counts this slot.
    case failed(reason: String, consecutiveFailures: Int)
    /// The attempt failed; the slot runs again as `attempt`, not before `at`.
    case retry(reason: String, attempt: Int, at: Date)
    /// The run failed and the schedule is paused after `consecutiveFailures` failed slots in a
    /// row; the store leaves the script's author a reminder.
    case paused(reason: String, consecutiveFailures: Int)
    /// The slot was not run (the script has no approved version, say); not a failure.
    case skipped(reason: String)
    /// The run did not finish (the runner was stopped) and left nothing behind.
    case abandoned(reason: String)
}

/// A slot a dead runner left claimed, marked abandoned by ``SchedulerStore/recoverAbandoned(runnerID:pid:now:)``.
public struct AbandonedSlot: Sendable, Hashable {
    public var scheduleName: String
    public var slotInstant: Date
    public var runnerID: String

    public init(scheduleName: String, slotInstant: Date, runnerID: String) {
        self.scheduleName = scheduleName
        self.slotInstant = slotInstant
        self.runnerID = runnerID
    }
}

/// The runner's view of the database: schedules in, claims and outcomes out.
///
/// Implementations must make ``claim(_:schedule:runnerID:now:)`` atomic across processes
/// (Steward's uses the UNIQUE (schedule, slot) key of `schedule_slots`): that is what makes
/// a slot run at most once whatever the number of runners. Every method that records a slot
/// also moves the schedule's last slot forward to it (never back).
public protocol SchedulerStore: Sendable {
    /// The enabled schedules, in a stable order.
    func schedules(now: Date) throws -> [ScheduleState]

    /// Claims a slot for its first attempt.
    func claim(_ slot: CronSlot, schedule: ScheduleState, runnerID: String, now: Date) throws -> SlotClaim

    /// Claims a pending retry; false when another runner took it first.
    func claimRetry(_ retry: PendingRetry, schedule: ScheduleState, runnerID: String, now: Date) throws -> Bool

    /// Records due slots that are not run, and why (one record for a group; nothing if its
    /// key is already taken).
    func recordSkipped(_ skipped: SkippedSlots, schedule: ScheduleState, runnerID: String, now: Date) throws

    /// Records how a claimed slot ended, and what that does to the schedule.
    func finish(slotID: Int64, schedule: ScheduleState, result: SlotResult, runnerID: String, now: Date) throws

    /// Stores `instant` as the schedule's last slot if it is later than the one stored.
    func advanceLastSlot(scheduleID: Int64, to instant: Date) throws

    /// Records that this runner is alive (`steward runner status` reads it).
    func heartbeat(runnerID: String, pid: Int32, startedAt: Date, interval: TimeInterval, now: Date) throws

    /// Marks as abandoned the slots left running by runners that are gone: this runner's own
    /// earlier incarnations (same id, another process) and runners whose heartbeat is older
    /// than twice their interval.
    func recoverAbandoned(runnerID: String, pid: Int32, now: Date) throws -> [AbandonedSlot]
}
