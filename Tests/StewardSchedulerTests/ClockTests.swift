import Foundation
import Testing
@testable import StewardScheduler

@Suite("Clocks")
struct ClockTests {
    @Test func manualClockMovesOnlyWhenTold() async throws {
        let clock = ManualClock(instant("2026-03-02T00:00:00Z"))
        #expect(clock.now == instant("2026-03-02T00:00:00Z"))
        clock.advance(by: 90)
        #expect(clock.now == instant("2026-03-02T00:01:30Z"))
        clock.set(to: instant("2026-11-01T05:30:00Z"))
        #expect(clock.now == instant("2026-11-01T05:30:00Z"))
    }

    @Test func manualSleepJumpsForwardNeverBack() async throws {
        let clock = ManualClock(instant("2026-03-02T00:00:00Z"))
        try await clock.sleep(until: instant("2026-03-09T01:00:00Z"))
        #expect(clock.now == instant("2026-03-09T01:00:00Z"))
        try await clock.sleep(until: instant("2026-03-01T00:00:00Z"))
        #expect(clock.now == instant("2026-03-09T01:00:00Z"))
    }

    @Test func cancelledSleepThrows() async {
        let clock = ManualClock(instant("2026-03-02T00:00:00Z"))
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            try await clock.sleep(until: instant("2026-03-03T00:00:00Z"))
        }
        await #expect(throws: CancellationError.self) { try await task.value }
        #expect(clock.now == instant("2026-03-02T00:00:00Z"))
    }

    @Test func systemClockIsNowAndSleepsPastDeadlinesAtOnce() async throws {
        let clock: any Clock = SystemClock()  // shadows the standard library's Clock for importers
        let before = Date()
        try await clock.sleep(until: before - 10)
        #expect(abs(clock.now.timeIntervalSince(before)) < 5)
    }

    @Test func clocksAreUsableAcrossTasks() async {
        let clock = ManualClock(instant("2026-03-02T00:00:00Z"))
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<100 {
                group.addTask { clock.advance(by: 1) }
            }
        }
        #expect(clock.now == instant("2026-03-02T00:01:40Z"))
    }
}
