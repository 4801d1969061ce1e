import Foundation
import GRDB
import StewardCore
import Testing
@testable import StewardStore

/// Ledger rows are written 64 to a multi-row INSERT with ids chosen by the applier
/// (``LedgerBatches``). What one INSERT per row gave must hold: ids in effect order after the
/// largest, other rows written in their place, and a refused row named, with nothing written.
@Suite("Ledger rows written in batches")
struct LedgerBatchTests {
    /// `count` grants of ¥1 from the relief budget to the fixture's members in turn, keyed.
    static func grants(_ fixture: Fixture, _ count: Int, member: (Int) -> MemberID? = { _ in nil }) -> [Effect] {
        (0..<count).map { index in
            Fixture.grant("relief-2025", 100, member: member(index) ?? fixture.members[index % fixture.members.count],
                          key: "batch|\(index)")
        }
    }

    @Test("ids follow the largest, in effect order, around a reminder and past two full batches")
    func idsInEffectOrder() throws {
        let fixture = try Fixture()
        // An earlier entry, so the ids do not start at 1.
        try fixture.store.apply(ChangeSet([Fixture.grant("relief-2025", 500, key: "earlier")]), run: fixture.run(),
                                actor: .district, at: Fixture.now)
        let largest = try #require(Int64(try rows(fixture.store, "SELECT MAX(id) FROM ledger")[0][0]))
        var effects = Self.grants(fixture, 2 * InsertBatches<QueuedLedgerRow>.batchSize + 5)
        let reminderAt = InsertBatches<QueuedLedgerRow>.batchSize + 3
        effects.insert(.reminder(ReminderEffect(subjectKind: .member, subjectID: String(fixture.members[0]), kind: "check",
                                                dueDate: try CivilDate(parsing: "2025-07-01"), text: "复查提醒",
                                                dedupKey: "batch-reminder")), at: reminderAt)
        let applied = try fixture.store.apply(ChangeSet(effects), run: fixture.run(), actor: .district, at: Fixture.now)

        let ledgerIndices = effects.indices.filter { $0 != reminderAt }
        #expect(applied.ledgerEntryIDs.count == ledgerIndices.count)
        #expect(ledgerIndices.map { applied.ledgerEntryIDs[$0] } == (1...Int64(ledgerIndices.count)).map { largest + $0 })
        let stored = try rows(fixture.store, "SELECT id, idempotency_key, member_id, amount_fen FROM ledger WHERE id > ? ORDER BY id",
                              [largest])
        #expect(stored == ledgerIndices.enumerated().map { position, index in
            guard case .ledger(let entry) = effects[index] else { return [] }
            return [String(largest + Int64(position) + 1), entry.idempotencyKey!, String(entry.memberID!), "100"]
        })
        #expect(try rows(fixture.store, "SELECT COUNT(*) FROM reminders WHERE dedup_key = 'batch-reminder'") == [["1"]])
        // SQLite's own next id follows on.
        try fixture.store.apply(ChangeSet([Fixture.grant("relief-2025", 100, key: "after")]), run: fixture.run(),
                                actor: .district, at: Fixture.now)
        #expect(try rows(fixture.store, "SELECT id FROM ledger WHERE idempotency_key = 'after'")
                == [[String(largest + Int64(ledgerIndices.count) + 1)]])
    }

    @Test("an unknown member inside a full batch is named, and nothing is written",
          arguments: [3, InsertBatches<QueuedLedgerRow>.batchSize + 10, 2 * InsertBatches<QueuedLedgerRow>.batchSize + 1])
    func refusedRowInsideABatch(_ at: Int) throws {
        let fixture = try Fixture()
        let tables = ["ledger", "runs", "audit", "commit_generation"]
        let before = try tables.map { try dump(fixture.store, $0) }
        let effects = Self.grants(fixture, 2 * InsertBatches<QueuedLedgerRow>.batchSize + 3) { $0 == at ? 99_999 : nil }
        #expect(throws: StoreError.notFound(kind: "member", key: "99999")) {
            try fixture.store.apply(ChangeSet(effects), run: fixture.run(), actor: .district, at: Fixture.now)
        }
        #expect(try tables.map { try dump(fixture.store, $0) } == before)
    }
}

/// Reminders are written 64 to a statement too, each row reading its member's town in the
/// INSERT (``BulkRows``): every reminder must get its subject's town, as when looked up one by one.
@Suite("Reminders written in batches")
struct ReminderBatchTests {
    @Test("each reminder's town is its subject's, across batches and subject kinds")
    func townsOfEverySubject() throws {
        let fixture = try Fixture()
        let extra = try fixture.store.addMembers((0..<150).map { index in
            Fixture.member("提醒\(index)", birth: "1950-01-01", sequence: 400 + index,
                           town: index % 2 == 0 ? Fixture.jincheng : Fixture.rulin)
        })
        let due = try CivilDate(parsing: "2025-07-01")
        func reminder(_ kind: EntityKind, _ id: String, _ n: Int) -> Effect {
            .reminder(ReminderEffect(subjectKind: kind, subjectID: id, kind: "check", dueDate: due, text: "提醒\(n)",
                                     dedupKey: "batch|\(n)"))
        }
        var effects = extra.enumerated().map { reminder(.member, String($1), $0) }
        effects.insert(reminder(.facility, "jt-shelter", 1_000), at: 70)
        effects.insert(reminder(.place, Fixture.rulin, 1_001), at: 10)
        effects.insert(reminder(.member, "99999", 1_002), at: 130)     // no such member: no town
        effects.insert(reminder(.member, "not-a-number", 1_003), at: 5)
        effects.insert(Fixture.grant("relief-2025", 100, key: "between"), at: 100)
        try fixture.store.apply(ChangeSet(effects), run: fixture.run(), actor: .district, at: Fixture.now)

        let stored = try rows(fixture.store, """
            SELECT r.dedup_key, COALESCE(p.code, '-') FROM reminders r LEFT JOIN places p ON p.id = r.place_id ORDER BY r.id
            """)
        let expected: [[String]] = effects.compactMap { effect in
            guard case .reminder(let r) = effect else { return nil }
            let town: String
            switch (r.subjectKind, r.subjectID) {
            case (.facility, _): town = Fixture.jincheng
            case (.place, let code): town = code
            case (.member, let id):
                if let index = extra.firstIndex(where: { String($0) == id }) {
                    town = index % 2 == 0 ? Fixture.jincheng : Fixture.rulin
                } else {
                    town = "-"
                }
            default: town = "-"
            }
            return [r.dedupKey, town]
        }
        #expect(stored == expected)
        #expect(try rows(fixture.store, "SELECT COUNT(*) FROM ledger WHERE idempotency_key = 'between'") == [["1"]])
    }
}
