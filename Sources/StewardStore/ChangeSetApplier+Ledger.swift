import GRDB
import GRDBSQLite
import StewardCore

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

/// The ledger rows of a change set, written ``batchSize`` to a statement.
///
/// One INSERT per grant paid SQLite's per-statement work each time: opening a cursor on the
/// table, its four indexes and five parent tables, and at the end a statement savepoint
/// released (`sqlite3VdbeHalt`, 5,200 instructions a row on its own). A multi-row INSERT pays
/// it once per batch. The rows' ids are chosen here (one more than the largest, in effect
/// order, as SQLite would choose them inside this `BEGIN IMMEDIATE` transaction), so each
/// effect still learns its row's id.
///
/// A batch that a constraint refuses is rolled back by SQLite as one statement; its rows are
/// then written one by one, so that the error names the row it is about, as before.
struct LedgerBatches {
    /// Rows per multi-row INSERT: 14 values each, 896 parameters, well inside SQLite's limit.
    static let batchSize = 64

    var queued: [QueuedLedgerRow] = []
    /// The id the next queued row gets; read from the table at the first row.
    var nextID: Int64?

    static let columns = """
        INSERT INTO ledger (id, budget_id, kind, amount_fen, member_id, place_id, facility_id, programme_id,
                            benefit_kind, period, reverses_entry_id, memo, run_id, idempotency_key, created_at)
        VALUES
        """
    static let rowValues = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
    static let singleSQL = columns + " " + rowValues
    static let batchSQL = columns + " " + Array(repeating: rowValues, count: batchSize).joined(separator: ", ")
}

extension ChangeSetApplier {
    /// Queues a ledger row and returns the id it will have; writes a batch when one is full.
    mutating func queueLedger(_ entry: LedgerEffect, runID: Int64) throws -> Int64 {
        // The ids first: their look-ups run statements of their own. A member is not looked up:
        // the ledger's foreign key checks it in the insert, and a look-up per grant read the
        // member's page twice (7 % of a 26,707-grant commit). Only when a key refuses the row
        // is the member looked up, to say so.
        let budgetID = try ids.budget(entry.budgetCode, db)
        let placeID = try entry.placeCode.map { try ids.place($0, db) }
        let facilityID = try entry.facilityCode.map { try ids.facility($0, db) }
        let programmeID = try entry.programmeCode.map { try ids.programme($0, db) }
        let id = try nextLedgerID()
        ledger.queued.append(QueuedLedgerRow(id: id, entry: entry, budgetID: budgetID, placeID: placeID,
                                             facilityID: facilityID, programmeID: programmeID, runID: runID))
        if ledger.queued.count == LedgerBatches.batchSize { try flushLedger() }
        return id
    }

    /// Writes every queued ledger row: whole batches in one statement, the rest one by one.
    mutating func flushLedger() throws {
        guard !ledger.queued.isEmpty else { return }
        let rows = ledger.queued
        ledger.queued.removeAll(keepingCapacity: true)
        if rows.count == LedgerBatches.batchSize {
            var insert = FastBinding(try prepared(\.ledgerBatch, LedgerBatches.batchSQL), texts: boundTexts)
            insert.reset()
            for row in rows { bind(row, &insert) }
            do {
                try insert.step(db)
                return
            } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
                // Rolled back as one statement: written again row by row below, to find the one.
            }
        }
        for row in rows { try writeSingle(row) }
    }

    private mutating func writeSingle(_ row: QueuedLedgerRow) throws {
        var insert = FastBinding(try prepared(\.ledger, LedgerBatches.singleSQL), texts: boundTexts)
        insert.reset()
        bind(row, &insert)
        do {
            try insert.step(db)
        } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
            if let member = row.entry.memberID { _ = try ids.member(member, db) }
            throw error
        }
    }

    private func bind(_ row: QueuedLedgerRow, _ insert: inout FastBinding) {
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

    /// One more than the largest ledger id, then counting up: SQLite's own choice for each row
    /// inserted in turn, as nothing else writes inside this transaction.
    private mutating func nextLedgerID() throws -> Int64 {
        let next: Int64
        if let known = ledger.nextID {
            next = known
        } else {
            next = (try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM ledger") ?? 0) &+ 1
        }
        // SQLite would pick unused ids at random past the largest; Steward never gets there.
        guard next > 0, next < Int64.max else {
            throw DatabaseError(resultCode: .SQLITE_FULL, message: "the ledger has used the largest row id; nothing was written")
        }
        ledger.nextID = next + 1
        return next
    }
}
