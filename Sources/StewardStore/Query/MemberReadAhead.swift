import Foundation
import GRDB
import StewardCore

/// Which commit a connection's read transaction sees. Equal marks read on two connections mean
/// the same committed rows: no Steward transaction (``SchemaV4``), schema change or migration
/// came in between.
struct CommitMark: Equatable, Sendable {
    let generation: Int64
    /// `PRAGMA schema_version`: SQLite's own count of schema changes.
    let schemaCookie: Int64
    /// `PRAGMA user_version`: Steward's schema version (``SchemaVersion``).
    let schemaVersion: Int64

    /// The mark of `db`'s current read transaction.
    init(_ db: Database) throws {
        guard let generation = try Int64.fetchOne(db, sql: "SELECT value FROM commit_generation WHERE id = 1") else {
            throw StoreError.invalidStoredValue(table: "commit_generation", rowID: 1, column: "value", problem: "the row is missing")
        }
        self.generation = generation
        schemaCookie = try Int64.fetchOne(db, sql: "PRAGMA schema_version") ?? 0
        schemaVersion = try Int64.fetchOne(db, sql: "PRAGMA user_version") ?? 0
    }
}

/// Reads the rest of a long member query on a thread and a connection of its own, so that
/// SQLite's stepping and the decoding of each row run on the machine's second core while Lua
/// works on the rows already read. In a 26,707-member subsidy run they are 38 % of the work.
///
/// Correctness comes before the speed:
/// - **The same data.** Debian's SQLite has no `sqlite3_snapshot_open`, so the new connection
///   cannot be given the first one's snapshot. It opens its own read transaction and compares
///   its ``CommitMark`` with the first connection's. If a commit came in between, it says so
///   (``start(_:delivered:mark:)`` returns nil) and the cursor reads on where it was.
/// - **The same rows in the same order.** It runs the query again from the start and checks
///   that the rows the cursor already delivered come first, id by id; any difference is an
///   error, never a member skipped or read twice.
/// - **Nothing outlives the cursor.** ``stop()`` interrupts the read and waits for the thread,
///   which closes its connection (or gives the writer back) before it ends.
///
/// Rows travel in batches of ``batchSize``, at most ``maxBatches`` ahead of the reader, so the
/// thread takes a lock once per batch and holds at most a few thousand members.
///
/// Each row is handed over as an `Element` made on the thread by `wrap`: the member itself,
/// or the object a ``MemberObjectCursor`` makes of it (a script's member box, allocated and
/// filled here rather than on the script's thread). `Element` is `Member` or `AnyObject`
/// only, so both are specialised in this module.
final class MemberReadAhead<Element>: @unchecked Sendable {
    /// Members per batch handed over.
    static var batchSize: Int { 256 }
    /// Batches the thread may read ahead of the cursor.
    static var maxBatches: Int { 8 }

    private enum Verdict {
        case started, commitMoved, failed(any Error)
    }

    private let condition = NSCondition()
    // Guarded by `condition`.
    private var verdict: Verdict?
    private var batches: [HandOverBatch<Element>] = []
    private var end: Result<Void, any Error>?
    private var stopRequested = false
    private var exited = false
    /// Interrupts the thread's statement while it reads (``ReadAheadSource/read``).
    private var interrupt: (@Sendable () -> Void)?

    // The reader's side only (the cursor's thread): the batch being read, each member moved
    // out of it rather than copied (see ``HandOverBatch``). One thread, so no run-time
    // exclusivity check per member.
    @exclusivity(unchecked) private var current: HandOverBatch<Element>?
    /// Makes what is handed over from each member read, on the thread.
    private let wrap: @Sendable (consuming Member) -> Element

    private init(wrap: @escaping @Sendable (consuming Member) -> Element) {
        self.wrap = wrap
    }

    /// Starts reading `plan` after the `delivered` rows (their ids, in order) on a new thread,
    /// and waits until that thread has caught up with them. Returns nil when the new connection
    /// sees another commit than `mark`; throws what it could not open or read.
    static func start(_ plan: MemberReadAheadPlan, delivered: [Int64], mark: CommitMark,
                      wrap: @escaping @Sendable (consuming Member) -> Element) throws -> MemberReadAhead? {
        let readAhead = MemberReadAhead(wrap: wrap)
        let thread = Thread { readAhead.produce(plan, delivered: delivered, mark: mark) }
        thread.name = "steward-read-ahead"
        thread.start()
        switch readAhead.awaitVerdict() {
        case .started:
            return readAhead
        case .commitMoved:
            readAhead.awaitExit()
            return nil
        case .failed(let error):
            readAhead.awaitExit()
            throw error
        }
    }

    /// The next member, or nil at the end; throws the error the thread ended with, after
    /// every member it read before it.
    func next() throws -> Element? {
        if let member = current?.popFirst() { return member }
        condition.lock()
        defer { condition.unlock() }
        while batches.isEmpty && end == nil { condition.wait() }
        guard batches.isEmpty else {
            let batch = batches.removeFirst()
            current = batch
            condition.broadcast()
            return batch.popFirst()
        }
        if case .failure(let error) = end { throw error }
        return nil
    }

    /// Stops the thread and waits for it to end; safe to call more than once.
    func stop() {
        condition.lock()
        defer { condition.unlock() }
        stopRequested = true
        condition.broadcast()
        // A step that scans far for its next match would not see the flag: interrupt it, and
        // again while the thread is still between statements (an interrupt given then is lost).
        while !exited {
            interrupt?()
            _ = condition.wait(until: Date(timeIntervalSinceNow: 0.005))
        }
    }

    deinit {
        stop()
    }

    // MARK: - The thread

    private func produce(_ plan: MemberReadAheadPlan, delivered: [Int64], mark: CommitMark) {
        var result: Result<Void, any Error> = .success(())
        do {
            try plan.source.read(busyMode: plan.busyMode, label: "steward-read-ahead",
                                 interruptible: { interrupt in withLock { self.interrupt = interrupt } }) { db in
                guard try CommitMark(db) == mark else {
                    settle(.commitMoved)
                    return
                }
                let rows = try MemberRows(db, plan.compiled, tags: plan.tags)
                for id in delivered {
                    guard try rows.step() else { throw Self.orderError("ended before member \(id)", plan) }
                    guard rows.rowID == id else { throw Self.orderError("read member \(rows.rowID) where member \(id) came", plan) }
                }
                settle(.started)
                var batch = HandOverBatch<Element>(capacity: Self.batchSize)
                do {
                    while try rows.step() {
                        batch.append(wrap(try rows.member()))
                        if batch.isFull {
                            guard push(batch) else { return }
                            batch = HandOverBatch<Element>(capacity: Self.batchSize)
                        }
                    }
                } catch {
                    // The members before the failing row are delivered first, as on one connection.
                    if !batch.isEmpty { _ = push(batch) }
                    throw error
                }
                if !batch.isEmpty { _ = push(batch) }
            }
        } catch {
            result = .failure(error)
        }
        withLock {
            // The connection was closed (or the writer given back) on this thread, before the
            // reader hears the end.
            if verdict == nil, case .failure(let error) = result { verdict = .failed(error) }
            if end == nil { end = result }
            exited = true
            condition.broadcast()
        }
    }

    private static func orderError(_ what: String, _ plan: MemberReadAheadPlan) -> DatabaseError {
        DatabaseError(resultCode: .SQLITE_INTERNAL,
                      message: "the member query read again on a second connection \(what): its rows came in another order",
                      sql: plan.compiled.sql)
    }

    private func settle(_ value: Verdict) {
        withLock {
            verdict = value
            condition.broadcast()
        }
    }

    /// Hands a batch over; false when the reader has stopped.
    private func push(_ batch: HandOverBatch<Element>) -> Bool {
        withLock {
            while batches.count >= Self.maxBatches && !stopRequested { condition.wait() }
            guard !stopRequested else { return false }
            batches.append(batch)
            condition.broadcast()
            return true
        }
    }

    private func awaitVerdict() -> Verdict {
        withLock {
            while verdict == nil { condition.wait() }
            return verdict!
        }
    }

    private func awaitExit() {
        withLock {
            while !exited { condition.wait() }
        }
    }

    private func withLock<T>(_ body: () throws -> T) rethrows -> T {
        condition.lock()
        defer { condition.unlock() }
        return try body()
    }
}

/// What a ``MemberReadAhead`` thread reads: the cursor's compiled query, on a second
/// connection from `source`.
struct MemberReadAheadPlan: @unchecked Sendable {
    // Unchecked: `CompiledQuery` holds GRDB's `StatementArguments`, plain values that
    // GRDB does not mark Sendable. The plan is handed to the thread once and not shared.
    let source: ReadAheadSource
    let compiled: CompiledQuery
    let tags: Bool
    /// The first connection's: a checkpoint's moment of lock is waited for as it would be.
    let busyMode: Database.BusyMode
}
