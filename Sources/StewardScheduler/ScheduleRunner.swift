import Foundation

/// The runner loop: wakes when a slot is due, plans each schedule with a ``SlotPlanner``,
/// records skipped slots, claims and runs the rest one at a time through a ``RunExecutor``,
/// records how they ended (retries, failures in a row, pauses), stores the last slot, and
/// sleeps until the next slot or heartbeat.
///
/// It holds no schedule state between ticks: everything is read from and written to its
/// ``SchedulerStore``, so a restart misses nothing and two runners on one store run each slot
/// once (the store's claim is atomic). Time comes only from its ``Clock``: with a
/// ``ManualClock`` a simulated fortnight passes instantly.
///
/// Runs happen one at a time. A slot that falls due while another run is going is not
/// "missed while down": whatever the catch-up policy, it runs when the runner is free (late);
/// overlap `forbid` skips it only when it fell due during a run of its *own* schedule.
public final class ScheduleRunner: Sendable {
    public struct Configuration: Sendable {
        /// This runner's name in claims and heartbeats (unique per running process).
        public var runnerID: String
        public var pid: Int32
        /// How often the runner ticks (heartbeat) even when no slot is due. `runner status`
        /// calls a runner dead after twice this without a tick.
        public var heartbeatInterval: TimeInterval
        /// How late a slot may be and still run under catch-up `skip`.
        public var skipGrace: TimeInterval

        public init(runnerID: String, pid: Int32 = getpid(), heartbeatInterval: TimeInterval = 60,
                    skipGrace: TimeInterval = SlotPlanner.defaultSkipGrace) {
            precondition(heartbeatInterval > 0, "the heartbeat interval must be positive")
            self.runnerID = runnerID
            self.pid = pid
            self.heartbeatInterval = heartbeatInterval
            self.skipGrace = skipGrace
        }
    }

    /// What one tick did.
    public struct TickSummary: Sendable, Hashable {
        /// Slots run (whatever their result), skipped slots recorded, and errors met.
        public var ran = 0
        public var failed = 0
        public var skipped = 0
        public var errors = 0
        /// The earliest moment something more falls due (a slot or a retry); nil if nothing will.
        public var nextWake: Date?

        public init() {}

        mutating func wake(at instant: Date) {
            nextWake = min(nextWake ?? instant, instant)
        }
    }

    public let store: any SchedulerStore
    public let executor: any RunExecutor
    public let clock: any Clock
    public let configuration: Configuration
    public let shutdown: RunnerShutdown
    let log: @Sendable (RunnerEvent) -> Void

    public init(store: any SchedulerStore, executor: any RunExecutor, clock: any Clock, configuration: Configuration,
                shutdown: RunnerShutdown = RunnerShutdown(), log: @escaping @Sendable (RunnerEvent) -> Void = { _ in }) {
        self.store = store
        self.executor = executor
        self.clock = clock
        self.configuration = configuration
        self.shutdown = shutdown
        self.log = log
    }

    var runnerID: String { configuration.runnerID }

    /// Runs whatever is due now, then returns (`steward runner --once`).
    public func runOnce() async throws -> TickSummary {
        let now = clock.now
        try start(now: now)
        return await tick(now: now, awakeSince: now)
    }

    /// Runs until ``shutdown`` is requested, the task is cancelled, or the clock reaches
    /// `stopAt` (tests with a simulated clock).
    public func run(until stopAt: Date? = nil) async throws {
        let startedAt = clock.now
        try start(now: startedAt)
        var awakeSince = startedAt
        while !shutdown.isRequested, !Task.isCancelled {
            let now = clock.now
            if let stopAt, now >= stopAt { break }
            beat(startedAt: startedAt, now: now)
            recover(now: now)
            let summary = await tick(now: now, awakeSince: awakeSince)
            if shutdown.isRequested { break }
            let after = clock.now
            var wake = min(summary.nextWake ?? .distantFuture, now + configuration.heartbeatInterval)
            if let stopAt { wake = min(wake, stopAt) }
            // Runs took time and something fell due meanwhile: tick again at once.
            guard wake > after else { continue }
            do {
                try await clock.sleep(until: wake)
            } catch {
                break  // cancelled: SIGTERM while idle
            }
            awakeSince = clock.now
        }
    }

    /// First thing: mark what dead runners (this one's earlier process included: its
    /// heartbeat still names the old pid) left running, then say we are alive.
    private func start(now: Date) throws {
        for slot in try store.recoverAbandoned(runnerID: runnerID, pid: configuration.pid, now: now) {
            log(.recovered(slot))
        }
        try store.heartbeat(runnerID: runnerID, pid: configuration.pid, startedAt: now,
                            interval: configuration.heartbeatInterval, now: now)
    }

    private func beat(startedAt: Date, now: Date) {
        do {
            try store.heartbeat(runnerID: runnerID, pid: configuration.pid, startedAt: startedAt,
                                interval: configuration.heartbeatInterval, now: now)
        } catch {
            log(.storeError(schedule: nil, message: "heartbeat: \(error)"))
        }
    }

    private func recover(now: Date) {
        do {
            for slot in try store.recoverAbandoned(runnerID: runnerID, pid: configuration.pid, now: now) {
                log(.recovered(slot))
            }
        } catch {
            log(.storeError(schedule: nil, message: "recovering abandoned slots: \(error)"))
        }
    }

    /// One pass over every enabled schedule at `now`. `awakeSince` is when the runner last
    /// woke (or started): slots due after it fell due while the runner was up.
    public func tick(now: Date, awakeSince: Date) async -> TickSummary {
        var summary = TickSummary()
        let states: [ScheduleState]
        do {
            states = try store.schedules(now: now)
        } catch {
            log(.storeError(schedule: nil, message: "reading schedules: \(error)"))
            summary.errors += 1
            return summary
        }
        for state in states {
            if shutdown.isRequested || Task.isCancelled { break }
            let schedule: CronSchedule
            do {
                schedule = try CronSchedule(CronExpression(state.cron), timeZoneIdentifier: state.timeZoneIdentifier)
            } catch {
                log(.invalidSchedule(schedule: state.name, reason: "\(error)"))
                summary.errors += 1
                continue
            }
            do {
                try await tick(state, schedule, now: now, awakeSince: awakeSince, &summary)
            } catch {
                log(.storeError(schedule: state.name, message: "\(error)"))
                summary.errors += 1
            }
        }
        return summary
    }

    private func tick(_ initial: ScheduleState, _ schedule: CronSchedule, now: Date, awakeSince: Date,
                      _ summary: inout TickSummary) async throws {
        var state = initial
        // The schedule's runs this slot could have overlapped: the latest one the store knows
        // of, and those this tick makes.
        var windows = state.previousRun.map { [$0] } ?? []

        for retry in state.pendingRetries {
            if shutdown.isRequested || Task.isCancelled { return }
            if retry.due > now {
                summary.wake(at: retry.due)
            } else if try store.claimRetry(retry, schedule: state, runnerID: runnerID, now: clock.now) {
                let slot = schedule.slot(at: retry.slotInstant)
                let outcome = try await run(slot, slotID: retry.slotID, attempt: retry.attempt, &state, schedule, &summary)
                windows.append(outcome.window)
                if outcome.paused { return }
            }
        }

        let plan = plan(schedule, state, now: now, awakeSince: awakeSince)
        for group in plan.skipped {
            try store.recordSkipped(group, schedule: state, runnerID: runnerID, now: now)
            summary.skipped += group.count
            log(.skipped(schedule: state.name, group))
        }
        var deferred = false
        slots: for slot in plan.toRun {
            if shutdown.isRequested || Task.isCancelled {
                deferred = true
                break
            }
            if state.overlap == .forbid, windows.contains(where: { $0.covers(slot.instant) }) {
                let group = SkippedSlots(first: slot, last: slot, count: 1, reason: .overlapping)
                try store.recordSkipped(group, schedule: state, runnerID: runnerID, now: clock.now)
                summary.skipped += 1
                log(.skipped(schedule: state.name, group))
                continue
            }
            switch try store.claim(slot, schedule: state, runnerID: runnerID, now: clock.now) {
            case .taken:
                continue
            case .busy:
                log(.deferred(schedule: state.name, slot: slot))
                deferred = true
                break slots
            case .claimed(let slotID):
                let outcome = try await run(slot, slotID: slotID, attempt: 1, &state, schedule, &summary)
                windows.append(outcome.window)
                if outcome.paused { return }
            }
        }
        if !deferred, let lastDue = plan.lastDue {
            try store.advanceLastSlot(scheduleID: state.id, to: lastDue.instant)
        }
        if let next = plan.next { summary.wake(at: next.instant) }
    }

    /// The plan for one schedule. Slots that fell due before the runner woke (or started) were
    /// missed while it was down: the schedule's catch-up policy decides about them. Slots that
    /// fell due after, while it was busy with other runs, were not missed: they all run (oldest
    /// first, at most the catch-up cap), subject only to overlap.
    func plan(_ schedule: CronSchedule, _ state: ScheduleState, now: Date, awakeSince: Date) -> SlotPlan {
        let cap = max(1, state.catchUpCap)
        let wokeAt = min(now, awakeSince)
        let down = SlotPlanner(schedule: schedule, catchUp: state.catchUp, cap: cap, grace: configuration.skipGrace)
            .plan(after: state.lastSlot, now: wokeAt)
        guard now > wokeAt else { return down }
        let busy = SlotPlanner(schedule: schedule, catchUp: .all, cap: cap)
            .plan(after: max(state.lastSlot, down.lastDue?.instant ?? state.lastSlot), now: now)
        return SlotPlan(toRun: down.toRun + busy.toRun, skipped: down.skipped + busy.skipped,
                        lastDue: busy.lastDue ?? down.lastDue, next: busy.next)
    }

    /// Runs a claimed slot and records the result; returns when the run went on and whether it
    /// paused the schedule.
    private func run(_ slot: CronSlot, slotID: Int64, attempt: Int, _ state: inout ScheduleState,
                     _ schedule: CronSchedule, _ summary: inout TickSummary) async throws -> (window: RunWindow, paused: Bool) {
        let started = clock.now
        let store = self.store, clock = self.clock, configuration = self.configuration
        let job = RunJob(schedule: state, slot: slot, slotText: schedule.slotText(slot), slotID: slotID, attempt: attempt,
                         runnerID: runnerID, startedAt: started, keepAlive: {
                             try? store.heartbeat(runnerID: configuration.runnerID, pid: configuration.pid,
                                                  startedAt: started, interval: configuration.heartbeatInterval,
                                                  now: clock.now)
                         })
        let verdict = await executor.execute(job)
        let ended = max(clock.now, started)
        let result: SlotResult
        var paused = false
        switch verdict {
        case .succeeded:
            result = .succeeded
            state.consecutiveFailures = 0
        case .notRunnable(let reason):
            result = .skipped(reason: reason)
        case .interrupted(let reason):
            result = .abandoned(reason: reason)
        case .failed(let reason, let idempotent):
            switch state.retry.afterFailure(attempt: attempt, failedAt: ended, scriptIsIdempotent: idempotent,
                                            previousConsecutiveFailures: state.consecutiveFailures) {
            case .retry(let next, let at):
                result = .retry(reason: reason, attempt: next, at: at)
                summary.wake(at: at)
            case .fail(let failures):
                result = .failed(reason: reason, consecutiveFailures: failures)
                state.consecutiveFailures = failures
            case .pause(let failures):
                result = .paused(reason: reason, consecutiveFailures: failures)
                state.consecutiveFailures = failures
                paused = true
            }
        }
        try store.finish(slotID: slotID, schedule: state, result: result, runnerID: runnerID, now: ended)
        switch result {
        case .skipped: summary.skipped += 1
        case .succeeded: summary.ran += 1
        default:
            summary.ran += 1
            summary.failed += 1
        }
        log(.ran(schedule: state.name, slot: slot, attempt: attempt, result: result))
        return (RunWindow(start: started, end: ended), paused)
    }
}
