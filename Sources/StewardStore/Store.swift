import Foundation
import GRDB

/// A Steward database on disk: the one entry point for opening, reading and writing.
///
/// Read-write stores use a GRDB `DatabasePool` in WAL mode, so readers never block the writer;
/// read-only stores (script runs) open the file with `SQLITE_OPEN_READONLY`, so nothing can be
/// written while Lua runs, whatever the scripting layer does.
public final class Store: Sendable {
    /// How to open a database.
    public enum Mode: Sendable {
        /// Create the file if it is missing (or empty), then migrate to the current schema.
        case create
        /// The file must exist and be a Steward database; an older schema is migrated.
        case readWrite
        /// The file must exist with the current schema; every write fails in SQLite itself.
        case readOnly
    }

    /// The file this store reads and writes.
    public let path: String
    /// True when opened with ``Mode/readOnly``.
    public let isReadOnly: Bool
    /// How long a writer waits for another writer's lock before giving up.
    public let busyTimeout: TimeInterval

    let database: any DatabaseWriter

    private init(path: String, isReadOnly: Bool, busyTimeout: TimeInterval, database: any DatabaseWriter) {
        self.path = path
        self.isReadOnly = isReadOnly
        self.busyTimeout = busyTimeout
        self.database = database
    }

    /// Opens (or with ``Mode/create`` creates) the Steward database at `path`.
    ///
    /// A foreign SQLite file, a non-database file or a database made by a newer Steward is
    /// refused with a ``StoreError`` before anything in it is written.
    public static func open(at path: String, mode: Mode, busyTimeout: TimeInterval = 5) throws -> Store {
        let inspection = try StoreInspector.inspect(path: path)
        switch (inspection, mode) {
        case (.missing, .readWrite), (.missing, .readOnly), (.empty, .readWrite), (.empty, .readOnly):
            throw StoreError.missingDatabase(path: path)
        case (.steward(let version), .readOnly) where version < SchemaVersion.current:
            throw StoreError.olderSchema(path: path, found: version, known: SchemaVersion.current)
        default:
            break
        }

        var config = Configuration()
        config.foreignKeysEnabled = true
        config.busyMode = .timeout(busyTimeout)
        config.label = "steward"
        if mode == .readOnly {
            config.readonly = true
            let queue = try DatabaseQueue(path: path, configuration: config)
            return Store(path: path, isReadOnly: true, busyTimeout: busyTimeout, database: queue)
        }
        config.prepareDatabase { db in
            // WAL with NORMAL sync is durable at each checkpoint and keeps commits fast; the
            // ledger's integrity comes from transactions, not from fsync per statement.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            if !db.configuration.readonly {
                // The writer's statement journals in memory: a multi-row INSERT (the ledger's
                // and reminders' batches) journals every page it changes, and Debian's SQLite
                // wrote those journals to a file in /var/tmp, 38 MB for a 26,707-grant commit
                // (commit −2 % median wall, interleaved, on top of the run record's change).
                // Readers keep the default, so that a script's large sort may still spill to
                // disk rather than grow in memory.
                try db.execute(sql: "PRAGMA temp_store = \(Self.writerTempStore)")
            }
        }
        do {
            let pool = try DatabasePool(path: path, configuration: config)
            try Migrations.migrator.migrate(pool)
            return Store(path: path, isReadOnly: false, busyTimeout: busyTimeout, database: pool)
        } catch let error as DatabaseError {
            // A read-only file or directory fails here, in GRDB's first probe write (the raw
            // message names an internal `grdb_issue_102` table): say what is wrong instead.
            throw Self.storeError(error, path: path, busyTimeout: busyTimeout) ?? error
        }
    }

    /// The writer's `temp_store` (see ``open(at:mode:busyTimeout:)``), which a read ahead of a
    /// commit sets back when it gives the writer back (``ReadAheadSource``).
    static let writerTempStore = "MEMORY"

    /// The ``path`` of an ``inMemory()`` store: no file another connection could open.
    static let memoryPath = ":memory:"

    /// An empty Steward database in memory, for a dry run given no database: nothing on disk
    /// to create, sync and remove again (that was a third of such a run's 48 ms start).
    /// Only this process can see it.
    public static func inMemory() throws -> Store {
        var config = Configuration()
        config.foreignKeysEnabled = true
        config.label = "steward"
        let queue = try DatabaseQueue(configuration: config)
        try Migrations.migrator.migrate(queue)
        return Store(path: memoryPath, isReadOnly: false, busyTimeout: 5, database: queue)
    }

    /// The ``StoreError`` a person can act on for SQLite's busy, full, read-only and I/O
    /// failures; nil for any other error (a bug, to be reported as it is).
    static func storeError(_ error: DatabaseError, path: String, busyTimeout: TimeInterval) -> StoreError? {
        switch error.resultCode {
        case .SQLITE_BUSY: .busy(path: path, seconds: busyTimeout)
        case .SQLITE_FULL: .diskFull(path: path)
        case .SQLITE_CANTOPEN where !FileManager.default.fileExists(atPath: (path as NSString).deletingLastPathComponent.isEmpty
                                                                    ? "." : (path as NSString).deletingLastPathComponent):
            .missingDirectory(path: path)
        case .SQLITE_READONLY, .SQLITE_CANTOPEN, .SQLITE_PERM: .notWritable(path: path)
        case .SQLITE_IOERR: .ioError(path: path, detail: error.message ?? "disk I/O error")
        default: nil
        }
    }

    /// Runs `body` against one consistent snapshot of the database: every query inside sees
    /// the same data, whatever other processes commit meanwhile.
    ///
    /// A long member query may read its later rows on a second connection of its own
    /// (``MemberReadAhead``), which first proves it sees the same commit as this one.
    ///
    /// With `forCommit`, the caller means to apply what it reads with ``apply(_:run:actor:at:pendingRunID:)``
    /// as this store's next write, and nothing else writes through this store meanwhile (a
    /// script run with `--commit`). That second connection is then the store's writer, lent
    /// for reading only: it maps the file, and the members read stay mapped for the commit's
    /// foreign-key checks (``ReadAheadSource``). A disk error reading a mapped page is then a
    /// SIGBUS, which the process should handle (`steward run` does). A writer busy elsewhere
    /// would make the read-ahead wait for it; a write through this store from inside `body`
    /// would wait for the read-ahead, which waits for `body` to take its rows: never write
    /// there (a script's run reads only, by design).
    ///
    /// ```swift
    /// let report = try store.read(forCommit: true) { snapshot in try runScript(snapshot) }
    /// try store.apply(report.changeSet, run: submission, actor: scope)
    /// ```
    public func read<T>(forCommit: Bool = false, _ body: (StoreSnapshot) throws -> T) throws -> T {
        let readAhead: ReadAheadSource? =
            if path == Self.memoryPath { nil }
            else if forCommit, !isReadOnly, let pool = database as? DatabasePool { .writer(pool, path: path) }
            else { .file(path) }
        return try database.read { db in try body(StoreSnapshot(db: db, readAhead: readAhead)) }
    }

    /// Runs `body` in one `BEGIN IMMEDIATE` transaction: the write lock is taken up front, so
    /// what `body` reads cannot be changed by another writer before it commits.
    func writeImmediate<T>(_ body: (Database) throws -> T) throws -> T {
        if isReadOnly { throw StoreError.readOnly(path: path) }
        do {
            return try database.writeWithoutTransaction { db in
                var result: T?
                try db.inTransaction(.immediate) {
                    result = try body(db)
                    // The ledger rows this transaction appended, folded into the running
                    // sums (SchemaV6), so that no later balance read adds them up again.
                    try LedgerSums.fold(db)
                    try Self.raiseCommitGeneration(db)
                    return .commit
                }
                return result!
            }
        } catch let error as DatabaseError {
            // SQLite has rolled the transaction back: a full disk or a failed write mid-commit
            // leaves nothing of it behind, and the error says so in words.
            throw Self.storeError(error, path: path, busyTimeout: busyTimeout) ?? error
        }
    }

    /// Raises the commit generation (``SchemaV4``) in the transaction about to commit. Its row
    /// is made by the migration and never deleted by Steward: a missing row would leave the
    /// number still, and a read-ahead could take a changed file for the one it began with, so
    /// the commit is refused instead.
    private static func raiseCommitGeneration(_ db: Database) throws {
        try db.cachedStatement(sql: SchemaV4.raiseSQL).execute()
        guard db.changesCount == 1 else {
            throw StoreError.invalidStoredValue(table: "commit_generation", rowID: 1, column: "value",
                                                problem: "the row is missing; nothing was written")
        }
    }

    /// The schema version of the Steward database at `path` as it is on disk, before any
    /// upgrade an open would make; nil when there is no file or it is empty. Throws, as
    /// ``open(at:mode:busyTimeout:)`` does, for a file that is not a Steward database.
    public static func storedSchemaVersion(at path: String) throws -> Int? {
        switch try StoreInspector.inspect(path: path) {
        case .steward(let version): version
        case .missing, .empty: nil
        }
    }

    /// The schema version recorded in the file.
    public func schemaVersion() throws -> Int {
        try database.read { db in try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0 }
    }
}
