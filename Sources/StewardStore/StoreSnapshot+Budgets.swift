import Foundation
import GRDB
import StewardCore

/// A budget's money, per kind of ledger entry, as of the snapshot.
///
/// `available = total − allocated − disbursed + refunded + adjusted` (adjustments signed),
/// in integer fen, computed in SQL. It never goes below zero: the applier refuses any change
/// set that would take it there.
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
    static let balanceColumns = """
        b.*,
        COALESCE(SUM(CASE l.kind WHEN 'allocation' THEN l.amount_fen END), 0) AS allocated,
        COALESCE(SUM(CASE l.kind WHEN 'disbursement' THEN l.amount_fen END), 0) AS disbursed,
        COALESCE(SUM(CASE l.kind WHEN 'refund' THEN l.amount_fen END), 0) AS refunded,
        COALESCE(SUM(CASE l.kind WHEN 'adjustment' THEN l.amount_fen END), 0) AS adjusted,
        COUNT(l.id) AS entries
        """

    /// Every budget with its balance, by code.
    public func budgetBalances() throws -> [BudgetBalance] {
        try Row.fetchAll(db, sql: """
            SELECT \(Self.balanceColumns) FROM budgets b LEFT JOIN ledger l ON l.budget_id = b.id
            GROUP BY b.id ORDER BY b.code
            """).map { try Self.balance($0) }
    }

    /// One budget's balance, or nil when there is no such budget.
    public func budgetBalance(code: String) throws -> BudgetBalance? {
        try Row.fetchOne(db, sql: """
            SELECT \(Self.balanceColumns) FROM budgets b LEFT JOIN ledger l ON l.budget_id = b.id
            WHERE b.code = ? GROUP BY b.id
            """, arguments: [code]).map { try Self.balance($0) }
    }

    /// The balance in `row`. An office Steward does not write throws rather than read as civil
    /// affairs, which would move the budget to another office's people.
    private static func balance(_ row: Row) throws(StoreError) -> BudgetBalance {
        let office: Office = try StoredValues(row, table: "budgets").choice("office", "office")
        let budget = Budget(code: row["code"], name: row["name"], office: office,
                            year: row["year"], total: Money(fen: row["total_fen"]), allowTownDraw: row["allow_town_draw"])
        let allocated = Money(fen: row["allocated"])
        let disbursed = Money(fen: row["disbursed"])
        let refunded = Money(fen: row["refunded"])
        let adjusted = Money(fen: row["adjusted"])
        let total: Int64 = row["total_fen"]
        // The balance fits in Int64 (the applier keeps it in [0, Int64.max]) but the partial
        // results need not: allocations and disbursements may each be near Int64.max, offset by
        // refunds. Plain `-` trapped there and killed the process; arithmetic modulo 2^64 is
        // exact whenever the result fits.
        let available = total &- allocated.fen &- disbursed.fen &+ refunded.fen &+ adjusted.fen
        return BudgetBalance(budget: budget, allocated: allocated, disbursed: disbursed, refunded: refunded,
                             adjusted: adjusted, available: Money(fen: available), entryCount: row["entries"])
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
