import GRDB
import GRDBSQLite

/// Binds values straight to a prepared statement with SQLite's C API, for bulk loads where
/// building a `StatementArguments` per row (an array of existentials) costs more than the
/// insert itself. The statement must come from GRDB and stay on its connection's queue.
struct FastBinding {
    let statement: Statement
    private var index: Int32 = 0

    init(_ statement: Statement) {
        self.statement = statement
    }

    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    mutating func reset() {
        sqlite3_reset(statement.sqliteStatement)
        sqlite3_clear_bindings(statement.sqliteStatement)
        index = 0
    }

    mutating func bind(_ text: String?) {
        index += 1
        guard let text else { sqlite3_bind_null(statement.sqliteStatement, index); return }
        sqlite3_bind_text(statement.sqliteStatement, index, text, -1, Self.transient)
    }

    mutating func bind(_ number: Int64?) {
        index += 1
        guard let number else { sqlite3_bind_null(statement.sqliteStatement, index); return }
        sqlite3_bind_int64(statement.sqliteStatement, index, number)
    }

    mutating func bind(_ number: Int?) { bind(number.map(Int64.init)) }

    mutating func bind(_ flag: Bool) { bind(Int64(flag ? 1 : 0)) }

    /// Runs the statement once; throws GRDB's error for a failed step.
    func step(_ db: Database) throws {
        let code = sqlite3_step(statement.sqliteStatement)
        guard code == SQLITE_DONE else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)),
                                sql: statement.sql)
        }
    }
}
