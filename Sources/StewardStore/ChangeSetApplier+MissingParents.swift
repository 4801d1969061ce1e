import GRDB
import StewardCore

extension Store {
    /// Runs `transaction`, which writes a change set. When its COMMIT fails because a row names
    /// a record that does not exist, throws ``StoreError/notFound(kind:key:)`` for that record
    /// instead of SQLite's "FOREIGN KEY constraint failed", which names none.
    ///
    /// The ledger's and reminders' foreign keys are checked when the transaction commits
    /// (``SchemaV9``), so a grant to a member who is not there fails the COMMIT, and SQLite has
    /// rolled everything back by the time this looks for the member.
    ///
    /// - Parameter changeSet: the change set the transaction wrote, or nil if it failed before
    ///   it had one (SQLite's error is thrown as it is).
    func namingMissingParents<T>(of changeSet: () -> ChangeSet?, _ transaction: () throws -> T) throws -> T {
        do {
            return try transaction()
        } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_FOREIGNKEY {
            guard let changeSet = changeSet(),
                  let missing = try database.read({ try ChangeSetApplier.missingParent(changeSet, $0) }) else { throw error }
            throw missing
        }
    }
}

extension ChangeSetApplier {
    /// The first record an effect of `changeSet` names that `db` does not hold: a ledger row's
    /// member, or the entry it reverses. The other parents need no look here: a ledger row's
    /// budget, place, facility and programme are looked up before the row is written (and
    /// refused there by name); a reminder's town is read from a record that exists, or left
    /// empty; and the run is the one being written.
    static func missingParent(_ changeSet: ChangeSet, _ db: Database) throws -> StoreError? {
        let member = try db.cachedStatement(sql: "SELECT 1 FROM members WHERE id = ?")
        let entry = try db.cachedStatement(sql: "SELECT 1 FROM ledger WHERE id = ?")
        for case .ledger(let row) in changeSet.effects {
            if let id = row.memberID, try !RawStatement.hasRow(member, id, db) {
                return .notFound(kind: "member", key: String(id))
            }
            if let id = row.reversesEntryID, try !RawStatement.hasRow(entry, id, db) {
                return .notFound(kind: "ledger entry", key: String(id))
            }
        }
        return nil
    }
}
