import Foundation
import GRDB
import StewardCore
import Testing
@testable import StewardStore

/// The ledger's running sums (schema 6): every balance read from them equals the ledger
/// summed row by row, whoever wrote the rows, and reading one does not read the budget's
/// whole ledger.
@Suite("Ledger sums: balances without summing the whole ledger")
struct LedgerSumsTests {
    static func entry(_ budget: String, _ kind: LedgerEntryKind, _ fen: Int64, key: String? = nil) -> Effect {
        .ledger(LedgerEffect(budgetCode: budget, kind: kind, amount: Money(fen: fen), memo: "test", idempotencyKey: key))
    }

    /// Commits `effects` as one change set by the fixture's admin.
    static func commit(_ fixture: Fixture, _ effects: Effect...) throws {
        try fixture.store.apply(ChangeSet(effects), run: fixture.run(), actor: .district, at: Fixture.now)
    }

    /// The sums as stored, the mark, and the ledger summed row by row.
    static func state(_ store: Store) throws -> (sums: [Int64: [String: LedgerSums.KindTotal]], mark: Int64?, maxID: Int64?,
                                                 recomputed: [Int64: [String: LedgerSums.KindTotal]]) {
        try store.database.read { db in
            var sums: [Int64: [String: LedgerSums.KindTotal]] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT * FROM ledger_sums") {
                sums[row["budget_id"], default: [:]][row["kind"]] = .init(high: row["high"], low: row["low"], entries: row["entries"])
            }
            return (sums, try Int64.fetchOne(db, sql: "SELECT ledger_id FROM ledger_sums_through"),
                    try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM ledger"), try LedgerSums.recomputed(db))
        }
    }

    @Test("each commit folds its rows: the stored sums are the ledger's, and the mark is its last id")
    func commitsFoldTheirRows() throws {
        let fixture = try Fixture()
        let before = try Self.state(fixture.store)
        #expect(before.sums.isEmpty && before.recomputed.isEmpty && before.mark == 0 && before.maxID == nil)
        try Self.commit(fixture, Self.entry("relief-2025", .disbursement, 120_000, key: "a"),
                        Self.entry("relief-2025", .allocation, 50_000),
                        Self.entry("dream-2025", .disbursement, 300_000),
                        Self.entry("relief-2025", .adjustment, -7_000))
        try Self.commit(fixture, Self.entry("relief-2025", .refund, 20_000),
                        Self.entry("relief-2025", .disbursement, 1, key: "b"))
        let after = try Self.state(fixture.store)
        #expect(after.sums == after.recomputed)
        #expect(after.mark == after.maxID && after.mark == 6)
        let relief = try fixture.store.read { try $0.budgetBalance(code: "relief-2025") }
        #expect(relief?.disbursed == Money(fen: 120_001))
        #expect(relief?.allocated == Money(fen: 50_000))
        #expect(relief?.refunded == Money(fen: 20_000))
        #expect(relief?.adjusted == Money(fen: -7_000))
        #expect(relief?.entryCount == 5)
        #expect(relief?.available == Money(fen: 300_000_000 - 120_001 - 50_000 + 20_000 - 7_000))
        #expect(try fixture.store.read { try $0.budgetBalance(code: "dream-2025") }?.available == Money(fen: 1_700_000))
    }

    @Test("rows another program appended count at once, and the next Steward write folds them")
    func rowsWrittenByAnotherProgramCount() throws {
        let fixture = try Fixture()
        try fixture.store.setSetting("approval.threshold", String(Int64.max))
        try Self.commit(fixture, Self.entry("relief-2025", .disbursement, 10_000))
        // As Python's benchmark script writes: its own connection, no Steward code.
        let other = try DatabaseQueue(path: fixture.store.path)
        try other.write { db in
            try db.execute(sql: """
                INSERT INTO ledger (budget_id, kind, amount_fen, created_at)
                SELECT id, 'disbursement', 2500, '2025-06-15T00:00:00Z' FROM budgets WHERE code = 'relief-2025'
                """)
        }
        try other.close()
        #expect(try Self.state(fixture.store).mark == 1, "not folded yet: the row is in the tail")
        #expect(try fixture.store.read { try $0.budgetBalance(code: "relief-2025") }?.available == Money(fen: 300_000_000 - 12_500))
        // The applier's own check reads the same balance: ¥2,999,875.00 left, so this is refused.
        #expect(throws: ChangeSetRefused.self) {
            try Self.commit(fixture, Self.entry("relief-2025", .disbursement, 299_987_501))
        }
        try Self.commit(fixture, Self.entry("relief-2025", .disbursement, 299_987_500))
        let after = try Self.state(fixture.store)
        #expect(after.mark == 3 && after.sums == after.recomputed)
        #expect(try fixture.store.read { try $0.budgetBalance(code: "relief-2025") }?.available == Money(fen: 0))
    }

    @Test("a refused change set leaves the sums and the mark as they were")
    func refusedChangeSetFoldsNothing() throws {
        let fixture = try Fixture()
        try Self.commit(fixture, Self.entry("dream-2025", .disbursement, 1_000))
        let before = try Self.state(fixture.store)
        #expect(throws: ChangeSetRefused.self) {
            try Self.commit(fixture, Self.entry("dream-2025", .disbursement, 500),
                            Self.entry("dream-2025", .disbursement, 2_000_000))
        }
        let after = try Self.state(fixture.store)
        #expect(after.sums == before.sums && after.mark == before.mark && after.mark == 1)
    }

    @Test("totals near Int64's limits add up exactly through the split sums")
    func extremeAmountsStayExact() throws {
        let fixture = try Fixture()
        try fixture.store.setSetting("approval.threshold", String(Int64.max))
        try Self.commit(fixture, Self.entry("relief-2025", .adjustment, Int64.max - 300_000_000))
        try Self.commit(fixture, Self.entry("relief-2025", .disbursement, Int64.max - 5))
        try Self.commit(fixture, Self.entry("relief-2025", .refund, Int64.max - 10))
        let balance = try fixture.store.read { try $0.budgetBalance(code: "relief-2025") }
        // 300,000,000 + (max − 300,000,000) − (max − 5) + (max − 10) = max − 5
        #expect(balance?.available == Money(fen: Int64.max - 5))
        let after = try Self.state(fixture.store)
        #expect(after.sums == after.recomputed)
    }

    @Test("a kind's total is exact when it fits in Int64 and nil past it; summed into a balance it wraps")
    func kindTotalsFromSplitSums() {
        /// The sums the ledger's SQL makes of `amounts`.
        func total(_ amounts: [Int64]) -> LedgerSums.KindTotal {
            .init(high: amounts.reduce(0) { $0 + ($1 >> 32) }, low: amounts.reduce(0) { $0 + ($1 & 0xFFFF_FFFF) },
                  entries: amounts.count)
        }
        #expect(total([-1, -1, -1]).exact == -3)
        #expect(total([120_000, 5_000]).exact == 125_000)
        #expect(total([-(1 << 62), -(1 << 62) + 5]).exact == Int64.min + 5)
        #expect(total([Int64.max, -10]).exact == Int64.max - 10)
        #expect(total([Int64.max, 1]).exact == nil)
        #expect(total([Int64.max, Int64.max]).exact == nil)
        #expect(total([Int64.max, Int64.max]).wrapped == -2)
        #expect(total([Int64.min, -1]).exact == nil)
    }

    @Test("a budget whose one kind adds up past Int64 says so, naming the budget and the kind")
    func totalTooLargeToShow() throws {
        let fixture = try Fixture()
        try fixture.store.setSetting("approval.threshold", String(Int64.max))
        try Self.commit(fixture, Self.entry("relief-2025", .refund, Int64.max - 300_000_000))
        try Self.commit(fixture, Self.entry("relief-2025", .disbursement, Int64.max))
        try Self.commit(fixture, Self.entry("relief-2025", .refund, Int64.max))
        #expect(throws: StoreError.totalTooLarge(budget: "relief-2025", kind: "refund")) {
            try fixture.store.read { try $0.budgetBalance(code: "relief-2025") }
        }
        #expect(StoreError.totalTooLarge(budget: "relief-2025", kind: "refund").description
                == "budget 'relief-2025': its refund entries add up to more than ¥92,233,720,368,547,758.07, too much to show; its balance is still exact and every commit still checks it")
        // The applier's balance is still exact: max, all of which may be paid out.
        let snapshot = try fixture.store.read { try $0.balanceSnapshot(for: SnapshotRequirements(budgetCodes: ["relief-2025"])) }
        #expect(snapshot.budgets["relief-2025"]?.available == Money(fen: Int64.max))
    }

    @Test("a balance reads the rows after the mark by rowid, not the budget's whole ledger")
    func tailIsReadByRowid() throws {
        let fixture = try Fixture()
        // The statement every balance read runs, as SQLite plans it.
        let plan = try fixture.store.database.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + LedgerSums.budgetTotalsSQL, arguments: [1, 0])
                .map { $0["detail"] as String }
        }
        #expect(plan.contains("SEARCH ledger USING INTEGER PRIMARY KEY (rowid>?)"), "\(plan)")
        #expect(plan.contains("SEARCH ledger_sums USING PRIMARY KEY (budget_id=?)"), "\(plan)")
        #expect(!plan.contains { $0.hasPrefix("SCAN ledger") || $0.contains("ledger_budget") }, "\(plan)")
    }

    @Test("without its mark no balance is read and nothing is committed")
    func missingMarkRefuses() throws {
        let fixture = try Fixture()
        try fixture.store.database.writeWithoutTransaction { try $0.execute(sql: "DELETE FROM ledger_sums_through") }
        #expect(throws: StoreError.invalidStoredValue(table: "ledger_sums_through", rowID: 1, column: "ledger_id",
                                                      problem: "the row is missing, so no balance can be read")) {
            try fixture.store.read { try $0.budgetBalance(code: "relief-2025") }
        }
        #expect(throws: StoreError.self) {
            try Self.commit(fixture, Self.entry("relief-2025", .disbursement, 100))
        }
        #expect(try fixture.store.database.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM ledger") } == 0)
    }
}
