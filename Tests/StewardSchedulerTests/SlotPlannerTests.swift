import Foundation
import Testing
@testable import StewardScheduler

@Suite("Catch-up planning")
struct SlotPlannerTests {
    /// An hourly job last run at 09:00 Shanghai (01:00Z) on 2026-03-02; the runner was down
    /// from 09:30 to 12:30, so 10:00, 11:00 and 12:00 fell due while it was down.
    let lastRun = instant("2026-03-02T01:00:00Z")
    let backUp = instant("2026-03-02T04:30:00Z")

    func planner(_ policy: CatchUpPolicy, cap: Int = 100) throws -> SlotPlanner {
        try SlotPlanner(schedule: schedule("@hourly"), catchUp: policy, cap: cap)
    }

    @Test func threeHoursDownUnderSkipRunsNothing() throws {
        let plan = try planner(.skip).plan(after: lastRun, now: backUp)
        #expect(plan.toRun.isEmpty)
        #expect(plan.skipped.map(\.description)
            == ["3 slots 2026-03-02T10:00 … 2026-03-02T12:00: missed while down, catch-up=skip"])
        #expect(plan.skippedCount == 3)
        #expect(plan.lastDue?.nominal == local("2026-03-02T12:00"))
        #expect(plan.next?.nominal == local("2026-03-02T13:00"))
    }

    @Test func threeHoursDownUnderLatestRunsTheNewest() throws {
        let plan = try planner(.latest).plan(after: lastRun, now: backUp)
        #expect(plan.toRun.map(\.nominal) == [local("2026-03-02T12:00")])
        #expect(plan.skipped.map(\.description)
            == ["2 slots 2026-03-02T10:00 … 2026-03-02T11:00: missed while down, catch-up=latest"])
        #expect(plan.lastDue?.instant == instant("2026-03-02T04:00:00Z"))
    }

    @Test func threeHoursDownUnderAllRunsEachOldestFirst() throws {
        let plan = try planner(.all).plan(after: lastRun, now: backUp)
        #expect(render(plan.toRun) == [
            "2026-03-02T10:00 → 2026-03-02T02:00:00Z",
            "2026-03-02T11:00 → 2026-03-02T03:00:00Z",
            "2026-03-02T12:00 → 2026-03-02T04:00:00Z",
        ])
        #expect(plan.skipped.isEmpty)
        #expect(plan.lastDue?.nominal == local("2026-03-02T12:00"))
    }

    @Test func skipStillRunsASlotThatIsJustDue() throws {
        let within = try planner(.skip).plan(after: lastRun, now: instant("2026-03-02T04:01:00Z"))
        #expect(within.toRun.map(\.nominal) == [local("2026-03-02T12:00")])
        #expect(within.skipped.first?.count == 2)
        let late = try planner(.skip).plan(after: lastRun, now: instant("2026-03-02T04:01:01Z"))
        #expect(late.toRun.isEmpty)
        #expect(late.skippedCount == 3)
        let custom = try SlotPlanner(schedule: schedule("@hourly"), catchUp: .skip, grace: 300)
            .plan(after: lastRun, now: instant("2026-03-02T04:05:00Z"))
        #expect(custom.toRun.map(\.nominal) == [local("2026-03-02T12:00")])
    }

    @Test func allIsCappedKeepingTheNewest() throws {
        // Ten hours down, cap 3: the newest three run, the seven before are over the cap.
        let plan = try planner(.all, cap: 3).plan(after: lastRun, now: instant("2026-03-02T11:00:00Z"))
        #expect(plan.toRun.map(\.nominal) == [local("2026-03-02T17:00"), local("2026-03-02T18:00"),
                                              local("2026-03-02T19:00")])
        #expect(plan.skipped.map(\.description)
            == ["7 slots 2026-03-02T10:00 … 2026-03-02T16:00: over the catch-up cap"])
    }

    @Test func dueMeansAfterTheLastSlotAndNotAfterNow() throws {
        let planner = try planner(.all)
        // The last slot itself is not due again; a slot exactly at now is.
        let plan = planner.plan(after: lastRun, now: instant("2026-03-02T02:00:00Z"))
        #expect(plan.toRun.map(\.nominal) == [local("2026-03-02T10:00")])
        let nothing = planner.plan(after: lastRun, now: instant("2026-03-02T01:59:59Z"))
        #expect(nothing.toRun.isEmpty)
        #expect(nothing.skipped.isEmpty)
        #expect(nothing.lastDue == nil)
        #expect(nothing.next?.nominal == local("2026-03-02T10:00"))
        // A clock that went backwards finds nothing due rather than re-running anything.
        let backwards = planner.plan(after: lastRun, now: lastRun - 3600)
        #expect(backwards.toRun.isEmpty && backwards.lastDue == nil)
    }

    @Test func aScheduleThatNeverFiresPlansNothing() throws {
        let plan = try SlotPlanner(schedule: schedule("0 0 30 2 *"), catchUp: .all)
            .plan(after: lastRun, now: backUp)
        #expect(plan == SlotPlan(toRun: [], skipped: [], lastDue: nil, next: nil))
    }

    @Test func aMonthDownOnAMinutelyJobIsBoundedAndQuick() throws {
        let planner = try SlotPlanner(schedule: schedule("* * * * *"), catchUp: .all, cap: 100)
        let clock = ContinuousClock()
        var plan: SlotPlan?
        let elapsed = clock.measure {
            plan = planner.plan(after: lastRun, now: lastRun + 30 * 86_400)
        }
        #expect(plan?.toRun.count == 100)
        #expect(plan?.skippedCount == 30 * 1440 - 100)
        #expect(plan?.toRun.last?.instant == lastRun + 30 * 86_400)
        // 43,200 slots: tens of milliseconds in a debug build.
        #expect(elapsed < .seconds(3))
    }

    /// A runner restarted every hour for a fortnight, down 5 s each time, with a weekly job:
    /// the stored last slot makes it run exactly twice, whether the slot falls in the 5 s of
    /// downtime (`startOffset` 5 s: killed at 09:00:00, back at 09:00:05) or while a process
    /// is up (`startOffset` 30 min: up from 08:30:00 to 09:29:55).
    @Test(arguments: [(CatchUpPolicy.skip, 5.0), (.latest, 5), (.all, 5), (.skip, 1800), (.latest, 1800), (.all, 1800)])
    func hourlyRestartsForAFortnightRunAWeeklyJobTwice(policy: CatchUpPolicy, startOffset: TimeInterval) async throws {
        let planner = try SlotPlanner(schedule: schedule("0 9 * * MON"), catchUp: policy)
        let created = instant("2026-03-01T00:00:00+08:00")  // a Sunday
        let clock = ManualClock(created)
        var lastSlot = created  // what the store keeps between processes
        var ran: [LocalDateTime] = []

        for hour in 0..<(14 * 24) {
            let startedAt = created + TimeInterval(hour) * 3600 + startOffset
            let killedAt = startedAt + 3600 - 5
            clock.set(to: startedAt)
            // One process lifetime: plan, run, sleep until the next slot if it comes before the kill.
            while true {
                let plan = planner.plan(after: lastSlot, now: clock.now)
                ran += plan.toRun.map(\.nominal)
                if let due = plan.lastDue { lastSlot = due.instant }
                guard let next = plan.next, next.instant < killedAt else { break }
                try await clock.sleep(until: next.instant)
            }
        }
        #expect(ran == [local("2026-03-02T09:00"), local("2026-03-09T09:00")])
    }
}
