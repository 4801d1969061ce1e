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

    /// Counts on either side of the background threshold, and of the size from which the JSON
    /// is deflated (``StoredEffects/deflateThreshold``): 10 grants are 1.6 KB of JSON, 511 are
    /// 81 KB.
    @Test("the stored JSON is the change set's, on either side of the thresholds",
          arguments: [10, EncodedEffects.backgroundThreshold - 1, EncodedEffects.backgroundThreshold, 2_000])
    func storedExactly(_ count: Int) throws {
        let fixture = try Fixture()
        let changeSet = Self.grants(count)
        let applied = try fixture.store.apply(changeSet, run: fixture.run(), actor: .district, at: Fixture.now)
        #expect(applied.appliedIndices.count == count)
        let json = try EffectJSON.encodeBytes(changeSet.effects)
        #expect(try EffectJSONTests.encoderJSON(changeSet.effects).utf8.count == json.count)
        let row = try #require(try fixture.store.database.read { db in
            try Row.fetchOne(db, sql: """
                SELECT typeof(effects_json) AS type, effects_inflated_size AS size, effects_count AS count FROM runs WHERE id = ?
                """, arguments: [applied.runID])
        })
        let deflated = json.count >= StoredEffects.deflateThreshold
        #expect(deflated == (count >= EncodedEffects.backgroundThreshold - 1))
        #expect(row["type"] == (deflated ? "blob" : "text"))
        #expect(row["size"] == (deflated ? json.count : nil))
        #expect(row["count"] == count)
        let read = try #require(try fixture.store.read { try $0.run(id: applied.runID) })
        #expect(Array(read.effectsJSON.utf8) == json)
        #expect(try read.effects() == changeSet)
        #expect(try fixture.store.read { try $0.runHistoryEntry(id: applied.runID) }?.effects() == changeSet.effects)
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

    /// The run record of a large commit is inserted before its ledger rows and given its
    /// effects after them (``RunWriter/fillEffects(_:_:_:)``): a row refused in between must
    /// not leave a record without its effects.
    @Test("a large commit refused during its inserts leaves no run record")
    func refusedDuringInsertsLeavesNoRecord() throws {
        let fixture = try Fixture()
        let count = EncodedEffects.backgroundThreshold + 100
        let effects = LedgerBatchTests.grants(fixture, count) { $0 == count - 5 ? 99_999 : nil }
        try fixture.store.setSetting("approval.threshold", "100000000")
        let tables = ["runs", "ledger", "audit", "commit_generation"]
        let before = try tables.map { try dump(fixture.store, $0) }
        #expect(throws: StoreError.notFound(kind: "member", key: "99999")) {
            try fixture.store.apply(ChangeSet(effects), run: fixture.run(), actor: .district, at: Fixture.now)
        }
        #expect(try tables.map { try dump(fixture.store, $0) } == before)
    }
}

/// Only the writer keeps its temporary files in memory (Store.open): the statement journals
/// of its multi-row INSERTs; a reader's large sort may still spill to disk.
@Suite("Temporary storage of the writer and the readers")
struct TemporaryStorageTests {
    @Test("the writer keeps temporary files in memory, readers use SQLite's default")
    func writerOnly() throws {
        let fixture = try Fixture()
        let writer = try fixture.store.database.writeWithoutTransaction { db in
            try Int.fetchOne(db, sql: "PRAGMA temp_store")
        }
        let reader = try fixture.store.database.read { db in try Int.fetchOne(db, sql: "PRAGMA temp_store") }
        #expect(writer == 2)  // MEMORY
        #expect(reader == 0)  // DEFAULT: a file, as Debian's SQLite is built
    }
}
