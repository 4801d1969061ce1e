import StewardCore

extension StoreSnapshot {
    /// The committed state for exactly `needs` — the same reader the applier uses inside its
    /// transaction, so the scripting host checks effects as the commit will.
    public func balanceSnapshot(_ needs: SnapshotRequirements) throws -> BalanceSnapshot {
        try BalanceReader.read(needs, db)
    }
}
