extension CronExpression {
    /// How far ahead the search looks before concluding an expression never matches: one full
    /// Gregorian cycle, after which dates and weekdays repeat. `canEverMatch` answers the
    /// impossible cases (`0 0 30 2 *`) at once, so this is only a backstop; the rarest possible
    /// expression (`0 0 29 2 */7`, a 29 February that is a Sunday) recurs within 40 years.
    static let searchHorizonYears = 400

    /// The first local minute strictly after `local` that the expression matches, or nil if
    /// there is none within `searchHorizonYears`.
    ///
    /// Walks calendar fields from the largest down, jumping straight to the next allowed month,
    /// day, hour and minute, so each call costs a few dozen steps rather than one per minute.
    func nextMatch(after local: LocalDateTime) -> LocalDateTime? {
        guard canEverMatch else { return nil }
        let start = LocalDateTime(minutesSinceEpoch: local.minutesSinceEpoch + 1)
        let lastYear = start.year + Self.searchHorizonYears
        var year = start.year, month = start.month, day = start.day
        var hour = start.hour, minute = start.minute

        while year <= lastYear {
            guard let nextMonth = months.next(atOrAfter: month) else {
                (year, month, day, hour, minute) = (year + 1, 1, 1, 0, 0)
                continue
            }
            if nextMonth != month {
                (month, day, hour, minute) = (nextMonth, 1, 0, 0)
            }

            guard let nextDay = firstMatchingDay(year: year, month: month, from: day) else {
                (year, month) = month == 12 ? (year + 1, 1) : (year, month + 1)
                (day, hour, minute) = (1, 0, 0)
                continue
            }
            if nextDay != day {
                (day, hour, minute) = (nextDay, 0, 0)
            }

            guard let nextHour = hours.next(atOrAfter: hour) else {
                (day, hour, minute) = (day + 1, 0, 0)
                if day > CivilCalendar.daysInMonth(year: year, month: month) {
                    (year, month) = month == 12 ? (year + 1, 1) : (year, month + 1)
                    day = 1
                }
                continue
            }
            if nextHour != hour {
                (hour, minute) = (nextHour, 0)
            }

            guard let nextMinute = minutes.next(atOrAfter: minute) else {
                (hour, minute) = (hour + 1, 0)
                if hour > 23 {
                    (day, hour) = (day + 1, 0)
                    if day > CivilCalendar.daysInMonth(year: year, month: month) {
                        (year, month) = month == 12 ? (year + 1, 1) : (year, month + 1)
                        day = 1
                    }
                }
                continue
            }
            return LocalDateTime(year: year, month: month, day: day, hour: hour, minute: nextMinute)
        }
        return nil
    }

    /// The first day of the month, at or after `from`, that passes the day rule.
    private func firstMatchingDay(year: Int, month: Int, from: Int) -> Int? {
        let length = CivilCalendar.daysInMonth(year: year, month: month)
        guard from <= length else { return nil }
        var weekday = CivilCalendar.weekday(ofDays: CivilCalendar.days(year: year, month: month, day: from))
        for day in from...length {
            if dayMatches(day: day, weekday: weekday) { return day }
            weekday = weekday == 6 ? 0 : weekday + 1
        }
        return nil
    }
}
