import Foundation
import GRDB
import StewardCore
import Testing
@testable import StewardStore

/// Schema 2 rewrites the `IN (…)` CHECK lists of the ledger, reminders and waitlist as
/// comparisons (``SchemaV2``): a schema-1 file with rows in it upgrades in place, keeps every
/// row, index, trigger and constraint, and its inserts no longer build a temporary B-tree.
@Suite("Schema 2: check lists as comparisons")
struct SchemaUpgradeTests {
    /// A schema-1 file with ledger entries (one reversing another) and reminders.
    static func schemaOne(_ directory: TemporaryDirectory) throws -> String {
        let path = directory.path("v1.db")
        let queue = try DatabaseQueue(path: path)
        try Migrations.migrator.migrate(queue, upTo: "v1 district data")
        try queue.write { db in
            try db.execute(sql: """
                INSERT INTO places (id, code, name, kind, parent_id, path) VALUES (1, 'jt', '金坛区', 'district', NULL, '/jt');
                INSERT INTO programmes (id, code, name, office, kind) VALUES (1, 'relief', '临时救助', 'civil_affairs', 'cash');
                INSERT INTO budgets (id, code, name, office, year, total_fen, place_id) VALUES (1, 'relief-2025', '救助', 'civil_affairs', 2025, 100000, 1);
                INSERT INTO ledger (id, budget_id, kind, amount_fen, programme_id, memo, idempotency_key, created_at)
                    VALUES (7, 1, 'allocation', 50000, 1, '年度拨款', 'k1', '2025-01-02T00:00:00.000Z');
                INSERT INTO ledger (id, budget_id, kind, amount_fen, reverses_entry_id, memo, created_at)
                    VALUES (9, 1, 'refund', 20000, 7, '冲正', '2025-01-03T00:00:00.000Z');
                INSERT INTO reminders (id, dedup_key, kind, subject_kind, subject_id, place_id, due_on, text, status, created_at)
                    VALUES (3, 'd1', 'certificate_expiry', 'member', '42', 1, '2025-07-01', '请提醒换证', 'sent', '2025-06-15T00:00:00.000Z');
                """)
        }
        #expect(try queue.read { try Int.fetchOne($0, sql: "PRAGMA user_version") } == 1)
        return path
    }

    static func rows(_ db: Database, _ table: String) throws -> [Row] {
        try Row.fetchAll(db, sql: "SELECT * FROM \(table) ORDER BY id")
    }

    static func dependents(_ db: Database) throws -> [String] {
        try String.fetchAll(db, sql: """
            SELECT type || ' ' || name FROM sqlite_master
            WHERE tbl_name IN ('ledger', 'reminders', 'waitlist') AND type IN ('index', 'trigger') ORDER BY 1
            """)
    }

    @Test("a schema-1 file upgrades in place with every row, index, trigger and key")
    func upgradeKeepsEverything() throws {
        let directory = TemporaryDirectory()
        let path = try Self.schemaOne(directory)
        let before = try DatabaseQueue(path: path).read { db in
            (try Self.rows(db, "ledger"), try Self.rows(db, "reminders"), try Self.dependents(db))
        }
        #expect(before.0.count == 2 && before.1.count == 1)
        #expect(before.2.contains("trigger ledger_no_delete") && before.2.contains("index ledger_idempotency"))

        #expect(try Store.storedSchemaVersion(at: path) == 1)
        let store = try Store.open(at: path, mode: .readWrite)
        #expect(try store.schemaVersion() == SchemaVersion.current)
        #expect(try Store.storedSchemaVersion(at: path) == SchemaVersion.current)
        #expect(try Store.storedSchemaVersion(at: directory.path("none.db")) == nil)
        let after = try store.database.read { db in
            (try Self.rows(db, "ledger"), try Self.rows(db, "reminders"), try Self.dependents(db),
             try Row.fetchAll(db, sql: "PRAGMA foreign_key_check"), try String.fetchOne(db, sql: "PRAGMA integrity_check"))
        }
        #expect(after.0 == before.0)
        #expect(after.1 == before.1)
        #expect(after.2 == before.2)
        #expect(after.3.isEmpty)
        #expect(after.4 == "ok")
        // The guards and constraints still hold.
        store.database.writeWithoutTransaction { db in
            #expect(throws: DatabaseError.self) {
                try db.execute(sql: "UPDATE ledger SET amount_fen = 1 WHERE id = 7")
            }
            #expect(throws: DatabaseError.self) {
                try db.execute(sql: """
                    INSERT INTO ledger (budget_id, kind, amount_fen, memo, created_at) VALUES (1, 'gift', 100, '', '2025-06-15')
                    """)
            }
            #expect(throws: DatabaseError.self) {
                try db.execute(sql: "UPDATE reminders SET status = 'lost' WHERE id = 3")
            }
            // The self-reference of a reversal now points at the rebuilt ledger.
            #expect(throws: DatabaseError.self) {
                try db.execute(sql: """
                    INSERT INTO ledger (budget_id, kind, amount_fen, reverses_entry_id, memo, created_at)
                    VALUES (1, 'refund', 100, 999, '', '2025-06-15')
                    """)
            }
        }
    }

    @Test("new and upgraded files write rows of any table without a temporary B-tree per row")
    func noEphemeralTablePerInsert() throws {
        let directory = TemporaryDirectory()
        let fresh = try Store.open(at: directory.path("new.db"), mode: .create)
        let upgraded = try Store.open(at: try Self.schemaOne(directory), mode: .readWrite)
        for store in [fresh, upgraded] {
            for (table, column, values) in SchemaV2.lists {
                let create = try store.database.read { db in
                    try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE name = ?", arguments: [table]) ?? ""
                }
                #expect(create.contains(SchemaV2.comparisons(column, values)), "\(table)")
                #expect(SchemaV2.inList(column, in: create) == nil, "\(table)")
            }
            let plans = try store.database.read { db in
                try String.fetchAll(db, sql: """
                    SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' AND name NOT LIKE 'grdb%'
                    """).map { table in
                    let columns = try Row.fetchAll(db, sql: "PRAGMA table_info(\(table))").map { $0["name"] as String }
                    let insert = "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES (\(columns.map { _ in "?" }.joined(separator: ", ")))"
                    let opcodes = try Row.fetchAll(db, sql: "EXPLAIN " + insert, arguments: StatementArguments(columns.map { _ in DatabaseValue.null }))
                        .map { $0["opcode"] as String }
                    return (table, opcodes)
                }
            }
            #expect(plans.count > 20)
            for (table, opcodes) in plans {
                #expect(!opcodes.contains("OpenEphemeral"), "\(table): \(opcodes)")
            }
        }
    }

    @Test func listsAreFoundAsSchemaOneWroteThem() throws {
        let sql = "CREATE TABLE t (\n    c TEXT CHECK (c IN\n        ('a', 'b',\n         'c')),\n    d TEXT)"
        let found = try #require(SchemaV2.inList("c", in: sql))
        #expect(found.values == ["a", "b", "c"])
        #expect(String(sql[found.range]) == "c IN\n        ('a', 'b',\n         'c')")
        #expect(SchemaV2.inList("d", in: sql) == nil)
        #expect(SchemaV2.inList("c", in: sql + " CHECK (c IN ('x', 'y', 'z'))") == nil)  // twice: not rewritten
        #expect(SchemaV2.comparisons("kind", ["a", "b", "c"]) == "(kind = 'a' OR kind = 'b' OR kind = 'c')")
    }
}

/// Schema 3 adds an index per group of holders, keyed by id (``SchemaV3``): a schema-2 file
/// with members in it upgrades in place, its rows unchanged, and each index lists exactly its
/// group.
@Suite("Schema 3: holder groups in id order")
struct SchemaThreeTests {
    @Test("a schema-2 file with members upgrades, and each holder index lists exactly its group")
    func upgradeIndexesEveryHolder() throws {
        let directory = TemporaryDirectory()
        let (path, before) = try OlderSchemaFile.make(directory, upTo: "v2 check lists as comparisons", sql: OlderSchemaFile.places + """
            INSERT INTO members (id, id_number, name, sex, birth_date, town_id, disability_cert_number, disability_category,
                                 disability_grade, disability_cert_issued, disability_cert_expiry, union_card, union_card_issued,
                                 elderly)
            VALUES (5, '320482195003150012', '王建国', 'male', '1950-03-15', 2, '32048219500315001241', 'physical', 2,
                    '2020-01-01', '2030-01-01', NULL, NULL, 1),
                   (8, '320482199001010023', '李娜', 'female', '1990-01-01', 2, NULL, NULL, NULL, NULL, NULL,
                    'GH-0008', '2021-05-01', 0),
                   (3, '320482198506060034', '张伟', 'male', '1985-06-06', 2, '32048219850606003441', 'visual', 1,
                    '2019-01-01', '2029-01-01', 'GH-0003', '2018-01-01', 0);
            """)

        let store = try Store.open(at: path, mode: .readWrite)
        #expect(try store.schemaVersion() == SchemaVersion.current)
        try store.database.read { db throws in
            #expect(try Row.fetchAll(db, sql: "SELECT * FROM members ORDER BY id") == before)
            func listed(_ index: String) throws -> [Int64] {
                try Int64.fetchAll(db, sql: "SELECT id FROM members INDEXED BY \(index) WHERE \(SchemaV3.holderIndexes.first { $0.name == index }!.condition) ORDER BY id")
            }
            #expect(try listed("members_certified") == [3, 5])
            #expect(try listed("members_union_card_holders") == [3, 8])
            #expect(try listed("members_elderly_people") == [5])
            #expect(try listed("members_students") == [])
            // Each is partial: it holds its group and nothing else.
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM members INDEXED BY members_certified WHERE disability_grade IS NOT NULL") == 2)
        }
    }
}

/// Schema 5 keys the grade index by grade, then id (``SchemaV5``): a schema-4 file with
/// members upgrades in place, its rows unchanged, and the index lists each grade in id order.
@Suite("Schema 5: the grade index in id order")
struct SchemaFiveTests {
    @Test("a schema-4 file with members upgrades, and one grade is read from the index in id order")
    func upgradeRekeysGradeIndex() throws {
        let directory = TemporaryDirectory()
        let (path, before) = try OlderSchemaFile.make(directory, upTo: "v4 commit generation", sql: OlderSchemaFile.places + """
            INSERT INTO members (id, id_number, name, sex, birth_date, town_id, disability_cert_number, disability_category,
                                 disability_grade, disability_cert_issued, disability_cert_expiry)
            VALUES (9, '320482195003150012', '王建国', 'male', '1950-03-15', 2, '32048219500315001241', 'visual', 2,
                    '2020-01-01', '2030-01-01'),
                   (4, '320482198506060034', '张伟', 'male', '1985-06-06', 2, '32048219850606003441', 'physical', 2,
                    '2019-01-01', '2029-01-01'),
                   (6, '320482199001010023', '李娜', 'female', '1990-01-01', 2, '32048219900101002342', 'hearing', 1,
                    '2021-01-01', '2031-01-01'),
                   (7, '320482197702020045', '陈静', 'female', '1977-02-02', 2, NULL, NULL, NULL, NULL, NULL);
            """)
        let old = try DatabaseQueue(path: path).read { db in
            try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE name = 'members_disability_grade'")
        }
        #expect(old?.contains("members(disability_grade, disability_category)") == true, "\(old ?? "")")

        let store = try Store.open(at: path, mode: .readWrite)
        #expect(try store.schemaVersion() == SchemaVersion.current)
        try store.database.read { db throws in
            #expect(try Row.fetchAll(db, sql: "SELECT * FROM members ORDER BY id") == before)
            #expect(try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE name = 'members_disability_grade'")
                    == SchemaV5.gradeIndexSQL)
            let oneGrade = "SELECT id FROM members WHERE disability_grade = ? ORDER BY id LIMIT 2"
            #expect(try Int64.fetchAll(db, sql: oneGrade, arguments: [2]) == [4, 9])
            #expect(try Int64.fetchAll(db, sql: oneGrade, arguments: [1]) == [6])
            let plan = try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + oneGrade, arguments: [2]).map { $0["detail"] as String }
            #expect(plan == ["SEARCH members USING COVERING INDEX members_disability_grade (disability_grade=?)"], "\(plan)")
            // Partial, as before: the member without a certificate is not in it.
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM members INDEXED BY members_disability_grade WHERE disability_grade IS NOT NULL") == 3)
            #expect(try String.fetchOne(db, sql: "PRAGMA integrity_check") == "ok")
        }
    }
}

/// Schema 6 keeps running sums of the ledger (``SchemaV6``): a schema-5 file with ledger rows
/// upgrades with sums equal to its ledger summed row by row, and its balances unchanged.
@Suite("Schema 6: the ledger's running sums")
struct SchemaSixTests {
    @Test("a schema-5 file with a ledger upgrades, its sums made from every row and its balances unchanged")
    func upgradeSumsTheLedger() throws {
        let directory = TemporaryDirectory()
        let (path, _) = try OlderSchemaFile.make(directory, upTo: "v5 grade index in id order", sql: OlderSchemaFile.places + """
            INSERT INTO budgets (id, code, name, office, year, total_fen, place_id) VALUES
                (1, 'relief-2025', '2025年临时救助资金', 'civil_affairs', 2025, 1000000, 1),
                (2, 'dream-2025', '2025年圆梦助学', 'trade_union', 2025, 500000, 1);
            INSERT INTO ledger (budget_id, kind, amount_fen, created_at) VALUES
                (1, 'disbursement', 120000, '2025-06-01T00:00:00Z'), (1, 'allocation', 30000, '2025-06-01T00:00:00Z'),
                (1, 'refund', 5000, '2025-06-02T00:00:00Z'), (1, 'adjustment', -700, '2025-06-03T00:00:00Z'),
                (2, 'disbursement', 250000, '2025-06-04T00:00:00Z'), (1, 'disbursement', 80000, '2025-06-05T00:00:00Z');
            """)
        let store = try Store.open(at: path, mode: .readWrite)
        #expect(try store.schemaVersion() == SchemaVersion.current)
        try store.database.read { db throws in
            #expect(try Int64.fetchOne(db, sql: "SELECT ledger_id FROM ledger_sums_through") == 6)
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM ledger_sums") == 5)
            #expect(try LedgerSums.totalsByBudget(db) == LedgerSums.recomputed(db))
        }
        let relief = try store.read { try $0.budgetBalance(code: "relief-2025") }
        #expect(relief?.available == Money(fen: 1_000_000 - 120_000 - 30_000 + 5_000 - 700 - 80_000))
        #expect(relief?.entryCount == 5)
        #expect(try store.read { try $0.budgetBalance(code: "dream-2025") }?.available == Money(fen: 250_000))
    }
}

/// Schema 7 lets a large run record keep its effects deflated (``SchemaV7``): a schema-6 file's
/// records, all text, read as they did, and a large record written after the upgrade is
/// deflated beside them.
@Suite("Schema 7: deflated run records")
struct SchemaSevenTests {
    @Test("a schema-6 file's run records read as before, and a large new one is deflated")
    func upgradeKeepsTextRecords() throws {
        let directory = TemporaryDirectory()
        // A record of 100 KB of JSON, above the deflate threshold, stays text: nothing is rewritten.
        let memo = String(repeating: "救", count: 34_000)
        let effects = #"[{"ledger":{"amount":100,"budgetCode":"relief-2025","idempotencyKey":"k1","kind":"disbursement","memo":"\#(memo)"}}]"#
        let (path, _) = try OlderSchemaFile.make(directory, upTo: "v6 ledger sums",
                                                 sql: OlderSchemaFile.places + OlderSchemaFile.adminAndRelief
                                                     + OlderSchemaFile.committedRun(1, effects: effects))
        let store = try Store.open(at: path, mode: .readWrite)
        #expect(try store.schemaVersion() == SchemaVersion.current)
        #expect(try rows(store, "SELECT typeof(effects_json), effects_inflated_size IS NULL FROM runs") == [["text", "1"]])
        let old = try #require(try store.read { try $0.run(id: 1) })
        #expect(old.effectsJSON == effects)
        #expect(try old.effects().count == 1)

        let changeSet = EncodedEffectsTests.grants(600)
        let run = RunSubmission(userName: "admin", scriptName: "relief.lua", scriptSHA256: String(repeating: "a", count: 64),
                                startedAt: Fixture.now, finishedAt: Fixture.now)
        let applied = try store.apply(changeSet, run: run, actor: .district, at: Fixture.now)
        #expect(try rows(store, "SELECT typeof(effects_json) FROM runs WHERE id = \(applied.runID)") == [["blob"]])
        #expect(try store.read { try $0.run(id: applied.runID) }?.effects() == changeSet)
    }
}

/// Schema 8 records how many effects each run record lists (``SchemaV8``), so a listing need
/// not read them. A schema-7 file's records, text or deflated, are counted on upgrade; one
/// that is not a JSON array stays uncounted and is counted by decoding it, as before.
@Suite("Schema 8: run effect counts")
struct SchemaEightTests {
    static let twoGrants = #"[{"ledger":{"amount":100,"budgetCode":"relief-2025","idempotencyKey":"k1","kind":"disbursement","memo":""}},"# +
        #"{"ledger":{"amount":200,"budgetCode":"relief-2025","idempotencyKey":"k2","kind":"disbursement","memo":"救助"}}]"#

    @Test("a schema-7 file's records are counted on upgrade, damaged ones when read")
    func upgradeCountsTextRecords() throws {
        let directory = TemporaryDirectory()
        let run = OlderSchemaFile.committedRun
        let (path, _) = try OlderSchemaFile.make(directory, upTo: "v7 deflated run records", sql: OlderSchemaFile.places
            + OlderSchemaFile.adminAndRelief + run(1, "[]") + run(2, Self.twoGrants) + run(3, "[]") + run(4, "not json")
            + run(5, #"{"ledger":{}}"#) + run(6, "[]"))
        // Run 3 deflated, as schema 7 wrote a large record; run 6 deflated and damaged (its size is one short).
        let json = Array(Self.twoGrants.utf8)
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            try db.execute(sql: "UPDATE runs SET effects_json = ?, effects_inflated_size = ? WHERE id IN (3, 6)",
                           arguments: [try Deflate.compress(json), json.count])
            try db.execute(sql: "UPDATE runs SET effects_inflated_size = effects_inflated_size - 1 WHERE id = 6")
        }
        try queue.close()

        let store = try Store.open(at: path, mode: .readWrite)
        #expect(try store.schemaVersion() == SchemaVersion.current)
        #expect(try rows(store, "SELECT id, effects_count FROM runs ORDER BY id")
                == [["1", "0"], ["2", "2"], ["3", "2"], ["4", "NULL"], ["5", "NULL"], ["6", "NULL"]])
        // Uncounted and damaged: the listing stops with the row's error, as before schema 8.
        StoredValueTamperingTests.expectInvalid("runs", 6, "effects_json", "the deflated effects do not read back: it "
            + "inflates to \(json.count) bytes, not the \(json.count - 1) recorded") { _ = try store.read { try $0.runHistory() } }
        try store.database.write { db in try db.execute(sql: "DELETE FROM runs WHERE id = 6") }
        StoredValueTamperingTests.expectInvalid("runs", 5, "effects_json", "the text is not a JSON list of effects (",
                                                problemPrefix: true) { _ = try store.read { try $0.runHistory() } }
        try store.database.write { db in try db.execute(sql: "DELETE FROM runs WHERE id IN (4, 5)") }
        let listed = try store.read { try $0.runHistory() }
        #expect(listed.map(\.id) == [3, 2, 1])
        #expect(listed.map(\.effectCount) == [2, 2, 0])
        #expect(listed.allSatisfy { $0.effectsJSON == nil })
        for id: Int64 in [1, 2, 3] {
            let entry = try #require(try store.read { try $0.runHistoryEntry(id: id) })
            #expect(try entry.effects().count == (id == 1 ? 0 : 2))
            #expect(try store.read { try $0.run(id: id) }?.effects().count == (id == 1 ? 0 : 2))
        }
    }
}

/// A database file at an older schema, for the upgrade tests: migrated up to a named migration,
/// with some rows written, and closed.
enum OlderSchemaFile {
    /// The district and one town, as every fixture here needs them.
    static let places = """
        INSERT INTO places (id, code, name, kind, parent_id, path) VALUES (1, 'jt', '金坛区', 'district', NULL, '/jt'),
            (2, 'jc', '金城镇', 'town', 1, '/jt/jc');

        """

    /// An admin (user 1) and the relief budget (budget 1), for files with run records.
    static let adminAndRelief = """
        INSERT INTO users (id, name, role, scope_place_id, created_at) VALUES (1, 'admin', 'admin', 1, '2025-06-01T00:00:00.000Z');
        INSERT INTO budgets (id, code, name, office, year, total_fen, place_id) VALUES
            (1, 'relief-2025', '2025年临时救助资金', 'civil_affairs', 2025, 300000000, 1);

        """

    /// A committed run record `id` by the admin, whose effects are the text `effects`.
    static func committedRun(_ id: Int, effects: String) -> String {
        """
        INSERT INTO runs (id, user_id, script_name, script_hash, mode, status, effects_json, started_at)
            VALUES (\(id), 1, 'relief', 'abc', 'commit', 'committed', '\(effects)', '2025-06-0\(id)T00:00:00.000Z');

        """
    }

    /// The file's path, and its members as they were written (to compare after the upgrade).
    static func make(_ directory: TemporaryDirectory, upTo migration: String, sql: String = "") throws -> (path: String, members: [Row]) {
        let path = directory.path(migration.prefix { $0 != " " } + ".db")
        let queue = try DatabaseQueue(path: path)
        try Migrations.migrator.migrate(queue, upTo: migration)
        if !sql.isEmpty { try queue.write { try $0.execute(sql: sql) } }
        let members = try queue.read { try Row.fetchAll($0, sql: "SELECT * FROM members ORDER BY id") }
        try queue.close()
        return (path, members)
    }
}
