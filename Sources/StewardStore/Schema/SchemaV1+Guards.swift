import GRDB

extension SchemaV1 {
    /// The ledger and the audit trail are append-only, enforced by SQLite itself so that no
    /// code path — ours, a script's or a hand-run `sqlite3` session — can rewrite history.
    static func createAppendOnlyGuards(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TRIGGER ledger_no_update BEFORE UPDATE ON ledger
            BEGIN SELECT RAISE(ABORT, 'ledger is append-only: add a correcting entry instead'); END;
            CREATE TRIGGER ledger_no_delete BEFORE DELETE ON ledger
            BEGIN SELECT RAISE(ABORT, 'ledger is append-only: add a correcting entry instead'); END;
            CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
            BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
            CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
            BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
            """)
    }
}
