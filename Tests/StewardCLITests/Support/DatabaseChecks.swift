import ChildProcess
import Foundation
import Testing
import TestRandom

/// What the reliability suites (crash safety, concurrent commits, disk trouble) check on a
/// database after something went wrong, from outside Steward: the `sqlite3` CLI for what is
/// on disk, `steward export budgets` for what Steward itself says. Each check returns the
/// problems it found (empty: all well), so a failure names every one of them.
enum DatabaseChecks {
    /// `STEWARD_LONG_TESTS=1`: the long versions (hundreds of kills, more racers).
    static let long = LongTests.enabled

    struct Failure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    /// The rows `sql` returns, each split at tabs (`sqlite3 -batch -noheader`).
    ///
    /// With a 5 s busy timeout: the first connection after a killed writer recovers the
    /// write-ahead log's index under an exclusive lock, and a process the killed one left
    /// behind (a runner's worker) may be that connection; without a timeout the shell failed
    /// at once with "database is locked" (seen once in a crash suite's check).
    static func query(_ db: String, _ sql: String) throws -> [[String]] {
        let done = try ChildProcess.run("sqlite3", ["-batch", "-noheader", "-separator", "\t", "-cmd", ".timeout 5000", db, sql],
                                        deadline: 60)
        let err = String(decoding: done.errorOutput, as: UTF8.self)
        guard done.status == .exited(0), err.isEmpty else {
            throw Failure("sqlite3 \(db) \(sql): \(done.status) \(err)")
        }
        return String(decoding: done.output, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: true)
            .map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
    }

    /// The single integer `sql` returns.
    static func int(_ db: String, _ sql: String) throws -> Int {
        let rows = try query(db, sql)
        guard rows.count == 1, rows[0].count == 1, let value = Int(rows[0][0]) else {
            throw Failure("\(sql) returned \(rows), not one integer")
        }
        return value
    }

    /// Everything that must hold after any failure, whatever the failure was:
    /// - `PRAGMA integrity_check` is `ok` and `PRAGMA foreign_key_check` finds nothing;
    /// - every budget's available balance, as `steward export budgets` reports it, equals its
    ///   total less the sum of its ledger entries, and is not below zero;
    /// - every committed run's ledger entries and quota bookings are all there (as many as its
    ///   stored change set holds), and no run that is not committed has any.
    static func problems(_ db: String, directory: URL) throws -> [String] {
        var out: [String] = []
        let integrity = try query(db, "PRAGMA integrity_check").map { $0.joined(separator: " ") }
        if integrity != ["ok"] { out.append("integrity_check: \(integrity.prefix(5))") }
        let foreign = try query(db, "PRAGMA foreign_key_check")
        if !foreign.isEmpty { out.append("foreign_key_check: \(foreign.prefix(5))") }
        out += try budgetProblems(db, directory: directory)
        out += try runProblems(db)
        return out
    }

    /// Budgets: Steward's available balance against the ledger, and never below zero.
    static func budgetProblems(_ db: String, directory: URL) throws -> [String] {
        let fromLedger = try query(db, """
            SELECT b.code, b.total_fen
                - COALESCE((SELECT SUM(amount_fen) FROM ledger l WHERE l.budget_id = b.id AND l.kind IN ('allocation', 'disbursement')), 0)
                + COALESCE((SELECT SUM(amount_fen) FROM ledger l WHERE l.budget_id = b.id AND l.kind IN ('refund', 'adjustment')), 0)
            FROM budgets b ORDER BY b.code
            """)
        let export = try StewardBinary.run(["export", "budgets", "--format", "json", "--db", db], in: directory)
        guard export.exitCode == 0,
              let budgets = try JSONSerialization.jsonObject(with: export.stdout) as? [[String: Any]] else {
            return ["steward export budgets: \(export.summary)"]
        }
        var reported: [String: Int] = [:]
        for budget in budgets {
            if let code = budget["code"] as? String, let text = budget["available"] as? String, let fen = fen(text) {
                reported[code] = fen
            }
        }
        var out: [String] = []
        for row in fromLedger {
            let code = row[0]
            let ledger = Int(row[1]) ?? Int.min
            if reported[code] != ledger {
                out.append("budget \(code): steward reports \(reported[code].map(String.init) ?? "nothing") fen available, the ledger gives \(ledger)")
            }
            if ledger < 0 { out.append("budget \(code) is overspent: \(ledger) fen") }
        }
        return out
    }

    /// Runs: all of a committed run's ledger entries and bookings, none of anything else's.
    /// A large record's effects are deflated (schema 7); the shell's `sqlar_uncompress` reads them.
    static func runProblems(_ db: String) throws -> [String] {
        let rows = try query(db, """
            WITH records AS (
                SELECT id, status, CASE WHEN effects_inflated_size IS NULL THEN effects_json
                    ELSE CAST(sqlar_uncompress(effects_json, effects_inflated_size) AS TEXT) END AS effects
                FROM runs)
            SELECT r.id, r.status,
                (SELECT COUNT(*) FROM json_each(r.effects) e WHERE json_extract(e.value, '$.ledger') IS NOT NULL),
                (SELECT COUNT(*) FROM ledger l WHERE l.run_id = r.id),
                (SELECT COUNT(*) FROM json_each(r.effects) e WHERE json_extract(e.value, '$.quota_booking') IS NOT NULL),
                (SELECT COUNT(*) FROM quota_bookings q WHERE q.run_id = r.id)
            FROM records r ORDER BY r.id
            """)
        var out: [String] = []
        for row in rows {
            let (id, status) = (row[0], row[1])
            let (ledgerProposed, ledgerWritten, bookingsProposed, bookingsWritten) =
                (Int(row[2]) ?? -1, Int(row[3]) ?? -1, Int(row[4]) ?? -1, Int(row[5]) ?? -1)
            if status == "committed" {
                if ledgerWritten != ledgerProposed || bookingsWritten != bookingsProposed {
                    out.append("run \(id) (committed) is partly applied: \(ledgerWritten) of \(ledgerProposed) ledger entries, \(bookingsWritten) of \(bookingsProposed) bookings")
                }
            } else if ledgerWritten != 0 || bookingsWritten != 0 {
                out.append("run \(id) (\(status)) has \(ledgerWritten) ledger entries and \(bookingsWritten) bookings")
            }
        }
        let orphans = try int(db, "SELECT COUNT(*) FROM ledger WHERE run_id IS NOT NULL AND run_id NOT IN (SELECT id FROM runs)")
        if orphans != 0 { out.append("\(orphans) ledger entries name a run that does not exist") }
        return out
    }

    /// Whether some process holds the database's write lock at this moment: `BEGIN IMMEDIATE`
    /// with no busy timeout fails with "database is locked". Checked just before a kill, it
    /// says the kill landed inside a write transaction.
    static func writeLockHeld(_ db: String) -> Bool {
        guard let done = try? ChildProcess.run("sqlite3", ["-batch", db, "BEGIN IMMEDIATE; ROLLBACK;"], deadline: 10) else {
            return false
        }
        return done.status != .exited(0) && String(decoding: done.errorOutput, as: UTF8.self).contains("locked")
    }

    /// "1234.56" or "-0.10" → fen.
    static func fen(_ text: String) -> Int? {
        let negative = text.hasPrefix("-")
        let digits = text.drop { $0 == "-" }.split(separator: ".", omittingEmptySubsequences: false)
        guard digits.count == 2, digits[1].count == 2, let whole = Int(digits[0]), let cents = Int(digits[1]) else { return nil }
        return (negative ? -1 : 1) * (whole * 100 + cents)
    }

    /// A GB 11643 identity number for `first17` (region, birth date, sequence and sex digit),
    /// with its check character.
    static func identityNumber(_ first17: String) -> String {
        let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
        let sum = zip(first17, weights).reduce(0) { $0 + Int(String($1.0))! * $1.1 }
        return first17 + String(Array("10X98765432")[sum % 11])
    }
}

extension SplitMix64 {
    /// From `$STEWARD_CRASH_SEED`, else a fresh random seed: the same seed gives the same kill
    /// delays, so a failure can be replayed.
    static func fromEnvironment() -> SplitMix64 {
        if let text = ProcessInfo.processInfo.environment["STEWARD_CRASH_SEED"], let seed = UInt64(text) {
            return SplitMix64(seed: seed)
        }
        return SplitMix64(seed: UInt64.random(in: 1...UInt64.max))
    }
}
