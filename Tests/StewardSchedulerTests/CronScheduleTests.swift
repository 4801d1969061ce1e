import Foundation
import Testing
@testable import StewardScheduler

@Suite("Next fire times")
struct CronScheduleTests {
    @Test func everyFiveMinutesGives288SlotsADay() throws {
        let schedule = try schedule("*/5 * * * *")
        let dayStart = instant("2026-05-20T00:00:00+08:00")
        let dayEnd = instant("2026-05-21T00:00:00+08:00")
        let slots = Array(schedule.slots(after: dayStart - 1).prefix { $0.instant < dayEnd })
        #expect(slots.count == 288)
        #expect(slots.first?.nominal == local("2026-05-20T00:00"))
        #expect(slots.first?.instant == instant("2026-05-19T16:00:00Z"))
        #expect(slots.last?.nominal == local("2026-05-20T23:55"))
        #expect(zip(slots, slots.dropFirst()).allSatisfy { $1.instant.timeIntervalSince($0.instant) == 300 })
    }

    @Test func mondaysAtNineInShanghai() throws {
        // 2026-03-04 is a Wednesday; 09:00 CST is 01:00Z.
        let slots = try schedule("0 9 * * MON").nextSlots(after: instant("2026-03-04T00:00:00Z"), count: 3)
        #expect(render(slots) == [
            "2026-03-09T09:00 → 2026-03-09T01:00:00Z",
            "2026-03-16T09:00 → 2026-03-16T01:00:00Z",
            "2026-03-23T09:00 → 2026-03-23T01:00:00Z",
        ])
    }

    @Test func defaultZoneIsShanghai() throws {
        let schedule = try CronSchedule(cron("0 9 * * MON"))
        #expect(schedule.timeZone.identifier == "Asia/Shanghai")
        #expect(CronSchedule.defaultTimeZoneIdentifier == "Asia/Shanghai")
        #expect(schedule.nextSlot(after: instant("2026-03-04T00:00:00Z"))?.instant
            == instant("2026-03-09T01:00:00Z"))
    }

    @Test func monthlyAcrossTheYearEnd() throws {
        let slots = try schedule("@monthly").nextSlots(after: instant("2026-12-15T00:00:00Z"), count: 3)
        #expect(render(slots) == [
            "2027-01-01T00:00 → 2026-12-31T16:00:00Z",
            "2027-02-01T00:00 → 2027-01-31T16:00:00Z",
            "2027-03-01T00:00 → 2027-02-28T16:00:00Z",
        ])
    }

    @Test func nextIsStrictlyAfterTheGivenInstant() throws {
        let schedule = try schedule("0 9 * * *")
        #expect(schedule.nextSlot(after: instant("2026-03-09T01:00:00Z"))?.instant
            == instant("2026-03-10T01:00:00Z"))
        #expect(schedule.nextSlot(after: instant("2026-03-09T00:59:59Z"))?.instant
            == instant("2026-03-09T01:00:00Z"))
        // A fraction of a second before the slot still finds it.
        #expect(schedule.nextSlot(after: instant("2026-03-09T01:00:00Z") - 0.25)?.instant
            == instant("2026-03-09T01:00:00Z"))
    }

    @Test func leapDayOnlyEveryFourYearsAndNotIn2100() throws {
        let slots = try schedule("0 0 29 2 *", "UTC").nextSlots(after: instant("2026-01-01T00:00:00Z"), count: 3)
        #expect(slots.map(\.nominal) == [local("2028-02-29T00:00"), local("2032-02-29T00:00"),
                                         local("2036-02-29T00:00")])
        let acrossCentury = try schedule("0 0 29 2 *", "UTC").nextSlot(after: instant("2096-03-01T00:00:00Z"))
        #expect(acrossCentury?.nominal == local("2104-02-29T00:00"))
    }

    @Test func rarestPossibleExpressionIsFound() throws {
        // 29 February on a Sunday (AND rule, since the weekday field starts with `*`):
        // 2032-02-29 is a Sunday, and the next is 2060-02-29.
        let schedule = try schedule("0 0 29 2 */7", "UTC")
        let start = instant("2026-01-01T00:00:00Z")
        var slots: [CronSlot] = []
        let elapsed = ContinuousClock().measure {
            slots = schedule.nextSlots(after: start, count: 2)
        }
        #expect(slots.map(\.nominal) == [local("2032-02-29T00:00"), local("2060-02-29T00:00")])
        // 34 years is 18 million minutes; the search skips whole months instead.
        #expect(elapsed < .seconds(1))
    }

    @Test(arguments: ["0 0 30 2 *", "0 0 31 4,6,9,11 *", "0 0 30,31 FEB *", "0 0 31 2,4 *"])
    func neverFiringExpressionsEndAtOnce(text: String) throws {
        let schedule = try schedule(text)
        let start = instant("2026-01-01T00:00:00Z")
        let elapsed = ContinuousClock().measure {
            #expect(schedule.nextSlot(after: start) == nil)
        }
        // Generous for a loaded debug build; a search that walked minutes would take far longer.
        #expect(elapsed < .seconds(1))
    }

    @Test func eitherDayFieldFiresWhenBothAreRestricted() throws {
        // 30 February never exists, but Mondays in February do.
        let slots = try schedule("0 0 30 2 MON", "UTC").nextSlots(after: instant("2026-01-01T00:00:00Z"), count: 2)
        #expect(slots.map(\.nominal) == [local("2026-02-02T00:00"), local("2026-02-09T00:00")])
    }

    @Test func aThousandSlotsTakeMilliseconds() throws {
        let schedule = try schedule("*/5 * * * *", "America/New_York")
        let clock = ContinuousClock()
        var slots: [CronSlot] = []
        let elapsed = clock.measure {
            slots = schedule.nextSlots(after: instant("2026-03-07T00:00:00Z"), count: 1000)
        }
        #expect(slots.count == 1000)
        // Across the 2026-03-08 spring-forward the clock skips 02:00–02:55, yet 01:55 EST and
        // 03:00 EDT are five real minutes apart: the slots stay evenly spaced in real time.
        #expect(slots.last?.instant == instant("2026-03-07T00:00:00Z") + 1000 * 300)
        // About 0.5 ms optimised and a few ms in a debug build; the bound leaves room for a
        // loaded machine.
        #expect(elapsed < .seconds(1))
    }

    @Test func localTimeAtAnInstant() throws {
        let schedule = try schedule("@daily", "America/New_York")
        #expect(schedule.localTime(at: instant("2026-03-08T07:00:00Z")) == local("2026-03-08T03:00"))
        #expect(schedule.localTime(at: instant("2026-11-01T06:30:59Z")) == local("2026-11-01T01:30"))
    }

    @Test func slotDescriptionShowsNominalAndInstant() throws {
        let slot = try schedule("30 2 * * *", "America/New_York").nextSlot(after: instant("2026-03-08T00:00:00Z"))
        #expect(slot?.description == "2026-03-08T02:30 (2026-03-08T07:00:00Z)")
    }
}
