import Foundation

/// One occasion on which a schedule fires: its nominal local time and the real instant.
///
/// The two differ only around daylight-saving changes: a fixed-time job at 02:30 on a day the
/// clocks jump from 02:00 to 03:00 has nominal time 02:30 and runs at the instant the clocks show
/// 03:00. Scripts see the nominal time (`run.slot`); the runner waits for the instant.
/// Within one schedule slots are identified by their instant, which strictly increases.
public struct CronSlot: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The local wall-clock minute the expression matched.
    public let nominal: LocalDateTime
    /// When the slot is due.
    public let instant: Date

    public init(nominal: LocalDateTime, instant: Date) {
        self.nominal = nominal
        self.instant = instant
    }

    /// E.g. `2026-03-08T02:30 (2026-03-08T07:00:00Z)`.
    public var description: String {
        "\(nominal) (\(instant.formatted(.iso8601)))"
    }

    /// Ordered by instant, then by nominal time.
    public static func < (lhs: CronSlot, rhs: CronSlot) -> Bool {
        (lhs.instant, lhs.nominal) < (rhs.instant, rhs.nominal)
    }
}
