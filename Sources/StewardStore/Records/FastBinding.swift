import GRDB
import GRDBSQLite

/// Binds values straight to a prepared statement with SQLite's C API, for bulk loads where
/// building a `StatementArguments` per row (an array of existentials) costs more than the
/// insert itself. The statement must come from GRDB and stay on its connection's queue.
struct FastBinding {
    let statement: Statement
    private var index: Int32 = 0
    /// The first bind that failed (a parameter out of range, text too big, no memory): kept
    /// and thrown by ``step(_:)``, so a value is never silently left NULL.
    private var bindFailure = SQLITE_OK

    /// Where texts are kept for binding in place (``BoundTexts``); nil binds copies.
    private let texts: BoundTexts?

    /// With `texts`, bound texts are read from there: it must live as long as the statement
    /// is stepped, and serve one statement's row at a time.
    init(_ statement: Statement, texts: BoundTexts? = nil) {
        self.statement = statement
        self.texts = texts
    }

    /// Readies the statement for the next row. The bindings are not cleared: ``step(_:)``
    /// refuses a row that did not bind every parameter, so none can carry over from the row
    /// before (clearing them cost 1,700 instructions a row, 2 % of a 26,707-grant commit).
    mutating func reset() {
        sqlite3_reset(statement.sqliteStatement)
        index = 0
        bindFailure = SQLITE_OK
        texts?.reset()
    }

    mutating func bind(_ text: String?) {
        index += 1
        guard var text else { note(sqlite3_bind_null(statement.sqliteStatement, index)); return }
        // The String's own bytes with their length: passing the String as a C string made a
        // NUL-terminated copy of it first (an allocation per value). With the length given,
        // a NUL inside the text is stored, not cut at (validation refuses one before here).
        let code = text.withUTF8 { bytes -> Int32 in
            guard let length = Int32(exactly: bytes.count) else { return SQLITE_TOOBIG }
            // An empty String may have no storage; a NULL pointer would bind NULL, not ''.
            guard let start = bytes.baseAddress, length > 0 else {
                return sqlite3_bind_text(statement.sqliteStatement, index, "", 0, RawStatement.transient)
            }
            if let texts {
                let kept = texts.keep(UnsafeRawBufferPointer(bytes))
                // No destructor (SQLITE_STATIC): SQLite reads the kept bytes in place.
                return sqlite3_bind_text(statement.sqliteStatement, index, kept.assumingMemoryBound(to: CChar.self), length, nil)
            }
            return sqlite3_bind_text(statement.sqliteStatement, index, UnsafeRawPointer(start).assumingMemoryBound(to: CChar.self),
                                     length, RawStatement.transient)
        }
        note(code)
    }

    mutating func bind(_ number: Int64?) {
        index += 1
        guard let number else { note(sqlite3_bind_null(statement.sqliteStatement, index)); return }
        note(sqlite3_bind_int64(statement.sqliteStatement, index, number))
    }

    mutating func bind(_ number: Int?) { bind(number.map(Int64.init)) }

    mutating func bind(_ flag: Bool) { bind(Int64(flag ? 1 : 0)) }

    private mutating func note(_ code: Int32) {
        if code != SQLITE_OK, bindFailure == SQLITE_OK { bindFailure = code }
    }

    /// Runs the statement once; throws GRDB's error for a failed bind or step, and an internal
    /// error if the row did not bind every parameter (a value left from the row before would
    /// otherwise be written).
    func step(_ db: Database) throws {
        guard bindFailure == SQLITE_OK else { throw RawStatement.error(bindFailure, statement, db) }
        let expected = sqlite3_bind_parameter_count(statement.sqliteStatement)
        guard index == expected else {
            throw DatabaseError(resultCode: .SQLITE_MISUSE,
                                message: "Steward bound \(index) of the \(expected) values of a row; nothing was written",
                                sql: statement.sql)
        }
        let code = sqlite3_step(statement.sqliteStatement)
        guard code == SQLITE_DONE else { throw RawStatement.error(code, statement, db) }
    }
}
