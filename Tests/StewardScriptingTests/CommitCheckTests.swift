import StewardCore
import Testing
@testable import StewardScripting
@testable import StewardStore

/// A run checks each effect as the script proposes it; a committing run then gives the store
/// its word (``HostContext/commitCheck``), so that the commit need not check them all again.
@Suite("A committing run vouches for the effects it checked")
struct CommitCheckTests {
    static let period = try! Period(parsing: "2025")

    static func booking(_ key: String) -> Effect {
        .quotaBooking(QuotaBooking(programmeCode: "home-visit", period: period, idempotencyKey: key))
    }

    @Test("its word counts the effects kept, as its actor, with each warning at its effect's place")
    func contextVouches() throws {
        let demo = try DemoDatabase.copy()
        // A soft quota already full, and a booking an earlier run applied.
        try demo.store.addQuota(Quota(programmeCode: "home-visit", period: Self.period, limit: 1, hard: false))
        try demo.store.apply(ChangeSet([Self.booking("earlier")]), run: RunSubmission(
            userName: DemoDatabase.admin, scriptName: "earlier.lua", scriptSHA256: String(repeating: "a", count: 64),
            startedAt: .now, finishedAt: .now), actor: .district)
        try demo.store.read(forCommit: true) { snapshot in
            let context = HostContext(snapshot: snapshot, actor: Demo.districtAdmin, today: DemoDatabase.today)
            #expect(try context.propose(Self.booking("earlier")) == false)
            #expect(try context.propose(Self.booking("now")) == true)
            let check = try #require(context.commitCheck)
            #expect(check.basis == snapshot.commitBasis)
            #expect(check.actor == .district)
            #expect(check.effectCount == 1 && context.changeSet.effects.count == 1)
            // The checker met it second; it is the change set's first.
            #expect(check.warnings == [InvariantWarning(effectIndex: 0, reason: .softQuotaExceeded(
                quota: QuotaKey(programmeCode: "home-visit", period: Self.period), limit: 1, used: 1, requested: 1))])
        }
    }

    @Test("a dry run's read and a context moved to another snapshot give no word")
    func noWordWithoutOneCommittingSnapshot() throws {
        let demo = try DemoDatabase.copy()
        try demo.store.read { snapshot in
            let context = HostContext(snapshot: snapshot, actor: Demo.districtAdmin, today: DemoDatabase.today)
            #expect(context.commitCheck == nil)
        }
        try demo.store.read(forCommit: true) { snapshot in
            let context = HostContext(snapshot: snapshot, actor: Demo.districtAdmin, today: DemoDatabase.today)
            #expect(context.commitCheck != nil)
            context.snapshot = snapshot
            #expect(context.commitCheck == nil)
        }
    }

    @Test("a run whose snapshot still stands commits what it checked, and the database ends as a full check leaves it")
    func committedRunMatchesFullCheck() throws {
        let script = """
            local fund = budget "disability-subsidies-2025"
            for m in members{ disability_grade = 1 }:order_by("id"):each() do
              fund:grant(m, 12345, { programme = "disability-living-subsidy", period = "2025-06", kind = "test" })
            end
            """
        let vouched = try DemoDatabase.copy()
        let report = try vouched.lua(script, commit: true)
        #expect(report.status == .ok && report.committed)
        // The same change set, applied with no word: the store checks every effect itself.
        let checked = try DemoDatabase.copy()
        let dry = try checked.lua(script)
        #expect(dry.status == .ok && dry.effects == report.effects && !dry.effects.isEmpty)
        try checked.store.apply(ChangeSet(dry.effects), run: RunSubmission(
            userName: DemoDatabase.admin, scriptName: "inline.lua", scriptSHA256: String(repeating: "a", count: 64),
            startedAt: .now, finishedAt: .now), actor: .district)
        let query = "SELECT budget_id, kind, amount_fen, member_id, programme_id, period, benefit_kind FROM ledger ORDER BY id"
        #expect(try vouched.rows(query) == checked.rows(query))
    }
}
