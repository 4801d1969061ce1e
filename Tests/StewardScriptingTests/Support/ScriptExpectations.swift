import Foundation
import StewardCore
import Testing
@testable import StewardScripting
@testable import StewardStore

/// The checks every programme script gets, whatever its effects: a dry run writes nothing,
/// a commit writes exactly what the dry run showed, and a second commit proposes nothing new.
extension Demo {
    /// Tables a commit of zero effects still writes: the run record, its audit line and the
    /// commit generation every write transaction raises.
    static let runBookkeeping: Set<String> = ["runs", "audit", "commit_generation"]

    /// Dry-runs `script`, checks that no table changed, and returns the report.
    func dryRun(_ script: String, params: [String: String] = [:], today: CivilDate = DemoDatabase.today,
                sourceLocation: SourceLocation = #_sourceLocation) throws -> RunReport {
        let before = try tableHashes()
        let report = try run(script, params: params, today: today)
        #expect(report.status == .ok, "\(report.problem)", sourceLocation: sourceLocation)
        #expect(!report.committed, sourceLocation: sourceLocation)
        #expect(try tableHashes() == before, "a dry run changed the database", sourceLocation: sourceLocation)
        return report
    }

    /// Commits `script` after a dry run and checks that the commit applied exactly the dry
    /// run's effects, then commits again and checks that nothing new is proposed or written.
    /// Returns the committed report and the second one.
    @discardableResult
    func commitTwice(_ script: String, params: [String: String] = [:], today: CivilDate = DemoDatabase.today,
                     sourceLocation: SourceLocation = #_sourceLocation) throws -> (dry: RunReport, first: RunReport, second: RunReport) {
        let dry = try dryRun(script, params: params, today: today, sourceLocation: sourceLocation)
        let counts = try rowCounts()
        let first = try run(script, params: params, commit: true, today: today)
        #expect(first.status == .ok && first.committed, "\(first.problem)", sourceLocation: sourceLocation)
        #expect(first.effects == dry.effects, "the commit proposed other effects than the dry run", sourceLocation: sourceLocation)
        #expect(first.alreadyApplied == dry.alreadyApplied, sourceLocation: sourceLocation)
        let after = try rowCounts()
        // Each effect kind that inserts a row added exactly as many rows as it had effects.
        for (table, kind) in [("ledger", "ledger"), ("reminders", "reminder"), ("waitlist", "waitlist"),
                              ("enrolments", "enrolment"), ("quota_bookings", "quota_booking")] {
            #expect(after[table]! - counts[table]! == dry.effectCounts[kind, default: 0],
                    "\(table): \(after[table]! - counts[table]!) rows for \(dry.effectCounts[kind, default: 0]) effects",
                    sourceLocation: sourceLocation)
        }
        #expect(try int("SELECT COUNT(*) FROM ledger WHERE run_id = ?", [first.runID]) == Int64(dry.ledger.count),
                sourceLocation: sourceLocation)
        #expect(try int("SELECT COALESCE(SUM(amount_fen), 0) FROM ledger WHERE run_id = ?", [first.runID])
                    == dry.ledger.reduce(0) { $0 + $1.amount.fen }, sourceLocation: sourceLocation)
        // Record updates and quota settings: the stored values are the new ones.
        for update in dry.updates {
            #expect(try storedValue(update.field) == update.new, "\(update.field)", sourceLocation: sourceLocation)
        }
        for setting in dry.quotaSettings {
            let stored = try store.read { try $0.quotas(programmeCode: setting.programmeCode) }
                .first { $0.quota.key == setting.key }
            #expect(stored?.quota.limit == setting.limit && stored?.quota.hard == setting.hard, sourceLocation: sourceLocation)
        }

        let hashes = try tableHashes()
        let second = try run(script, params: params, commit: true, today: today)
        #expect(second.status == .ok, "\(second.problem)", sourceLocation: sourceLocation)
        #expect(second.effects.isEmpty, "a second commit proposed \(second.effects.count) new effect(s)",
                sourceLocation: sourceLocation)
        let unchanged = try tableHashes().filter { !Demo.runBookkeeping.contains($0.key) }
        #expect(unchanged == hashes.filter { !Demo.runBookkeeping.contains($0.key) },
                "a second commit changed the district's data", sourceLocation: sourceLocation)
        return (dry, first, second)
    }

    /// Row counts of the tables effects write.
    func rowCounts() throws -> [String: Int64] {
        var out: [String: Int64] = [:]
        for table in ["ledger", "reminders", "waitlist", "enrolments", "quota_bookings", "quotas"] {
            out[table] = try int("SELECT COUNT(*) FROM \(table)")
        }
        return out
    }

    /// The current value of a field scripts may update.
    func storedValue(_ ref: FieldRef) throws -> FieldValue? {
        try store.read { try $0.balanceSnapshot(for: SnapshotRequirements(fields: [ref])) }.fieldValues[ref]
    }
}
