import GRDB

/// Changes to a table's CREATE statement that leave what it stores, and how, as it is.
///
/// SQLite cannot alter a constraint with ALTER TABLE. Its documentation gives a procedure for
/// changes that leave every stored row valid and the file's format unchanged, such as a CHECK
/// or a FOREIGN KEY clause (https://www.sqlite.org/lang_altertable.html, "otheralter"): rewrite
/// the statement in `sqlite_schema` under `PRAGMA writable_schema`, then bump the schema
/// version so that every connection reads it again. Schemas 2 and 9 change constraints so.
enum TableDefinitions {
    /// The CREATE statement of `table` as stored; throws if there is no such table.
    static func current(_ table: String, _ db: Database, for migration: String) throws -> String {
        guard let create = try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?",
                                               arguments: [table]) else {
            throw DatabaseError(resultCode: .SQLITE_ERROR, message: "\(migration): there is no table \(table)")
        }
        return create
    }

    /// Stores each table's new CREATE statement, bumps the schema version once and loads the
    /// new schema inside the migration's transaction: a statement SQLite cannot parse fails
    /// here, and the whole migration rolls back. All tables are written together, so that
    /// SQLite reparses the schema once (once per table cost 6 ms for every new database).
    static func replace(_ tables: [(table: String, sql: String)], _ db: Database) throws {
        let version = try Int.fetchOne(db, sql: "PRAGMA schema_version") ?? 0
        try db.execute(sql: "PRAGMA writable_schema = ON")
        // On the error path only, and best effort: the open then fails and closes this
        // connection, whose setting this is.
        var done = false
        defer { if !done { try? db.execute(sql: "PRAGMA writable_schema = OFF") } }
        for (table, sql) in tables {
            try db.execute(sql: "UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = ?", arguments: [sql, table])
        }
        try db.execute(sql: "PRAGMA schema_version = \(version + 1)")
        try db.execute(sql: "PRAGMA writable_schema = OFF")
        done = true
        for (table, _) in tables { _ = try Row.fetchAll(db, sql: "SELECT * FROM \(table) LIMIT 0") }
    }
}
