import Foundation
import GRDB
import StewardCore
import Testing
@testable import StewardStore

/// Instants in run history and the runner's tables that do not parse — a slot's claim or
/// nominal time, a heartbeat, a script version's times, an approval's run times, an audit
/// row's time — must stop reading with an error naming the row and column: never `now`,
/// 1970-01-01, "?" or "no heartbeat" in their place. Each test tampers one value with SQL,
/// pins the error and checks that nothing was written.
@Suite("Stored instants that do not parse")
struct StoredInstantTamperingTests {
    static let notAnInstant = " is not an instant as Steward writes one (2025-06-15T00:00:00.000Z)"

    /// The tampering fixture, with a slot of its `monthly` schedule running on runner `b` (pid
    /// 7 on host `h`), whose last tick was at the claim; returns the slot's id.
    static func runningSlot() throws -> (Fixture, Int64) {
        let fixture = try StoredValueTamperingTests.world()
        let schedule = try StoredValueTamperingTests.id(fixture, "SELECT id FROM schedules WHERE name = 'monthly'")
        let claim = try fixture.store.claimScheduleSlot(scheduleID: schedule, slotAt: Date(timeIntervalSince1970: 1_751_356_800),
                                                        runnerID: "b", forbidOverlap: true, at: Fixture.now)
        guard case .claimed(let slotID) = claim else {
            Issue.record("the slot was not claimed: \(claim)")
            return (fixture, -1)
        }
        try fixture.store.runnerHeartbeat(runnerID: "b", host: "h", pid: 7, startedAt: Fixture.now, intervalSeconds: 60,
                                          at: Fixture.now)
        return (fixture, slotID)
    }

    /// Runner `a` recovering at `now`: runner `b`'s process is not alive.
    static func recover(_ fixture: Fixture, at now: Date) throws -> [RecoveredSlot] {
        try fixture.store.recoverAbandonedSlots(runnerID: "a", host: "h", pid: 1, at: now, isAlive: { _ in false })
    }

    /// The runner's slots and runs, to compare before and after.
    static func runnerTables(_ fixture: Fixture) throws -> [String] {
        try dump(fixture.store, "schedule_slots") + dump(fixture.store, "runs") + dump(fixture.store, "runner_heartbeats")
    }

    @Test("the fixture's dead runner's slot is recovered as abandoned, its end the last sign of life")
    func recoveryUntampered() throws {
        let (fixture, slotID) = try Self.runningSlot()
        defer { withExtendedLifetime(fixture) {} }
        let recovered = try Self.recover(fixture, at: Fixture.now.addingTimeInterval(3600))
        #expect(recovered == [RecoveredSlot(scheduleName: "monthly", slotAt: Date(timeIntervalSince1970: 1_751_356_800),
                                            runnerID: "b")])
        #expect(try rows(fixture.store, "SELECT status, finished_at FROM schedule_slots WHERE id = ?", [slotID])
            == [["abandoned", "2025-06-15T00:00:00.000Z"]])
        #expect(try rows(fixture.store, "SELECT status, started_at, slot_at FROM runs WHERE slot_id = ?", [slotID])
            == [["abandoned", "2025-06-15T00:00:00.000Z", "2025-07-01T08:00:00.000Z"]])
    }

    /// Before: the claim read as `now` (the dead run's start and end), the slot as `now` (the
    /// abandoned run recorded under the wrong slot).
    @Test("recovery refuses a dead slot whose claim or slot time does not parse, and writes nothing", arguments: [
        ("claimed_at", "'garbage'"),
        ("nominal_at", "'2025-07-01 08:00'"),
    ])
    func recoveryDamagedSlot(column: String, value: String) throws {
        let (fixture, slotID) = try Self.runningSlot()
        defer { withExtendedLifetime(fixture) {} }
        try StoredValueTamperingTests.tamper(fixture, "UPDATE schedule_slots SET \(column) = \(value) WHERE id = \(slotID)")
        let before = try Self.runnerTables(fixture)
        StoredValueTamperingTests.expectInvalid("schedule_slots", slotID, column, value + Self.notAnInstant) {
            _ = try Self.recover(fixture, at: Fixture.now.addingTimeInterval(3600))
        }
        #expect(try Self.runnerTables(fixture) == before)
        #expect(try rows(fixture.store, "SELECT status, finished_at FROM schedule_slots WHERE id = ?", [slotID])
            == [["running", "NULL"]])
    }

    /// Before: a tick that did not parse read as no heartbeat, so runner `b` — which ticked 30
    /// seconds ago — was declared dead and its running slot abandoned.
    @Test("recovery refuses a runner's last tick that does not parse, rather than declare the runner dead")
    func recoveryDamagedHeartbeat() throws {
        let (fixture, slotID) = try Self.runningSlot()
        defer { withExtendedLifetime(fixture) {} }
        try StoredValueTamperingTests.tamper(fixture, "UPDATE runner_heartbeats SET last_tick_at = 'soon' WHERE runner_id = 'b'")
        let rowID = try StoredValueTamperingTests.id(fixture, "SELECT rowid FROM runner_heartbeats WHERE runner_id = 'b'")
        let before = try Self.runnerTables(fixture)
        StoredValueTamperingTests.expectInvalid("runner_heartbeats", rowID, "last_tick_at", "'soon'" + Self.notAnInstant) {
            _ = try Self.recover(fixture, at: Fixture.now.addingTimeInterval(30))
        }
        #expect(try Self.runnerTables(fixture) == before)
        #expect(try rows(fixture.store, "SELECT status FROM schedule_slots WHERE id = ?", [slotID]) == [["running"]])
    }

    /// Before: `runner status` showed "?" for these, or a runner as never having ticked.
    @Test("slot and heartbeat readers throw on an instant that does not parse", arguments: [
        ("schedule_slots", "claimed_at", "'noon'"),
        ("schedule_slots", "nominal_at", "'first of the month'"),
        ("schedule_slots", "finished_at", "'later'"),
        ("runner_heartbeats", "started_at", "'boot'"),
        ("runner_heartbeats", "last_tick_at", "'just now'"),
    ])
    func slotsAndHeartbeats(table: String, column: String, value: String) throws {
        let (fixture, slotID) = try Self.runningSlot()
        defer { withExtendedLifetime(fixture) {} }
        try StoredValueTamperingTests.tamper(fixture, "UPDATE \(table) SET \(column) = \(value)")
        let rowID = table == "schedule_slots" ? slotID
            : try StoredValueTamperingTests.id(fixture, "SELECT rowid FROM runner_heartbeats WHERE runner_id = 'b'")
        let problem = value + Self.notAnInstant
        if table == "schedule_slots" {
            for status in [nil, "running"] {
                StoredValueTamperingTests.expectInvalid(table, rowID, column, problem) {
                    _ = try fixture.store.read { try $0.scheduleSlots(status: status) }
                }
            }
            StoredValueTamperingTests.expectInvalid(table, rowID, column, problem) {
                _ = try fixture.store.read { try $0.scheduleSlots(schedule: "monthly") }
            }
        } else {
            StoredValueTamperingTests.expectInvalid(table, rowID, column, problem) {
                _ = try fixture.store.read { try $0.runnerHeartbeats() }
            }
            if column == "last_tick_at" {
                StoredValueTamperingTests.expectInvalid(table, rowID, column, problem) {
                    _ = try fixture.store.read { try $0.lastRunnerTick() }
                }
            }
        }
    }

    /// Before: a version's creation time that did not parse read as 1970-01-01, its approval
    /// time as none; a script's creation time as none.
    @Test("a script version's or a script's times that do not parse throw, not read as 1970 or none", arguments: [
        ("script_versions", "created_at", "'last week'"),
        ("script_versions", "approved_at", "'2025-06-15'"),
        ("scripts", "created_at", "'yesterday'"),
    ])
    func scriptTimes(table: String, column: String, value: String) throws {
        let fixture = try StoredValueTamperingTests.world()
        defer { withExtendedLifetime(fixture) {} }
        try fixture.store.addUser(User(name: "张伟", role: .approver, scopePlaceCode: "320482"), osAccount: nil, by: "admin",
                                  at: Fixture.now)
        try fixture.store.approveScript(name: "monthly", approver: "张伟", at: Fixture.now)
        let id = try StoredValueTamperingTests.id(fixture, table == "scripts" ? "SELECT id FROM scripts WHERE name = 'monthly'"
            : "SELECT v.id FROM script_versions v JOIN scripts s ON s.id = v.script_id WHERE s.name = 'monthly'")
        try StoredValueTamperingTests.tamper(fixture, "UPDATE \(table) SET \(column) = \(value) WHERE id = \(id)")
        let problem = value + Self.notAnInstant
        if table == "scripts" {
            StoredValueTamperingTests.expectInvalid(table, id, column, problem) { _ = try fixture.store.read { try $0.storedScripts() } }
        } else {
            StoredValueTamperingTests.expectInvalid(table, id, column, problem) {
                _ = try fixture.store.read { try $0.scriptVersion("monthly") }
            }
            StoredValueTamperingTests.expectInvalid(table, id, column, problem) {
                _ = try fixture.store.read { try $0.scriptVersions("monthly") }
            }
            // The runner reads the version it runs the same way: it does not run a damaged one.
            let schedule = try StoredValueTamperingTests.id(fixture, "SELECT id FROM schedules WHERE name = 'monthly'")
            StoredValueTamperingTests.expectInvalid(table, id, column, problem) {
                _ = try fixture.store.read { try $0.scheduledScript(scheduleID: schedule) }
            }
        }
    }

    /// Every run held for approval is stored finished. Before: a finish time removed from it
    /// read as the approval's `now`, and the run was approved and its effects committed.
    @Test("approving a pending run whose finish time was removed throws, and commits nothing")
    func approvalOfDamagedRun() throws {
        let people = try AccessControlTests.People()
        let store = people.store
        let id = try people.pending(by: "赵敏")
        try store.execute(sql: "UPDATE runs SET finished_at = NULL WHERE id = ?", [id])
        let before = try dump(store, "runs") + dump(store, "ledger") + dump(store, "audit")
        StoredValueTamperingTests.expectInvalid("runs", id, "finished_at", "NULL where a value is required") {
            _ = try store.approveRun(id, by: try people.user("张伟"), at: Fixture.now.addingTimeInterval(60))
        }
        #expect(try dump(store, "runs") + dump(store, "ledger") + dump(store, "audit") == before)
        #expect(try rows(store, "SELECT status FROM runs WHERE id = ?", [id]) == [["pending_approval"]])
    }

    /// Before: refusing to approve a committed run whose decision time did not parse left the
    /// time out of the message, as if none were recorded.
    @Test("refusing a decided run whose decision time does not parse throws the stored-value error")
    func decisionTime() throws {
        let people = try AccessControlTests.People()
        let store = people.store
        let id = try people.pending(by: "赵敏")
        try store.approveRun(id, by: try people.user("张伟"), at: Fixture.now.addingTimeInterval(60))
        try store.execute(sql: "UPDATE runs SET decided_at = 'then' WHERE id = ?", [id])
        StoredValueTamperingTests.expectInvalid("runs", id, "decided_at", "'then'" + Self.notAnInstant) {
            _ = try store.approveRun(id, by: try people.user("孙审"), at: Fixture.now.addingTimeInterval(120))
        }
    }

    /// The audit table is append-only: a row whose time does not parse is still listed, and
    /// its time throws when asked for (as its details do). Before: it read as nil ("?").
    @Test("an audit row's time that does not parse throws when read, and the trail around it still reads")
    func auditTime() throws {
        let fixture = try StoredValueTamperingTests.world()
        defer { withExtendedLifetime(fixture) {} }
        try StoredValueTamperingTests.tamper(fixture, """
            INSERT INTO audit (at, actor, action, details_json) VALUES ('15/06/2025', 'admin', 'forged', '{}')
            """)
        let id = try StoredValueTamperingTests.id(fixture, "SELECT MAX(id) FROM audit")
        let entries = try fixture.store.read { try $0.auditEntries() }
        let damaged = try #require(entries.last)
        #expect(damaged.record.id == id && damaged.record.atText == "15/06/2025" && damaged.record.action == "forged")
        StoredValueTamperingTests.expectInvalid("audit", id, "at", "'15/06/2025'" + Self.notAnInstant) {
            _ = try damaged.record.at()
        }
        let times = try entries.dropLast().map { try $0.record.at() }
        #expect(times.map(Timestamp.text) == (try rows(fixture.store, "SELECT at FROM audit WHERE id <> ? ORDER BY id", [id]).map { $0[0] }))
        let records = try fixture.store.read { try $0.auditRecords() }
        #expect(records.map(\.id) == entries.map(\.record.id))
        StoredValueTamperingTests.expectInvalid("audit", id, "at", "'15/06/2025'" + Self.notAnInstant) {
            _ = try records.last?.at()
        }
    }
}
