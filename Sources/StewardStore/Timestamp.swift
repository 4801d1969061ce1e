import Foundation

/// Instants are stored as ISO-8601 UTC text with milliseconds (`2025-06-15T00:00:00.000Z`):
/// readable in `sqlite3`, sortable as text, and exact enough to order a day's runs.
enum Timestamp {
    static func text(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    static func date(_ text: String) -> Date? {
        try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text)
    }
}
