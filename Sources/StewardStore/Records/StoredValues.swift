import Foundation
import GRDB
import StewardCore

/// A GRDB `Row` read by column name, with the table and row id that errors name: for the
/// readers off the hot path (schedules, runs, reminders, programmes, audit, …) that decode
/// stored JSON, choices and instants.
///
/// Each such value is one Steward wrote itself. One that does not decode was changed by other
/// means, and reading it as a default — no parameters, no quota rules, the first policy —
/// would quietly change what Steward does with it. So every accessor here throws
/// ``StoreError/invalidStoredValue(table:rowID:column:problem:)`` instead, as ``StoredRow``
/// does for members.
struct StoredValues {
    let row: Row
    let table: String
    let rowID: Int64

    /// `idColumn` names the column the SELECT put the row's id in (`id` for `t.*`).
    init(_ row: Row, table: String, idColumn: String = "id") {
        self.row = row
        self.table = table
        // An INTEGER PRIMARY KEY: never NULL, always an integer.
        rowID = row[idColumn]
    }

    func text(_ column: String) throws(StoreError) -> String {
        guard let text = try optionalText(column) else { throw invalid(column, "NULL where a value is required") }
        return text
    }

    /// Text, or nil for NULL; any other kind of value throws (GRDB would stop the process).
    func optionalText(_ column: String) throws(StoreError) -> String? {
        let value: DatabaseValue = row[column]
        switch value.storage {
        case .null: return nil
        case .string(let text): return text
        case .int64(let number): throw invalid(column, "the whole number \(number) where text is required")
        case .double(let number): throw invalid(column, "the real number \(number) where text is required")
        case .blob(let data): throw invalid(column, "a blob of \(data.count) bytes where text is required")
        }
    }

    /// A count: a whole number, at least 0, or nil for NULL; anything else throws.
    func optionalCount(_ column: String) throws(StoreError) -> Int? {
        let value: DatabaseValue = row[column]
        switch value.storage {
        case .null: return nil
        case .int64(let number) where number >= 0: return Int(number)
        case .int64(let number): throw invalid(column, "the negative number \(number) where a count is required")
        case .double(let number): throw invalid(column, "the real number \(number) where a count is required")
        case .string(let text): throw invalid(column, "the text '\(text)' where a count is required")
        case .blob(let data): throw invalid(column, "a blob of \(data.count) bytes where a count is required")
        }
    }

    /// One of a closed set of words (a status, a policy, a kind); `what` names the set for the
    /// message ("catch-up policy").
    func choice<Value: RawRepresentable>(_ column: String, _ what: String) throws(StoreError) -> Value
    where Value.RawValue == String {
        let text = try text(column)
        guard let value = Value(rawValue: text) else { throw invalid(column, "'\(text)' is not a known \(what)") }
        return value
    }

    /// JSON Steward encoded; `what` says what it should be ("a JSON list of quota rules").
    func json<Value: Decodable>(_ column: String, _ type: Value.Type, _ what: String) throws(StoreError) -> Value {
        try StoredJSON.decode(type, try text(column), what, table: table, rowID: rowID, column: column)
    }

    /// An instant as ``Timestamp`` writes it.
    func timestamp(_ column: String) throws(StoreError) -> Date {
        guard let date = try optionalTimestamp(column) else { throw invalid(column, "NULL where a value is required") }
        return date
    }

    func optionalTimestamp(_ column: String) throws(StoreError) -> Date? {
        guard let text = try optionalText(column) else { return nil }
        return try StoredInstant.decode(text, table: table, rowID: rowID, column: column)
    }

    /// A time zone identifier (`Asia/Shanghai`), checked when it was stored (`steward schedule
    /// set --tz`). One that names no zone is damage, not Asia/Shanghai: read as the district's
    /// zone, a schedule set for another would run its slots and date its reminders hours off.
    func timeZone(_ column: String) throws(StoreError) -> TimeZone {
        let identifier = try text(column)
        guard let zone = TimeZone(identifier: identifier) else {
            throw invalid(column, "'\(identifier)' names no time zone (as Asia/Shanghai or UTC do)")
        }
        return zone
    }

    /// A calendar date (`2025-06-15`); Core's reason becomes the problem.
    func date(_ column: String) throws(StoreError) -> CivilDate {
        guard let date = try optionalDate(column) else { throw invalid(column, "NULL where a value is required") }
        return date
    }

    func optionalDate(_ column: String) throws(StoreError) -> CivilDate? {
        try optionalParsed(column, CivilDate.init(parsing:))
    }

    /// A period (`2025`, `2025-Q2`, `2025-06`).
    func period(_ column: String) throws(StoreError) -> Period {
        guard let period = try optionalPeriod(column) else { throw invalid(column, "NULL where a value is required") }
        return period
    }

    /// A period, or nil for NULL.
    func optionalPeriod(_ column: String) throws(StoreError) -> Period? {
        try optionalParsed(column, Period.init(parsing:))
    }

    /// Text made a value by Core's validating `make`, whose reason becomes the problem; nil
    /// for NULL.
    private func optionalParsed<Value>(_ column: String, _ make: (String) throws -> Value) throws(StoreError) -> Value? {
        guard let text = try optionalText(column) else { return nil }
        do {
            return try make(text)
        } catch {
            throw invalid(column, StoreError.clause(String(describing: error)))
        }
    }

    func invalid(_ column: String, _ problem: String) -> StoreError {
        .invalidStoredValue(table: table, rowID: rowID, column: column, problem: problem)
    }
}

/// Decoding JSON a column holds, for values already read (a run's effects, an audit row's
/// details): what does not decode is a ``StoreError/invalidStoredValue(table:rowID:column:problem:)``
/// naming the row, not an empty value.
enum StoredJSON {
    static func decode<Value: Decodable>(_ type: Value.Type, _ text: String, _ what: String, table: String,
                                         rowID: Int64, column: String) throws(StoreError) -> Value {
        do {
            return try JSONDecoder().decode(type, from: Data(text.utf8))
        } catch {
            throw .invalidStoredValue(table: table, rowID: rowID, column: column,
                                      problem: "the text is not \(what) (\(reason(error)))")
        }
    }

    /// The decoder's own account, with where in the value it went wrong: a stored change set
    /// can hold thousands of effects, so the path matters more than the text.
    static func reason(_ error: Error) -> String {
        guard let error = error as? DecodingError else { return StoreError.clause(String(describing: error)) }
        let context: DecodingError.Context
        switch error {
        case .dataCorrupted(let c), .keyNotFound(_, let c), .typeMismatch(_, let c), .valueNotFound(_, let c): context = c
        @unknown default: return StoreError.clause(String(describing: error))
        }
        let path = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        return (path.isEmpty ? "" : "at \(path): ") + StoreError.clause(context.debugDescription)
    }
}

/// An instant as ``Timestamp`` writes it, from text already read: for a value decoded when it
/// is shown (an audit row's time, like its details) rather than when the row is read. Text
/// that does not parse is a ``StoreError/invalidStoredValue(table:rowID:column:problem:)``
/// naming the row — never `now`, 1970 or a "?" that reads like an instant nobody recorded.
enum StoredInstant {
    static func decode(_ text: String, table: String, rowID: Int64, column: String) throws(StoreError) -> Date {
        guard let date = Timestamp.date(text) else {
            throw .invalidStoredValue(table: table, rowID: rowID, column: column,
                                      problem: "'\(text)' is not an instant as Steward writes one (2025-06-15T00:00:00.000Z)")
        }
        return date
    }
}
