import Foundation

/// A cron expression in a time zone: the source of a schedule's slots.
///
/// ## Daylight saving
/// Slots come from walking local wall-clock minutes in order and converting each match into an
/// instant with the zone's offsets. Where the wall clock is not one-to-one with time:
/// - **Clocks go back (a local time occurs twice):** each local minute matches at most once,
///   at its first occurrence. A job at 01:30 on 2026-11-01 in America/New_York runs once, at
///   01:30 EDT (05:30Z); `*/30` runs at 01:00 and 01:30 EDT and next at 02:00 EST (07:00Z),
///   leaving the repeated hour's second pass silent.
/// - **Clocks go forward (a local time never occurs):** a *fixed-time* job (see
///   `CronExpression.isFixedTime`) runs once, when the gap ends, keeping its nominal time:
///   02:30 on 2026-03-08 in America/New_York runs at 03:00 EDT (07:00Z) as slot 02:30. A
///   *wildcard* job (`*/5`, `@hourly`) has no slots in the gap, since no such minute passes.
///   This is Vixie cron's rule; Foundation's `.strict` matching would skip the fixed job's day.
/// - **Several nominal times on one instant** (only possible when a fixed-time job has more than
///   one time in a gap, e.g. `0,30 2 * * *`): they are one slot, named by the earliest. So
///   instants strictly increase and identify a schedule's slots.
public struct CronSchedule: Sendable, Hashable {
    /// The zone used when a schedule names none.
    public static let defaultTimeZoneIdentifier = "Asia/Shanghai"

    public let expression: CronExpression
    public let timeZone: TimeZone
    let resolver: ZoneResolver

    /// A schedule in a given zone.
    public init(_ expression: CronExpression, timeZone: TimeZone) {
        self.expression = expression
        self.timeZone = timeZone
        self.resolver = ZoneResolver(zone: timeZone)
    }

    /// A schedule in the zone with this IANA identifier (default `Asia/Shanghai`).
    ///
    /// - Throws: `UnknownTimeZoneError` if the identifier names no zone (identifiers are
    ///   case-sensitive: `Asia/Shanghai`, not `asia/shanghai`).
    public init(
        _ expression: CronExpression, timeZoneIdentifier: String = defaultTimeZoneIdentifier
    ) throws(UnknownTimeZoneError) {
        guard let zone = TimeZone(identifier: timeZoneIdentifier) else {
            throw UnknownTimeZoneError(identifier: timeZoneIdentifier)
        }
        self.init(expression, timeZone: zone)
    }

    /// The first slot whose instant is strictly after `instant`, or nil if the expression
    /// can never match (`0 0 30 2 *`).
    public func nextSlot(after instant: Date) -> CronSlot? {
        var iterator = slots(after: instant).makeIterator()
        return iterator.next()
    }

    /// The next `count` slots strictly after `instant`, oldest first (fewer if the expression
    /// stops matching).
    public func nextSlots(after instant: Date, count: Int) -> [CronSlot] {
        Array(slots(after: instant).prefix(max(0, count)))
    }

    /// Every slot strictly after `instant`, oldest first, computed lazily.
    public func slots(after instant: Date) -> CronSlots {
        CronSlots(expression: expression, resolver: resolver, after: instant)
    }

    /// The local wall-clock minute at an instant, for showing real times next to nominal ones.
    public func localTime(at instant: Date) -> LocalDateTime {
        let seconds = Int64(instant.timeIntervalSince1970.rounded(.down))
        return LocalDateTime(minutesSinceEpoch: resolver.wall(at: seconds).floorDivided(by: 60))
    }
}
