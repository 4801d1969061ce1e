import GRDB
import GRDBSQLite
import StewardCore

/// Rows of one table waiting to be inserted ``batchSize`` to a statement.
///
/// One INSERT per row paid SQLite's per-statement work each time: opening a cursor on the
/// table, each of its indexes and each parent table, and at the end a statement savepoint
/// released (`sqlite3VdbeHalt` alone was 5,200 instructions a ledger row). A multi-row INSERT
/// pays it once per batch: a 26,707-grant commit spent 17 % fewer instructions.
///
/// The INSERTs say `OR FAIL`: a row a constraint refuses stops the statement, and the rows
/// before it stay written. That lets SQLite keep no statement journal (a copy of each page the
/// statement changes, to undo it alone), which a commit never needs: any failure rolls the
/// whole transaction back. The refused row is the one after those written, and the error is
/// about it. The foreign keys of these tables are checked at the commit (``SchemaV9``).
struct InsertBatches<Row> {
    /// Rows per multi-row INSERT: 64 rows of 15 values is 960 parameters, well inside the
    /// 250,000 Debian's SQLite allows, and past the point where larger batches pay (measured
    /// at 16, 64 and 256).
    static var batchSize: Int { 64 }

    /// `INSERT INTO … (…) VALUES` and one row's `(?, …)`.
    let singleSQL: String
    let batchSQL: String
    var queued: [Row] = []

    init(insert: String, row: String) {
        singleSQL = insert + " " + row
        batchSQL = insert + " " + Array(repeating: row, count: Self.batchSize).joined(separator: ", ")
        queued.reserveCapacity(Self.batchSize)
    }
}

/// A ledger row resolved to ids, waiting for its batch (see ``ChangeSetApplier/queueLedger(_:runID:)``).
struct QueuedLedgerRow {
    let id: Int64
    let entry: LedgerEffect
    let budgetID: Int64
    let placeID: Int64?
    let facilityID: Int64?
    let programmeID: Int64?
    let runID: Int64
}

/// A reminder waiting for its batch; its town is looked up by the INSERT itself.
struct QueuedReminder {
    let reminder: ReminderEffect
    /// The town of a facility or place subject, looked up before; nil for a member.
    let placeID: Int64?
    /// A member subject's id, whose town the INSERT reads.
    let memberID: Int64?
    let runID: Int64
}

/// The batches of a change set's bulk rows, and the ledger ids handed out so far.
struct BulkRows {
    var ledger = InsertBatches<QueuedLedgerRow>(insert: """
        INSERT OR FAIL INTO ledger (id, budget_id, kind, amount_fen, member_id, place_id, facility_id, programme_id,
                            benefit_kind, period, reverses_entry_id, memo, run_id, idempotency_key, created_at)
        VALUES
        """, row: "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
    // The town of a member subject is read in the INSERT: a statement of its own per
    // reminder cost 4,700 instructions.
    var reminders = InsertBatches<QueuedReminder>(insert: """
        INSERT OR FAIL INTO reminders (dedup_key, kind, subject_kind, subject_id, place_id, due_on, text, status, run_id,
                               created_at)
        VALUES
        """, row: "(?, ?, ?, ?, COALESCE(?, (SELECT town_id FROM members WHERE id = ?)), ?, ?, 'pending', ?, ?)")
    /// The id the next ledger row gets; read from the table at the first row.
    var nextLedgerID: Int64?
    /// The ledger rows queued so far, summed for the running sums (``LedgerSums``).
    var ledgerSums = LedgerSums.Appended()
}

extension ChangeSetApplier {
    /// Queues a ledger row and returns the id it will have; writes a batch when one is full.
    ///
    /// The id is the one SQLite would give the row inserted in turn (one more than the
    /// largest, in effect order): nothing else writes inside this `BEGIN IMMEDIATE` transaction.
    mutating func queueLedger(_ entry: LedgerEffect, runID: Int64) throws -> Int64 {
        // The ids first: their look-ups run statements of their own. A member is not looked up:
        // the ledger's foreign key checks it at the commit, and a look-up per grant read the
        // member's page twice (7 % of a 26,707-grant commit). Only when the commit fails for
        // a missing parent, or a constraint refuses the row, is the member looked up, to say so.
        let budgetID = try ids.budget(entry.budgetCode, db)
        let placeID = try entry.placeCode.map { try ids.place($0, db) }
        let facilityID = try entry.facilityCode.map { try ids.facility($0, db) }
        let programmeID = try entry.programmeCode.map { try ids.programme($0, db) }
        let id = try nextLedgerID()
        bulk.ledgerSums.add(id: id, budgetID: budgetID, kind: entry.kind, fen: entry.amount.fen)
        bulk.ledger.queued.append(QueuedLedgerRow(id: id, entry: entry, budgetID: budgetID, placeID: placeID,
                                                  facilityID: facilityID, programmeID: programmeID, runID: runID))
        if bulk.ledger.queued.count == InsertBatches<QueuedLedgerRow>.batchSize { try flushLedger() }
        return id
    }

    /// Queues a reminder; writes a batch when one is full.
    mutating func queueReminder(_ reminder: ReminderEffect, runID: Int64) throws {
        var placeID: Int64?
        var memberID: Int64?
        switch reminder.subjectKind {
        case .member:
            // An id that is no number has no town, as a member that does not exist.
            memberID = Int64(reminder.subjectID)
        case .facility:
            placeID = try Int64.fetchOne(db.cachedStatement(sql: "SELECT town_id FROM facilities WHERE code = ?"),
                                         arguments: [reminder.subjectID])
        case .place:
            placeID = try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM places WHERE code = ?"),
                                         arguments: [reminder.subjectID])
        default:
            break
        }
        bulk.reminders.queued.append(QueuedReminder(reminder: reminder, placeID: placeID, memberID: memberID, runID: runID))
        if bulk.reminders.queued.count == InsertBatches<QueuedReminder>.batchSize { try flushReminders() }
    }

    /// Writes every queued row: whole batches in one statement, the rest one by one.
    mutating func flushBulkRows() throws {
        try flushLedger()
        try flushReminders()
    }

    private mutating func flushLedger() throws {
        let timestamp = timestamp
        guard let (row, error) = try flush(\.ledger, single: \.ledger, batch: \.ledgerBatch,
                                           bind: { Self.bindLedger($0, timestamp, &$1) }) else { return }
        if let member = row.entry.memberID { _ = try ids.member(member, db) }
        throw error
    }

    private mutating func flushReminders() throws {
        let timestamp = timestamp
        if let (_, error) = try flush(\.reminders, single: \.reminder, batch: \.reminderBatch,
                                      bind: { Self.bindReminder($0, timestamp, &$1) }) {
            throw error
        }
    }

    /// Writes the rows queued in `rows`. Returns the row a constraint refused, with SQLite's
    /// error, for the caller to say more if it can; nil when every row was written.
    private mutating func flush<Row>(
        _ rows: WritableKeyPath<BulkRows, InsertBatches<Row>>,
        single: WritableKeyPath<PreparedStatements, Statement?>, batch: WritableKeyPath<PreparedStatements, Statement?>,
        bind: (Row, inout FastBinding) -> Void
    ) throws -> (Row, DatabaseError)? {
        let queued = bulk[keyPath: rows].queued
        guard !queued.isEmpty else { return nil }
        bulk[keyPath: rows].queued.removeAll(keepingCapacity: true)
        // A full batch in one statement, fewer rows one by one.
        let full = queued.count == InsertBatches<Row>.batchSize
        let perStatement = full ? queued.count : 1
        let sql = full ? bulk[keyPath: rows].batchSQL : bulk[keyPath: rows].singleSQL
        var insert = FastBinding(try prepared(full ? batch : single, sql), texts: boundTexts)
        for start in stride(from: 0, to: queued.count, by: perStatement) {
            let statementRows = queued[start..<start + perStatement]
            insert.reset()
            for row in statementRows { bind(row, &insert) }
            do {
                try insert.step(db)
            } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
                // OR FAIL: the rows before the refused one were written, and counted.
                let refused = start + db.changesCount
                guard statementRows.indices.contains(refused) else { throw error }
                return (queued[refused], error)
            }
        }
        return nil
    }

    private static func bindLedger(_ row: QueuedLedgerRow, _ timestamp: String, _ insert: inout FastBinding) {
        let entry = row.entry
        insert.bind(row.id)
        insert.bind(row.budgetID)
        insert.bind(entry.kind.rawValue)
        insert.bind(entry.amount.fen)
        insert.bind(entry.memberID)
        insert.bind(row.placeID)
        insert.bind(row.facilityID)
        insert.bind(row.programmeID)
        insert.bind(entry.benefitKind)
        insert.bind(entry.period?.description)
        insert.bind(entry.reversesEntryID)
        insert.bind(entry.memo)
        insert.bind(row.runID)
        insert.bind(entry.idempotencyKey)
        insert.bind(timestamp)
    }

    private static func bindReminder(_ row: QueuedReminder, _ timestamp: String, _ insert: inout FastBinding) {
        let reminder = row.reminder
        insert.bind(reminder.dedupKey)
        insert.bind(reminder.kind)
        insert.bind(reminder.subjectKind.rawValue)
        insert.bind(reminder.subjectID)
        insert.bind(row.placeID)
        insert.bind(row.memberID)
        insert.bind(reminder.dueDate.iso)
        insert.bind(reminder.text)
        insert.bind(row.runID)
        insert.bind(timestamp)
    }

    /// One more than the largest ledger id, then counting up.
    private mutating func nextLedgerID() throws -> Int64 {
        let next = try bulk.nextLedgerID ?? (try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM ledger") ?? 0) &+ 1
        // SQLite would pick unused ids at random past the largest; Steward never gets there.
        guard next > 0, next < Int64.max else {
            throw DatabaseError(resultCode: .SQLITE_FULL, message: "the ledger has used the largest row id; nothing was written")
        }
        bulk.nextLedgerID = next + 1
        return next
    }
}
