import Foundation

extension CronSchedule {
    /// A slot as scripts see it (`run.slot`): its nominal local time in the schedule's zone,
    /// ISO 8601 with the zone's UTC offset, e.g. `2026-03-01T09:00:00+08:00`.
    ///
    /// Where the nominal time exists on the clock, this names exactly the slot's instant. In a
    /// spring-forward gap (nominal 02:30 on 2026-03-08 in America/New_York, run at 03:00 EDT)
    /// the nominal time keeps the offset in force before the gap, `2026-03-08T02:30:00-05:00`,
    /// as Python's `zoneinfo` reads a gap time (fold 0): the date and the time of day are the
    /// ones the cron expression named, which is what scripts use.
    public func slotText(_ slot: CronSlot) -> String {
        let wallAtInstant = localTime(at: slot.instant)
        let offsetAt = wallAtInstant == slot.nominal ? slot.instant : slot.instant - 1
        let offset = timeZone.secondsFromGMT(for: offsetAt)
        let n = slot.nominal
        let sign = offset < 0 ? "-" : "+"
        let minutes = abs(offset) / 60
        return String(format: "%04d-%02d-%02dT%02d:%02d:00", n.year, n.month, n.day, n.hour, n.minute)
            + sign + String(format: "%02d:%02d", minutes / 60, minutes % 60)
    }

    /// The slot due at `instant` (its nominal time recovered from the expression), or, if the
    /// expression has no slot there (it was changed since), a slot named by the local time.
    public func slot(at instant: Date) -> CronSlot {
        if let slot = nextSlot(after: instant - 1), slot.instant == instant { return slot }
        return CronSlot(nominal: localTime(at: instant), instant: instant)
    }
}
