import Foundation
import Testing
@testable import StewardScheduler

/// Daylight saving through the runner loop, in America/New_York: on 2026-03-08 the clocks
/// jump from 02:00 to 03:00; on 2026-11-01 they go back from 02:00 to 01:00.
@Suite("The runner loop across daylight-saving changes")
struct ScheduleRunnerDSTTests {
    func runLoop(_ cron: String, from: String, until: String) async throws -> [RecordingExecutor.Call] {
        let store = InMemorySchedulerStore()
        store.add(ScheduleState(id: 1, name: "ny", cron: cron, timeZoneIdentifier: "America/New_York",
                                lastSlot: instant(from)))
        let executor = RecordingExecutor()
        let runner = ScheduleRunner(store: store, executor: executor, clock: ManualClock(instant(from)),
                                    configuration: .init(runnerID: "dst"))
        try await runner.run(until: instant(until))
        return executor.calls
    }

    /// 02:30 does not exist on 2026-03-08: the fixed-time job runs once, when the gap ends
    /// (03:00 EDT), and the script sees its nominal time.
    @Test func springForwardRunsTheSkippedTimeOnceAtTheGapsEnd() async throws {
        let calls = try await runLoop("30 2 * * *", from: "2026-03-07T00:00:00Z", until: "2026-03-10T00:00:00Z")
        #expect(calls.map { "\($0.nominal) \(iso($0.instant)) \($0.slotText)" } == [
            "2026-03-07T02:30 2026-03-07T07:30:00Z 2026-03-07T02:30:00-05:00",
            "2026-03-08T02:30 2026-03-08T07:00:00Z 2026-03-08T02:30:00-05:00",
            "2026-03-09T02:30 2026-03-09T06:30:00Z 2026-03-09T02:30:00-04:00",
        ])
        #expect(calls.map { iso($0.startedAt) } == calls.map { iso($0.instant) })
    }

    /// 01:30 happens twice on 2026-11-01: the job runs once, at the first (EDT).
    @Test func fallBackRunsTheRepeatedTimeOnce() async throws {
        let calls = try await runLoop("30 1 * * *", from: "2026-10-31T00:00:00Z", until: "2026-11-03T00:00:00Z")
        #expect(calls.map { "\($0.nominal) \(iso($0.instant)) \($0.slotText)" } == [
            "2026-10-31T01:30 2026-10-31T05:30:00Z 2026-10-31T01:30:00-04:00",
            "2026-11-01T01:30 2026-11-01T05:30:00Z 2026-11-01T01:30:00-04:00",
            "2026-11-02T01:30 2026-11-02T06:30:00Z 2026-11-02T01:30:00-05:00",
        ])
    }

    /// A wildcard job across the fall-back: each local minute once, none twice.
    @Test func fallBackWildcardJobRunsEachLocalTimeOnce() async throws {
        let calls = try await runLoop("*/30 * * * *", from: "2026-11-01T04:45:00Z", until: "2026-11-01T07:45:00Z")
        #expect(calls.map { "\($0.nominal) \(iso($0.instant))" } == [
            "2026-11-01T01:00 2026-11-01T05:00:00Z",
            "2026-11-01T01:30 2026-11-01T05:30:00Z",
            "2026-11-01T02:00 2026-11-01T07:00:00Z",
            "2026-11-01T02:30 2026-11-01T07:30:00Z",
        ])
    }

    /// A wildcard job across the spring-forward gap has no slots in it.
    @Test func springForwardWildcardJobHasNoSlotsInTheGap() async throws {
        let calls = try await runLoop("*/30 * * * *", from: "2026-03-08T06:15:00Z", until: "2026-03-08T07:45:00Z")
        #expect(calls.map { "\($0.nominal) \(iso($0.instant))" } == [
            "2026-03-08T01:30 2026-03-08T06:30:00Z",
            "2026-03-08T03:00 2026-03-08T07:00:00Z",
            "2026-03-08T03:30 2026-03-08T07:30:00Z",
        ])
    }
}
