import Foundation

/// Why the store refused to open a file or to apply a change. Every case names the thing it
/// is about, so the CLI can print one clear line.
public enum StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file is not an SQLite database at all (a spreadsheet, a text file, ...).
    case notADatabase(path: String)
    /// An SQLite database, but not one Steward made: it is left untouched.
    case foreignDatabase(path: String)
    /// Made by a newer Steward whose schema this build does not know: it is left untouched.
    case newerSchema(path: String, found: Int, known: Int)
    /// Made by an older Steward; read-only opening cannot upgrade it.
    case olderSchema(path: String, found: Int, known: Int)
    /// No database at the path (only `steward init` and `steward demo` create one).
    case missingDatabase(path: String)
    /// A file exists where `init` would create a database, and it is not empty.
    case fileExists(path: String)
    /// A record a change or a query refers to does not exist.
    case notFound(kind: String, key: String)
    /// The store was opened read-only (script runs) and something tried to write.
    case readOnly(path: String)
    /// SQLite stayed busy (another writer) past the busy timeout.
    case busy(path: String, seconds: Double)
    /// The disk (or the process's file-size limit) left no room for a write; SQLite rolled the
    /// transaction back.
    case diskFull(path: String)
    /// The file, its directory or the file system cannot be written.
    case notWritable(path: String)
    /// The directory the file should be in does not exist (`steward init` creates no directories).
    case missingDirectory(path: String)
    /// The operating system failed a read or write (`detail` is SQLite's account of it); SQLite
    /// rolled the transaction back.
    case ioError(path: String, detail: String)
    /// A stored value Steward cannot have written — NULL where a value is required, text where
    /// a number belongs, an identity number, phone number or date that does not validate, text
    /// that is not UTF-8 — so the file was changed by other means. Reading stops there rather
    /// than guess; `problem` (one clause, no final full stop) says what is wrong with the value.
    case invalidStoredValue(table: String, rowID: Int64, column: String, problem: String)
    /// A database-wide setting whose stored value Steward cannot have written. `settings` is
    /// keyed by its text `key` and has no row id, so ``invalidStoredValue(table:rowID:column:problem:)``
    /// cannot name the row; and unlike a record, a setting is put right with a command, which
    /// `fix` names (one clause) so the person reading the error need not open the file.
    case invalidSetting(key: String, value: String, problem: String, fix: String)
    /// One kind of a budget's entries adds up to more than Int64 fen, so that total cannot be
    /// shown. The balance itself stays exact, and every commit still checks it.
    case totalTooLarge(budget: String, kind: String)

    public var description: String {
        switch self {
        case let .notADatabase(path):
            "\(path) is not a Steward database (not an SQLite file); it was left untouched"
        case let .foreignDatabase(path):
            "\(path) is not a Steward database (an SQLite file made by another program); it was left untouched"
        case let .newerSchema(path, found, known):
            "\(path) was created by a newer Steward (schema \(found), this build knows \(known)); it was left untouched"
        case let .olderSchema(path, found, known):
            "\(path) has schema \(found) and this build needs \(known): run `steward init --db \(path)` to upgrade it"
        case let .missingDatabase(path):
            "no Steward database at \(path): create one with `steward init` or `steward demo`"
        case let .fileExists(path):
            "\(path) already exists and is not a Steward database; refusing to overwrite it"
        case let .notFound(kind, key):
            "no \(kind) '\(key)'"
        case let .readOnly(path):
            "\(path) is open read-only: nothing may be written while a script runs"
        case let .busy(path, seconds):
            "\(path) stayed locked by another writer for \(seconds) s; try again"
        case let .diskFull(path):
            "the disk holding \(path) is full (or a file-size limit was reached): nothing was written; free some space and try again"
        case let .notWritable(path):
            "\(path) cannot be written (a read-only file or directory, or a read-only file system): nothing was written"
        case let .missingDirectory(path):
            "there is no directory \((path as NSString).deletingLastPathComponent) for \(path): create it first, or give another --db PATH"
        case let .ioError(path, detail):
            "\(path) could not be written or read (\(detail)): nothing was written; check the disk and try again"
        case let .invalidStoredValue(table, rowID, column, problem):
            "\(table) row \(rowID), column \(column): \(problem). Steward does not store such a value, so the database was changed by other means: correct or restore that row"
        case let .invalidSetting(key, value, problem, fix):
            "settings row '\(key)', column value: '\(value)' \(problem). Steward does not store such a value, so the database was changed by other means: \(fix)"
        case let .totalTooLarge(budget, kind):
            "budget '\(budget)': its \(kind) entries add up to more than ¥92,233,720,368,547,758.07, too much to show; its balance is still exact and every commit still checks it"
        }
    }
}

extension StoreError {
    /// A sentence made the clause that ``invalidStoredValue(table:rowID:column:problem:)``'s
    /// `problem` is: no final full stop. Core's and Foundation's messages are sentences.
    static func clause(_ sentence: String) -> String {
        var text = sentence
        while text.hasSuffix(".") { text.removeLast() }
        return text
    }
}
