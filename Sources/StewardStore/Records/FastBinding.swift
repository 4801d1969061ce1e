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

    init(_ statement: Statement) {
        self.statement = statement
    }

    mutating func reset() {
        sqlite3_reset(statement.sqliteStatement)
        sqlite3_clear_bindings(statement.sqliteStatement)
        index = 0
        bindFailure = SQLITE_OK
    }

    mutating func bind(_ text: String?) {
        index += 1
        guard let text else { note(sqlite3_bind_null(statement.sqliteStatement, index)); return }
        note(sqlite3_bind_text(statement.sqliteStatement, index, text, -1, RawStatement.transient))
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

    /// Runs the statement once; throws GRDB's error for a failed bind or step.
    func step(_ db: Database) throws {
        guard bindFailure == SQLITE_OK else { throw RawStatement.error(bindFailure, statement, db) }
        let code = sqlite3_step(statement.sqliteStatement)
        guard code == SQLITE_DONE else { throw RawStatement.error(code, statement, db) }
    }
}
