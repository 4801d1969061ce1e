import GRDB

/// Schema 4: the commit generation, a number every Steward write transaction raises by one.
///
/// It lets a second connection prove that it sees the same committed data as a reader that
/// began earlier. A member query's read-ahead (``MemberReadAhead``) reads the rest of a long
/// result on its own connection and thread; SQLite as Debian builds it has no
/// `sqlite3_snapshot_open`, so that connection cannot be handed the first one's snapshot. It
/// compares the generation (with the schema's version and cookie) instead: equal numbers
/// mean no Steward transaction committed in between, and the two read the same rows.
///
/// The raise is one row updated per transaction (``Store/writeImmediate(_:)``), not per row
/// written, so a 26,707-row commit pays it once.
enum SchemaV4 {
    static func createCommitGeneration(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE commit_generation (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                value INTEGER NOT NULL CHECK (value >= 0)
            );
            INSERT INTO commit_generation (id, value) VALUES (1, 0);
            """)
    }

    /// Run inside every write transaction, just before it commits.
    static let raiseSQL = "UPDATE commit_generation SET value = value + 1 WHERE id = 1"
}
