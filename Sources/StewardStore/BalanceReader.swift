import GRDB
import StewardCore

/// Reads the committed state a change set is checked against (Core's ``BalanceSnapshot``),
/// for exactly what the change set touches. The same code serves the scripting host before
/// a run and the applier inside its write transaction.
///
/// Balance formula (Core's `LedgerEntryKind.balanceEffect`):
/// `available = total − Σ allocation − Σ disbursement + Σ refund + Σ adjustment`,
/// adjustments being signed. It is computed in integer fen, exactly, whatever the amounts,
/// from the ledger's running sums (``LedgerSums``): the cost of a balance does not grow with
/// the ledger.
///
/// The invariants keep the balance in [0, Int64.max] after every entry, but not the sums on
/// the way to it: a budget that took in and paid out more than Int64.max in all made `SUM`
/// fail with "integer overflow" and refused every later change set. So each amount is summed
/// as its upper and lower 32 bits, which SQLite adds without overflow (fewer than 2^31
/// entries), and the halves are joined in Swift modulo 2^64 — exact, as the true balance fits.
enum BalanceReader {
    /// `total − allocations − disbursements + refunds + adjustments` modulo 2^64: the
    /// balance, given that it fits in Int64.
    static func available(total: Int64, _ totals: [String: LedgerSums.KindTotal]) -> Money {
        func sum(_ kind: LedgerEntryKind) -> Int64 { totals[kind.rawValue]?.wrapped ?? 0 }
        return Money(fen: total &- sum(.allocation) &- sum(.disbursement) &+ sum(.refund) &+ sum(.adjustment))
    }

    static func read(_ needs: SnapshotRequirements, _ db: Database) throws -> BalanceSnapshot {
        var snapshot = BalanceSnapshot()
        for code in needs.budgetCodes {
            if let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT id, total_fen, allow_town_draw FROM budgets WHERE code = ?"),
                                          arguments: [code]) {
                let totals = try LedgerSums.totals(budgetID: row["id"], db)
                snapshot.budgets[code] = BudgetState(available: available(total: row["total_fen"], totals),
                                                     allowTownDraw: row["allow_town_draw"])
            }
        }
        for programme in needs.bookedProgrammeCodes {
            for quota in try quotas(programme: programme, db) {
                snapshot.quotas[quota.key] = QuotaState(limit: quota.limit, hard: quota.hard,
                                                        used: try used(quota.key, db))
            }
        }
        for key in needs.quotaKeys where snapshot.quotas[key] == nil {
            let existing = try quotas(programme: key.programmeCode, db).first { $0.key == key }
            snapshot.quotas[key] = QuotaState(limit: existing?.limit, hard: existing?.hard ?? true, used: try used(key, db))
        }
        for code in needs.facilityCodes {
            if let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT capacity, occupancy FROM facilities WHERE code = ?"),
                                          arguments: [code]) {
                snapshot.facilities[code] = FacilityState(capacity: row["capacity"], occupancy: row["occupancy"])
            }
        }
        snapshot.appliedKeys = try AppliedKeyLookup(db).applied(among: needs.effectKeys)
        for ref in needs.fields {
            if let field = UpdatableField.lookup(ref), let value = try field.current(ref, db) {
                snapshot.fieldValues[ref] = value
            }
        }
        return snapshot
    }

    /// Every quota set for a programme; a district-wide quota has a nil place code. A period
    /// that does not parse throws rather than drop the quota, which would lift its limit.
    static func quotas(programme: String, _ db: Database) throws -> [Quota] {
        try Row.fetchAll(db.cachedStatement(sql: """
            SELECT q.id, q.period, q.quota_limit, q.hard, pl.code AS place_code, pl.kind AS place_kind
            FROM quotas q JOIN programmes p ON p.id = q.programme_id JOIN places pl ON pl.id = q.place_id
            WHERE p.code = ? ORDER BY q.period_start, q.period_end DESC, pl.path
            """), arguments: [programme]).map { row in
            let period = try StoredValues(row, table: "quotas").period("period")
            let kind: String = row["place_kind"]
            return Quota(programmeCode: programme, period: period,
                         placeCode: kind == PlaceKind.district.rawValue ? nil : row["place_code"],
                         limit: row["quota_limit"], hard: row["hard"])
        }
    }

    /// Bookings a quota key covers, with Core's rule (`QuotaKey.covers`): same programme, the
    /// booking's period inside the key's, and the same place unless the key is district-wide.
    static func used(_ key: QuotaKey, _ db: Database) throws -> Int {
        var sql = """
            SELECT COALESCE(SUM(b.amount), 0) FROM quota_bookings b JOIN programmes p ON p.id = b.programme_id
            WHERE p.code = ? AND b.period_start >= ? AND b.period_end <= ?
            """
        var arguments: StatementArguments = [key.programmeCode, key.period.firstDay.iso, key.period.lastDay.iso]
        if let place = key.placeCode {
            sql += " AND b.place_id = (SELECT id FROM places WHERE code = ?)"
            _ = arguments.append(contentsOf: [place])
        }
        return try Int.fetchOne(db, sql: sql, arguments: arguments) ?? 0
    }
}

extension StoreSnapshot {
    /// The committed state the invariants need for `requirements` (Core's
    /// `ChangeSet.requirements`), for the scripting host to check effects as a script
    /// proposes them. The applier reads the same again inside its transaction.
    public func balanceSnapshot(for requirements: SnapshotRequirements) throws -> BalanceSnapshot {
        try BalanceReader.read(requirements, db)
    }

    /// Whether an earlier run applied an effect with this key (see `InvariantChecker`: such an
    /// effect is skipped). The scripting host asks once per key a script proposes.
    public func isApplied(_ key: EffectKey) throws -> Bool {
        try appliedKeys.isApplied(key)
    }
}
