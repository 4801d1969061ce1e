import Foundation
import GRDB
import LuaRuntime
import StewardCore
@testable import StewardScripting
@testable import StewardStore

/// A fresh directory per test, removed when the value goes away.
final class TemporaryDirectory: @unchecked Sendable {
    let url: URL

    init() {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("steward-scripting-tests-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    deinit { try? FileManager.default.removeItem(at: url) }
}

/// The demo district every script test runs on: 3,000 residents, seed 1, today 2025-06-15.
/// Generated once per test process (about a second in a debug build), then copied file by
/// file for each test, so tests never see each other's commits.
enum DemoDatabase {
    static let members = 3_000
    static let seed: UInt64 = 1
    static let today = DemoOptions.defaultToday
    static let admin = "tester"
    /// ¥100,000,000: no programme month comes near it.
    static let approvalThresholdFen: Int64 = 10_000_000_000

    /// The template database's path; built on first use.
    static let templatePath: String = {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("steward-scripting-template-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent("demo.db").path
        do {
            // In its own scope so the store (and its connections) is closed before copying.
            let store = try Store.open(at: path, mode: .create)
            _ = try store.generateDemo(DemoOptions(members: members, seed: seed, today: today, adminAccount: admin))
            try store.setSetting("clock.today", today.iso)
            // These tests commit whole programme months (¥365,000 of wages) as one admin; a
            // second approver above ¥100,000 is tested on its own (ScopeAndMaskingTests), so
            // the template lifts the approval threshold out of the way.
            try store.setSetting("approval.threshold", String(DemoDatabase.approvalThresholdFen))
            try store.database.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)")
            }
        } catch {
            fatalError("could not build the demo database: \(error)")
        }
        atexit { try? FileManager.default.removeItem(at: URL(fileURLWithPath: DemoDatabase.templateDirectory)) }
        return path
    }()

    static var templateDirectory: String { (templatePath as NSString).deletingLastPathComponent }

    /// A private copy of the demo database.
    static func copy() throws -> Demo {
        let directory = TemporaryDirectory()
        let target = directory.path("demo.db")
        try FileManager.default.copyItem(atPath: templatePath, toPath: target)
        for suffix in ["-wal", "-shm"] where FileManager.default.fileExists(atPath: templatePath + suffix) {
            try FileManager.default.copyItem(atPath: templatePath + suffix, toPath: target + suffix)
        }
        return Demo(directory: directory, store: try Store.open(at: target, mode: .readWrite))
    }
}

/// One test's copy of the demo database, and ways to run scripts on it and look inside.
struct Demo {
    let directory: TemporaryDirectory
    let store: Store

    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The text of `Scripts/NAME`.
    static func script(_ name: String) throws -> String {
        try String(contentsOf: repository.appendingPathComponent("Scripts").appendingPathComponent(name), encoding: .utf8)
    }

    static let districtAdmin = RunActor(userName: DemoDatabase.admin, role: .admin, scopePlaceCode: "320482",
                                        isDistrictScope: true, canUnmask: true)

    /// Runs `Scripts/NAME` (or `source`), as a dry run unless `commit`.
    func run(_ name: String, source: String? = nil, params: [String: String] = [:], commit: Bool = false,
             today: CivilDate = DemoDatabase.today, actor: RunActor = Demo.districtAdmin) throws -> RunReport {
        let text = try source ?? Demo.script(name)
        let runner = DomainRunner(store: store, actor: actor, today: today, hardDeadline: .none)
        return runner.run(source: text, name: name, parameters: params, commit: commit)
    }

    /// Runs Lua text (not a file in Scripts/).
    func lua(_ source: String, params: [String: String] = [:], commit: Bool = false,
             today: CivilDate = DemoDatabase.today) throws -> RunReport {
        try run("inline.lua", source: source, params: params, commit: commit, today: today)
    }

    /// A digest of every table's rows (in any order), per table: equal maps mean equal
    /// databases. Hasher is seeded per process, which is all a before/after comparison needs.
    func tableHashes() throws -> [String: String] {
        try store.database.read { db in
            let tables = try String.fetchAll(db, sql: """
                SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name
                """)
            var out: [String: String] = [:]
            for table in tables {
                var count = 0
                var digest: UInt64 = 0
                let rows = try Row.fetchCursor(db, sql: "SELECT * FROM \"\(table)\"")
                while let row = try rows.next() {
                    var hasher = Hasher()
                    for value in row.databaseValues { hasher.combine(value) }
                    // Order-independent: rows without a rowid come back in no fixed order.
                    digest &+= UInt64(bitPattern: Int64(hasher.finalize()))
                    count += 1
                }
                out[table] = "\(count):\(digest)"
            }
            return out
        }
    }

    /// Rows of a query as text.
    func rows(_ sql: String, _ arguments: StatementArguments = []) throws -> [[String]] {
        try store.database.read { db in
            try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
                row.databaseValues.map { $0.isNull ? "NULL" : String(describing: $0.storage.value!) }
            }
        }
    }

    /// One integer from a query.
    func int(_ sql: String, _ arguments: StatementArguments = []) throws -> Int64 {
        try store.database.read { db in try Int64.fetchOne(db, sql: sql, arguments: arguments) ?? 0 }
    }

    /// Runs SQL that changes the test's copy (to set up a violation).
    func execute(_ sql: String, _ arguments: StatementArguments = []) throws {
        try store.database.write { db in try db.execute(sql: sql, arguments: arguments) }
    }
}

extension RunReport {
    /// The accepted ledger effects.
    var ledger: [LedgerEffect] {
        effects.compactMap { if case .ledger(let e) = $0 { return e } else { return nil } }
    }
    var quotaSettings: [QuotaSetting] {
        effects.compactMap { if case .setQuota(let e) = $0 { return e } else { return nil } }
    }
    var reminders: [ReminderEffect] {
        effects.compactMap { if case .reminder(let e) = $0 { return e } else { return nil } }
    }
    var waitlisted: [WaitlistEffect] {
        effects.compactMap { if case .waitlist(let e) = $0 { return e } else { return nil } }
    }
    var enrolments: [EnrolmentEffect] {
        effects.compactMap { if case .enrolment(let e) = $0 { return e } else { return nil } }
    }
    var updates: [RecordUpdate] {
        effects.compactMap { if case .recordUpdate(let e) = $0 { return e } else { return nil } }
    }
    /// Fen out of each budget (grants and allocations; refunds count negative).
    var fenByBudget: [String: Int64] {
        var out: [String: Int64] = [:]
        for e in ledger {
            out[e.budgetCode, default: 0] += e.kind == .refund ? -e.amount.fen : e.amount.fen
        }
        return out
    }
    /// A one-line account of a failed run, for test messages.
    var problem: String {
        [status.rawValue, error?.message ?? "", violations.joined(separator: "; ")].joined(separator: " | ")
    }
}
