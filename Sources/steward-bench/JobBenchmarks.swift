import ChildProcess
import Foundation

/// The whole-job benchmarks: each job done by Steward, by a Python + sqlite3 script, and (where
/// it applies) by plain lua5.4 or the sqlite3 shell, alternating in one run, medians compared.
enum JobBenchmarks {
    static let benchmarks = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Benchmarks").path
    static let binDir = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent().path
    static var steward: String { binDir + "/steward" }

    static func run(members: Int, repetitions: Int) {
        let tools: Competitors
        do { tools = try Competitors.resolve() } catch {
            print("steward-bench: \(error)")
            exit(1)
        }
        print(tools.versions())
        let work = "/tmp/steward-bench"
        try? FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        let db = "\(work)/demo-\(members).db"
        if !FileManager.default.fileExists(atPath: db) {
            print("building the dataset: steward demo --members \(members) --seed 7 …")
            let m = ChildProcess.measure([steward, "demo", "--db", db, "--members", String(members), "--seed", "7"])
            guard m.status == 0 else { print("steward demo failed: \(m.output)"); exit(1) }
            print(String(format: "  %.1f s (peak %.0f MB)", m.seconds, Double(m.peakBytes) / 1e6))
        }
        upgrade(db)
        let data = "\(work)/subsidy-data-\(members).lua"
        if !FileManager.default.fileExists(atPath: data) { exportPlainData(db: db, to: data, sqlite3: tools.sqlite3) }
        let scan = "SELECT id, disability_grade, minimum_living, extreme_hardship, registered_poor, birth_date FROM members WHERE disability_grade IS NOT NULL ORDER BY id"
        let copy = "\(work)/commit-copy.db"

        var t: [String: [Double]] = [:]
        var peak: [String: Int] = [:]
        var outputs: [String: String] = [:]
        func measure(_ key: String, _ args: [String], fresh: Bool = false) {
            if fresh {
                for suffix in ["", "-wal", "-shm"] { unlink(copy + suffix) }
                _ = ChildProcess.measure(["cp", db, copy])
                // Python applies what it computes; so must Steward here, not hold it for a
                // second approver (the demo's four-eyes threshold is ¥50,000 a change set).
                let raised = ChildProcess.measure([steward, "settings", "set", "approval.threshold", "100000000", "--db", copy])
                if raised.status != 0 { print("  ! could not raise the approval threshold: \(raised.output)") }
            }
            let m = ChildProcess.measure(args)
            if m.status != 0 { print("  ! \(key) exited \(m.status): \(m.output.prefix(300))") }
            t[key, default: []].append(m.seconds)
            peak[key] = max(peak[key] ?? 0, m.peakBytes)
            outputs[key] = m.output
        }
        let oneLine = "\(work)/one-line.lua"
        do { try "return 1 + 1\n".write(toFile: oneLine, atomically: true, encoding: .utf8) } catch {
            print("cannot write \(oneLine): \(error)")
            exit(1)
        }
        let schedules = 1_000
        let scheduleTemplate = "\(work)/schedules-\(schedules)-\(members).db"
        do {
            if !FileManager.default.fileExists(atPath: scheduleTemplate) {
                print("storing, approving and scheduling \(schedules) scripts …")
            }
            try SchedulerBenchmark.prepare(db: db, template: scheduleTemplate, count: schedules)
            upgrade(scheduleTemplate)
        } catch {
            print("cannot prepare the scheduler benchmark: \(error)")
            exit(1)
        }
        var scheduledCommitted = 0
        let remindDays = "1825"  // five years: the demo spreads expiries realistically, so 30 days gives ~1,350 at 1M; the goal asks for 10,000+
        for rep in 1...repetitions {
            print("repetition \(rep)/\(repetitions)")
            measure("subsidy.steward.dry", [steward, "run", "--db", db, "--timeout", "600s", "--memory-limit", "1GB", "\(benchmarks)/subsidy.lua"])
            measure("subsidy.python.dry", [tools.python, "\(benchmarks)/subsidy.py", db, "2025-06"])
            measure("subsidy.sqlite.scan", [tools.sqlite3, db, scan])
            measure("subsidy.lua.compute", [tools.lua, "\(benchmarks)/subsidy_plain.lua", data])
            // The computation time it printed (its last line), not the process's, which parses
            // the data file: one figure per repetition, so that its median is taken like the rest.
            if let printed = outputs["subsidy.lua.compute"]?.split(separator: "\n").last, let seconds = Double(printed) {
                t["subsidy.lua.computed", default: []].append(seconds)
            } else {
                print("  ! subsidy.lua.compute printed no computation time")
            }
            measure("subsidy.steward.commit", [steward, "run", "--db", copy, "--commit", "--timeout", "600s", "--memory-limit", "1GB", "\(benchmarks)/subsidy.lua"], fresh: true)
            measure("subsidy.python.commit", [tools.python, "\(benchmarks)/subsidy.py", copy, "2025-06", "--commit"], fresh: true)
            measure("quota.steward", [steward, "run", "--db", db, "\(benchmarks)/quota.lua"])
            measure("quota.sqlite", [tools.sqlite3, db, ".read \(benchmarks)/quota.sql"])
            measure("reminders.steward.commit", [steward, "run", "--db", copy, "--commit", "--timeout", "600s", "--param", "days=\(remindDays)", "\(benchmarks)/reminders.lua"], fresh: true)
            measure("reminders.python.commit", [tools.python, "\(benchmarks)/reminders.py", copy, remindDays, "--commit"], fresh: true)
            measure("startup.steward.nodb", [steward, "run", oneLine])
            measure("startup.steward.db", [steward, "run", "--db", db, oneLine])
            measure("startup.lua", [tools.lua, "-e", "return 1 + 1"])
            measure("startup.repl", [steward, "repl", "--db", db])
            let (minute, committed) = SchedulerBenchmark.measure(steward: steward, template: scheduleTemplate, copy: copy)
            if minute.status != 0 { print("  ! runner exited \(minute.status): \(minute.output.prefix(300))") }
            t["scheduler.minute", default: []].append(minute.seconds)
            scheduledCommitted = committed
        }
        func med(_ k: String) -> Double { let v = (t[k] ?? [0]).sorted(); return v[v.count / 2] }
        // Plain lua: the median of the computation times it printed. (It used to be the last
        // run's alone, and one slow run moved the ratio from 1.2× to 2.2×.)
        let luaCompute = med("subsidy.lua.computed")
        var rows: [Bench.Row] = []
        let sDry = med("subsidy.steward.dry"), pDry = med("subsidy.python.dry")
        let sCommit = med("subsidy.steward.commit"), pCommit = med("subsidy.python.commit")
        let raw = med("subsidy.sqlite.scan") + luaCompute
        let first = outputs["subsidy.steward.dry"]?.split(separator: "\n").first.map(String.init) ?? ""
        rows.append(.init(name: "1 subsidy, dry run (\(first))", value: Bench.format(sDry),
                          comparison: String(format: "Python %@ (%.2f×)", Bench.format(pDry), sDry / pDry),
                          goal: "≤ 1/3 of Python", met: sDry <= pDry / 3))
        rows.append(.init(name: "1 subsidy, commit", value: Bench.format(sCommit),
                          comparison: String(format: "Python %@ (%.2f×)", Bench.format(pCommit), sCommit / pCommit),
                          goal: "≤ 1/3 of Python", met: sCommit <= pCommit / 3))
        rows.append(.init(name: "1 subsidy vs raw scan + plain lua5.4", value: Bench.format(sDry),
                          comparison: String(format: "scan %@ + lua %@ (%.2f×)", Bench.format(med("subsidy.sqlite.scan")), Bench.format(luaCompute), sDry / raw),
                          goal: "≤ 2×", met: sDry <= 2 * raw))
        // What "≤ 1/3 of Python" leaves room for: Steward's start-up and the computation in plain
        // Lua, before any row is read. When this alone is above a third of Python, that goal
        // leaves no time to read the rows. (A reference, not an exact floor: the plain script
        // parses dates and builds keys in Lua, which Steward does in Swift.)
        let startupAndLua = med("startup.steward.db") + luaCompute
        rows.append(.init(name: "1 start-up + plain lua5.4 computation, no rows read", value: Bench.format(startupAndLua),
                          comparison: String(format: "a third of Python's dry run: %@", Bench.format(pDry / 3)),
                          goal: "-", met: nil))
        let peakSteward = max(peak["subsidy.steward.dry"] ?? 0, peak["subsidy.steward.commit"] ?? 0)
        rows.append(.init(name: "1 subsidy, peak memory", value: String(format: "%.0f MB", Double(peakSteward) / 1e6),
                          comparison: String(format: "Python %.0f MB", Double(peak["subsidy.python.commit"] ?? 0) / 1e6),
                          goal: "≤ 1 GiB", met: peakSteward <= 1 << 30))
        let q = med("quota.steward"), qs = med("quota.sqlite")
        rows.append(.init(name: "2 count_by town + largest remainder", value: Bench.format(q),
                          comparison: String(format: "sqlite3 GROUP BY %@ (%.2f×)", Bench.format(qs), q / qs),
                          goal: "≤ 1.5×", met: q <= 1.5 * qs))
        let r = med("reminders.steward.commit"), rp = med("reminders.python.commit")
        let count = outputs["reminders.python.commit"]?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        rows.append(.init(name: "3 reminders, commit (\(count), \(remindDays) days)", value: Bench.format(r),
                          comparison: String(format: "Python %@ (%.2f×)", Bench.format(rp), r / rp),
                          goal: "≤ 1/3 of Python", met: r <= rp / 3))
        let minute = med("scheduler.minute")
        rows.append(.init(name: "4 scheduler: \(schedules) scripts due in one minute", value: Bench.format(minute),
                          comparison: String(format: "%d committed, %@ per run", scheduledCommitted,
                                             Bench.format(minute / Double(max(1, scheduledCommitted)))),
                          goal: "≤ 10 s, all committed",
                          met: minute <= 10 && scheduledCommitted == schedules))
        rows.append(.init(name: "5 start-up: steward run one-line, no database", value: Bench.format(med("startup.steward.nodb")),
                          comparison: "lua5.4 -e: " + Bench.format(med("startup.lua")), goal: "≤ 50 ms", met: med("startup.steward.nodb") <= 0.05))
        rows.append(.init(name: "5 start-up: steward run one-line, demo database", value: Bench.format(med("startup.steward.db")),
                          comparison: "-", goal: "≤ 50 ms", met: med("startup.steward.db") <= 0.05))
        rows.append(.init(name: "5 start-up: steward repl (piped, no input) to exit", value: Bench.format(med("startup.repl")),
                          comparison: "-", goal: "≤ 50 ms", met: med("startup.repl") <= 0.05))
        Bench.printTable("Jobs over \(members) members (median of \(repetitions), wall time of whole processes)", rows)
    }

    /// Job 4 alone: `count` scripts due in one minute over a `members` demo district.
    static func scheduler(count: Int, members: Int) -> Int32 {
        let work = "/tmp/steward-bench"
        try? FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        let db = "\(work)/demo-\(members).db"
        if !FileManager.default.fileExists(atPath: db) {
            let m = ChildProcess.measure([steward, "demo", "--db", db, "--members", String(members), "--seed", "7"])
            guard m.status == 0 else { print("steward demo failed: \(m.output)"); return 1 }
        }
        upgrade(db)
        let template = "\(work)/schedules-\(count)-\(members).db"
        do {
            try SchedulerBenchmark.prepare(db: db, template: template, count: count)
            upgrade(template)
        } catch {
            print("cannot prepare: \(error)")
            return 1
        }
        let (m, committed) = SchedulerBenchmark.measure(steward: steward, template: template, copy: "\(work)/commit-copy.db")
        let perRun = m.seconds / Double(max(1, committed))
        Bench.printTable("Scheduler: \(count) scripts due in one minute, \(members) members", [
            .init(name: "runner --once, start to exit", value: Bench.format(m.seconds),
                  comparison: "\(committed) committed, \(Bench.format(perRun)) per run", goal: "≤ 10 s for 1,000",
                  met: committed == count && perRun <= 0.01),
        ])
        if m.status != 0 { print("runner exited \(m.status): \(m.output.prefix(500))") }
        return committed == count ? 0 : 1
    }

    /// Brings a dataset kept from an earlier build to this build's schema (`steward init`
    /// upgrades in place and leaves a current file alone), so that its read-only runs are not
    /// refused and no run pays for the migration.
    static func upgrade(_ path: String) {
        let m = ChildProcess.measure([steward, "init", "--db", path])
        guard m.status == 0 else {
            print("cannot bring \(path) to this build's schema: \(m.output)")
            exit(1)
        }
        if m.output.hasPrefix("upgraded") { print("  " + m.output.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }

    static func exportPlainData(db: String, to path: String, sqlite3: String) {
        let csv = ChildProcess.measure([sqlite3, "-separator", ",", db,
            "SELECT id, disability_grade, (minimum_living OR extreme_hardship OR registered_poor), birth_date FROM members WHERE disability_grade IS NOT NULL ORDER BY id"])
        // An empty data file would make plain Lua's computation look free.
        guard csv.status == 0, !csv.output.isEmpty else {
            print("cannot read the subsidy rows for plain Lua with \(sqlite3) (exit \(csv.status)): \(csv.output.prefix(300))")
            exit(1)
        }
        var lua = "return {\n"
        for line in csv.output.split(separator: "\n") {
            let f = line.split(separator: ",")
            guard f.count == 4 else { continue }
            lua += "{\(f[0]),\(f[1]),\(f[2] == "1" ? "true" : "false"),\"\(f[3])\"},\n"
        }
        lua += "}\n"
        do { try lua.write(toFile: path, atomically: true, encoding: .utf8) } catch {
            print("cannot write plain Lua's data to \(path): \(error)")
            exit(1)
        }
    }
}
