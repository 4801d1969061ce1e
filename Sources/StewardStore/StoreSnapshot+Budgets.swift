import Foundation
import GRDB
import StewardCore

/// A budget's money, per kind of ledger entry, as of the snapshot.
///
/// `available = total − allocated − disbursed + refunded + adjusted` (adjustments signed),
/// in integer fen, from the ledger's running sums (``LedgerSums``). It never goes below zero:
/// the applier refuses any change set that would take it there.
public struct BudgetBalance: Sendable, Hashable {
    public let budget: Budget
    public let allocated: Money
    public let disbursed: Money
    public let refunded: Money
    public let adjusted: Money
    public let available: Money
    /// Ledger entries so far.
    public let entryCount: Int
}

extension StoreSnapshot {
    /// Every budget with its balance, by code.
    public func budgetBalances() throws -> [BudgetBalance] {
        let totals = try LedgerSums.totalsByBudget(db)
        return try Row.fetchAll(db, sql: "SELECT * FROM budgets ORDER BY code").map { row in
            try Self.balance(row, totals[row["id"]] ?? [:])
        }
    }

    /// One budget's balance, or nil when there is no such budget.
    public func budgetBalance(code: String) throws -> BudgetBalance? {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM budgets WHERE code = ?"), arguments: [code]) else {
            return nil
        }
        return try Self.balance(row, LedgerSums.totals(budgetID: row["id"], db))
    }

    /// The balance of the budget in `row`, given its ledger's totals per kind. An office
    /// Steward does not write throws rather than read as civil affairs, which would move the
    /// budget to another office's people.
    private static func balance(_ row: Row, _ totals: [String: LedgerSums.KindTotal]) throws(StoreError) -> BudgetBalance {
        let office: Office = try StoredValues(row, table: "budgets").choice("office", "office")
        let budget = Budget(code: row["code"], name: row["name"], office: office,
                            year: row["year"], total: Money(fen: row["total_fen"]), allowTownDraw: row["allow_town_draw"])
        // Each kind's total is shown, so it must be exact; past Int64 it cannot be, and the
        // read stops with the reason rather than show a number that wrapped round.
        func sum(_ kind: LedgerEntryKind) throws(StoreError) -> Int64 {
            guard let total = totals[kind.rawValue] else { return 0 }
            guard let exact = total.exact else { throw StoreError.totalTooLarge(budget: budget.code, kind: kind.rawValue) }
            return exact
        }
        let allocated = try sum(.allocation), disbursed = try sum(.disbursement)
        let refunded = try sum(.refund), adjusted = try sum(.adjustment)
        // The balance is the applier's (BalanceReader): it fits in Int64, as the applier keeps
        // it in [0, Int64.max], though the kinds on the way to it may each be near Int64.max.
        let available = BalanceReader.available(total: row["total_fen"], totals)
        return BudgetBalance(budget: budget, allocated: Money(fen: allocated), disbursed: Money(fen: disbursed),
                             refunded: Money(fen: refunded), adjusted: Money(fen: adjusted), available: available,
                             entryCount: totals.values.reduce(0) { $0 + $1.entries })
    }

    /// Ledger entries, oldest first, filtered by budget, programme and period.
    public func ledgerEntries(budgetCode: String? = nil, programmeCode: String? = nil, period: Period? = nil,
                              limit: Int? = nil) throws -> [LedgerEntry] {
        var conditions = ["1"]
        var arguments = StatementArguments()
        if let budgetCode {
            conditions.append("b.code = ?")
            _ = arguments.append(contentsOf: [budgetCode])
        }
        if let programmeCode {
            conditions.append("l.programme_id = (SELECT id FROM programmes WHERE code = ?)")
            _ = arguments.append(contentsOf: [programmeCode])
        }
        if let period {
            conditions.append("l.period = ?")
            _ = arguments.append(contentsOf: [period.description])
        }
        var sql = """
            SELECT l.*, b.code AS budget_code, pl.code AS place_code, f.code AS facility_code, p.code AS programme_code
            FROM ledger l JOIN budgets b ON b.id = l.budget_id LEFT JOIN places pl ON pl.id = l.place_id
            LEFT JOIN facilities f ON f.id = l.facility_id LEFT JOIN programmes p ON p.id = l.programme_id
            WHERE \(conditions.joined(separator: " AND ")) ORDER BY l.id
            """
        if let limit {
            sql += " LIMIT ?"
            _ = arguments.append(contentsOf: [limit])
        }
        return try Row.fetchAll(db, sql: sql, arguments: arguments).map { try Self.ledgerEntry($0) }
    }

    /// The entry in `row`. The ledger is append-only, so a damaged entry cannot be corrected in
    /// place; still, read as an adjustment, without its period or dated 1970 it would count
    /// differently in every sum a script makes, so each throws.
    private static func ledgerEntry(_ row: Row) throws(StoreError) -> LedgerEntry {
        let values = StoredValues(row, table: "ledger")
        return LedgerEntry(id: values.rowID, budgetCode: row["budget_code"],
                           kind: try values.choice("kind", "ledger entry kind"), amount: Money(fen: row["amount_fen"]),
                           memberID: row["member_id"], placeCode: row["place_code"], facilityCode: row["facility_code"],
                           programmeCode: row["programme_code"], benefitKind: row["benefit_kind"],
                           period: try values.optionalPeriod("period"), memo: row["memo"], runID: row["run_id"],
                           reversesEntryID: row["reverses_entry_id"], idempotencyKey: row["idempotency_key"],
                           createdAt: try values.timestamp("created_at"))
    }

    /// Money paid to one member under a programme in a period (disbursements + allocations −
    /// refunds), e.g. for an annual cap per member.
    public func amountPaid(memberID: MemberID, programmeCode: String, within period: Period) throws -> Money {
        Money(fen: try Int64.fetchOne(db.cachedStatement(sql: """
            SELECT COALESCE(SUM(CASE l.kind WHEN 'refund' THEN -l.amount_fen WHEN 'adjustment' THEN 0 ELSE l.amount_fen END), 0)
            FROM ledger l JOIN programmes p ON p.id = l.programme_id
            WHERE l.member_id = ? AND p.code = ? AND l.period IS NOT NULL
              AND l.period IN (SELECT value FROM json_each(?))
            """), arguments: [memberID, programmeCode, Self.periodsJSON(period)]) ?? 0)
    }

    /// The period and every period inside it, as a JSON array of their text forms.
    static func periodsJSON(_ period: Period) -> String {
        var texts = [period.description]
        for month in period.months { texts.append(month.description) }
        if period.kind == .year {
            for quarter in 1...4 { if let q = try? Period.quarter(period.year, quarter) { texts.append(q.description) } }
        }
        return "[" + Set(texts).sorted().map { "\"\($0)\"" }.joined(separator: ",") + "]"
    }
}
