import GRDB
import GRDBSQLite
import StewardCore

extension ChangeSetApplier {
    /// Writes one accepted effect, or queues it (a ledger row or a reminder: ``flushBulkRows()``
    /// writes the rest); returns the ledger row id for a ledger effect.
    ///
    /// Statements are cached per connection: a change set writes thousands of rows through a
    /// handful of statements, and compiling (and authorising) each every time was most of a
    /// large commit.
    mutating func write(_ effect: Effect, runID: Int64) throws -> Int64? {
        // An effect's key is written on its own row (ledger, quota_bookings, enrolments), whose
        // unique index refuses a second: a copy in `idempotency_keys` was a second B-tree insert
        // per row for nothing (see AppliedKeyLookup.family).
        // Ledger rows and reminders wait for their batch (ChangeSetApplier+Batches.swift); any
        // other row is written after the ones queued before it.
        switch effect {
        case .ledger, .reminder: break
        default: try flushBulkRows()
        }
        switch effect {
        case .ledger(let entry):
            return try queueLedger(entry, runID: runID)
        case .quotaBooking(let booking):
            try db.cachedStatement(sql: """
                INSERT INTO quota_bookings (programme_id, period, period_start, period_end, place_id, amount,
                                            member_id, run_id, idempotency_key, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: [
                    try ids.programme(booking.programmeCode, db), booking.period.description,
                    booking.period.firstDay.iso, booking.period.lastDay.iso,
                    try booking.placeCode.map { try ids.place($0, db) }, booking.count,
                    try booking.memberID.map { try ids.member($0, db) }, runID, booking.idempotencyKey, timestamp,
                ])
        case .setQuota(let setting):
            let placeID = try setting.placeCode.map { try ids.place($0, db) } ?? ids.district(db)
            try db.cachedStatement(sql: """
                INSERT INTO quotas (programme_id, period, period_start, period_end, place_id, quota_limit, hard)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (programme_id, period, place_id) DO UPDATE SET quota_limit = excluded.quota_limit,
                                                                         hard = excluded.hard
                """).execute(arguments: [
                    try ids.programme(setting.programmeCode, db), setting.period.description,
                    setting.period.firstDay.iso, setting.period.lastDay.iso, placeID, setting.limit, setting.hard,
                ])
        case .reminder(let reminder):
            try queueReminder(reminder, runID: runID)
        case .waitlist(let entry):
            try db.cachedStatement(sql: """
                INSERT INTO waitlist (programme_id, member_id, facility_id, reason, natural_key, status, run_id,
                                      created_at, status_at)
                VALUES (?, ?, ?, ?, ?, 'waiting', ?, ?, ?)
                """).execute(arguments: [
                    try ids.programme(entry.programmeCode, db), try ids.member(entry.memberID, db),
                    try entry.facilityCode.map { try ids.facility($0, db) }, entry.reason, entry.naturalKey,
                    runID, timestamp, timestamp,
                ])
        case .enrolment(let enrolment):
            let facilityID = try enrolment.facilityCode.map { try ids.facility($0, db) }
            try db.cachedStatement(sql: """
                INSERT INTO enrolments (programme_id, member_id, facility_id, starts_on, ends_on, run_id,
                                        idempotency_key, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: [
                    try ids.programme(enrolment.programmeCode, db), try ids.member(enrolment.memberID, db), facilityID,
                    enrolment.startDate.iso, enrolment.endDate?.iso, runID, enrolment.idempotencyKey, timestamp,
                ])
            if let facilityID {
                // The CHECK (occupancy <= capacity) backs up the invariant checker here.
                try db.cachedStatement(sql: "UPDATE facilities SET occupancy = occupancy + 1 WHERE id = ?").execute(arguments: [facilityID])
            }
        case .recordUpdate(let update):
            try writeUpdate(update)
        }
        return nil
    }

    private func writeUpdate(_ update: RecordUpdate) throws {
        let ref = update.field
        guard let field = UpdatableField.lookup(ref) else {
            throw StoreError.notFound(kind: "field scripts may change", key: ref.description)
        }
        guard let value = field.databaseValue(update.new) else {
            throw StoreError.notFound(kind: "value of the right type for \(ref)", key: update.new.description)
        }
        try db.cachedStatement(sql: "UPDATE \(field.table) SET \(field.column) = ? WHERE \(field.keyColumn) = ?").execute(arguments: [value, field.key(ref)])
        guard db.changesCount == 1 else { throw StoreError.notFound(kind: ref.entity.rawValue, key: ref.id) }
    }
}

/// The statements a change set runs once per row, prepared the first time each is needed and
/// kept for the rest of the change set: `Database.cachedStatement` found them by hashing
/// their SQL, once per row (3 % of a 26,707-grant commit).
struct PreparedStatements {
    var ledger: Statement?
    var ledgerBatch: Statement?
    var reminder: Statement?
    var reminderBatch: Statement?
}

extension ChangeSetApplier {
    /// The statement in `slot`, prepared from `sql` the first time (an insert, or the look-up
    /// a row of them needs).
    mutating func prepared(_ slot: WritableKeyPath<PreparedStatements, Statement?>, _ sql: String) throws -> Statement {
        if let statement = statements[keyPath: slot] { return statement }
        let statement = try db.makeStatement(sql: sql)
        statements[keyPath: slot] = statement
        return statement
    }
}

/// Codes to row ids, looked up once per change set.
struct IDCache {
    // One table per kind, keyed by the code itself: a key made of kind and code was a new
    // String, and the look-up's arguments an array, for every row of a change set (3 % of a
    // 26,707-grant commit) though all but the first find the id here.
    private var users = CodeIDs()
    private var programmes = CodeIDs()
    private var budgets = CodeIDs()
    private var places = CodeIDs()
    private var facilities = CodeIDs()
    private var districtID: Int64?

    /// One kind's ids by code, and the code asked last: a change set names one budget and one
    /// programme row after row, and comparing with the last code (equal Strings sharing their
    /// storage compare at once) saves hashing it into the table, 3 % of a 26,707-grant commit.
    private struct CodeIDs {
        var byCode: [String: Int64] = [:]
        var last: (code: String, id: Int64)?
    }

    private static func lookup(_ cache: inout CodeIDs, _ kind: String, _ key: String, _ sql: String,
                               _ db: Database) throws -> Int64 {
        if let last = cache.last, last.code == key { return last.id }
        if let id = cache.byCode[key] {
            cache.last = (key, id)
            return id
        }
        guard let id = try Int64.fetchOne(db.cachedStatement(sql: sql), arguments: [key]) else {
            throw StoreError.notFound(kind: kind, key: key)
        }
        cache.byCode[key] = id
        cache.last = (key, id)
        return id
    }

    mutating func user(_ name: String, _ db: Database) throws -> Int64 {
        try Self.lookup(&users, "user", name, "SELECT id FROM users WHERE name = ?", db)
    }
    mutating func programme(_ code: String, _ db: Database) throws -> Int64 {
        try Self.lookup(&programmes, "programme", code, "SELECT id FROM programmes WHERE code = ?", db)
    }
    mutating func budget(_ code: String, _ db: Database) throws -> Int64 {
        try Self.lookup(&budgets, "budget", code, "SELECT id FROM budgets WHERE code = ?", db)
    }
    mutating func place(_ code: String, _ db: Database) throws -> Int64 {
        try Self.lookup(&places, "place", code, "SELECT id FROM places WHERE code = ?", db)
    }
    mutating func facility(_ code: String, _ db: Database) throws -> Int64 {
        try Self.lookup(&facilities, "facility", code, "SELECT id FROM facilities WHERE code = ?", db)
    }
    /// The member's row id (its own id) once it is known to exist. Not cached: a change set
    /// names each of tens of thousands of members about once, so a cache only grew.
    func member(_ id: MemberID, _ db: Database) throws -> Int64 {
        guard try RawStatement.hasRow(db.cachedStatement(sql: "SELECT 1 FROM members WHERE id = ?"), id, db) else {
            throw StoreError.notFound(kind: "member", key: String(id))
        }
        return id
    }
    mutating func district(_ db: Database) throws -> Int64 {
        if let districtID { return districtID }
        guard let id = try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM places WHERE kind = 'district' ORDER BY id LIMIT 1")) else {
            throw StoreError.notFound(kind: "district", key: "")
        }
        districtID = id
        return id
    }
}
