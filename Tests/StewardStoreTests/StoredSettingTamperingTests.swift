import Foundation
import GRDB
import StewardCore
import Testing
@testable import StewardStore

/// The last readers that turned a damaged stored value into a plausible one: the approval
/// threshold (read as the default ¥100,000), a schedule's time zone (read as Asia/Shanghai),
/// a dead runner's slot whose script has no version (no run record, and nothing said), and a
/// rejected run with no rejecter ("rejected by ?"). Each test tampers with SQL, pins the exact
/// error or text, and compares the tables before and after.
@Suite("Stored settings and decisions that do not decode")
struct StoredSettingTamperingTests {
    /// What every damaged `approval.threshold` reads as, for `value` as the error shows it.
    static func thresholdError(_ value: String) -> String {
        "settings row 'approval.threshold', column value: '\(value)' is not an amount in fen as Steward writes one "
            + "(a whole number, 0 or more: 10000000 is ¥100,000.00). Steward does not store such a value, so the database "
            + "was changed by other means: set it again with `steward settings set approval.threshold AMOUNT` "
            + "(in yuan, e.g. 100000); until then no run can commit"
    }

    /// Runs `sql` outside Steward: foreign keys and CHECK constraints off, as a hand-edited
    /// file has them.
    static func tamper(_ store: Store, _ sql: String, _ arguments: StatementArguments = []) throws {
        try store.database.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA foreign_keys = OFF; PRAGMA ignore_check_constraints = ON")
            try db.execute(sql: sql, arguments: arguments)
            try db.execute(sql: "PRAGMA foreign_keys = ON; PRAGMA ignore_check_constraints = OFF")
        }
    }

    static func tables(_ store: Store) throws -> [String] {
        try ["runs", "ledger", "audit", "settings", "reminders", "schedule_slots", "schedules"].flatMap { try dump(store, $0) }
    }

    /// Expects `body` to throw a ``StoreError`` whose description is exactly `text`.
    static func expectStoreError(_ text: String, sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void) {
        do {
            try body()
            Issue.record("it did not throw", sourceLocation: sourceLocation)
        } catch let error as StoreError {
            #expect(error.description == text, sourceLocation: sourceLocation)
        } catch {
            Issue.record("\(error) is not a StoreError", sourceLocation: sourceLocation)
        }
    }

    // MARK: approval.threshold

    @Test("no approval.threshold row is the default ¥100,000; one Steward wrote is read back")
    func thresholdMissingOrValid() throws {
        let people = try AccessControlTests.People()
        let store = people.store
        #expect(try rows(store, "SELECT * FROM settings WHERE key = 'approval.threshold'") == [])
        #expect(try store.read { try $0.approvalPolicy() } == ApprovalPolicy(threshold: Money(fen: 10_000_000)))
        try store.setApprovalThreshold(Money(fen: 0), by: people.admin, at: Fixture.now)
        #expect(try rows(store, "SELECT value FROM settings WHERE key = 'approval.threshold'") == [["0"]])
        #expect(try store.read { try $0.approvalPolicy() } == ApprovalPolicy(threshold: Money(fen: 0)))
    }

    /// Before: each of these read as the default ¥100,000 — an admin's lower threshold gone,
    /// and ¥100,000 of public money committed by one person.
    @Test("an approval.threshold Steward cannot have written throws naming it, and a commit writes nothing", arguments: [
        ("'lots'", "lots"), ("'-500'", "-500"), ("'+500'", "+500"), ("'0500'", "0500"), ("' 500'", " 500"),
        ("''", ""), ("'5000.5'", "5000.5"), ("'99999999999999999999'", "99999999999999999999"),
        ("x'00ff'", "a blob of 2 bytes"),
    ])
    func thresholdDamaged(stored: String, shown: String) throws {
        let people = try AccessControlTests.People()
        let store = people.store
        try store.setApprovalThreshold(Money(fen: 500_000), by: people.admin, at: Fixture.now)
        try Self.tamper(store, "UPDATE settings SET value = \(stored) WHERE key = 'approval.threshold'")
        Self.expectStoreError(Self.thresholdError(shown)) { _ = try store.read { try $0.approvalPolicy() } }
        let before = try Self.tables(store)
        // ¥10: far below any threshold, so it would have been committed by one person.
        Self.expectStoreError(Self.thresholdError(shown)) {
            _ = try store.apply(people.relief(10), run: people.run(by: "赵敏"), actor: .district, at: Fixture.now)
        }
        #expect(try Self.tables(store) == before)
    }

    /// Setting the threshold is the fix the error names, so it must not refuse over the value
    /// it replaces; the audit keeps that value, marked.
    @Test("setting the threshold over a damaged one works, and the audit records what it replaced")
    func thresholdRepaired() throws {
        let people = try AccessControlTests.People()
        let store = people.store
        try store.setApprovalThreshold(Money(fen: 500_000), by: people.admin, at: Fixture.now)
        try Self.tamper(store, "UPDATE settings SET value = 'lots' WHERE key = 'approval.threshold'")
        try store.setApprovalThreshold(Money(fen: 2_000_000), by: people.admin, at: Fixture.now)
        #expect(try store.read { try $0.approvalPolicy() } == ApprovalPolicy(threshold: Money(fen: 2_000_000)))
        #expect(try rows(store, "SELECT details_json FROM audit WHERE action = 'setting.set' ORDER BY id") == [
            [#"{"from":"10000000","key":"approval.threshold","to":"500000"}"#],
            [#"{"from":"lots","from_invalid":"true","key":"approval.threshold","to":"2000000"}"#],
        ])
        _ = try store.apply(people.relief(10), run: people.run(by: "赵敏"), actor: .district, at: Fixture.now)
    }

    // MARK: schedules.time_zone

    /// Before: a zone that names none was read as Asia/Shanghai when the schedule paused, and
    /// passed to the runner as it was.
    @Test("a schedule's time zone that names no zone throws where it is read and when the schedule pauses")
    func scheduleTimeZone() throws {
        let (fixture, slotID) = try StoredInstantTamperingTests.runningSlot()
        defer { withExtendedLifetime(fixture) {} }
        let store = fixture.store
        let id = try StoredValueTamperingTests.id(fixture, "SELECT id FROM schedules WHERE name = 'monthly'")
        try Self.tamper(store, "UPDATE schedules SET time_zone = 'Mars/Olympus' WHERE id = ?", [id])
        let problem = "'Mars/Olympus' names no time zone (as Asia/Shanghai or UTC do)"
        StoredValueTamperingTests.expectInvalid("schedules", id, "time_zone", problem) {
            _ = try store.read { try $0.schedule(named: "monthly") }
        }
        StoredValueTamperingTests.expectInvalid("schedules", id, "time_zone", problem) { _ = try store.runnerSchedules() }
        let before = try Self.tables(store)
        StoredValueTamperingTests.expectInvalid("schedules", id, "time_zone", problem) {
            try store.finishScheduleSlot(slotID, .paused(reason: "no data", consecutiveFailures: 3), at: Fixture.now)
        }
        #expect(try Self.tables(store) == before)
    }

    /// The reminder is due on the date in the schedule's zone: 2025-06-15T00:00Z is still the
    /// 14th in New York (and the 15th in Shanghai).
    @Test("a paused schedule's reminder is due on today's date in the schedule's own zone")
    func pauseReminderDate() throws {
        let (fixture, slotID) = try StoredInstantTamperingTests.runningSlot()
        defer { withExtendedLifetime(fixture) {} }
        let store = fixture.store
        try store.setSchedule(script: "monthly", ScheduleSettings(cron: "0 8 1 * *", timeZoneIdentifier: "America/New_York",
                                                                  parameters: ["month": "2025-06"]),
                              by: "admin", at: Fixture.now)
        try store.finishScheduleSlot(slotID, .paused(reason: "no data", consecutiveFailures: 3), at: Fixture.now)
        #expect(try rows(store, "SELECT kind, due_on FROM reminders WHERE kind = 'schedule_paused'")
            == [["schedule_paused", "2025-06-14"]])
    }

    /// Before: the pause was written and the reminder left out without a word, so nobody was
    /// told that the schedule had stopped.
    @Test("a paused schedule whose script has no version leaves a district-wide reminder about the schedule")
    func pauseReminderWithoutVersion() throws {
        let (fixture, slotID) = try StoredInstantTamperingTests.runningSlot()
        defer { withExtendedLifetime(fixture) {} }
        let store = fixture.store
        try Self.tamper(store, "DELETE FROM script_versions WHERE script_id = (SELECT id FROM scripts WHERE name = 'monthly')")
        try store.finishScheduleSlot(slotID, .paused(reason: "no data\nat line 3", consecutiveFailures: 3), at: Fixture.now)
        #expect(try rows(store, """
            SELECT kind, subject_kind, subject_id, COALESCE(place_id, 'district'), due_on, text FROM reminders
            WHERE kind = 'schedule_paused'
            """) == [[
            "schedule_paused", "schedule", "monthly", "district", "2025-06-15",
            "schedule 'monthly' was paused after 3 failed runs in a row (last: no data). Its script 'monthly' has no "
                + "stored version, so no author to tell (Steward deletes none, so the database was changed by other "
                + "means): restore its versions from a backup, then: steward schedule resume monthly",
        ]])
        #expect(try rows(store, "SELECT enabled, consecutive_failures FROM schedules WHERE name = 'monthly'") == [["0", "3"]])
    }

    // MARK: abandoned slots

    /// Before: the slot was abandoned with no run record and nothing said, as though its run
    /// had been recorded like any other.
    @Test("a dead runner's slot whose script has no version is abandoned, and its reason says no run was recorded")
    func abandonedWithoutVersion() throws {
        let (fixture, slotID) = try StoredInstantTamperingTests.runningSlot()
        defer { withExtendedLifetime(fixture) {} }
        let store = fixture.store
        try Self.tamper(store, "DELETE FROM script_versions WHERE script_id = (SELECT id FROM scripts WHERE name = 'monthly')")
        let runs = try dump(store, "runs")
        let recovered = try StoredInstantTamperingTests.recover(fixture, at: Fixture.now.addingTimeInterval(3600))
        #expect(recovered == [RecoveredSlot(scheduleName: "monthly", slotAt: Date(timeIntervalSince1970: 1_751_356_800),
                                            runnerID: "b")])
        #expect(try rows(store, "SELECT status, reason, finished_at FROM schedule_slots WHERE id = ?", [slotID]) == [[
            "abandoned",
            "runner b (pid 7 on h) stopped before the run finished; nothing was written; no run was recorded: "
                + "script 'monthly' of schedule 'monthly' has no stored version (Steward deletes none, so the database "
                + "was changed by other means: restore its versions from a backup)",
            "2025-06-15T00:00:00.000Z",
        ]])
        #expect(try dump(store, "runs") == runs)
    }

    // MARK: rejected runs

    @Test("a rejected run's rejecter, time or reason that Steward cannot have written throws, not 'rejected by ?'", arguments: [
        ("decided_by = NULL", "decided_by", "NULL for a rejected run, which always records who rejected it"),
        ("decided_by = 999", "decided_by", "no user has id 999"),
        ("decided_by = 'someone'", "decided_by", "'someone' is not a user id"),
        ("decided_at = NULL", "decided_at", "NULL where a value is required"),
        ("decision_reason = NULL", "decision_reason", "NULL where a value is required"),
        ("decision_reason = ' '", "decision_reason", "empty for a rejected run, which always records why"),
    ])
    func rejectedRun(set: String, column: String, problem: String) throws {
        let people = try AccessControlTests.People()
        let store = people.store
        let id = try people.pending(by: "赵敏")
        try store.rejectRun(id, by: try people.user("张伟"), reason: "重复申请", at: Fixture.now)
        try Self.tamper(store, "UPDATE runs SET \(set) WHERE id = ?", [id])
        let before = try Self.tables(store)
        StoredValueTamperingTests.expectInvalid("runs", id, column, problem) {
            _ = try store.approveRun(id, by: try people.user("孙审"), at: Fixture.now)
        }
        StoredValueTamperingTests.expectInvalid("runs", id, column, problem) {
            try store.rejectRun(id, by: try people.user("孙审"), reason: "again", at: Fixture.now)
        }
        #expect(try Self.tables(store) == before)
    }

    /// Before: a maker whose user row is gone read as "", so the four-eyes rule compared the
    /// approver with an empty name and let anyone approve.
    @Test("a pending run whose maker or acting admin names no user throws, and nothing is approved", arguments: [
        ("user_id = 999", "user_id", "no user has id 999"),
        ("acting_as_user_id = 998", "acting_as_user_id", "no user has id 998"),
    ])
    func pendingRunMaker(set: String, column: String, problem: String) throws {
        let people = try AccessControlTests.People()
        let store = people.store
        let id = try people.pending(by: "赵敏")
        try Self.tamper(store, "UPDATE runs SET \(set) WHERE id = ?", [id])
        let before = try Self.tables(store)
        StoredValueTamperingTests.expectInvalid("runs", id, column, problem) {
            _ = try store.read { try $0.runMaker(id: id) }
        }
        StoredValueTamperingTests.expectInvalid("runs", id, column, problem) {
            _ = try store.approveRun(id, by: try people.user("孙审"), at: Fixture.now)
        }
        #expect(try Self.tables(store) == before)
    }
}
