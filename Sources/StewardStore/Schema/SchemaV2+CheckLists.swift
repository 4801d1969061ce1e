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
/// SQLite cannot alter a constraint with ALTER TABLE. Its documentation gives a procedure for
/// changes that leave what is stored valid and its format unchanged, CHECK constraints among
/// them (https://www.sqlite.org/lang_altertable.html, "otheralter"): rewrite the table's
/// CREATE statement in `sqlite_schema` under `PRAGMA writable_schema`, then bump the schema
/// version so every connection reads it again. Every stored row passed the old constraint and
/// so passes the new, equivalent one. Rebuilding the tables instead (new table, copy, drop,
/// rename, indexes and triggers again) did the same at 12 ms per new database, a third of a
/// run's start-up, as SQLite reparses the whole schema at each step.
enum SchemaV2 {
    /// The constraints rewritten: table, column, the values v1 lists.
    static let lists: [(table: String, column: String, values: [String])] = [
        ("ledger", "kind", ["allocation", "disbursement", "refund", "adjustment"]),
        ("reminders", "status", ["pending", "sent", "done"]),
        ("waitlist", "status", ["waiting", "placed", "withdrawn"]),
    ]

    static func rewriteCheckLists(_ db: Database) throws {
        for list in lists {
            try rewrite(db, table: list.table, replacing: inList(list.column, list.values),
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

    /// Rewrites `old` as `new` in the CREATE statement of `table`; throws, changing nothing
    /// (the migration's transaction rolls back), if the stored SQL does not hold `old` exactly
    /// once or the rewritten schema does not load.
    private static func rewrite(_ db: Database, table: String, replacing old: String, with new: String) throws {
        guard let create = try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?",
                                               arguments: [table]),
              create.components(separatedBy: old).count == 2 else {
            throw DatabaseError(resultCode: .SQLITE_ERROR,
                                message: "schema 2: the table \(table) is not as schema 1 made it (looked for \(old))")
        }
        let version = try Int.fetchOne(db, sql: "PRAGMA schema_version") ?? 0
        try db.execute(sql: "PRAGMA writable_schema = ON")
        // On the error path only, and best effort: the open then fails and closes this
        // connection, whose setting this is.
        var done = false
        defer { if !done { try? db.execute(sql: "PRAGMA writable_schema = OFF") } }
        try db.execute(sql: "UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = ?",
                       arguments: [create.replacingOccurrences(of: old, with: new), table])
        try db.execute(sql: "PRAGMA schema_version = \(version + 1)")
        try db.execute(sql: "PRAGMA writable_schema = OFF")
        done = true
        // Loads the new schema now, inside the transaction: a statement SQLite cannot parse
        // fails here and the whole migration rolls back.
        _ = try Row.fetchAll(db, sql: "SELECT * FROM \(table) LIMIT 0")
    }
}
