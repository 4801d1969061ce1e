import GRDB
import GRDBSQLite

/// Steps a GRDB-prepared statement through SQLite's C API, for look-ups made once per effect
/// or per row, where GRDB's general fetch path (an arguments array of existentials, a cursor
/// object, value conversion) costs more than SQLite's own work. The statement must come from
/// `db` and be used on its queue.
enum RawStatement {
    /// SQLite copies bound text (`SQLITE_TRANSIENT`): the Swift string may go away at once.
    static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    /// Whether the statement, with `texts` bound to its parameters in order, returns a row.
    /// Throws GRDB's error for a failed step; leaves the statement reset either way.
    static func hasRow(_ statement: Statement, _ texts: [String], _ db: Database) throws -> Bool {
        let handle = statement.sqliteStatement
        defer {
            sqlite3_reset(handle)
            sqlite3_clear_bindings(handle)
        }
        for (index, text) in texts.enumerated() {
            let code = sqlite3_bind_text(handle, Int32(index + 1), text, -1, transient)
            guard code == SQLITE_OK else { throw error(code, statement, db) }
        }
        return try step(statement, db)
    }

    /// Whether the statement, with `number` bound to its one parameter, returns a row.
    static func hasRow(_ statement: Statement, _ number: Int64, _ db: Database) throws -> Bool {
        try withInteger(number, bound: statement, db) { try step(statement, db) }
    }

    /// The first column of the first row as an integer, with `number` bound to the one
    /// parameter; nil when there is no row or the value is NULL.
    static func int64(_ statement: Statement, _ number: Int64, _ db: Database) throws -> Int64? {
        try withInteger(number, bound: statement, db) {
            let handle = statement.sqliteStatement
            guard try step(statement, db), sqlite3_column_type(handle, 0) != SQLITE_NULL else { return nil }
            return sqlite3_column_int64(handle, 0)
        }
    }

    /// Every row's first column as an integer (a NULL reads as 0), with the arguments already
    /// set; leaves the statement reset. For a list of ids: GRDB's `fetchAll` cost 1.3k
    /// instructions an id.
    static func integers(_ statement: Statement, _ db: Database) throws -> [Int64] {
        let handle = statement.sqliteStatement
        defer { sqlite3_reset(handle) }
        var values: [Int64] = []
        while true {
            switch sqlite3_step(handle) {
            case SQLITE_ROW: values.append(sqlite3_column_int64(handle, 0))
            case SQLITE_DONE: return values
            case let code: throw error(code, statement, db)
            }
        }
    }

    /// Runs `body` with `number` bound to the statement's one parameter, then resets it.
    private static func withInteger<T>(_ number: Int64, bound statement: Statement, _ db: Database,
                                       _ body: () throws -> T) throws -> T {
        let handle = statement.sqliteStatement
        defer {
            sqlite3_reset(handle)
            sqlite3_clear_bindings(handle)
        }
        let code = sqlite3_bind_int64(handle, 1, number)
        guard code == SQLITE_OK else { throw error(code, statement, db) }
        return try body()
    }

    private static func step(_ statement: Statement, _ db: Database) throws -> Bool {
        switch sqlite3_step(statement.sqliteStatement) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        case let code: throw error(code, statement, db)
        }
    }

    /// GRDB's error for a failed bind or step, with SQLite's message, as GRDB would throw it.
    static func error(_ code: Int32, _ statement: Statement, _ db: Database) -> DatabaseError {
        DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)),
                      sql: statement.sql)
    }
}
