import Foundation
import GRDB
import StewardCore
import Testing
@testable import StewardStore

/// Schema 9 checks the ledger's and reminders' foreign keys when the transaction commits, and
/// their multi-row INSERTs say `OR FAIL` (``SchemaV9``, ``InsertBatches``), so that SQLite keeps
/// no statement journal for them. What the immediate keys gave must hold: a row with a missing
/// parent is never stored, the record is named, and nothing of the change set is written.
@Suite("Schema 9: foreign keys of bulk rows checked at the commit")
struct DeferredForeignKeyTests {
    static let deferred = "DEFERRABLE INITIALLY DEFERRED"

    @Test("a schema-8 file upgrades: every reference of the ledger and reminders is deferred, every row kept")
    func upgradeDefersTheKeys() throws {
        let directory = TemporaryDirectory()
        let (path, _) = try OlderSchemaFile.make(directory, upTo: "v8 run effect counts", sql: OlderSchemaFile.places
            + OlderSchemaFile.adminAndRelief + OlderSchemaFile.committedRun(1, effects: "[]") + """
            INSERT INTO ledger (id, budget_id, kind, amount_fen, place_id, memo, run_id, idempotency_key, created_at)
                VALUES (7, 1, 'disbursement', 500, 2, '救助', 1, 'k7', '2025-06-02T00:00:00.000Z');
            INSERT INTO reminders (id, dedup_key, kind, subject_kind, subject_id, place_id, due_on, text, run_id, created_at)
                VALUES (3, 'r3', 'check', 'place', 'jc', 2, '2025-07-01', '复查', 1, '2025-06-02T00:00:00.000Z');

            """)
        let before = try DatabaseQueue(path: path).read { db in
            (try SchemaUpgradeTests.rows(db, "ledger"), try SchemaUpgradeTests.rows(db, "reminders"))
        }
        let store = try Store.open(at: path, mode: .readWrite)
        #expect(try store.schemaVersion() == SchemaVersion.current)
        try store.database.read { db in
            for (table, parents) in SchemaV9.references {
                let create = try #require(try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE name = ?",
                                                               arguments: [table]))
                #expect(create.components(separatedBy: "REFERENCES ").count - 1 == parents.count)
                #expect(create.components(separatedBy: Self.deferred).count - 1 == parents.count)
                #expect(try Row.fetchAll(db, sql: "SELECT * FROM pragma_foreign_key_list(?)", arguments: [table]).count
                        == parents.count)
            }
            #expect(try SchemaUpgradeTests.rows(db, "ledger") == before.0)
            #expect(try SchemaUpgradeTests.rows(db, "reminders") == before.1)
            #expect(try Row.fetchAll(db, sql: "PRAGMA foreign_key_check").isEmpty)
            #expect(try String.fetchOne(db, sql: "PRAGMA integrity_check") == "ok")
        }

        // The key is still enforced, at the commit: the statement passes, the COMMIT fails,
        // and nothing is stored.
        try store.database.writeWithoutTransaction { db in
            try db.execute(sql: "BEGIN IMMEDIATE")
            try db.execute(sql: """
                INSERT INTO ledger (budget_id, kind, amount_fen, member_id, memo, created_at)
                VALUES (1, 'disbursement', 100, 99999, '', '2025-06-15T00:00:00.000Z')
                """)
            do {
                try db.execute(sql: "COMMIT")
                Issue.record("a ledger row for a member who does not exist was committed")
            } catch let error as DatabaseError {
                #expect(error.extendedResultCode == .SQLITE_CONSTRAINT_FOREIGNKEY)
            }
            if db.isInsideTransaction { try db.execute(sql: "ROLLBACK") }
        }
        #expect(try rows(store, "SELECT id FROM ledger") == [["7"]])
    }

    @Test("a table not as schema 1 made it is refused, not rewritten")
    func unexpectedTableIsRefused() throws {
        let create = "CREATE TABLE t (a INTEGER REFERENCES budgets(id), b INTEGER REFERENCES members(id))"
        #expect(try SchemaV9.deferring(create, table: "t", parents: ["budgets(id)", "members(id)"]) == """
            CREATE TABLE t (a INTEGER REFERENCES budgets(id) DEFERRABLE INITIALLY DEFERRED, \
            b INTEGER REFERENCES members(id) DEFERRABLE INITIALLY DEFERRED)
            """)
        #expect(throws: DatabaseError.self) {
            try SchemaV9.deferring(create, table: "t", parents: ["budgets(id)"])
        }
        let once = try SchemaV9.deferring(create, table: "t", parents: ["budgets(id)", "members(id)"])
        #expect(throws: DatabaseError.self) {
            try SchemaV9.deferring(once, table: "t", parents: ["budgets(id)", "members(id)"])
        }
    }

    @Test("a row refused inside a batch is the one after those written",
          arguments: [0, 40, InsertBatches<QueuedLedgerRow>.batchSize - 1, InsertBatches<QueuedLedgerRow>.batchSize + 3])
    func refusedRowIsNamed(_ at: Int) throws {
        let fixture = try Fixture()
        let run = try fixture.store.apply(ChangeSet([Fixture.grant("relief-2025", 100, key: "taken")]), run: fixture.run(),
                                          actor: .district, at: Fixture.now).runID
        let before = try dump(fixture.store, "ledger")
        // Row `at` reuses a key already stored, behind the checks' back. The refused row is
        // found by the rows written before it: given a member who does not exist as well, the
        // member is named; given one who does, SQLite's error for the key is thrown.
        for member in [MemberID(99_999), fixture.members[1]] {
            let count = InsertBatches<QueuedLedgerRow>.batchSize + 5
            do {
                try fixture.store.database.write { db in
                    var applier = ChangeSetApplier(db: db, now: Fixture.now)
                    for index in 0..<count {
                        let effect = Fixture.grant("relief-2025", 100, member: index == at ? member : fixture.members[0],
                                                   key: index == at ? "taken" : "batch|\(index)")
                        guard case .ledger(let entry) = effect else { return }
                        _ = try applier.queueLedger(entry, runID: run)
                    }
                    try applier.flushBulkRows()
                    Issue.record("a ledger key stored twice was written")
                }
            } catch let error as StoreError {
                #expect(member == 99_999)
                #expect(error == .notFound(kind: "member", key: "99999"))
            } catch let error as DatabaseError {
                #expect(member != 99_999)
                #expect(error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE)
            }
        }
        #expect(try dump(fixture.store, "ledger") == before)
    }

    @Test("a reversal of an entry that does not exist names it, and nothing is written")
    func reversalOfAMissingEntry() throws {
        let fixture = try Fixture()
        let before = try ["ledger", "runs", "audit"].map { try dump(fixture.store, $0) }
        let reversal = Effect.ledger(LedgerEffect(budgetCode: "relief-2025", kind: .refund, amount: Money(fen: 100),
                                                  memberID: fixture.members[0], reversesEntryID: 999))
        #expect(throws: StoreError.notFound(kind: "ledger entry", key: "999")) {
            try fixture.store.apply(ChangeSet([Fixture.grant("relief-2025", 100, key: "first"), reversal]),
                                    run: fixture.run(), actor: .district, at: Fixture.now)
        }
        #expect(try ["ledger", "runs", "audit"].map { try dump(fixture.store, $0) } == before)
    }

    @Test("approving a pending run whose member has since gone names the member, and leaves the run pending")
    func approvalOfARunWhoseMemberHasGone() throws {
        let people = try AccessControlTests.People()
        let store = people.store
        let id = try people.pending(by: "赵敏")
        let gone = people.fixture.members[0]
        // Removed behind Steward's back (Steward never deletes a member): another program,
        // with its own connection and no foreign keys.
        let other = try DatabaseQueue(path: store.path)
        try other.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA foreign_keys = OFF")
            try db.execute(sql: "DELETE FROM members WHERE id = ?", arguments: [gone])
        }
        try other.close()
        let before = try ["ledger", "runs", "audit"].map { try dump(store, $0) }
        #expect(throws: StoreError.notFound(kind: "member", key: String(gone))) {
            try store.approveRun(id, by: try people.user("张伟"))
        }
        #expect(try ["ledger", "runs", "audit"].map { try dump(store, $0) } == before)
        #expect(try rows(store, "SELECT status FROM runs WHERE id = ?", [id]) == [["pending_approval"]])
    }
}
