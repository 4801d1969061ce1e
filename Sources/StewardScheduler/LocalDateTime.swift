/// A wall-clock minute in a schedule's time zone, such as 2026-03-08 02:30.
///
/// This is what a cron expression matches and what a slot is named by (its *nominal* time). It
/// carries no zone and no offset: during a spring-forward gap it may name a minute that never
/// appears on any clock, and during a fall-back it names a minute that appears twice. Turning it
/// into an instant is `CronSchedule`'s job.
public struct LocalDateTime: Sendable, Hashable, Comparable, LosslessStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int
    public let hour: Int
    public let minute: Int

    /// A local minute, or nil when the fields do not name a real calendar minute
    /// (month 1–12, a day that exists in that month, hour 0–23, minute 0–59).
    public init?(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0) {
        guard (1...12).contains(month),
              (1...CivilCalendar.daysInMonth(year: year, month: month)).contains(day),
              (0...23).contains(hour), (0...59).contains(minute)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
        self.hour = hour
        self.minute = minute
    }

    /// Parses the form `description` produces, `yyyy-MM-ddTHH:mm` (e.g. `2026-03-08T02:30`), so
    /// a stored nominal time reads back exactly. Nil for anything else.
    public init?(_ description: String) {
        let characters = Array(description)
        guard characters.count == 16, characters[4] == "-", characters[7] == "-",
              characters[10] == "T", characters[13] == ":"
        else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            let digits = characters[range]
            return digits.allSatisfy(\.isASCIIDigit) ? Int(String(digits)) : nil
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
              let hour = number(11..<13), let minute = number(14..<16)
        else { return nil }
        self.init(year: year, month: month, day: day, hour: hour, minute: minute)
    }

    /// The local minute that is `minutes` minutes after 1970-01-01 00:00 on the same wall clock.
    init(minutesSinceEpoch minutes: Int64) {
        let days = minutes.floorDivided(by: 1440)
        let minuteOfDay = Int(minutes - days * 1440)
        let (y, m, d) = CivilCalendar.civil(fromDays: days)
        year = y
        month = m
        day = d
        hour = minuteOfDay / 60
        minute = minuteOfDay % 60
    }

    /// Minutes since 1970-01-01 00:00 on this wall clock; a linear index for local minutes.
    var minutesSinceEpoch: Int64 {
        CivilCalendar.days(year: year, month: month, day: day) * 1440 + Int64(hour * 60 + minute)
    }

    /// Day of the week, 0 = Sunday … 6 = Saturday (cron's numbering).
    public var weekday: Int {
        CivilCalendar.weekday(ofDays: CivilCalendar.days(year: year, month: month, day: day))
    }

    /// ISO 8601 without a zone, e.g. `2026-03-08T02:30`.
    public var description: String {
        "\(Self.pad(year, 4))-\(Self.pad(month, 2))-\(Self.pad(day, 2))T\(Self.pad(hour, 2)):\(Self.pad(minute, 2))"
    }

    public static func < (lhs: LocalDateTime, rhs: LocalDateTime) -> Bool {
        (lhs.year, lhs.month, lhs.day, lhs.hour, lhs.minute)
            < (rhs.year, rhs.month, rhs.day, rhs.hour, rhs.minute)
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(abs(value))
        let padded = String(repeating: "0", count: max(0, width - digits.count)) + digits
        return value < 0 ? "-" + padded : padded
    }
}

/// Proleptic Gregorian calendar arithmetic on day numbers (days since 1970-01-01).
///
/// Done by hand (Howard Hinnant's algorithms) rather than through Foundation's `Calendar`,
/// because the next-time search touches thousands of days and `Calendar` costs microseconds a
/// call; the zone's offsets are the only thing we ask Foundation for.
enum CivilCalendar {
    static func isLeapYear(_ year: Int) -> Bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }

    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 of a civil date.
    static func days(year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = y.floorDivided(by: 400)
        let yearOfEra = y - era * 400
        let shiftedMonth = Int64(month > 2 ? month - 3 : month + 9)
        let dayOfYear = (153 * shiftedMonth + 2) / 5 + Int64(day) - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The civil date of a day number.
    static func civil(fromDays days: Int64) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = z.floorDivided(by: 146_097)
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (Int(year), Int(month), Int(day))
    }

    /// 0 = Sunday … 6 = Saturday. 1970-01-01 was a Thursday.
    static func weekday(ofDays days: Int64) -> Int {
        Int((days + 4).floorModulo(7))
    }
}

extension Int64 {
    /// Division rounding toward negative infinity (Swift's `/` truncates toward zero).
    func floorDivided(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }

    /// The remainder that matches `floorDivided(by:)`: always in 0..<divisor for a positive divisor.
    func floorModulo(_ divisor: Int64) -> Int64 {
        self - floorDivided(by: divisor) * divisor
    }
}
