import Foundation

/// One slot to run: what the runner hands its executor.
public struct RunJob: Sendable {
    public var schedule: ScheduleState
    public var slot: CronSlot
    /// What the script sees as `run.slot`: the nominal local time with its zone offset
    /// (``CronSchedule/slotText(_:)``).
    public var slotText: String
    /// The store's id of the claimed slot (runs point back at it).
    public var slotID: Int64
    /// 1 for the slot's first attempt, 2 for the first retry, …
    public var attempt: Int
    public var runnerID: String
    /// When the runner started the job, by its clock (simulated in tests).
    public var startedAt: Date
    /// Call at least once per heartbeat interval during a long run, so other runners do not
    /// take this one for dead.
    public var keepAlive: @Sendable () -> Void

    public init(schedule: ScheduleState, slot: CronSlot, slotText: String, slotID: Int64, attempt: Int,
                runnerID: String, startedAt: Date, keepAlive: @escaping @Sendable () -> Void = {}) {
        self.schedule = schedule
        self.slot = slot
        self.slotText = slotText
        self.slotID = slotID
        self.attempt = attempt
        self.runnerID = runnerID
        self.startedAt = startedAt
        self.keepAlive = keepAlive
    }
}

/// How an executor's run of a slot ended.
public enum RunVerdict: Sendable, Hashable {
    /// The run finished and its effects (if any) were committed.
    case succeeded
    /// The run failed (script error, limit, refusal, crash, kill at the deadline); `reason`
    /// says which. `idempotent` is whether the script declares re-running the slot safe —
    /// false when it is unknown (the worker died before saying).
    case failed(reason: String, idempotent: Bool)
    /// The slot could not be run at all (no approved version, author disabled): recorded as
    /// skipped, not as a failure.
    case notRunnable(reason: String)
    /// The runner was stopped and the run did not finish in its grace period: nothing was
    /// written, and the slot is marked abandoned.
    case interrupted(reason: String)
}

/// Runs one slot's script and records the run. The scheduler knows nothing of Lua, workers
/// or databases: Steward's executor starts a `steward worker` child with a hard deadline,
/// and the parent commits what the worker proposed (see the `steward runner` command).
public protocol RunExecutor: Sendable {
    func execute(_ job: RunJob) async -> RunVerdict
}

/// An executor made of a closure (for tests and simple wiring).
public struct ClosureExecutor: RunExecutor {
    let body: @Sendable (RunJob) async -> RunVerdict

    public init(_ body: @escaping @Sendable (RunJob) async -> RunVerdict) {
        self.body = body
    }

    public func execute(_ job: RunJob) async -> RunVerdict {
        await body(job)
    }
}
