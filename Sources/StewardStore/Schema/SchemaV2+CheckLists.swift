import Foundation
import GRDB

/// Schema 2: the CHECK constraints of the tables written row by row in bulk (a subsidy run's
/// ledger entries, reminders, waitlist entries) test a column against each allowed word with
/// `=` instead of `IN (…)`.
///
/// SQLite 3.40 evaluates a CHECK's `x IN ('a', 'b', 'c')` of three or more values by building
/// a temporary B-tree of the values at every row written: about 27,000 instructions an
/// insert, a seventh of committing 26,707 grants. `x = 'a' OR x = 'b' OR x = 'c'` accepts
/// and refuses exactly the same values (NULL included) and costs a few comparisons.
///
/// SQLite cannot alter a constraint in place, so each table is rebuilt the documented way
/// (https://www.sqlite.org/lang_altertable.html, "other kinds of table schema changes"):
/// a new table made from the old one's own stored SQL with only the constraint rewritten, the
/// rows copied with their ids, the old table dropped, the new one renamed, and the old
/// table's indexes and triggers (the ledger's append-only guards) made again from their
/// stored SQL. The migrator runs this with foreign keys off and checks them all at the end.
enum SchemaV2 {
    /// The constraints rewritten: table, column, the values v1 lists.
    static let lists: [(table: String, column: String, values: [String])] = [
        ("ledger", "kind", ["allocation", "disbursement", "refund", "adjustment"]),
        ("reminders", "status", ["pending", "sent", "done"]),
        ("waitlist", "status", ["waiting", "placed", "withdrawn"]),
    ]

    static func rewriteCheckLists(_ db: Database) throws {
        for list in lists {
            try rebuild(db, table: list.table, replacing: inList(list.column, list.values),
                        with: comparisons(list.column, list.values))
        }
    }

    /// `kind IN ('allocation', 'refund')`, exactly as v1 wrote it.
    static func inList(_ column: String, _ values: [String]) -> String {
        "\(column) IN (" + values.map { "'\($0)'" }.joined(separator: ", ") + ")"
    }

    /// `(kind = 'allocation' OR kind = 'refund')`.
    static func comparisons(_ column: String, _ values: [String]) -> String {
        "(" + values.map { "\(column) = '\($0)'" }.joined(separator: " OR ") + ")"
    }

    /// Rebuilds `table` with `old` replaced by `new` in its CREATE TABLE; throws, changing
    /// nothing, if the stored SQL does not hold `old` exactly once.
    private static func rebuild(_ db: Database, table: String, replacing old: String, with new: String) throws {
        guard let create = try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?",
                                               arguments: [table]) else {
            throw DatabaseError(resultCode: .SQLITE_ERROR, message: "schema 2: no table \(table) to rebuild")
        }
        let head = "CREATE TABLE \(table) ("
        guard create.hasPrefix(head), create.components(separatedBy: old).count == 2 else {
            throw DatabaseError(resultCode: .SQLITE_ERROR,
                                message: "schema 2: the table \(table) is not as schema 1 made it (looked for \(old))")
        }
        let rebuilt = "CREATE TABLE \(table)_v2 (" + create.dropFirst(head.count).replacingOccurrences(of: old, with: new)
        let dependents = try String.fetchAll(db, sql: """
            SELECT sql FROM sqlite_master WHERE tbl_name = ? AND type IN ('index', 'trigger') AND sql IS NOT NULL ORDER BY rowid
            """, arguments: [table])
        try db.execute(sql: rebuilt)
        try db.execute(sql: "INSERT INTO \(table)_v2 SELECT * FROM \(table)")
        try db.execute(sql: "DROP TABLE \(table)")
        try db.execute(sql: "ALTER TABLE \(table)_v2 RENAME TO \(table)")
        for sql in dependents { try db.execute(sql: sql) }
    }
}
