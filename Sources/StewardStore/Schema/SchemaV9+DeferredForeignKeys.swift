import GRDB

/// Schema 9: the foreign keys of the ledger and of reminders are checked when the transaction
/// commits (`DEFERRABLE INITIALLY DEFERRED`), not at the end of each statement.
///
/// Why: a commit writes its ledger rows and reminders 64 to a multi-row INSERT
/// (``InsertBatches``). A statement that writes several rows and can fail part-way must be
/// undone alone if it fails, so SQLite kept a statement journal for each one: a copy of every
/// page the statement changed, made before changing it. A commit never needs that: any
/// failure rolls the whole transaction back. The copies were 42 M instructions of a
/// 13,353-reminder commit's 841 M on its main thread, and 47 M of a 26,707-grant commit's
/// 1,462 M. SQLite keeps the journal when a statement may abort part-way, which an immediate
/// foreign key and an `ON CONFLICT ABORT` (the default) each make possible. The INSERTs now
/// say `OR FAIL` (keep the rows written before a refused one, and stop), and these keys are
/// deferred. Both are still enforced:
/// - a refused row stops the INSERT with SQLite's error, and the applier names the row from
///   the number written before it;
/// - a row whose parent is missing makes the COMMIT fail, and nothing is written; the store
///   then names the missing record (``ChangeSetApplier/missingParent(_:_:)``).
///
/// The change is to the CREATE statements alone (``TableDefinitions``): a deferred key accepts
/// exactly the rows an immediate one does once the transaction commits, and every stored row
/// was accepted by the immediate key, so nothing stored is read or rewritten.
enum SchemaV9 {
    /// Each table and the parents its `REFERENCES` clauses name, in the order schema 1 wrote them.
    static let references: [(table: String, parents: [String])] = [
        ("ledger", ["budgets(id)", "members(id)", "places(id)", "facilities(id)", "programmes(id)", "ledger(id)", "runs(id)"]),
        ("reminders", ["places(id)", "runs(id)"]),
    ]

    /// What each `REFERENCES parent(id)` clause gains.
    static let deferred = " DEFERRABLE INITIALLY DEFERRED"

    static func deferForeignKeys(_ db: Database) throws {
        let rewritten = try references.map { table, parents in
            (table, try deferring(try TableDefinitions.current(table, db, for: "schema 9"), table: table, parents: parents))
        }
        try TableDefinitions.replace(rewritten, db)
    }

    /// `create` with ``deferred`` after each of its `REFERENCES` clauses; throws unless they
    /// name exactly `parents`, in order (the table is not as schema 1 made it: nothing is changed).
    static func deferring(_ create: String, table: String, parents: [String]) throws -> String {
        let parts = create.components(separatedBy: "REFERENCES ")
        let named = parts.dropFirst().map { part in String(part.prefix { $0 != ")" }) + ")" }
        guard named == parents, !create.contains("DEFERRABLE") else {
            throw DatabaseError(resultCode: .SQLITE_ERROR,
                                message: "schema 9: the table \(table) is not as schema 1 made it (looked for references to \(parents), found \(named))")
        }
        return parts.dropFirst().reduce(parts[0]) { sql, part in
            let clause = part.prefix { $0 != ")" }.count + 1
            return sql + "REFERENCES " + part.prefix(clause) + deferred + part.dropFirst(clause)
        }
    }
}
