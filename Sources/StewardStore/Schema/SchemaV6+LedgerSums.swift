import GRDB

/// Schema 6: running sums of the ledger per budget and kind, so that reading a balance costs
/// the same in December as in January.
///
/// Until schema 5 every balance was a `SUM` over the budget's whole ledger. A subsidy run
/// reads its budget's balance three times (`budget "…"`, `fund:available()`, the report) and
/// its commit once more, and the ledger grows by every month's payments: after one month of
/// 26,707 grants, July's dry run spent 262 M of its 648 M instructions summing June, and a
/// year on it would have spent ten times that.
///
/// `ledger_sums` holds, per budget and kind, the sums of every ledger row up to
/// `ledger_sums_through.ledger_id`; a balance is those sums plus the rows after that id (the
/// *tail*), read by rowid. Every Steward write transaction folds the tail into the sums
/// before it commits (``LedgerSums/fold(_:)``), so the tail a reader adds is empty unless
/// another program wrote to the ledger since, and even then the balance is exact: rows are
/// only ever appended (the ledger's triggers refuse UPDATE and DELETE), and each new row
/// gets an id above every existing one. (Only a row written by hand with an explicit id below
/// the mark, into a gap in the ids, would be missed: the ledger is Steward's, written
/// through it. A trigger refusing such a row costs 4 µs a row, +100 ms on a 26,707-grant
/// commit, and one keeping the sums instead of the fold 15 µs a row, so there is neither.)
///
/// Each amount is summed as its upper and lower 32 bits, as ``BalanceReader`` explains: the
/// sum of a kind may pass Int64 on the way to a balance that fits.
enum SchemaV6 {
    static func createLedgerSums(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE ledger_sums (
                budget_id INTEGER NOT NULL REFERENCES budgets(id),
                kind TEXT NOT NULL,
                high INTEGER NOT NULL,
                low INTEGER NOT NULL,
                entries INTEGER NOT NULL,
                PRIMARY KEY (budget_id, kind)
            ) WITHOUT ROWID;
            CREATE TABLE ledger_sums_through (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                ledger_id INTEGER NOT NULL
            );
            INSERT INTO ledger_sums_through (id, ledger_id) VALUES (1, 0);
            """)
        try LedgerSums.fold(db)
    }
}
