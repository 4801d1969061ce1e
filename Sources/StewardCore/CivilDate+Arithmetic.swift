/// Moving dates by days, months and years; differences; weekdays; ages.
extension CivilDate {
    /// The date `days` days later (earlier if negative). Throws outside years 1–9999.
    public func adding(days: Int) throws(CivilDateError) -> CivilDate {
        let (target, overflow) = daysSinceEpoch.addingReportingOverflow(days)
        guard !overflow, let result = try? CivilDate(daysSinceEpoch: target) else {
            throw .outOfRange("\(iso) + \(days) days")
        }
        return result
    }

    /// The same day `months` months later (earlier if negative), clamped to the end of a
    /// shorter month: 2025-01-31 + 1 month = 2025-02-28, 2024-01-31 + 1 month = 2024-02-29.
    /// Clamping (rather than spilling into the next month) is what people mean by "one
    /// month later" and keeps monthly schedules inside their month.
    public func adding(months: Int) throws(CivilDateError) -> CivilDate {
        let (index, o1) = (year * 12 + (month - 1)).addingReportingOverflow(months)
        guard !o1 else { throw .outOfRange("\(iso) + \(months) months") }
        let newYear = index >= 0 ? index / 12 : (index - 11) / 12
        let newMonth = index - newYear * 12 + 1
        guard (1...9999).contains(newYear) else { throw .outOfRange("\(iso) + \(months) months") }
        let newDay = Swift.min(day, CivilDate.daysInMonth(year: newYear, month: newMonth))
        return CivilDate(unchecked: newYear, newMonth, newDay)
    }

    /// The same day `years` years later, with 29 February clamped to 28 February in a
    /// common year (the same rule as `adding(months: 12 × years)`).
    public func adding(years: Int) throws(CivilDateError) -> CivilDate {
        let (months, overflow) = years.multipliedReportingOverflow(by: 12)
        guard !overflow else { throw .outOfRange("\(iso) + \(years) years") }
        return try adding(months: months)
    }

    /// Whole days from `self` to `other`: positive when `other` is later.
    /// `2025-03-01.days(until: 2025-03-31) == 30`.
    public func days(until other: CivilDate) -> Int {
        other.daysSinceEpoch - daysSinceEpoch
    }

    /// The day of the week.
    public var weekday: Weekday {
        // 1970-01-01 was a Thursday (ISO 4).
        let offset = ((daysSinceEpoch % 7) + 7) % 7
        return Weekday(rawValue: (offset + 3) % 7 + 1)!
    }

    /// The first day of this date's month.
    public var firstOfMonth: CivilDate { CivilDate(unchecked: year, month, 1) }

    /// The last day of this date's month.
    public var lastOfMonth: CivilDate {
        CivilDate(unchecked: year, month, CivilDate.daysInMonth(year: year, month: month))
    }

    /// Completed years of age on `date` for someone born on `self` (周岁); 0 before the first
    /// birthday, and also 0 if `date` is before the birth (rather than a negative age).
    ///
    /// Someone born on 29 February turns a year older on **1 March** in common years, not on
    /// 28 February. This is the reading of "has completed N years" used by Chinese civil law
    /// practice and most jurisdictions: on 28 February the anniversary has not yet arrived.
    /// It also makes eligibility at 80 start no earlier than the actual anniversary.
    public func age(on date: CivilDate) -> Int {
        guard date >= self else { return 0 }
        var years = date.year - year
        if (date.month, date.day) < (month, day) { years -= 1 }
        return years
    }

    /// The date on which someone born on `self` turns `age`: the anniversary, or 1 March for
    /// a 29 February birth in a common year (consistent with `age(on:)`).
    public func dateOfTurning(_ age: Int) throws(CivilDateError) -> CivilDate {
        let (targetYear, overflow) = year.addingReportingOverflow(age)
        guard !overflow, (1...9999).contains(targetYear) else {
            throw .outOfRange("Turning \(age) for a birth on \(iso)")
        }
        if month == 2 && day == 29 && !CivilDate.isLeapYear(targetYear) {
            return CivilDate(unchecked: targetYear, 3, 1)
        }
        return CivilDate(unchecked: targetYear, month, day)
    }
}
