import Foundation
import GRDB
import StewardCore
import Testing
@testable import StewardStore

@Suite("Schedule slots")
struct SlotTests {
    @Test("a slot is claimed by exactly one of two runners, and the schedule remembers it")
    func exactlyOnce() throws {
        let fixture = try Fixture()
        try fixture.store.database.write { db in
            try db.execute(sql: "INSERT INTO scripts (name, created_at) VALUES ('payroll', '2025-06-15T00:00:00.000Z')")
            try db.execute(sql: """
                INSERT INTO schedules (name, script_id, cron, created_at) VALUES ('monthly', 1, '0 8 1 * *', '2025-06-15T00:00:00.000Z')
                """)
        }
        let other = try Store.open(at: fixture.store.path, mode: .readWrite)
        let slot = Date(timeIntervalSince1970: 1_751_328_000)
        let first = try fixture.store.claimSlot(scheduleID: 1, nominalAt: slot, runnerID: "a", at: Fixture.now)
        let second = try other.claimSlot(scheduleID: 1, nominalAt: slot, runnerID: "b", at: Fixture.now)
        #expect(first == 1)
        #expect(second == nil)
        try fixture.store.finishSlot(1, outcome: .succeeded, at: Fixture.now)
        #expect(try rows(fixture.store, "SELECT schedule_id, nominal_at, status, runner_id FROM schedule_slots")
            == [["1", "2025-07-01T00:00:00.000Z", "succeeded", "a"]])
        #expect(try rows(fixture.store, "SELECT last_slot_at FROM schedules") == [["2025-07-01T00:00:00.000Z"]])
        try fixture.store.heartbeat(runnerID: "a", host: "h", pid: 1, startedAt: Fixture.now, intervalSeconds: 60, at: Fixture.now)
        let tick = try fixture.store.read { try $0.lastRunnerTick() }
        #expect(tick?.runnerID == "a")
        #expect(tick?.intervalSeconds == 60)
    }
}
