import Foundation
import GRDB
import StewardCore
import Testing
@testable import StewardStore

/// A stored value changed outside Steward into one that does not decode — JSON, a choice, a
/// date or instant — must stop reading with an error naming the row and column, never read
/// as a default (no parameters, no quota rules, the first policy) that changes what Steward
/// does. Each test tampers one value with SQL and pins the error.
@Suite("Stored values that do not decode")
struct StoredValueTamperingTests {
    /// The fixture after one committed run (a grant, a reminder, a waitlist entry), with a
    /// stored script on a monthly schedule.
    static func world() throws -> Fixture {
        let fixture = try Fixture()
        let (wang, chen) = (fixture.members[0], fixture.members[2])
        try fixture.store.apply(ChangeSet([
            Fixture.grant("dream-2025", 500_000, member: wang, key: "dream|\(wang)|2025|tuition"),
            .reminder(ReminderEffect(subjectKind: .member, subjectID: String(chen), kind: "certificate-expiry",
                                     dueDate: try CivilDate(parsing: "2025-07-01"), text: "证件即将到期", dedupKey: "cert|\(chen)")),
            .waitlist(WaitlistEffect(memberID: chen, programmeCode: "dream-scholarship", reason: "fund exhausted")),
        ]), run: fixture.run(), actor: .district, at: Fixture.now)
        try fixture.store.addScript(name: "monthly", source: "print('hi')", author: "admin", at: Fixture.now)
        try fixture.store.setSchedule(script: "monthly", ScheduleSettings(cron: "0 8 1 * *", parameters: ["month": "2025-06"]),
                                      by: "admin", at: Fixture.now)
        return fixture
    }

    /// Runs `sql` outside Steward, with CHECK constraints off (as a hand-edited file has them)
    /// and the append-only triggers dropped.
    static func tamper(_ fixture: Fixture, _ sql: String, arguments: StatementArguments = []) throws {
        try fixture.store.database.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA ignore_check_constraints = ON")
            try db.execute(sql: "DROP TRIGGER IF EXISTS ledger_no_update")
            try db.execute(sql: sql, arguments: arguments)
            try db.execute(sql: "PRAGMA ignore_check_constraints = OFF")
        }
    }

    static func id(_ fixture: Fixture, _ sql: String) throws -> Int64 {
        try #require(try fixture.store.database.read { try Int64.fetchOne($0, sql: sql) })
    }

    /// Expects `read` to throw exactly this invalid stored value. With `problemPrefix`, the
    /// problem must start with `problem` (JSON problems end with Foundation's own account).
    static func expectInvalid(_ table: String, _ rowID: Int64, _ column: String, _ problem: String, problemPrefix: Bool = false,
                              sourceLocation: SourceLocation = #_sourceLocation, _ read: () throws -> Void) {
        do {
            try read()
            Issue.record("reading did not fail", sourceLocation: sourceLocation)
        } catch let error as StoreError {
            guard case let .invalidStoredValue(t, r, c, p) = error else {
                Issue.record("\(error) is not invalidStoredValue", sourceLocation: sourceLocation)
                return
            }
            #expect(t == table && r == rowID && c == column, "\(error)", sourceLocation: sourceLocation)
            #expect(problemPrefix ? p.hasPrefix(problem) : p == problem, "\(p)", sourceLocation: sourceLocation)
            #expect(!p.hasSuffix(".") && !error.description.contains(".."), "\(error)", sourceLocation: sourceLocation)
        } catch {
            Issue.record("\(error) is not a StoreError", sourceLocation: sourceLocation)
        }
    }

    @Test("a run's effects or parameters that do not decode throw, not read as none")
    func runRecord() throws {
        let fixture = try Self.world()
        defer { withExtendedLifetime(fixture) {} }
        try Self.tamper(fixture, "UPDATE runs SET effects_json = 'not json', params_json = '[1]' WHERE id = 1")
        let entry = try #require(try fixture.store.read { try $0.runHistoryEntry(id: 1) })
        Self.expectInvalid("runs", 1, "effects_json", "the text is not a JSON list of effects (", problemPrefix: true) {
            _ = try entry.effects()
        }
        Self.expectInvalid("runs", 1, "params_json", "the text is not a JSON object of texts (", problemPrefix: true) {
            _ = try entry.parameters()
        }
        let stored = try #require(try fixture.store.read { try $0.run(id: 1) })
        Self.expectInvalid("runs", 1, "effects_json", "the text is not a JSON list of effects (", problemPrefix: true) {
            _ = try stored.effects()
        }
    }

    /// A listing shows the count recorded with the effects and does not read them (schema 8);
    /// reading the run itself finds damaged effects, and a count that does not match them.
    @Test("a listing shows the recorded count; reading the run finds effects that do not match it")
    func effectCount() throws {
        let fixture = try Self.world()
        defer { withExtendedLifetime(fixture) {} }
        #expect(try rows(fixture.store, "SELECT effects_count FROM runs WHERE id = 1") == [["3"]])
        try Self.tamper(fixture, "UPDATE runs SET effects_json = 'not json' WHERE id = 1")
        let listed = try fixture.store.read { try $0.runHistory() }
        #expect(listed.map(\.effectCount) == [3] && listed.first?.effectsJSON == nil)
        Self.expectInvalid("runs", 1, "effects_json", "the text is not a JSON list of effects (", problemPrefix: true) {
            _ = try fixture.store.read { try $0.runHistoryEntry(id: 1) }?.effects()
        }

        let fresh = try Self.world()
        defer { withExtendedLifetime(fresh) {} }
        try Self.tamper(fresh, "UPDATE runs SET effects_count = 4 WHERE id = 1")
        #expect(try fresh.store.read { try $0.runHistory() }.map(\.effectCount) == [4])
        let problem = "it says 4, but effects_json lists 3 effects"
        Self.expectInvalid("runs", 1, "effects_count", problem) {
            _ = try fresh.store.read { try $0.runHistoryEntry(id: 1) }?.effects()
        }
        // A pending run is approved by applying what `effects()` returns: it must refuse too.
        Self.expectInvalid("runs", 1, "effects_count", problem) { _ = try fresh.store.read { try $0.run(id: 1) }?.effects() }
    }

    @Test("a recorded count that is not a whole number from 0 is refused when written, and throws when read", arguments: [
        ("-1", "the negative number -1 where a count is required"),
        ("'three'", "the text 'three' where a count is required"),
        ("2.5", "the real number 2.5 where a count is required"),
        ("x'00'", "a blob of 1 bytes where a count is required"),
    ])
    func effectCountNotACount(_ value: String, _ problem: String) throws {
        let fixture = try Self.world()
        defer { withExtendedLifetime(fixture) {} }
        #expect(throws: DatabaseError.self) {
            try fixture.store.database.write { try $0.execute(sql: "UPDATE runs SET effects_count = \(value) WHERE id = 1") }
        }
        try Self.tamper(fixture, "UPDATE runs SET effects_count = \(value) WHERE id = 1")
        Self.expectInvalid("runs", 1, "effects_count", problem) { _ = try fixture.store.read { try $0.runHistory() } }
        Self.expectInvalid("runs", 1, "effects_count", problem) { _ = try fixture.store.read { try $0.runHistoryEntry(id: 1) } }
        Self.expectInvalid("runs", 1, "effects_count", problem) { _ = try fixture.store.read { try $0.run(id: 1) } }
    }

    /// Ways a deflated record (``StoredEffects``) can be damaged, each with the problem it must
    /// be reported as. The record is run 1's effects, deflated as a large run's are.
    enum DeflatedDamage: String, CaseIterable, Sendable {
        case noSize, sizeTooLarge, sizeTooSmall, sizeHalved, flippedByte, cutShort, trailingBytes, impossibleSize, zeroSize

        /// The stored blob and size, from the record's JSON deflated.
        func value(_ json: [UInt8]) throws -> (blob: Data, size: Int?) {
            let good = try Deflate.compress(json)
            switch self {
            case .noSize: return (good, nil)
            case .sizeTooLarge: return (good, json.count + 1)
            case .sizeTooSmall: return (good, json.count - 1)
            case .sizeHalved: return (good, json.count / 2)
            case .flippedByte:
                var bad = good
                bad[bad.count / 2] ^= 0x20
                return (bad, json.count)
            case .cutShort: return (good.prefix(good.count - 3), json.count)
            case .trailingBytes: return (good + Data([0, 0]), json.count)
            case .impossibleSize: return (good, 1_000_000_000)
            case .zeroSize: return (good, 0)
            }
        }

        func problem(json: Int, deflated: Int) -> String {
            switch self {
            case .noSize: return "a blob of \(deflated) bytes, with no inflated size to read it by"
            case .sizeTooLarge: return "the deflated effects do not read back: it inflates to \(json) bytes, not the \(json + 1) recorded"
            case .sizeTooSmall: return "the deflated effects do not read back: it inflates to \(json) bytes, not the \(json - 1) recorded"
            case .sizeHalved: return "the deflated effects do not read back: it inflates to more than the \(json / 2) bytes recorded"
            case .flippedByte, .cutShort:
                return "the deflated effects do not read back: it is not zlib's deflate format, or it is damaged or cut short"
            case .trailingBytes: return "the deflated effects do not read back: 2 bytes follow its deflated stream"
            case .impossibleSize:
                return "the deflated effects do not read back: its inflated size 1000000000 is more than \(deflated) deflated bytes can hold"
            case .zeroSize: return "the deflated effects do not read back: its inflated size 0 is not a positive number of bytes"
            }
        }
    }

    @Test("a deflated record that does not inflate to its recorded size throws, saying how", arguments: DeflatedDamage.allCases)
    func deflatedRecord(_ damage: DeflatedDamage) throws {
        let fixture = try Self.world()
        defer { withExtendedLifetime(fixture) {} }
        let json = Array(try #require(try fixture.store.read { try $0.run(id: 1) }).effectsJSON.utf8)
        let (blob, size) = try damage.value(json)
        try Self.tamper(fixture, "UPDATE runs SET effects_json = ?, effects_inflated_size = ? WHERE id = 1", arguments: [blob, size])
        let problem = damage.problem(json: json.count, deflated: blob.count)
        Self.expectInvalid("runs", 1, "effects_json", problem) { _ = try fixture.store.read { try $0.run(id: 1) } }
        Self.expectInvalid("runs", 1, "effects_json", problem) { _ = try fixture.store.read { try $0.runHistoryEntry(id: 1) } }
    }

    @Test("the same record deflated, undamaged, reads as the text it was")
    func deflatedRecordReads() throws {
        let fixture = try Self.world()
        defer { withExtendedLifetime(fixture) {} }
        let before = try #require(try fixture.store.read { try $0.run(id: 1) })
        let json = Array(before.effectsJSON.utf8)
        try fixture.store.database.write { db in
            try db.execute(sql: "UPDATE runs SET effects_json = ?, effects_inflated_size = ? WHERE id = 1",
                           arguments: [try Deflate.compress(json), json.count])
        }
        #expect(try fixture.store.read { try $0.run(id: 1) } == before)
        #expect(try fixture.store.read { try $0.runHistoryEntry(id: 1) }?.effectsJSON == before.effectsJSON)
    }

    @Test("one bad effect is named by its place in the list")
    func badEffectPath() throws {
        let fixture = try Self.world()
        defer { withExtendedLifetime(fixture) {} }
        try Self.tamper(fixture, #"UPDATE runs SET effects_json = '[{"nonsense":{}}]' WHERE id = 1"#)
        let entry = try #require(try fixture.store.read { try $0.runHistoryEntry(id: 1) })
        Self.expectInvalid("runs", 1, "effects_json", "the text is not a JSON list of effects (at [0]", problemPrefix: true) {
            _ = try entry.effects()
        }
    }

    @Test("a run's status, mode or start that Steward does not write throws", arguments: [
        ("status = 'bogus'", "status", "'bogus' is not a known run status"),
        ("mode = 'maybe'", "mode", "'maybe' is not a known run mode"),
        ("trigger = 'cosmic-ray'", "trigger", "'cosmic-ray' is not a known run trigger"),
        ("started_at = 'yesterday'", "started_at",
         "'yesterday' is not an instant as Steward writes one (2025-06-15T00:00:00.000Z)"),
    ])
    func runColumns(set: String, column: String, problem: String) throws {
        let fixture = try Self.world()
        defer { withExtendedLifetime(fixture) {} }
        try Self.tamper(fixture, "UPDATE runs SET \(set) WHERE id = 1")
        Self.expectInvalid("runs", 1, column, problem) { _ = try fixture.store.read { try $0.run(id: 1) } }
        Self.expectInvalid("runs", 1, column, problem) { _ = try fixture.store.read { try $0.runs() } }
    }

    @Test("a schedule's parameters, policies and instants that do not decode throw", arguments: [
        ("params_json = 'not json'", "params_json", "the text is not a JSON object of texts ("),
        ("catch_up = 'sometimes'", "catch_up", "'sometimes' is not a known catch-up policy"),
        ("overlap = 'maybe'", "overlap", "'maybe' is not a known overlap policy"),
        ("last_slot_at = 'yesterday'", "last_slot_at", "'yesterday' is not an instant as Steward writes one"),
        ("created_at = '2025-06-15'", "created_at", "'2025-06-15' is not an instant as Steward writes one"),
    ])
    func schedule(set: String, column: String, problem: String) throws {
        let fixture = try Self.world()
        defer { withExtendedLifetime(fixture) {} }
        let id = try Self.id(fixture, "SELECT id FROM schedules WHERE name = 'monthly'")
        try Self.tamper(fixture, "UPDATE schedules SET \(set) WHERE id = \(id)")
        Self.expectInvalid("schedules", id, column, problem, problemPrefix: true) {
            _ = try fixture.store.read { try $0.schedule(named: "monthly") }
        }
        Self.expectInvalid("schedules", id, column, problem, problemPrefix: true) {
            _ = try fixture.store.read { try $0.schedules() }
        }
        Self.expectInvalid("schedules", id, column, problem, problemPrefix: true) { _ = try fixture.store.runnerSchedules() }
    }

    @Test("a programme's quota rules, office or kind that do not decode throw", arguments: [
        ("quota_rules_json = 'not json'", "quota_rules_json", "the text is not a JSON list of quota rules (", true),
        ("quota_rules_json = '{}'", "quota_rules_json", "the text is not a JSON list of quota rules (", true),
        ("office = 'nowhere'", "office", "'nowhere' is not a known office", false),
        ("kind = 'gift'", "kind", "'gift' is not a known programme kind", false),
    ])
    func programme(set: String, column: String, problem: String, prefix: Bool) throws {
        let fixture = try Self.world()
        defer { withExtendedLifetime(fixture) {} }
        let id = try Self.id(fixture, "SELECT id FROM programmes WHERE code = 'free-health-check'")
        try Self.tamper(fixture, "UPDATE programmes SET \(set) WHERE id = \(id)")
        Self.expectInvalid("programmes", id, column, problem, problemPrefix: prefix) {
            _ = try fixture.store.read { try $0.programme(code: "free-health-check") }
        }
    }

    @Test("a reminder whose due date or status does not parse throws, not vanish or read as pending", arguments: [
        ("due_on = '2025-02-30'", "due_on", "2025-02-30 is not a real calendar date"),
        ("status = 'lost'", "status", "'lost' is not a known reminder status"),
    ])
    func reminder(set: String, column: String, problem: String) throws {
        let fixture = try Self.world()
        defer { withExtendedLifetime(fixture) {} }
        let id = try Self.id(fixture, "SELECT id FROM reminders")
        try Self.tamper(fixture, "UPDATE reminders SET \(set) WHERE id = \(id)")
        Self.expectInvalid("reminders", id, column, problem) { _ = try fixture.store.read { try $0.reminders() } }
        Self.expectInvalid("reminders", id, column, problem) { _ = try fixture.store.read { try $0.reminder(id: id) } }
    }

    @Test("audit details that do not decode throw, not read as none")
    func auditDetails() throws {
        let fixture = try Self.world()
        defer { withExtendedLifetime(fixture) {} }
        try Self.tamper(fixture, """
            INSERT INTO audit (at, actor, action, details_json) VALUES ('2025-06-15T00:00:00.000Z', 'admin', 'forged', 'not json')
            """)
        let id = try Self.id(fixture, "SELECT MAX(id) FROM audit")
        let entry = try #require(try fixture.store.read { try $0.auditEntries() }.last)
        #expect(entry.record.id == id)
        Self.expectInvalid("audit", id, "details_json", "the text is not a JSON object of texts (", problemPrefix: true) {
            _ = try entry.details()
        }
    }

    /// Maker ≠ checker reads who wrote a version through `--as` from its audit row: read as
    /// nobody, that admin could approve their own script.
    @Test("approving a script whose audit row does not decode throws, not pass maker ≠ checker")
    func actingAdminOfScript() throws {
        let fixture = try Self.world()
        defer { withExtendedLifetime(fixture) {} }
        try fixture.store.addUser(User(name: "赵敏", role: .operator, scopePlaceCode: "320482"), osAccount: nil, by: "admin",
                                  at: Fixture.now)
        try fixture.store.addScript(name: "written-as", source: "print(2)", author: "赵敏", actingAdmin: "admin", at: Fixture.now)
        try Self.tamper(fixture, """
            INSERT INTO audit (at, actor, action, object_type, object_id, details_json)
            VALUES ('2025-06-15T00:00:01.000Z', 'admin', 'script.add', 'script', 'written-as@1', '{"acting_admin": 7}')
            """)
        let id = try Self.id(fixture, "SELECT MAX(id) FROM audit")
        Self.expectInvalid("audit", id, "details_json", "the text is not a JSON object of texts (", problemPrefix: true) {
            _ = try fixture.store.approveScript(name: "written-as", approver: "admin", at: Fixture.now)
        }
        #expect(try fixture.store.read { try $0.scriptVersion("written-as") }?.approvedBy == nil)
    }

    @Test("a member query refuses a place whose kind does not parse, rather than guess its level")
    func placeKindInMemberQueries() throws {
        let fixture = try Self.world()
        defer { withExtendedLifetime(fixture) {} }
        try Self.tamper(fixture, "UPDATE places SET kind = 'hamlet' WHERE code = '320482100'")
        let id = try Self.id(fixture, "SELECT id FROM places WHERE code = '320482100'")
        Self.expectInvalid("places", id, "kind", "'hamlet' is not a known place kind", problemPrefix: false) {
            try fixture.store.read { s in _ = try s.countMembers(MemberQuery()) }
        }
    }

    @Test("other stored choices, dates and periods that do not parse throw", arguments: [
        ("UPDATE budgets SET office = 'nowhere' WHERE code = 'dream-2025'", "budgets", "office", "'nowhere' is not a known office"),
        ("UPDATE ledger SET kind = 'gift'", "ledger", "kind", "'gift' is not a known ledger entry kind"),
        ("UPDATE ledger SET period = 'someday'", "ledger", "period", "'someday' is not a period"),
        // (The waitlist is read by status, so a bad status is never selected; its queue date is.)
        ("UPDATE waitlist SET created_at = 'long ago'", "waitlist", "created_at", "'long ago' is not an instant as Steward writes one"),
        ("UPDATE quotas SET period = 'someday' WHERE place_id = (SELECT id FROM places WHERE code = '320482100')", "quotas",
         "period", "'someday' is not a period"),
        ("UPDATE users SET role = 'emperor' WHERE name = 'admin'", "users", "role", "'emperor' is not a known role"),
        ("UPDATE places SET kind = 'hamlet' WHERE code = '320482100'", "places", "kind", "'hamlet' is not a known place kind"),
        ("UPDATE facilities SET kind = 'castle' WHERE code = 'jt-shelter'", "facilities", "kind",
         "'castle' is not a known facility kind"),
    ])
    func otherReaders(sql: String, table: String, column: String, problem: String) throws {
        let fixture = try Self.world()
        defer { withExtendedLifetime(fixture) {} }
        try Self.tamper(fixture, sql)
        let where_ = sql.range(of: " WHERE ").map { String(sql[$0.upperBound...]) } ?? "1"
        let id = try Self.id(fixture, "SELECT id FROM \(table) WHERE \(where_)")
        Self.expectInvalid(table, id, column, problem, problemPrefix: true) {
            try fixture.store.read { s in
                switch table {
                case "budgets": _ = try s.budgetBalance(code: "dream-2025")
                case "ledger": _ = try s.ledgerEntries()
                case "waitlist": _ = try s.waitlist(programmeCode: "dream-scholarship")
                case "quotas": _ = try s.quotas(programmeCode: "free-health-check")
                case "users": _ = try s.user(named: "admin")
                case "places": _ = try s.places()
                default: _ = try s.facility(code: "jt-shelter")
                }
            }
        }
    }
}
