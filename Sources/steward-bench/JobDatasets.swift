import ChildProcess
import Foundation

/// Why the benchmark cannot go on: a dataset it could not make, a program that failed.
struct BenchFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// The databases the jobs run on. Made once with `steward demo` (seeded, so every machine gets
/// the same district) and kept in `/tmp/steward-bench` between runs; each is brought to the
/// running build's schema before use.
struct JobDatasets {
    static let work = "/tmp/steward-bench"

    /// The demo district: `members` members, nothing paid from the subsidy budget yet.
    let demo: String
    /// The same district after June's subsidy was committed, so that July's run exhausts the
    /// budget part-way: the job as the issue states it, "grant until it runs out".
    let junePaid: String
    /// The certified disabled as a Lua table, for plain lua5.4 (`subsidy_plain.lua`).
    let plainData: String
    /// Where each commit runs, on a fresh copy of its dataset.
    let commitCopy: String

    /// Makes whatever is missing and upgrades what is kept.
    static func prepare(steward: String, members: Int, sqlite3: String, benchmarks: String) throws -> JobDatasets {
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        let demo = try demoDistrict(steward: steward, members: members)
        let junePaid = "\(work)/demo-\(members)-june-paid.db"
        if !FileManager.default.fileExists(atPath: junePaid) {
            print("committing June's subsidy into a copy, for the run that exhausts the budget …")
            let building = junePaid + ".building"
            try copyDatabase(demo, to: building)
            try raiseApprovalThreshold(steward: steward, db: building)
            let june = ChildProcess.measure([steward, "run", "--db", building, "--commit", "--timeout", "600s",
                                             "\(benchmarks)/subsidy.lua"])
            guard june.status == 0 else { throw BenchFailure("June's subsidy run failed (exit \(june.status)): \(june.diagnostics)") }
            // The writer checkpoints its log into the file as it closes; a log left behind would
            // be lost by the move, and the dataset would lack June.
            guard !FileManager.default.fileExists(atPath: building + "-wal") else {
                throw BenchFailure("\(building)-wal was left behind: June's payments are not all in the file")
            }
            try FileManager.default.moveItem(atPath: building, toPath: junePaid)
        }
        try upgrade(steward: steward, junePaid)
        let plainData = "\(work)/subsidy-data-\(members).lua"
        if !FileManager.default.fileExists(atPath: plainData) {
            try exportPlainData(db: demo, to: plainData, sqlite3: sqlite3)
        }
        return JobDatasets(demo: demo, junePaid: junePaid, plainData: plainData, commitCopy: "\(work)/commit-copy.db")
    }

    /// `demo-N.db`, made with `steward demo --seed 7` when missing, at this build's schema.
    static func demoDistrict(steward: String, members: Int) throws -> String {
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        let db = "\(work)/demo-\(members).db"
        if !FileManager.default.fileExists(atPath: db) {
            print("building the dataset: steward demo --members \(members) --seed 7 …")
            let m = ChildProcess.measure([steward, "demo", "--db", db, "--members", String(members), "--seed", "7"])
            guard m.status == 0 else { throw BenchFailure("steward demo failed (exit \(m.status)): \(m.diagnostics)") }
            print(String(format: "  %.1f s (peak %.0f MB)", m.seconds, Double(m.peakBytes) / 1e6))
        }
        try upgrade(steward: steward, db)
        return db
    }

    /// Replaces `copy` (and its log files) with a copy of `db`.
    static func copyDatabase(_ db: String, to copy: String) throws {
        for suffix in ["", "-wal", "-shm"] { unlink(copy + suffix) }
        try FileManager.default.copyItem(atPath: db, toPath: copy)
    }

    /// Python applies what it computes; so must Steward here, not hold the change set for a
    /// second approver (the demo's four-eyes threshold is ¥50,000 a change set).
    static func raiseApprovalThreshold(steward: String, db: String) throws {
        let raised = ChildProcess.measure([steward, "settings", "set", "approval.threshold", "100000000", "--db", db])
        guard raised.status == 0 else { throw BenchFailure("cannot raise the approval threshold in \(db): \(raised.diagnostics)") }
    }

    /// Fen left in the subsidy budget of `db`, by the same sum Python's script makes.
    static func subsidyLeft(db: String, sqlite3: String) throws -> Int64 {
        let query = """
            SELECT b.total_fen + COALESCE(SUM(CASE l.kind WHEN 'allocation' THEN -l.amount_fen
                WHEN 'disbursement' THEN -l.amount_fen ELSE l.amount_fen END), 0)
            FROM budgets b LEFT JOIN ledger l ON l.budget_id = b.id WHERE b.code = 'disability-subsidies-2025'
            """
        let m = ChildProcess.measure([sqlite3, db, query])
        guard m.status == 0, let left = Int64(m.output.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw BenchFailure("cannot read the subsidy budget of \(db) with \(sqlite3): \(m.diagnostics)")
        }
        return left
    }

    /// Brings a dataset kept from an earlier build to this build's schema (`steward init`
    /// upgrades in place and leaves a current file alone), so that its read-only runs are not
    /// refused and no run pays for the migration.
    static func upgrade(steward: String, _ path: String) throws {
        let m = ChildProcess.measure([steward, "init", "--db", path])
        guard m.status == 0 else { throw BenchFailure("cannot bring \(path) to this build's schema: \(m.diagnostics)") }
        if m.output.hasPrefix("upgraded") { print("  " + m.output.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }

    /// The rows job 1 reads, as a Lua file returning `{ {id, grade, hardship, birth}, … }`.
    static func exportPlainData(db: String, to path: String, sqlite3: String) throws {
        let csv = ChildProcess.measure([sqlite3, "-separator", ",", db,
            "SELECT id, disability_grade, (minimum_living OR extreme_hardship OR registered_poor), birth_date FROM members WHERE disability_grade IS NOT NULL ORDER BY id"])
        // An empty data file would make plain Lua's computation look free.
        guard csv.status == 0, !csv.output.isEmpty else {
            throw BenchFailure("cannot read the subsidy rows for plain Lua with \(sqlite3) (exit \(csv.status)): \(csv.diagnostics)")
        }
        var lua = "return {\n"
        for line in csv.output.split(separator: "\n") {
            let f = line.split(separator: ",")
            guard f.count == 4 else { throw BenchFailure("\(sqlite3) printed an unexpected row for plain Lua: \(line)") }
            lua += "{\(f[0]),\(f[1]),\(f[2] == "1" ? "true" : "false"),\"\(f[3])\"},\n"
        }
        lua += "}\n"
        do { try lua.write(toFile: path, atomically: true, encoding: .utf8) } catch {
            throw BenchFailure("cannot write plain Lua's data to \(path): \(error)")
        }
    }
}
