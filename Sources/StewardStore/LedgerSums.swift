import GRDB
import StewardCore

/// A budget's ledger summed per kind of entry, from the running sums of schema 6
/// (``SchemaV6``) and the rows appended since they were last folded.
///
/// ```swift
/// let totals = try LedgerSums.totals(budgetID: 10, db)
/// let disbursed = totals["disbursement"]?.exact   // nil only past Int64: a sum too large to show
/// ```
enum LedgerSums {
    /// One kind of entry of one budget: the sum of its amounts, kept as the sums of their
    /// upper and lower 32 bits, and how many there are.
    struct KindTotal: Equatable, Sendable {
        /// Σ (amount >> 32): below 2^62 in magnitude for fewer than 2^31 entries.
        var high: Int64
        /// Σ (amount & 0xFFFF_FFFF): never negative.
        var low: Int64
        var entries: Int

        /// Σ amount modulo 2^64: exact whenever the true sum fits, and the way to add kinds
        /// into a balance that fits though a kind's sum alone may not.
        var wrapped: Int64 { (high &<< 32) &+ low }

        /// Σ amount, or nil when it does not fit in Int64 (only a total to show needs this).
        var exact: Int64? {
            // Carry the lower sum's excess into the upper: then the sum is carried·2^32 + r
            // with 0 ≤ r < 2^32, which fits exactly when carried fits in 32 bits.
            let carried = high + (low >> 32)
            guard carried >= -(1 << 31), carried < 1 << 31 else { return nil }
            return (carried << 32) | (low & 0xFFFF_FFFF)
        }
    }

    /// Folds the rows appended since the mark into the sums and moves the mark past them.
    /// Run inside every Steward write transaction just before it commits, and by the
    /// migration that made the sums; with nothing appended it is a few index look-ups.
    static func fold(_ db: Database) throws {
        try foldStatement(db).execute(arguments: [try mark(db), Int64.max])
        try db.cachedStatement(sql: """
            UPDATE ledger_sums_through SET ledger_id = (SELECT MAX(id) FROM ledger)
            WHERE id = 1 AND (SELECT MAX(id) FROM ledger) > ledger_id
            """).execute()
    }

    /// The rows a transaction appends with consecutive ids (the applier's), summed as they
    /// are queued: folding them then costs a few statements, where summing them again in SQL
    /// cost 134 M instructions (30 ms) in a 26,707-grant commit.
    struct Appended {
        private(set) var first: Int64?
        private(set) var last: Int64?
        private var groups: [(budgetID: Int64, kind: LedgerEntryKind, total: KindTotal)] = []

        /// Counts the row `id`, which must follow the last one counted.
        mutating func add(id: Int64, budgetID: Int64, kind: LedgerEntryKind, fen: Int64) {
            precondition(last.map { id == $0 + 1 } ?? true, "ledger rows are counted in id order, without gaps")
            if first == nil { first = id }
            last = id
            // Nearly always the group of the row before: a run pays from one budget.
            let i = groups.lastIndex { $0.budgetID == budgetID && $0.kind == kind } ?? {
                groups.append((budgetID, kind, KindTotal(high: 0, low: 0, entries: 0)))
                return groups.count - 1
            }()
            groups[i].total.high += fen >> 32
            groups[i].total.low += fen & 0xFFFF_FFFF
            groups[i].total.entries += 1
        }

        /// Folds these rows, and any another program appended before them since the mark,
        /// into the sums, and moves the mark to the last of them.
        func fold(_ db: Database) throws {
            guard let first, let last else { return try LedgerSums.fold(db) }
            let mark = try LedgerSums.mark(db)
            // Rows are appended only at the end, and this transaction holds the write lock: if
            // the last row is not ours, they were not counted as they were written.
            guard try Int64.fetchOne(db.cachedStatement(sql: "SELECT MAX(id) FROM ledger")) == last, first > mark else {
                throw StoreError.invalidStoredValue(table: "ledger", rowID: last, column: "id",
                                                    problem: "the rows written are not the last of the ledger, so they cannot be summed")
            }
            try foldStatement(db).execute(arguments: [mark, first])
            let upsert = try db.cachedStatement(sql: """
                INSERT INTO ledger_sums (budget_id, kind, high, low, entries) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (budget_id, kind) DO UPDATE
                SET high = high + excluded.high, low = low + excluded.low, entries = entries + excluded.entries
                """)
            for group in groups {
                try upsert.execute(arguments: [group.budgetID, group.kind.rawValue, group.total.high, group.total.low,
                                               group.total.entries])
            }
            try db.cachedStatement(sql: "UPDATE ledger_sums_through SET ledger_id = ? WHERE id = 1").execute(arguments: [last])
        }
    }

    /// One budget's totals per kind: arguments the budget's id, then the mark.
    ///
    /// `NOT INDEXED`: the tail is read by rowid from the mark. Left to itself SQLite prefers
    /// the index on budget_id, which lists every entry the budget ever had.
    static let budgetTotalsSQL = """
        SELECT kind, SUM(high) AS high, SUM(low) AS low, SUM(entries) AS entries FROM (
            SELECT kind, high, low, entries FROM ledger_sums WHERE budget_id = ?1
            UNION ALL
            SELECT kind, amount_fen >> 32, amount_fen & 4294967295, 1
            FROM ledger NOT INDEXED WHERE id > ?2 AND budget_id = ?1)
        GROUP BY kind
        """

    /// Every kind of `budgetID`'s entries.
    static func totals(budgetID: Int64, _ db: Database) throws -> [String: KindTotal] {
        let rows = try Row.fetchCursor(db.cachedStatement(sql: budgetTotalsSQL), arguments: [budgetID, try mark(db)])
        var totals: [String: KindTotal] = [:]
        while let row = try rows.next() { totals[row["kind"]] = total(row) }
        return totals
    }

    /// Adds the rows with ids between its two arguments (both excluded) to the sums.
    private static func foldStatement(_ db: Database) throws -> Statement {
        try db.cachedStatement(sql: """
            INSERT INTO ledger_sums (budget_id, kind, high, low, entries)
            SELECT budget_id, kind, SUM(amount_fen >> 32), SUM(amount_fen & 4294967295), COUNT(*)
            FROM ledger NOT INDEXED WHERE id > ? AND id < ? GROUP BY budget_id, kind
            ON CONFLICT (budget_id, kind) DO UPDATE
            SET high = high + excluded.high, low = low + excluded.low, entries = entries + excluded.entries
            """)
    }

    /// Every kind of every budget's entries, by budget id.
    static func totalsByBudget(_ db: Database) throws -> [Int64: [String: KindTotal]] {
        try grouped(db.cachedStatement(sql: """
            SELECT budget_id, kind, SUM(high) AS high, SUM(low) AS low, SUM(entries) AS entries FROM (
                SELECT budget_id, kind, high, low, entries FROM ledger_sums
                UNION ALL
                SELECT budget_id, kind, amount_fen >> 32, amount_fen & 4294967295, 1
                FROM ledger NOT INDEXED WHERE id > ?)
            GROUP BY budget_id, kind
            """), arguments: [try mark(db)])
    }

    /// The same totals summed from every ledger row, ignoring the running sums: what the
    /// tests hold the sums to.
    static func recomputed(_ db: Database) throws -> [Int64: [String: KindTotal]] {
        try grouped(db.cachedStatement(sql: """
            SELECT budget_id, kind, SUM(amount_fen >> 32) AS high, SUM(amount_fen & 4294967295) AS low,
                   COUNT(*) AS entries
            FROM ledger GROUP BY budget_id, kind
            """), arguments: [])
    }

    private static func grouped(_ statement: Statement, arguments: StatementArguments) throws -> [Int64: [String: KindTotal]] {
        let rows = try Row.fetchCursor(statement, arguments: arguments)
        var totals: [Int64: [String: KindTotal]] = [:]
        while let row = try rows.next() { totals[row["budget_id"], default: [:]][row["kind"]] = total(row) }
        return totals
    }

    private static func total(_ row: Row) -> KindTotal {
        KindTotal(high: row["high"], low: row["low"], entries: row["entries"])
    }

    /// The id through which the sums count. Its row is made by the migration and never
    /// deleted by Steward; without it the sums would silently stop following the ledger, so
    /// every balance read and every commit is refused instead.
    static func mark(_ db: Database) throws -> Int64 {
        guard let mark = try Int64.fetchOne(db.cachedStatement(sql: "SELECT ledger_id FROM ledger_sums_through WHERE id = 1")) else {
            throw StoreError.invalidStoredValue(table: "ledger_sums_through", rowID: 1, column: "ledger_id",
                                                problem: "the row is missing, so no balance can be read")
        }
        return mark
    }
}
