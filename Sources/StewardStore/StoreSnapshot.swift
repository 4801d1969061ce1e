import GRDB

/// A consistent, read-only view of the database for the length of one ``Store/read(_:)``
/// call. Queries made through it (see the `StoreSnapshot+…` files) all see the same data.
///
/// It must not escape the closure it was given to: the connection behind it is lent, not owned.
public struct StoreSnapshot {
    let db: Database
    /// Applied effect keys, as far as this read has asked (see ``AppliedKeyLookup``).
    let appliedKeys: AppliedKeyLookup

    init(db: Database) {
        self.db = db
        appliedKeys = AppliedKeyLookup(db)
    }
}
