import Foundation
import Testing
@testable import StewardScheduler

/// The runner loop over an in-memory store: exactly once per slot with two runners, no missed
/// weekly job across hourly restarts, catch-up after downtime, overlap, retries and pauses.
/// Time is a `ManualClock`: nothing sleeps.
@Suite("The runner loop")
struct ScheduleRunnerTests {
    func runner(_ store: InMemorySchedulerStore, _ executor: any RunExecutor, _ clock: ManualClock, id: String = "a",
                pid: Int32 = 1, heartbeat: TimeInterval = 60, shutdown: RunnerShutdown = RunnerShutdown()) -> ScheduleRunner {
        ScheduleRunner(store: store, executor: executor, clock: clock,
                       configuration: .init(runnerID: id, pid: pid, heartbeatInterval: heartbeat), shutdown: shutdown)
    }

    func rows(_ store: InMemorySchedulerStore, _ status: String) -> [InMemorySchedulerStore.Row] {
        store.rows.filter { $0.status == status }
    }

    // MARK: exactly once

    /// A simulated day of `*/5` slots, two runners racing for every one of them at the same
    /// moment (two concurrent tasks on one store): each slot runs once.
    @Test func twoRunnersRacingForADayOfFiveMinuteSlotsRunEachSlotOnce() async throws {
        let store = InMemorySchedulerStore()
        let start = instant("2026-03-02T00:00:00Z")
        store.add(ScheduleState(id: 1, name: "every-5", cron: "*/5 * * * *", lastSlot: start))
        let executor = RecordingExecutor()
        for step in 1...288 {
            let now = start + TimeInterval(step * 300) + 1
            let a = runner(store, executor, ManualClock(now), id: "a")
            let b = runner(store, executor, ManualClock(now), id: "b", pid: 2)
            async let first = a.runOnce()
            async let second = b.runOnce()
            _ = try await (first, second)
        }
        let instants = executor.calls.map(\.instant)
        #expect(instants.count == 288)
        #expect(Set(instants).count == 288)
        #expect(instants == (1...288).map { start + TimeInterval($0 * 300) })
        #expect(rows(store, "succeeded").count == 288)
        #expect(rows(store, "skipped").isEmpty)
    }

    /// Two long-running loops sharing one simulated clock for a day: however they interleave,
    /// no slot runs twice, and every slot is accounted for (run, or recorded as skipped).
    @Test func twoFreeRunningLoopsNeverRunASlotTwice() async throws {
        let store = InMemorySchedulerStore()
        let start = instant("2026-03-02T00:00:00Z")
        store.add(ScheduleState(id: 1, name: "every-5", cron: "*/5 * * * *", lastSlot: start))
        let clock = ManualClock(start)
        let executor = RecordingExecutor()
        let end = start + 86_400 + 1
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await self.runner(store, executor, clock, id: "a").run(until: end) }
            group.addTask { try await self.runner(store, executor, clock, id: "b", pid: 2).run(until: end) }
            try await group.waitForAll()
        }
        let instants = executor.calls.map(\.instant)
        #expect(Set(instants).count == instants.count)
        let recorded = store.rows.filter { $0.status == "succeeded" || $0.status == "skipped" }
        #expect(Set(recorded.map(\.instant)).count == recorded.count)
        #expect(rows(store, "succeeded").count == instants.count)
        #expect(instants.count >= 280, "nearly every slot runs: \(instants.count)")
        #expect(store.state(1)?.lastSlot == start + 86_400)
    }

    /// The failure elsewhere: a runner restarted every hour that plans only from "now" never
    /// sees a weekly slot that falls while it is down. With the last slot stored, a weekly job
    /// on Mondays at 00:00 runs exactly twice in a fortnight of hourly restarts, each restart
    /// down from hh:59:30 to hh:00:30 — the slot always falls in the gap — under every policy.
    @Test(arguments: CatchUpPolicy.allCases)
    func restartedEveryHourForAFortnightAWeeklyJobRunsTwice(policy: CatchUpPolicy) async throws {
        let store = InMemorySchedulerStore()
        let start = instant("2026-03-01T04:00:00Z")  // Sunday 12:00 in Shanghai
        store.add(ScheduleState(id: 1, name: "weekly", cron: "0 0 * * MON", catchUp: policy, lastSlot: start))
        let executor = RecordingExecutor()
        for hour in 0..<(14 * 24) {
            let up = start + TimeInterval(hour * 3600) + 30
            let down = start + TimeInterval((hour + 1) * 3600) - 30
            try await runner(store, executor, ManualClock(up), pid: Int32(hour + 1)).run(until: down)
        }
        #expect(executor.calls.map(\.nominal) == [local("2026-03-02T00:00"), local("2026-03-09T00:00")])
        #expect(executor.calls.map { iso($0.instant) } == ["2026-03-01T16:00:00Z", "2026-03-08T16:00:00Z"])
        #expect(rows(store, "skipped").isEmpty)
    }

    // MARK: catch-up after downtime

    /// An hourly job; the runner ran the 10:00 slot, was down from 10:00:30 until 13:30. The
    /// slots of 11:00, 12:00 and 13:00 were missed: skip runs 0 of them, latest 1, all 3.
    @Test(arguments: [(CatchUpPolicy.skip, 0), (.latest, 1), (.all, 3)])
    func threeHoursDownOnAnHourlyJob(policy: CatchUpPolicy, expected: Int) async throws {
        let store = InMemorySchedulerStore()
        store.add(ScheduleState(id: 1, name: "hourly", cron: "@hourly", timeZoneIdentifier: "UTC", catchUp: policy,
                                lastSlot: instant("2026-03-02T09:30:00Z")))
        let executor = RecordingExecutor()
        _ = try await runner(store, executor, ManualClock(instant("2026-03-02T10:00:30Z"))).runOnce()
        #expect(executor.calls.map { iso($0.instant) } == ["2026-03-02T10:00:00Z"])

        let summary = try await runner(store, executor, ManualClock(instant("2026-03-02T13:30:00Z")), pid: 2).runOnce()
        let caughtUp = executor.calls.dropFirst().map { iso($0.instant) }
        #expect(caughtUp.count == expected)
        #expect(summary.ran == expected)
        #expect(summary.skipped == 3 - expected)
        switch policy {
        case .skip: #expect(caughtUp.isEmpty)
        case .latest: #expect(caughtUp == ["2026-03-02T13:00:00Z"])
        case .all: #expect(caughtUp == ["2026-03-02T11:00:00Z", "2026-03-02T12:00:00Z", "2026-03-02T13:00:00Z"])
        }
        #expect(store.state(1)?.lastSlot == instant("2026-03-02T13:00:00Z"))
        #expect(summary.nextWake == instant("2026-03-02T14:00:00Z"))
        // A second runner at the same moment finds nothing left.
        _ = try await runner(store, executor, ManualClock(instant("2026-03-02T13:30:05Z")), id: "b", pid: 3).runOnce()
        #expect(executor.calls.count == 1 + expected)
    }

    /// A slot that falls due while the runner is busy with another schedule's long run was
    /// not missed while down: catch-up skip still runs it when the runner is free.
    @Test func aSlotDueWhileTheRunnerIsBusyIsNotMissed() async throws {
        let store = InMemorySchedulerStore()
        let start = instant("2026-03-02T00:00:00Z")
        store.add(ScheduleState(id: 1, name: "long", cron: "0 * * * *", timeZoneIdentifier: "UTC", lastSlot: start))
        store.add(ScheduleState(id: 2, name: "minute-1", cron: "1 * * * *", timeZoneIdentifier: "UTC", catchUp: .skip,
                                lastSlot: start))
        let clock = ManualClock(start + 1)
        let executor = RecordingExecutor(clock: clock, duration: 0) { _ in .succeeded }
        let slow = ClosureExecutor { job in
            let verdict = await executor.execute(job)
            if job.schedule.name == "long" { clock.advance(by: 180) }
            return verdict
        }
        try await runner(store, slow, clock).run(until: start + 3600 + 600)
        #expect(executor.calls.map { "\($0.schedule) \(iso($0.instant)) at \(iso($0.startedAt))" } == [
            "minute-1 2026-03-02T00:01:00Z at 2026-03-02T00:01:00Z",
            "long 2026-03-02T01:00:00Z at 2026-03-02T01:00:00Z",
            "minute-1 2026-03-02T01:01:00Z at 2026-03-02T01:03:00Z",
        ])
        #expect(rows(store, "skipped").isEmpty)
    }

    // MARK: overlap

    /// Runs of a `*/5` job take 7 minutes: under forbid the slot that falls due during a run
    /// is skipped, and the record says why; under allow it runs, late.
    @Test(arguments: OverlapPolicy.allCases)
    func overlap(policy: OverlapPolicy) async throws {
        let store = InMemorySchedulerStore()
        let start = instant("2026-03-02T00:00:00Z")
        store.add(ScheduleState(id: 1, name: "slow", cron: "*/5 * * * *", timeZoneIdentifier: "UTC", overlap: policy,
                                lastSlot: start))
        let clock = ManualClock(start)
        let executor = RecordingExecutor(clock: clock, duration: 7 * 60)
        try await runner(store, executor, clock).run(until: start + 30 * 60 - 1)
        let ran = executor.calls.map { iso($0.instant) }
        switch policy {
        case .forbid:
            #expect(ran == ["2026-03-02T00:05:00Z", "2026-03-02T00:15:00Z", "2026-03-02T00:25:00Z"])
            #expect(rows(store, "skipped").map { iso($0.instant) }
                == ["2026-03-02T00:10:00Z", "2026-03-02T00:20:00Z"])
            #expect(rows(store, "skipped").allSatisfy { $0.reason?.contains("previous run still running, overlap=forbid") == true })
        case .allow:
            // One at a time, each late: the backlog runs (it is not "missed while down").
            #expect(ran == ["05", "10", "15", "20", "25"].map { "2026-03-02T00:\($0):00Z" })
            #expect(rows(store, "skipped").isEmpty)
        }
    }

    /// Another runner is running this schedule, catching up an older slot: with forbid a slot
    /// due before that run started waits (neither run nor skipped, and the last slot is not
    /// moved past it) and runs once it ends; a slot due while it ran overlapped it and is
    /// skipped, saying why.
    @Test func aScheduleRunningElsewhereWaitsOrIsOverlapped() async throws {
        let store = InMemorySchedulerStore()
        let start = instant("2026-03-02T00:00:00Z")
        store.add(ScheduleState(id: 1, name: "job", cron: "*/5 * * * *", timeZoneIdentifier: "UTC", catchUp: .all,
                                lastSlot: start))
        let held = try store.claim(CronSlot(nominal: local("2026-03-02T00:05"), instant: start + 300),
                                   schedule: store.state(1)!, runnerID: "elsewhere", now: start + 720)
        #expect(held == .claimed(slotID: 1))
        try store.heartbeat(runnerID: "elsewhere", pid: 9, startedAt: start, interval: 60, now: start + 720)
        let executor = RecordingExecutor()
        _ = try await runner(store, executor, ManualClock(start + 780)).runOnce()
        #expect(executor.calls.isEmpty)
        #expect(store.state(1)?.lastSlot == start + 300)
        #expect(store.rows.count == 1)

        // The other run ends at 00:16: 00:10 (due before it started) runs now; 00:15 fell due
        // during it.
        try store.finish(slotID: 1, schedule: store.state(1)!, result: .succeeded, runnerID: "elsewhere", now: start + 960)
        _ = try await runner(store, executor, ManualClock(start + 990)).runOnce()
        #expect(executor.calls.map { iso($0.instant) } == ["2026-03-02T00:10:00Z"])
        #expect(rows(store, "skipped").map { iso($0.instant) } == ["2026-03-02T00:15:00Z"])
        #expect(rows(store, "skipped").allSatisfy { $0.reason?.hasSuffix("previous run still running, overlap=forbid") == true })
    }

    // MARK: failures

    /// An idempotent script that keeps failing: each slot is tried 3 times (backoff 1 min,
    /// 2 min), then counts as one failure; five failed slots in a row pause the schedule.
    @Test func retriesWithBackoffThenPauseAfterFiveFailedSlots() async throws {
        let store = InMemorySchedulerStore()
        let start = instant("2026-03-02T00:00:00Z")
        store.add(ScheduleState(id: 1, name: "flaky", cron: "@hourly", timeZoneIdentifier: "UTC",
                                retry: RetryPolicy(maxRetries: 2), lastSlot: start))
        let clock = ManualClock(start)
        let executor = RecordingExecutor { _ in .failed(reason: "flaky:3: boom", idempotent: true) }
        try await runner(store, executor, clock).run(until: start + 10 * 3600)
        let first = executor.calls.prefix(3).map { "\(iso($0.startedAt)) #\($0.attempt)" }
        #expect(first == ["2026-03-02T01:00:00Z #1", "2026-03-02T01:01:00Z #2", "2026-03-02T01:03:00Z #3"])
        #expect(executor.calls.count == 15)
        #expect(Set(executor.calls.map(\.instant)).count == 5)
        #expect(store.pauses == [1])
        #expect(!store.isEnabled(1))
        #expect(store.state(1)?.consecutiveFailures == 5)
    }

    /// Without `idempotent = true` a failed slot is not retried, whatever the maximum.
    @Test func aScriptNotDeclaredIdempotentIsNotRetried() async throws {
        let store = InMemorySchedulerStore()
        let start = instant("2026-03-02T00:00:00Z")
        store.add(ScheduleState(id: 1, name: "once", cron: "@hourly", timeZoneIdentifier: "UTC",
                                retry: RetryPolicy(maxRetries: 3), lastSlot: start))
        let executor = RecordingExecutor { _ in .failed(reason: "once:1: nope", idempotent: false) }
        try await runner(store, executor, ManualClock(start)).run(until: start + 2 * 3600 + 600)
        #expect(executor.calls.map(\.attempt) == [1, 1])
        #expect(rows(store, "failed").count == 2)
        #expect(store.state(1)?.consecutiveFailures == 2)
    }

    /// A worker crash is one failed run: the other schedule carries on, and so does the
    /// crashing one at its next slot; a success resets the failure count.
    @Test func aCrashIsAFailedRunAndTheRunnerCarriesOn() async throws {
        let store = InMemorySchedulerStore()
        let start = instant("2026-03-02T00:00:00Z")
        store.add(ScheduleState(id: 1, name: "crashy", cron: "@hourly", timeZoneIdentifier: "UTC", lastSlot: start))
        store.add(ScheduleState(id: 2, name: "fine", cron: "@hourly", timeZoneIdentifier: "UTC", lastSlot: start))
        let executor = RecordingExecutor { job in
            job.schedule.name == "crashy" && job.slot.instant < start + 3 * 3600
                ? .failed(reason: "the worker process died of signal 11 (SIGSEGV)", idempotent: false) : .succeeded
        }
        try await runner(store, executor, ManualClock(start)).run(until: start + 4 * 3600 + 1)
        #expect(executor.calls.filter { $0.schedule == "fine" }.count == 4)
        #expect(executor.calls.filter { $0.schedule == "crashy" }.count == 4)
        #expect(rows(store, "failed").map(\.reason) == Array(repeating: "the worker process died of signal 11 (SIGSEGV)", count: 2))
        #expect(store.state(1)?.consecutiveFailures == 0)
    }

    /// A script that is not approved is recorded as skipped with the reason, not as a failure.
    @Test func aNotRunnableSlotIsSkippedNotFailed() async throws {
        let store = InMemorySchedulerStore()
        let start = instant("2026-03-02T00:00:00Z")
        store.add(ScheduleState(id: 1, name: "draft", cron: "@hourly", timeZoneIdentifier: "UTC", lastSlot: start))
        let executor = RecordingExecutor { _ in .notRunnable(reason: "version 2 of 'draft' is not approved") }
        _ = try await runner(store, executor, ManualClock(start + 3601)).runOnce()
        #expect(rows(store, "skipped").map(\.reason) == ["version 2 of 'draft' is not approved"])
        #expect(store.state(1)?.consecutiveFailures == 0)
    }

    // MARK: stopping and recovery

    /// SIGTERM during a catch-up: the run in progress finishes (here it is interrupted, as
    /// when its grace runs out, and recorded abandoned), and nothing more is claimed.
    @Test func aShutdownStopsClaiming() async throws {
        let store = InMemorySchedulerStore()
        let start = instant("2026-03-02T00:00:00Z")
        store.add(ScheduleState(id: 1, name: "all", cron: "@hourly", timeZoneIdentifier: "UTC", catchUp: .all,
                                lastSlot: start))
        let shutdown = RunnerShutdown()
        let executor = RecordingExecutor { _ in
            shutdown.request()
            return .interrupted(reason: "stopped before the run finished")
        }
        try await runner(store, executor, ManualClock(start + 3 * 3600 + 1), shutdown: shutdown).run(until: start + 86_400)
        #expect(executor.calls.count == 1)
        #expect(rows(store, "abandoned").map(\.reason) == ["stopped before the run finished"])
        #expect(store.rows.count == 1)
    }

    /// A runner killed mid-run leaves its slot running; the next process with its id marks it
    /// abandoned when it starts, and a silent runner's slot is abandoned after two intervals.
    @Test func slotsOfDeadRunnersAreMarkedAbandonedAtTheNextStart() async throws {
        let store = InMemorySchedulerStore()
        let start = instant("2026-03-02T00:00:00Z")
        store.add(ScheduleState(id: 1, name: "a-job", cron: "@hourly", timeZoneIdentifier: "UTC", lastSlot: start))
        store.add(ScheduleState(id: 2, name: "b-job", cron: "@daily", timeZoneIdentifier: "UTC", lastSlot: start))
        try store.heartbeat(runnerID: "a", pid: 100, startedAt: start, interval: 60, now: start + 3600)
        try store.heartbeat(runnerID: "b", pid: 200, startedAt: start, interval: 60, now: start + 3600)
        _ = try store.claim(CronSlot(nominal: local("2026-03-02T01:00"), instant: start + 3600), schedule: store.state(1)!,
                            runnerID: "a", now: start + 3600)
        _ = try store.claim(CronSlot(nominal: local("2026-03-03T00:00"), instant: start + 86_400), schedule: store.state(2)!,
                            runnerID: "b", now: start + 3600)
        store.deadPIDs = [100]
        let events = EventLog()
        let restarted = ScheduleRunner(store: store, executor: RecordingExecutor(), clock: ManualClock(start + 3660),
                                       configuration: .init(runnerID: "a", pid: 101), log: events.append)
        _ = try await restarted.runOnce()
        #expect(store.rows.map(\.status) == ["abandoned", "running"])
        #expect(events.lines.contains { $0.hasPrefix("abandoned: a-job slot 2026-03-02T01:00:00Z left running by runner a") })
        _ = try await restarted.runOnce()
        let later = runner(store, RecordingExecutor(), ManualClock(start + 3600 + 121), id: "a", pid: 101)
        _ = try await later.runOnce()
        #expect(store.rows.map(\.status) == ["abandoned", "abandoned"])
    }

    @Test func slotTextIsTheNominalTimeWithTheZoneOffset() throws {
        let shanghai = try schedule("0 9 1 * *")
        let slot = try #require(shanghai.nextSlot(after: instant("2026-02-15T00:00:00Z")))
        #expect(shanghai.slotText(slot) == "2026-03-01T09:00:00+08:00")
        #expect(shanghai.slot(at: slot.instant) == slot)
    }
}

/// Collects a runner's log lines.
final class EventLog: @unchecked Sendable {
    private let lock = NSLock()
    private var events: [RunnerEvent] = []

    var append: @Sendable (RunnerEvent) -> Void {
        { [self] event in lock.withLock { events.append(event) } }
    }

    var lines: [String] { lock.withLock { events.map(\.description) } }
}
