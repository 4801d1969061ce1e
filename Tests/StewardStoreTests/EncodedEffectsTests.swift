import Foundation
import GRDB
import StewardCore
import Testing
@testable import StewardStore

/// A large commit's run record is encoded on a thread of its own while the transaction checks
/// (``EncodedEffects``): what it stores must be exactly the JSON of the change set, and a
/// refused commit must still write nothing.
@Suite("Run records encoded in the background")
struct EncodedEffectsTests {
    /// `count` distinct grants of ¥1 from the fixture's relief budget, with awkward memos.
    static func grants(_ count: Int) -> ChangeSet {
        // Every escape but NUL, which a memo may not hold.
        let awkward = String(EffectJSONTests.awkward.filter { $0 != "\u{0}" })
        return ChangeSet((0..<count).map { index in
            .ledger(LedgerEffect(budgetCode: "relief-2025", kind: .disbursement, amount: Money(fen: 100),
                                 memo: index % 7 == 0 ? awkward : "第\(index)笔",
                                 idempotencyKey: "bg|\(index)"))
        })
    }

    @Test("the stored JSON is the change set's, on either side of the threshold",
          arguments: [EncodedEffects.backgroundThreshold - 1, EncodedEffects.backgroundThreshold, 2_000])
    func storedExactly(_ count: Int) throws {
        let fixture = try Fixture()
        let changeSet = Self.grants(count)
        let applied = try fixture.store.apply(changeSet, run: fixture.run(), actor: .district, at: Fixture.now)
        #expect(applied.appliedIndices.count == count)
        let stored = try fixture.store.database.read { db in
            try Data.fetchOne(db, sql: "SELECT CAST(effects_json AS BLOB) FROM runs WHERE id = ?", arguments: [applied.runID])
        }
        #expect(stored == Data(try EffectJSON.encodeBytes(changeSet.effects)))
        #expect(try EffectJSONTests.encoderJSON(changeSet.effects).utf8.count == stored?.count)
    }

    @Test("a refused large commit writes nothing, whatever the encoding thread does")
    func refusedWritesNothing() throws {
        let fixture = try Fixture()
        // 3,001 grants of ¥1,000 against ¥3,000,000: the last one overdraws the budget.
        let changeSet = ChangeSet((0...3_000).map { index in
            .ledger(LedgerEffect(budgetCode: "relief-2025", kind: .disbursement, amount: Money(fen: 100_000),
                                 idempotencyKey: "over|\(index)"))
        })
        try fixture.store.setSetting("approval.threshold", "100000000")
        let before = try ["runs", "ledger", "audit"].map { try dump(fixture.store, $0) }
        #expect(throws: ChangeSetRefused.self) {
            try fixture.store.apply(changeSet, run: fixture.run(), actor: .district, at: Fixture.now)
        }
        #expect(try ["runs", "ledger", "audit"].map { try dump(fixture.store, $0) } == before)
    }
}
