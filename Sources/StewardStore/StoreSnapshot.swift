import GRDB

/// A consistent, read-only view of the database for the length of one ``Store/read(_:)``
/// call. Queries made through it (see the `StoreSnapshot+…` files) all see the same data.
///
/// It must not escape the closure it was given to: the connection behind it is lent, not owned.
public struct StoreSnapshot {
    let db: Database
    /// Applied effect keys, as far as this read has asked (see ``AppliedKeyLookup``).
    let appliedKeys: AppliedKeyLookup

    /// Where a member query's read-ahead may read on a second connection; nil inside a write
    /// transaction (another connection would not see its uncommitted rows) and for a database
    /// in memory.
    let readAhead: ReadAheadSource?

    /// The file ``readAhead`` reads.
    var readAheadPath: String? { readAhead?.path }

    init(db: Database, readAhead: ReadAheadSource? = nil) {
        self.db = db
        self.readAhead = readAhead
        appliedKeys = AppliedKeyLookup(db)
    }
}
