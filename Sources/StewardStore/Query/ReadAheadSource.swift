import GRDB
import GRDBSQLite

/// Where a member query's read-ahead (``MemberReadAhead``) reads: a connection of its own to
/// the file, or the store's writer, lent for a read that a commit will follow.
///
/// **Why lend the writer.** A commit's foreign-key checks look up every member it pays
/// (`ledger.member_id REFERENCES members`): one B-tree seek each, on the writer's connection.
/// On a connection of its own, the read-ahead had just read those same pages, and they went
/// with it; the writer then read them from the file again. June's subsidy commit over
/// 1,000,000 members made 40,254 `pread` calls, Python's 21,987.
///
/// **Why a memory map.** Lent, the writer reads through a map of the file (`mmap_size`), kept
/// for the commit: the pages the read-ahead touched are still mapped when the commit looks the
/// members up, and no page is copied. A large page cache instead (128 MiB) read no page twice
/// either (20,269 `pread` calls), but made the commit slower: SQLite copies every page into
/// memory of its own, and the kernel's zeroing of 80 MB of new pages cost more system time
/// (112 → 183 ms) than the reads saved. The map shares the pages the kernel already holds.
///
/// **What a map changes.** A disk error while reading a mapped page is a SIGBUS, not an error
/// SQLite can return. `steward run` turns it into a message and exit code 2; a commit is one
/// transaction, so it is then wholly written or absent, as after any crash.
///
/// The loan reads only: the writer is `query_only` for its length, with its temporary files
/// as a reader's (on disk, not memory), and both are set back before it is given back.
enum ReadAheadSource: @unchecked Sendable {
    // Unchecked: GRDB does not mark `DatabasePool` Sendable, though it is made to be used
    // from several threads; the source is handed to the read-ahead's thread once.

    /// A new read-only connection to the file at this path.
    case file(String)
    /// The writer of the store at `path`, whose next write is a commit of what is read.
    case writer(DatabasePool, path: String)

    /// The file read.
    var path: String {
        switch self {
        case .file(let path), .writer(_, let path): path
        }
    }

    /// How much of the file the writer maps while lent and after (1 GiB; a larger file is
    /// mapped in part, and read as before past it).
    static let writerMapBytes = 1 << 30

    /// Runs `body` in one read transaction on this source's connection. `interruptible` is
    /// given a way to interrupt `body` from another thread when it starts, and nil when
    /// nothing of this read can be interrupted any more: the caller holds its own lock around
    /// both, so an interrupt never reaches the writer after the loan.
    func read(busyMode: Database.BusyMode, label: String,
              interruptible: (_ interrupt: (@Sendable () -> Void)?) -> Void,
              _ body: (Database) throws -> Void) throws {
        switch self {
        case .file(let path):
            var configuration = Configuration()
            configuration.readonly = true
            configuration.label = label
            configuration.busyMode = busyMode
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            interruptible { queue.interrupt() }
            defer { interruptible(nil) }
            try queue.read { db in try body(db) }
        case .writer(let pool, _):
            try pool.writeWithoutTransaction { db in
                var failure: (any Error)?
                do {
                    try db.execute(sql: """
                        PRAGMA query_only = ON;
                        PRAGMA temp_store = DEFAULT;
                        PRAGMA mmap_size = \(Self.writerMapBytes)
                        """)
                    let handle = SQLiteHandle(db.sqliteConnection)
                    interruptible { sqlite3_interrupt(handle.connection) }
                    try db.inTransaction(.deferred) {
                        try body(db)
                        return .commit
                    }
                } catch {
                    failure = error
                }
                interruptible(nil)
                // Writable again, with the writer's temp_store, whatever happened above and
                // before anything else can use it; the map stays, for the commit. If this
                // fails it is thrown, and the writer then refuses to write rather than write
                // with a reader's settings.
                try db.execute(sql: "PRAGMA query_only = OFF; PRAGMA temp_store = \(Store.writerTempStore)")
                if let failure { throw failure }
            }
        }
    }
}

/// A connection handle that may be used from another thread for `sqlite3_interrupt`, the
/// one call SQLite allows on a connection in use elsewhere.
private struct SQLiteHandle: @unchecked Sendable {
    let connection: OpaquePointer?
    init(_ connection: OpaquePointer?) { self.connection = connection }
}
