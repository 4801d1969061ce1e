import ArgumentParser
import Foundation
import StewardScripting
import StewardStore

/// Instants and durations as the scheduling commands read and print them.
enum CommandTime {
    /// An instant from ISO 8601: `2026-03-08T07:00:30Z`, `2026-03-08T15:00:30+08:00`, with or
    /// without fractional seconds, or a bare date (`2026-03-08`, midnight UTC).
    static func instant(_ text: String) -> Date? {
        if let date = try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text) { return date }
        if let date = try? Date.ISO8601FormatStyle().parse(text) { return date }
        let formatter = ISO8601DateFormatter()
        for options: ISO8601DateFormatter.Options in [[.withInternetDateTime], [.withInternetDateTime, .withFractionalSeconds],
                                                      [.withFullDate]] {
            formatter.formatOptions = options
            if let date = formatter.date(from: text) { return date }
        }
        return nil
    }

    /// `--now` for commands that take it (tests and replays): the instant, or the real clock.
    static func now(_ option: String?, flag: String = "--now") throws -> Date {
        guard let option else { return Date() }
        guard let date = instant(option) else {
            throw fail("error: \(flag) \(option): not an ISO 8601 instant (e.g. 2026-03-08T07:00:30Z)")
        }
        return date
    }

    /// A duration: `90s`, `30m`, `12h`, `7d`, `2w`, `500ms`; a bare number is seconds.
    static func duration(_ text: String) -> TimeInterval? {
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600), ("d", 86_400), ("w", 604_800)]
        for (suffix, scale) in units where text.hasSuffix(suffix) {
            let number = text.dropLast(suffix.count)
            if suffix == "s", number.hasSuffix("m") { continue }  // "ms" handled above
            if let value = Double(number), value >= 0, value.isFinite { return value * scale }
        }
        if let value = Double(text), value >= 0, value.isFinite { return value }
        return nil
    }

    static func duration(_ text: String, flag: String) throws -> TimeInterval {
        guard let value = duration(text) else {
            throw fail("error: \(flag) \(text): not a duration (e.g. 30s, 15m, 12h, 7d)")
        }
        return value
    }

    /// `2026-03-08T07:00:00Z`.
    static func utc(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle())
    }

    /// `2026-03-08 03:00 EDT` in a zone (its abbreviation where there is a common one, else `GMT+8`).
    static func local(_ date: Date, _ zone: TimeZone) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = zone
        formatter.dateFormat = "yyyy-MM-dd HH:mm zzz"
        return formatter.string(from: date)
    }

    /// `1.2s`, `340ms`, `3m05s`.
    static func elapsed(milliseconds: Int) -> String {
        if milliseconds < 1000 { return "\(milliseconds)ms" }
        let seconds = Double(milliseconds) / 1000
        if seconds < 60 { return String(format: "%.1fs", seconds) }
        let whole = Int(seconds)
        return "\(whole / 60)m\(String(format: "%02d", whole % 60))s"
    }
}

/// Opens the database read-write and resolves who is acting, for the scheduling commands.
struct ActingSession {
    let store: Store
    let actor: RunActor
    let actingAdmin: String?

    init(_ database: DatabaseOptions, asName: String?) throws {
        store = try database.open(.readWrite)
        (actor, actingAdmin) = try ActorResolver.resolve(store, asName: asName)
    }
}

/// Prints what the store refused as one line: by role or maker ≠ checker, `refused: …` and
/// exit 4 (as the access commands do); anything else `error: …` and exit 2.
func storeFailure(_ error: Error) -> Error {
    if let code = error as? ExitCode { return code }
    if let refusal = error as? StoreRefusal {
        return refusal.isAccessDenial ? fail("refused: \(refusal.message); nothing was changed", .refused)
            : fail("error: \(refusal.message)")
    }
    if let storeError = error as? StoreError { return fail("error: \(storeError.description)") }
    return fail("error: \(error)")
}
