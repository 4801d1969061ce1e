import Foundation
import Testing
@testable import StewardScheduler

/// An instant from ISO 8601 text with a zone, e.g. `2026-03-08T07:00:00Z`.
func instant(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> Date {
    let formatter = ISO8601DateFormatter()
    guard let date = formatter.date(from: text) else {
        Issue.record("bad instant \(text)", sourceLocation: sourceLocation)
        return Date(timeIntervalSince1970: 0)
    }
    return date
}

/// An instant as `2026-03-08T07:00:00Z`.
func iso(_ date: Date) -> String {
    let formatter = ISO8601DateFormatter()
    formatter.timeZone = TimeZone(identifier: "UTC")
    return formatter.string(from: date)
}

/// A local minute from `2026-03-08T02:30`.
func local(_ text: String) -> LocalDateTime {
    let parts = text.split(whereSeparator: { "-T:".contains($0) }).compactMap { Int($0) }
    precondition(parts.count == 5, "local time needs yyyy-MM-ddTHH:mm")
    return LocalDateTime(year: parts[0], month: parts[1], day: parts[2], hour: parts[3], minute: parts[4])!
}

/// A parsed expression; a test that passes bad text fails here.
func cron(_ text: String) throws -> CronExpression {
    try CronExpression(text)
}

/// A schedule in a named zone.
func schedule(_ text: String, _ zone: String = "Asia/Shanghai") throws -> CronSchedule {
    try CronSchedule(CronExpression(text), timeZoneIdentifier: zone)
}

/// Slots rendered as `nominal → instant`, so failures read like the expectations.
func render(_ slots: [CronSlot]) -> [String] {
    slots.map { "\($0.nominal) → \(iso($0.instant))" }
}

