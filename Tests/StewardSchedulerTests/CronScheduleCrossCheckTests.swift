import Foundation
import Testing
@testable import StewardScheduler
import TestRandom

/// The fast next-time search against a brute-force model that steps through real time one
/// minute at a time, for random expressions in zones with every kind of change.
///
/// The model is the rule in `CronSchedule`'s documentation, stated from the clock's side: at
/// each real minute, the wall clock shows a local minute; it is a slot if it matches and is
/// shown for the first time. If the clock jumped forward past matching minutes, a fixed-time
/// job gets one slot at this minute, named by the earliest skipped match.
///
/// By default 2026-03-01 to 2026-11-08 — both changes of every zone tested — in four zones (a
/// few seconds); set `STEWARD_LONG_TESTS=1` for a whole year, more expressions and more zones.
@Suite("Next-time search agrees with brute force")
struct CronScheduleCrossCheckTests {
    static let long = LongTests.enabled
    static let zones = long
        ? ["America/New_York", "America/Santiago", "Australia/Lord_Howe", "Pacific/Chatham",
           "Europe/London", "America/Havana", "Asia/Shanghai", "Asia/Kolkata"]
        : ["America/New_York", "America/Santiago", "Australia/Lord_Howe", "Asia/Shanghai"]
    static let expressionsPerZone = long ? 40 : 10
    static let windowStart = long ? "2026-01-01T00:00:00Z" : "2026-03-01T00:00:00Z"
    static let windowDays = long ? 365 : 252

    @Test(arguments: zones)
    func agreesWithMinuteByMinuteSearch(zoneIdentifier: String) throws {
        let zone = try #require(TimeZone(identifier: zoneIdentifier))
        let start = instant(Self.windowStart)
        // The model starts two days early so it knows which local minutes were already shown.
        let clockModel = WallClockModel(zone: zone, from: start - 2 * 86_400, days: Self.windowDays + 3)
        var random = SplitMix64(seed: UInt64(truncatingIfNeeded: zoneIdentifier.utf8.reduce(5381) { $0 &* 33 &+ Int($1) }))
        let horizon = start + TimeInterval(Self.windowDays * 86_400)

        for _ in 0..<Self.expressionsPerZone {
            let text = randomExpression(using: &random)
            let schedule = CronSchedule(try CronExpression(text), timeZone: zone)
            let expected = clockModel.slots(of: schedule.expression).filter { $0.instant > start && $0.instant <= horizon }
            let actual = Array(schedule.slots(after: start).prefix { $0.instant <= horizon })
            // Report the first difference only: a diff of two 500,000-slot arrays is unreadable
            // and slow to compute.
            if let difference = firstDifference(actual, expected) {
                Issue.record("\(text) in \(zoneIdentifier): \(difference)")
                continue
            }

            // From arbitrary instants, including inside repeated hours and between seconds.
            for _ in 0..<25 {
                let from = start + Double(random.next(upperBound: UInt64((Self.windowDays - 5) * 86_400))) + 0.5
                let want = expected.first { $0.instant > from }
                if let want {
                    #expect(schedule.nextSlot(after: from) == want, "\(text) in \(zoneIdentifier) after \(iso(from))")
                }
            }
        }
    }

    func firstDifference(_ actual: [CronSlot], _ expected: [CronSlot]) -> String? {
        for (index, (got, want)) in zip(actual, expected).enumerated() where got != want {
            return "slot \(index): got \(got), expected \(want)"
        }
        guard actual.count == expected.count else {
            let extra = actual.count > expected.count ? actual[expected.count] : expected[actual.count]
            return "got \(actual.count) slots, expected \(expected.count); first unmatched \(extra)"
        }
        return nil
    }

    /// A random expression, biased towards the small hours (where the changes are) and towards
    /// shapes that fire often enough to say something.
    func randomExpression(using random: inout SplitMix64) -> String {
        func pick<T>(_ choices: [T]) -> T { choices[Int(random.next(upperBound: UInt64(choices.count)))] }
        func number(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &random) }
        func field(_ range: ClosedRange<Int>, names: [String] = [], star: Int) -> String {
            if number(0...99) < star { return "*" }
            func value() -> String {
                if !names.isEmpty, number(0...3) == 0 { return pick(names) }
                return String(number(range))
            }
            switch number(0...5) {
            case 0: return "*/\(number(1...(range.count / 2)))"
            case 1: return value()
            case 2: return (0..<number(2...4)).map { _ in String(number(range)) }.joined(separator: ",")
            case 3:
                let low = number(range), high = number(low...range.upperBound)
                return "\(low)-\(high)"
            case 4:
                let low = number(range), high = number(low...range.upperBound)
                return "\(low)-\(high)/\(number(1...5))"
            default: return "\(number(range))/\(number(1...20))"
            }
        }
        let minute = field(0...59, star: 20)
        let hour = number(0...2) == 0 ? pick(["1", "2", "0-3", "1,2", "2/1", "23,0"]) : field(0...23, star: 40)
        let dayOfMonth = field(1...31, star: 60)
        let month = field(1...12, names: ["JAN", "MAR", "APR", "SEP", "OCT", "NOV"], star: 60)
        let dayOfWeek = field(0...7, names: ["SUN", "MON", "SAT"], star: 65)
        return [minute, hour, dayOfMonth, month, dayOfWeek].joined(separator: " ")
    }
}

/// What a zone's wall clock shows at each real minute over a span of time.
struct WallClockModel {
    let firstMinute: Int64
    /// The local minute (minutes since 1970 on the wall clock) at each real minute.
    let localMinutes: [Int64]

    init(zone: TimeZone, from: Date, days: Int) {
        let first = Int64(from.timeIntervalSince1970) / 60
        firstMinute = first
        localMinutes = (0..<Int64(days * 1440)).map { index in
            let minute = first + index
            let offset = zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(minute * 60)))
            return minute + Int64(offset / 60)
        }
    }

    func slots(of expression: CronExpression) -> [CronSlot] {
        // The time of day decides most minutes; the date is checked once per day, through
        // `matches` at the day's first allowed time.
        let minutes = expression.allowedValues(.minute), hours = expression.allowedValues(.hour)
        let timeOfDay = (0..<1440).map { hours.contains($0 / 60) && minutes.contains($0 % 60) }
        var checkedDay: Int64?
        var dayMatches = false
        func matches(_ localMinute: Int64) -> Bool {
            guard timeOfDay[Int(localMinute.floorModulo(1440))] else { return false }
            let day = localMinute.floorDivided(by: 1440)
            if day != checkedDay {
                checkedDay = day
                dayMatches = expression.matches(
                    LocalDateTime(minutesSinceEpoch: day * 1440 + Int64(hours[0] * 60 + minutes[0])))
            }
            return dayMatches
        }

        var slots: [CronSlot] = []
        var latestShown = localMinutes[0]
        for index in 1..<localMinutes.count {
            let shown = localMinutes[index]
            var nominal: Int64?
            if expression.isFixedTime, shown > latestShown + 1 {
                nominal = (latestShown + 1..<shown).first(where: matches)
            }
            if nominal == nil, shown > latestShown, matches(shown) {
                nominal = shown
            }
            if let nominal {
                let instant = Date(timeIntervalSince1970: TimeInterval((firstMinute + Int64(index)) * 60))
                slots.append(CronSlot(nominal: LocalDateTime(minutesSinceEpoch: nominal), instant: instant))
            }
            latestShown = max(latestShown, shown)
        }
        return slots
    }
}
