import Foundation
import GRDB
import StewardCore
import Testing
@testable import StewardStore

@Suite("Ledger and audit are append-only")
struct AppendOnlyTests {
    @Test("UPDATE and DELETE on the ledger fail with the trigger's message and change nothing")
    func ledgerRefusesChanges() throws {
        let fixture = try Fixture()
        try fixture.store.apply(ChangeSet([Fixture.grant("dream-2025", 700_000, member: fixture.members[0])]),
                                run: fixture.run(), actor: .district, at: Fixture.now)
        let before = try dump(fixture.store, "ledger")
        #expect(before.count == 1)
        for sql in ["UPDATE ledger SET amount_fen = 1", "DELETE FROM ledger"] {
            do {
                try fixture.store.database.write { db in try db.execute(sql: sql) }
                Issue.record("\(sql) succeeded")
            } catch let error as DatabaseError {
                #expect(error.message == "ledger is append-only: add a correcting entry instead")
            }
        }
        #expect(try dump(fixture.store, "ledger") == before)
    }

    @Test("UPDATE and DELETE on the audit trail fail and change nothing")
    func auditRefusesChanges() throws {
        let fixture = try Fixture()
        let before = try dump(fixture.store, "audit")
        #expect(before.count == 1)  // the first admin's creation
        for sql in ["UPDATE audit SET actor = 'someone else'", "DELETE FROM audit WHERE id = 1"] {
            #expect(throws: DatabaseError.self) { try fixture.store.database.write { db in try db.execute(sql: sql) } }
        }
        #expect(try dump(fixture.store, "audit") == before)
    }

    @Test("a correction is a new, reversing entry and the balance follows")
    func correctionIsNewEntry() throws {
        let fixture = try Fixture()
        let first = try fixture.store.apply(ChangeSet([Fixture.grant("dream-2025", 700_000, member: fixture.members[0])]),
                                            run: fixture.run(), actor: .district, at: Fixture.now)
        let entryID = try #require(first.ledgerEntryIDs[0])
        try fixture.store.apply(ChangeSet([.ledger(LedgerEffect(
            budgetCode: "dream-2025", kind: .refund, amount: Money(fen: 700_000), memberID: fixture.members[0],
            memo: "paid to the wrong person", reversesEntryID: entryID))]),
            run: fixture.run(), actor: .district, at: Fixture.now)
        #expect(try rows(fixture.store, "SELECT id, kind, amount_fen, reverses_entry_id FROM ledger ORDER BY id")
            == [["1", "disbursement", "700000", "NULL"], ["2", "refund", "700000", "1"]])
        let balance = try fixture.store.read { try $0.budgetBalance(code: "dream-2025") }
        #expect(balance?.available == Money(fen: 2_000_000))
        #expect(balance?.disbursed == Money(fen: 700_000))
        #expect(balance?.refunded == Money(fen: 700_000))
    }
}
