import Foundation
import Testing
@testable import StewardScheduler

@Suite("Calendar arithmetic")
struct CivilCalendarTests {
    @Test func dayNumbersAgreeWithFoundation() throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = try #require(TimeZone(identifier: "UTC"))
        // Every 37th day from 1600 to 2500, both directions.
        for days in stride(from: Int64(-135_000), through: 195_000, by: 37) {
            let date = Date(timeIntervalSince1970: TimeInterval(days * 86_400))
            let parts = calendar.dateComponents([.year, .month, .day, .weekday], from: date)
            let civil = CivilCalendar.civil(fromDays: days)
            #expect(civil.year == parts.year && civil.month == parts.month && civil.day == parts.day)
            #expect(CivilCalendar.days(year: civil.year, month: civil.month, day: civil.day) == days)
            #expect(CivilCalendar.weekday(ofDays: days) == parts.weekday! - 1)
        }
    }

    @Test func localMinutesRoundTrip() {
        for minutes in stride(from: Int64(-10_000_000), through: 40_000_000, by: 9_973) {
            #expect(LocalDateTime(minutesSinceEpoch: minutes).minutesSinceEpoch == minutes)
        }
    }

    @Test func nextAllowedValue() {
        var set = CronValueSet()
        [0, 5, 59].forEach { set.insert($0) }
        #expect(set.next(atOrAfter: 0) == 0)
        #expect(set.next(atOrAfter: 1) == 5)
        #expect(set.next(atOrAfter: 6) == 59)
        #expect(set.next(atOrAfter: 60) == nil)
        #expect(set.values == [0, 5, 59])
    }
}
