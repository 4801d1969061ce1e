import Foundation
import GRDB
import StewardCore
import Testing
@testable import StewardStore

@Suite("Applying change sets")
struct ChangeSetApplierTests {
    static let tables = ["ledger", "quota_bookings", "quotas", "reminders", "waitlist", "enrolments", "facilities",
                         "members", "runs", "idempotency_keys", "audit"]

    func snapshot(_ store: Store) throws -> [String: [String]] {
        var result: [String: [String]] = [:]
        for table in Self.tables { result[table] = try dump(store, table) }
        return result
    }

    @Test("every kind of effect is written, with a run record and an audit row")
    func appliesEveryKind() throws {
        let fixture = try Fixture()
        let (wang, li, chen) = (fixture.members[0], fixture.members[1], fixture.members[2])
        let year = try Period(parsing: "2025")
        let changes = ChangeSet([
            Fixture.grant("dream-2025", 500_000, member: wang, key: "dream|\(wang)|2025|tuition"),
            .quotaBooking(QuotaBooking(programmeCode: "free-health-check", period: year, placeCode: Fixture.jincheng,
                                       memberID: li, idempotencyKey: "fhc|\(li)|2025")),
            .setQuota(QuotaSetting(programmeCode: "free-health-check", period: year, placeCode: Fixture.rulin, limit: 1, hard: true)),
            .reminder(ReminderEffect(subjectKind: .member, subjectID: String(chen), kind: "certificate-expiry",
                                     dueDate: try CivilDate(parsing: "2025-07-01"), text: "证件即将到期", dedupKey: "cert|\(chen)|2025-07-01")),
            .waitlist(WaitlistEffect(memberID: chen, programmeCode: "dream-scholarship", reason: "fund exhausted")),
            .enrolment(EnrolmentEffect(memberID: li, programmeCode: "sheltered-care", facilityCode: "jt-shelter",
                                       startDate: try CivilDate(parsing: "2025-07-01"), idempotencyKey: "shelter|\(li)")),
            .recordUpdate(RecordUpdate(entity: .member, id: String(li), field: "home_visit_hours", old: .integer(0), new: .integer(12))),
        ])
        let result = try fixture.store.apply(changes, run: fixture.run(), actor: .district, at: Fixture.now)
        #expect(result.runID == 1)
        #expect(result.appliedIndices == [0, 1, 2, 3, 4, 5, 6])
        #expect(result.alreadyAppliedIndices.isEmpty)
        #expect(result.ledgerEntryIDs == [0: 1])

        let store = fixture.store
        #expect(try rows(store, "SELECT budget_id, kind, amount_fen, member_id, period, run_id, idempotency_key FROM ledger")
            == [["1", "disbursement", "500000", "1", "2025", "1", "dream|1|2025|tuition"]])
        #expect(try rows(store, "SELECT programme_id, period, period_start, period_end, place_id, amount, member_id FROM quota_bookings")
            == [["2", "2025", "2025-01-01", "2025-12-31", "18", "1", "2"]])
        #expect(try rows(store, "SELECT period, place_id, quota_limit, hard FROM quotas ORDER BY id")
            == [["2025", "1", "3", "1"], ["2025", "18", "2", "1"], ["2025", "23", "1", "1"]])
        #expect(try rows(store, "SELECT dedup_key, kind, subject_kind, subject_id, place_id, due_on, status FROM reminders")
            == [["cert|3|2025-07-01", "certificate-expiry", "member", "3", "23", "2025-07-01", "pending"]])
        #expect(try rows(store, "SELECT programme_id, member_id, reason, natural_key, status FROM waitlist")
            == [["1", "3", "fund exhausted", "3|dream-scholarship|", "waiting"]])
        #expect(try rows(store, "SELECT programme_id, member_id, facility_id, starts_on FROM enrolments")
            == [["3", "2", "1", "2025-07-01"]])
        #expect(try rows(store, "SELECT occupancy FROM facilities") == [["2"]])
        #expect(try rows(store, "SELECT home_visit_hours FROM members ORDER BY id") == [["0"], ["12"], ["0"]])
        // Each key on its own row, unique there; the old key table is no longer written.
        #expect(try rows(store, "SELECT idempotency_key FROM ledger WHERE idempotency_key IS NOT NULL") == [["dream|1|2025|tuition"]])
        #expect(try rows(store, "SELECT idempotency_key FROM quota_bookings") == [["fhc|2|2025"]])
        #expect(try rows(store, "SELECT idempotency_key FROM enrolments") == [["shelter|2"]])
        #expect(try rows(store, "SELECT count(*) FROM idempotency_keys") == [["0"]])
        #expect(try rows(store, "SELECT user_id, script_name, status, mode, duration_ms, committed_at FROM runs")
            == [["1", "test.lua", "committed", "commit", "250", "2025-06-15T00:00:00.000Z"]])
        // The effects' JSON is bound as bytes and stored as text, readable by SQLite's JSON
        // functions and exactly what EffectJSON wrote.
        #expect(try rows(store, "SELECT typeof(effects_json), json_array_length(effects_json) FROM runs") == [["text", "7"]])
        #expect(try rows(store, "SELECT action, actor, object_id, run_id, details_json FROM audit WHERE action = 'run.commit'")
            == [["run.commit", "admin", "1", "1",
                 #"{"already_applied":"0","applied":"7","budget:dream-2025":"-500000","script":"test.lua"}"#]])
        let stored = try #require(try store.read { try $0.run(id: 1) })
        #expect(try stored.effects() == changes)
    }

    @Test("re-applying the same keyed effects applies nothing and says so")
    func idempotentRerun() throws {
        let fixture = try Fixture()
        let wang = fixture.members[0]
        let changes = ChangeSet([
            Fixture.grant("dream-2025", 500_000, member: wang, key: "dream|\(wang)|2025|tuition"),
            .reminder(ReminderEffect(subjectKind: .member, subjectID: String(wang), kind: "k", dueDate: try CivilDate(parsing: "2025-07-01"),
                                     text: "t", dedupKey: "r1")),
        ])
        try fixture.store.apply(changes, run: fixture.run(), actor: .district, at: Fixture.now)
        let before = try snapshot(fixture.store)
        let again = try fixture.store.apply(changes, run: fixture.run(), actor: .district, at: Fixture.now)
        #expect(again.appliedIndices.isEmpty)
        #expect(again.alreadyAppliedIndices == [0, 1])
        let after = try snapshot(fixture.store)
        #expect(after["ledger"] == before["ledger"])
        #expect(after["reminders"] == before["reminders"])
        #expect(try rows(fixture.store, "SELECT COUNT(*), SUM(amount_fen) FROM ledger") == [["1", "500000"]])
        #expect(try rows(fixture.store, "SELECT id, status FROM runs ORDER BY id") == [["1", "committed"], ["2", "committed"]])
    }

    @Test("overspending a budget refuses the whole change set and writes nothing")
    func budgetNeverBelowZero() throws {
        let fixture = try Fixture()
        let before = try snapshot(fixture.store)
        let changes = ChangeSet([
            .reminder(ReminderEffect(subjectKind: .member, subjectID: "1", kind: "k", dueDate: try CivilDate(parsing: "2025-07-01"),
                                     text: "t", dedupKey: "r1")),
            Fixture.grant("dream-2025", 1_500_000, member: fixture.members[0]),
            Fixture.grant("dream-2025", 700_000, member: fixture.members[1]),
        ])
        do {
            try fixture.store.apply(changes, run: fixture.run(), actor: .district, at: Fixture.now)
            Issue.record("an overspend was applied")
        } catch let refused as ChangeSetRefused {
            #expect(refused.violations == [InvariantViolation(effectIndex: 2, reason: .budgetOverdrawn(
                budget: "dream-2025", available: Money(fen: 500_000), needed: Money(fen: 700_000), entryKind: .disbursement))])
            #expect(refused.description == "effect #3: budget 'dream-2025' has ¥5,000.00 left, this grant needs ¥7,000.00")
        }
        #expect(try snapshot(fixture.store) == before)
    }

    @Test("a hard quota is never exceeded, at town or district level")
    func hardQuota() throws {
        let fixture = try Fixture()
        let year = try Period(parsing: "2025")
        func booking(_ town: String, _ count: Int) -> Effect {
            .quotaBooking(QuotaBooking(programmeCode: "free-health-check", period: year, placeCode: town, count: count))
        }
        try fixture.store.apply(ChangeSet([booking(Fixture.jincheng, 2)]), run: fixture.run(), actor: .district, at: Fixture.now)
        let before = try snapshot(fixture.store)
        let town = QuotaKey(programmeCode: "free-health-check", period: year, placeCode: Fixture.jincheng)
        #expect(throws: ChangeSetRefused(violations: [InvariantViolation(effectIndex: 0, reason: .hardQuotaExceeded(
            quota: town, limit: 2, used: 2, requested: 1))])) {
            try fixture.store.apply(ChangeSet([booking(Fixture.jincheng, 1)]), run: fixture.run(), actor: .district, at: Fixture.now)
        }
        let district = QuotaKey(programmeCode: "free-health-check", period: year)
        #expect(throws: ChangeSetRefused(violations: [InvariantViolation(effectIndex: 0, reason: .hardQuotaExceeded(
            quota: district, limit: 3, used: 2, requested: 2))])) {
            try fixture.store.apply(ChangeSet([booking(Fixture.rulin, 2)]), run: fixture.run(), actor: .district, at: Fixture.now)
        }
        #expect(try snapshot(fixture.store) == before)
        let usage = try fixture.store.read { try $0.quotas(programmeCode: "free-health-check") }
        #expect(usage.map(\.used) == [2, 2])
        #expect(usage.map(\.remaining) == [1, 0])
    }

    @Test("a facility's capacity is never exceeded")
    func capacity() throws {
        let fixture = try Fixture()
        let start = try CivilDate(parsing: "2025-07-01")
        let before = try snapshot(fixture.store)
        let changes = ChangeSet(fixture.members.prefix(2).map {
            .enrolment(EnrolmentEffect(memberID: $0, programmeCode: "sheltered-care", facilityCode: "jt-shelter", startDate: start))
        })
        #expect(throws: ChangeSetRefused(violations: [InvariantViolation(effectIndex: 1, reason: .capacityExceeded(
            facility: "jt-shelter", capacity: 2, occupancy: 2, requested: 1))])) {
            try fixture.store.apply(changes, run: fixture.run(), actor: .district, at: Fixture.now)
        }
        #expect(try snapshot(fixture.store) == before)
    }

    @Test("a town user cannot draw on a district-only budget")
    func townScope() throws {
        let fixture = try Fixture()
        #expect(throws: ChangeSetRefused(violations: [InvariantViolation(effectIndex: 0, reason: .budgetClosedToTown(
            budget: "relief-2025", town: Fixture.jincheng))])) {
            try fixture.store.apply(ChangeSet([Fixture.grant("relief-2025", 100)]), run: fixture.run(),
                                    actor: .town(Fixture.jincheng), at: Fixture.now)
        }
    }

    @Test("fields scripts may not change are refused, and unknown records are named")
    func forbiddenUpdates() throws {
        let fixture = try Fixture()
        let before = try snapshot(fixture.store)
        #expect(throws: ChangeSetRefused(violations: [InvariantViolation(effectIndex: 0, reason: .invalidEffect(
            "member '1' field 'name' cannot be changed by a script"))])) {
            try fixture.store.apply(ChangeSet([.recordUpdate(RecordUpdate(entity: .member, id: "1", field: "name", old: nil,
                                                                          new: .text("x")))]),
                                    run: fixture.run(), actor: .district, at: Fixture.now)
        }
        #expect(throws: StoreError.notFound(kind: "member", key: "99")) {
            try fixture.store.apply(ChangeSet([Fixture.grant("dream-2025", 100, member: 99)]), run: fixture.run(),
                                    actor: .district, at: Fixture.now)
        }
        #expect(try snapshot(fixture.store) == before)
    }

    @Test("a stale record update is refused")
    func staleUpdate() throws {
        let fixture = try Fixture()
        let ref = FieldRef(entity: .facility, id: "jt-shelter", field: "occupancy")
        #expect(throws: ChangeSetRefused(violations: [InvariantViolation(effectIndex: 0, reason: .staleUpdate(
            field: ref, expected: .integer(0), actual: .integer(1)))])) {
            try fixture.store.apply(ChangeSet([.recordUpdate(RecordUpdate(entity: .facility, id: "jt-shelter",
                field: "occupancy", old: .integer(0), new: .integer(2)))]),
                run: fixture.run(), actor: .district, at: Fixture.now)
        }
    }

    @Test("dry runs and pending runs are recorded without effects; a pending run commits once")
    func recordedRuns() throws {
        let fixture = try Fixture()
        let changes = ChangeSet([Fixture.grant("dream-2025", 100, member: fixture.members[0])])
        let preview = try fixture.store.recordRun(fixture.run(), status: .previewed, effects: changes)
        let pending = try fixture.store.recordRun(fixture.run(), status: .pendingApproval, effects: changes)
        #expect(try rows(fixture.store, "SELECT COUNT(*) FROM ledger") == [["0"]])
        #expect(try rows(fixture.store, "SELECT id, status, mode, effects_count FROM runs ORDER BY id")
            == [["\(preview)", "previewed", "dry_run", "1"], ["\(pending)", "pending_approval", "commit", "1"]])
        let stored = try #require(try fixture.store.read { try $0.run(id: pending) })
        // Completing a pending run takes a checker other than its maker (the fixture's admin).
        try fixture.store.addUser(User(name: "checker", role: .approver, scopePlaceCode: "320482"), osAccount: nil, by: "admin")
        var checker = fixture.run()
        checker.userName = "checker"
        try fixture.store.apply(try stored.effects(), run: checker, actor: .district, at: Fixture.now, pendingRunID: pending)
        let statuses = try rows(fixture.store, "SELECT id, status FROM runs ORDER BY id")
        #expect(statuses == [["1", "previewed"], ["2", "committed"]])
        #expect(try rows(fixture.store, "SELECT run_id, amount_fen FROM ledger") == [["2", "100"]])
        #expect(throws: StoreError.notFound(kind: "run pending approval", key: "2")) {
            try fixture.store.apply(changes, run: fixture.run(), actor: .district, at: Fixture.now, pendingRunID: pending)
        }
        #expect(try rows(fixture.store, "SELECT COUNT(*) FROM ledger") == [["1"]])
    }
}
