/// A five-field cron expression: minute, hour, day of month, month, day of week.
///
/// Parse one with `CronExpression(_:)` (see CronExpression+Parsing.swift for the syntax). The
/// semantics are Vixie cron's, which is what administrators' crontabs already mean:
/// - Day of week 0 and 7 are both Sunday.
/// - When both day fields are restricted, a day matches if **either** matches
///   (`0 9 1 * MON` runs on the 1st and on every Monday). A day field whose text starts with `*`
///   (`*`, `*/2`) counts as unrestricted, so then both must match — exactly as in Vixie cron.
/// - A job whose minute or hour field starts with `*` is a *wildcard* job (`*/5 * * * *`,
///   `@hourly`); every other job is a *fixed-time* job. The two differ only across a
///   spring-forward gap: see `CronSchedule`.
///
/// Two expressions are equal when they match the same minutes under the same rules, whatever
/// their spelling: `@daily` equals `0 0 * * *`, and `* * * * 7` equals `* * * * 0`.
public struct CronExpression: Sendable, Hashable, CustomStringConvertible {
    /// The five fields, in the order they are written.
    public enum Field: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
        case minute
        case hour
        case dayOfMonth = "day-of-month"
        case month
        case dayOfWeek = "day-of-week"

        /// The values that may be written in this field (day of week accepts 7 for Sunday).
        public var range: ClosedRange<Int> {
            switch self {
            case .minute: 0...59
            case .hour: 0...23
            case .dayOfMonth: 1...31
            case .month: 1...12
            case .dayOfWeek: 0...7
            }
        }

        public var description: String { rawValue }
    }

    let minutes: CronValueSet
    let hours: CronValueSet
    let daysOfMonth: CronValueSet
    let months: CronValueSet
    /// Weekdays 0...6; a written 7 is stored as 0.
    let daysOfWeek: CronValueSet
    /// Whether the day-of-month text starts with `*` (Vixie's DOM_STAR).
    let dayOfMonthIsStar: Bool
    /// Whether the day-of-week text starts with `*` (Vixie's DOW_STAR).
    let dayOfWeekIsStar: Bool
    /// The text as normalised by the parser: `@name`, or the five fields joined by one space.
    private let text: String

    init(
        minutes: CronValueSet, hours: CronValueSet, daysOfMonth: CronValueSet,
        months: CronValueSet, daysOfWeek: CronValueSet, dayOfMonthIsStar: Bool,
        dayOfWeekIsStar: Bool, isFixedTime: Bool, text: String
    ) {
        self.minutes = minutes
        self.hours = hours
        self.daysOfMonth = daysOfMonth
        self.months = months
        self.daysOfWeek = daysOfWeek
        self.dayOfMonthIsStar = dayOfMonthIsStar
        self.dayOfWeekIsStar = dayOfWeekIsStar
        self.isFixedTime = isFixedTime
        self.text = text
        self.canEverMatch = Self.canEverMatch(
            daysOfMonth: daysOfMonth, months: months,
            dateMustMatch: dayOfMonthIsStar || dayOfWeekIsStar)
    }

    /// True for a fixed-time job: neither the minute nor the hour field starts with `*`.
    ///
    /// A fixed-time job whose local time falls in a spring-forward gap still runs (once, when
    /// the gap ends); a wildcard job simply has no slots in the gap, as in Vixie cron.
    public let isFixedTime: Bool

    /// The normalised text: `@name` for a named expression (lower case), otherwise the five
    /// fields as written, joined by single spaces. Parsing it gives back an equal expression.
    public var description: String { text }

    /// The values a field allows, ascending (day of week in 0...6, Sunday = 0).
    public func allowedValues(_ field: Field) -> [Int] {
        switch field {
        case .minute: minutes.values
        case .hour: hours.values
        case .dayOfMonth: daysOfMonth.values
        case .month: months.values
        case .dayOfWeek: daysOfWeek.values
        }
    }

    /// Whether the expression matches a local wall-clock minute.
    public func matches(_ local: LocalDateTime) -> Bool {
        minutes.contains(local.minute) && hours.contains(local.hour) && months.contains(local.month)
            && dayMatches(day: local.day, weekday: local.weekday)
    }

    /// The cron day rule: with both day fields restricted either may match, otherwise both must.
    func dayMatches(day: Int, weekday: Int) -> Bool {
        let byDate = daysOfMonth.contains(day)
        let byWeekday = daysOfWeek.contains(weekday)
        return dayOfMonthIsStar || dayOfWeekIsStar ? byDate && byWeekday : byDate || byWeekday
    }

    /// Whether any day can ever match (computed once: the next-time search checks it first).
    let canEverMatch: Bool

    /// Only the day-of-month can make an expression impossible (`0 0 30 2 *`, `0 0 31 4 *`):
    /// when it must match, some allowed month has to be long enough for some allowed day.
    /// Otherwise the Gregorian 400-year cycle puts every date on every weekday, so some day
    /// matches within 400 years.
    private static func canEverMatch(daysOfMonth: CronValueSet, months: CronValueSet, dateMustMatch: Bool) -> Bool {
        guard dateMustMatch, let firstDay = daysOfMonth.next(atOrAfter: 1) else { return true }
        return months.values.contains { month in
            firstDay <= (month == 2 ? 29 : CivilCalendar.daysInMonth(year: 2001, month: month))
        }
    }

    public static func == (lhs: CronExpression, rhs: CronExpression) -> Bool {
        lhs.minutes == rhs.minutes && lhs.hours == rhs.hours && lhs.daysOfMonth == rhs.daysOfMonth
            && lhs.months == rhs.months && lhs.daysOfWeek == rhs.daysOfWeek
            && lhs.dayOfMonthIsStar == rhs.dayOfMonthIsStar
            && lhs.dayOfWeekIsStar == rhs.dayOfWeekIsStar && lhs.isFixedTime == rhs.isFixedTime
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(minutes)
        hasher.combine(hours)
        hasher.combine(daysOfMonth)
        hasher.combine(months)
        hasher.combine(daysOfWeek)
        hasher.combine(dayOfMonthIsStar)
        hasher.combine(dayOfWeekIsStar)
        hasher.combine(isFixedTime)
    }
}
