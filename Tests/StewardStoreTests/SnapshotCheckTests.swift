import Foundation
import GRDB
import StewardCore
import Testing
@testable import StewardStore

/// A commit given a ``SnapshotCheck`` does not check the invariants again while nothing has
/// been committed since the snapshot; anything committed since, by Steward or by another
/// program, a different actor or a different change set, and it checks them all.
///
/// Each case commits the same change set, which overdraws `dream-2025` (¥20,000.00 in it, a
/// ¥25,000.00 grant), with a word that it was checked: a false word, so that whether the store
/// took it shows in what is written.
@Suite("A commit's check, spared when its snapshot still stands")
struct SnapshotCheckTests {
    enum Since: String, CaseIterable, CustomTestStringConvertible {
        case nothing, stewardCommit, otherProgramWrite, otherActor, otherChangeSet
        var testDescription: String { rawValue }
    }

    static let overdraw = 2_500_000 as Int64

    @Test("a check still standing is taken at its word; anything since voids it", arguments: Since.allCases)
    func checkStandsOnlyWhileNothingChanged(_ since: Since) throws {
        let fixture = try Fixture()
        let store = fixture.store
        let basis = try #require(try store.read(forCommit: true) { $0.commitBasis })
        var changeSet = ChangeSet([Fixture.grant("dream-2025", Self.overdraw, member: fixture.members[0], key: "over")])
        var actor = ActorScope.district
        var available = Money(fen: 2_000_000)
        switch since {
        case .nothing:
            break
        case .stewardCommit:
            try store.apply(ChangeSet([Fixture.grant("dream-2025", 100_000, member: fixture.members[1])]),
                            run: fixture.run(), actor: .district, at: Fixture.now)
            available = Money(fen: 1_900_000)
        case .otherProgramWrite:
            // A write Steward's commit generation does not count: only SQLite's data version shows it.
            let other = try DatabaseQueue(path: store.path)
            try other.write { db in try db.execute(sql: "UPDATE members SET phone = '13800000000' WHERE id = ?",
                                                   arguments: [fixture.members[2]]) }
            try other.close()
        case .otherActor:
            actor = .town(Fixture.jincheng)
        case .otherChangeSet:
            changeSet.append(Fixture.grant("dream-2025", 100, member: fixture.members[1]))
        }
        let check = SnapshotCheck(basis: basis, actor: .district, effectCount: 1, warnings: [])
        let before = try dump(store, "ledger")
        do {
            try store.apply(changeSet, run: fixture.run(), actor: actor, at: Fixture.now, checked: check)
            #expect(since == .nothing, "a check the data no longer stands behind was taken")
            #expect(try rows(store, "SELECT amount_fen, idempotency_key FROM ledger WHERE idempotency_key = 'over'")
                    == [["2500000", "over"]])
        } catch let refused as ChangeSetRefused {
            #expect(since != .nothing, "a check still standing was not taken")
            let reason: InvariantViolation.Reason = since == .otherActor
                ? .budgetClosedToTown(budget: "dream-2025", town: Fixture.jincheng)
                : .budgetOverdrawn(budget: "dream-2025", available: available, needed: Money(fen: Self.overdraw),
                                   entryKind: .disbursement)
            #expect(refused.violations.first == InvariantViolation(effectIndex: 0, reason: reason))
            #expect(try dump(store, "ledger") == before)
        }
    }

    @Test("a database in memory and a read not for a commit give no basis")
    func noBasisWithoutCommittingRead() throws {
        let fixture = try Fixture()
        #expect(try fixture.store.read { $0.commitBasis } == nil)
        let memory = try Store.inMemory()
        #expect(try memory.read(forCommit: true) { $0.commitBasis } == nil)
    }

    @Test("with the check taken, the scope is still checked against the records as they are")
    func scopeStillChecked() throws {
        let fixture = try Fixture()
        let store = fixture.store
        let basis = try #require(try store.read(forCommit: true) { $0.commitBasis })
        let rulin = fixture.members[2]
        let reminder = Effect.reminder(ReminderEffect(subjectKind: .member, subjectID: String(rulin), kind: "k",
                                                      dueDate: try CivilDate(parsing: "2025-07-01"), text: "t", dedupKey: "r"))
        let check = SnapshotCheck(basis: basis, actor: .town(Fixture.jincheng), effectCount: 1, warnings: [])
        let before = try dump(store, "reminders")
        #expect(throws: ChangeSetRefused(violations: [InvariantViolation(effectIndex: 0, reason: .outsideScope(
            record: "member \(rulin)", scope: "金城镇"))])) {
            try store.apply(ChangeSet([reminder]), run: fixture.run(), actor: .town(Fixture.jincheng), at: Fixture.now,
                            checked: check)
        }
        #expect(try dump(store, "reminders") == before)
    }
}
