import Foundation
import Testing
@testable import StewardScheduler

/// Daylight-saving changes. Transitions used (from the IANA database):
/// - America/New_York 2026-03-08 02:00 EST → 03:00 EDT (07:00Z) and 2026-11-01 02:00 EDT →
///   01:00 EST (06:00Z).
/// - America/Santiago 2026-04-05 00:00 → 2026-04-04 23:00 (03:00Z) and 2026-09-06 00:00 →
///   01:00 (04:00Z): changes at midnight, so the repeated or missing hour crosses a date.
/// - Australia/Lord_Howe 2026-10-04 02:00 → 02:30 (+10:30 → +11, 2026-10-03T15:30Z) and
///   2026-04-05 02:00 → 01:30 (15:00Z): half-hour changes.
@Suite("Daylight saving")
struct CronScheduleDSTTests {
    @Test func fixedTimeInTheSpringGapRunsOnceWhenTheGapEnds() throws {
        let slots = try schedule("30 2 * * *", "America/New_York")
            .nextSlots(after: instant("2026-03-07T12:00:00Z"), count: 2)
        #expect(render(slots) == [
            "2026-03-08T02:30 → 2026-03-08T07:00:00Z",  // 03:00 EDT
            "2026-03-09T02:30 → 2026-03-09T06:30:00Z",
        ])
    }

    @Test func fixedTimeOnTheRepeatedHourRunsOnceAtTheFirstOccurrence() throws {
        let schedule = try schedule("30 1 * * *", "America/New_York")
        let slots = schedule.nextSlots(after: instant("2026-10-31T12:00:00Z"), count: 2)
        #expect(render(slots) == [
            "2026-11-01T01:30 → 2026-11-01T05:30:00Z",  // 01:30 EDT; not again at 01:30 EST
            "2026-11-02T01:30 → 2026-11-02T06:30:00Z",
        ])
        // Asked from the first occurrence, the second is not a slot.
        #expect(schedule.nextSlot(after: instant("2026-11-01T05:30:00Z"))?.instant
            == instant("2026-11-02T06:30:00Z"))
    }

    @Test func everyThirtyMinutesAcrossFallBack() throws {
        let slots = try schedule("*/30 * * * *", "America/New_York")
            .nextSlots(after: instant("2026-11-01T04:00:00Z"), count: 5)
        #expect(render(slots) == [
            "2026-11-01T00:30 → 2026-11-01T04:30:00Z",
            "2026-11-01T01:00 → 2026-11-01T05:00:00Z",
            "2026-11-01T01:30 → 2026-11-01T05:30:00Z",
            // 01:00 and 01:30 EST (06:00Z, 06:30Z) repeat minutes already matched.
            "2026-11-01T02:00 → 2026-11-01T07:00:00Z",
            "2026-11-01T02:30 → 2026-11-01T07:30:00Z",
        ])
    }

    @Test func everyThirtyMinutesAcrossSpringForward() throws {
        let slots = try schedule("*/30 * * * *", "America/New_York")
            .nextSlots(after: instant("2026-03-08T06:00:00Z"), count: 3)
        #expect(render(slots) == [
            "2026-03-08T01:30 → 2026-03-08T06:30:00Z",
            // 02:00 and 02:30 never appear on the clock: a wildcard job has no slots there.
            "2026-03-08T03:00 → 2026-03-08T07:00:00Z",
            "2026-03-08T03:30 → 2026-03-08T07:30:00Z",
        ])
    }

    @Test func hourlyAcrossBothChanges() throws {
        let schedule = try schedule("@hourly", "America/New_York")
        #expect(render(schedule.nextSlots(after: instant("2026-03-08T05:30:00Z"), count: 3)) == [
            "2026-03-08T01:00 → 2026-03-08T06:00:00Z",
            "2026-03-08T03:00 → 2026-03-08T07:00:00Z",
            "2026-03-08T04:00 → 2026-03-08T08:00:00Z",
        ])
        #expect(render(schedule.nextSlots(after: instant("2026-11-01T04:30:00Z"), count: 2)) == [
            "2026-11-01T01:00 → 2026-11-01T05:00:00Z",
            "2026-11-01T02:00 → 2026-11-01T07:00:00Z",
        ])
    }

    @Test func slotsPerDayOnChangeDays() throws {
        // 23 real hours on 2026-03-08 and 25 on 2026-11-01; every local minute matches once.
        let schedule = try schedule("*/5 * * * *", "America/New_York")
        func count(from start: String, to end: String) -> Int {
            schedule.slots(after: instant(start) - 1).prefix { $0.instant < instant(end) }.count
        }
        #expect(count(from: "2026-03-08T05:00:00Z", to: "2026-03-09T04:00:00Z") == 276)
        #expect(count(from: "2026-11-01T04:00:00Z", to: "2026-11-02T05:00:00Z") == 288)
    }

    @Test func severalFixedTimesInOneGapAreOneSlot() throws {
        // 02:00 and 02:30 both fall in the gap and 03:00 is its end: one slot, named 02:00.
        let slots = try schedule("0,30 2 * * *", "America/New_York")
            .nextSlots(after: instant("2026-03-08T00:00:00Z"), count: 2)
        #expect(render(slots) == [
            "2026-03-08T02:00 → 2026-03-08T07:00:00Z",
            "2026-03-09T02:00 → 2026-03-09T06:00:00Z",
        ])
        let hours = try schedule("0 1-3 * * *", "America/New_York")
            .nextSlots(after: instant("2026-03-08T00:00:00Z"), count: 3)
        #expect(render(hours) == [
            "2026-03-08T01:00 → 2026-03-08T06:00:00Z",
            "2026-03-08T02:00 → 2026-03-08T07:00:00Z",  // also stands for 03:00, same instant
            "2026-03-09T01:00 → 2026-03-09T05:00:00Z",
        ])
    }

    @Test func startingInsideTheRepeatedHoursSecondPass() throws {
        // 06:10Z is 01:10 EST, the second 01:10 of the day.
        let start = instant("2026-11-01T06:10:00Z")
        #expect(try schedule("*/5 * * * *", "America/New_York").nextSlot(after: start).map { render([$0]) }
            == ["2026-11-01T02:00 → 2026-11-01T07:00:00Z"])
        #expect(try schedule("0 2 * * *", "America/New_York").nextSlot(after: start).map { render([$0]) }
            == ["2026-11-01T02:00 → 2026-11-01T07:00:00Z"])
    }

    @Test func santiagoRepeatsTheHourBeforeMidnight() throws {
        let slots = try schedule("0 23 * * *", "America/Santiago")
            .nextSlots(after: instant("2026-04-04T12:00:00Z"), count: 2)
        #expect(render(slots) == [
            "2026-04-04T23:00 → 2026-04-05T02:00:00Z",  // first 23:00, at -03
            "2026-04-05T23:00 → 2026-04-06T03:00:00Z",
        ])
    }

    @Test func santiagoSkipsMidnight() throws {
        let daily = try schedule("@daily", "America/Santiago")
            .nextSlots(after: instant("2026-09-05T12:00:00Z"), count: 2)
        #expect(render(daily) == [
            "2026-09-06T00:00 → 2026-09-06T04:00:00Z",  // the clock shows 01:00
            "2026-09-07T00:00 → 2026-09-07T03:00:00Z",
        ])
        // A wildcard job in the same hour has nothing on 09-06.
        let wildcard = try schedule("*/30 0 * * *", "America/Santiago")
            .nextSlots(after: instant("2026-09-05T12:00:00Z"), count: 2)
        #expect(render(wildcard) == [
            "2026-09-07T00:00 → 2026-09-07T03:00:00Z",
            "2026-09-07T00:30 → 2026-09-07T03:30:00Z",
        ])
    }

    @Test func lordHoweHalfHourChanges() throws {
        let spring = try schedule("15 2 * * *", "Australia/Lord_Howe")
            .nextSlots(after: instant("2026-10-03T00:00:00Z"), count: 2)
        #expect(render(spring) == [
            "2026-10-04T02:15 → 2026-10-03T15:30:00Z",
            "2026-10-05T02:15 → 2026-10-04T15:15:00Z",
        ])
        let autumn = try schedule("45 1 * * *", "Australia/Lord_Howe")
            .nextSlots(after: instant("2026-04-04T00:00:00Z"), count: 2)
        #expect(render(autumn) == [
            "2026-04-05T01:45 → 2026-04-04T14:45:00Z",
            "2026-04-06T01:45 → 2026-04-05T15:15:00Z",
        ])
    }

    @Test func shanghaiHasNoChanges() throws {
        let slots = try schedule("30 2 * * *").nextSlots(after: instant("2026-03-06T00:00:00Z"), count: 2)
        #expect(render(slots) == [
            "2026-03-07T02:30 → 2026-03-06T18:30:00Z",
            "2026-03-08T02:30 → 2026-03-07T18:30:00Z",
        ])
    }
}
