import ChildProcess
import Foundation
import Testing
import TestRandom

/// Crash safety (issue 9): committed runs, CSV imports, approvals and scheduled slots are
/// killed with SIGKILL at random moments — seeded (the seed is in every failure message;
/// replay with `STEWARD_CRASH_SEED=<seed>`), and half of the moments drawn from the measured
/// commit window so the kill lands inside the write transaction — and after every kill the
/// database must be whole: `integrity_check` ok, every run fully applied or absent, every
/// budget reconciled to its ledger, no slot run twice, and an interrupted scheduled run marked
/// `abandoned` by the next runner, which carries on.
///
/// The default run kills a few dozen times (well under a minute on two cores); with
/// `STEWARD_LONG_TESTS=1` it kills hundreds of times with larger change sets. The time
/// limits of these three suites are 60 min: Swift Testing starts a test's clock before it
/// gets one of the (two, here) cooperative threads, which the long versions' blocking tests
/// hold for minutes — a 5 min limit failed a 2 s test that way.
@Suite("Crash safety: SIGKILL at random moments leaves every run whole or absent")
struct CrashSafetyTests {
    static let long = DatabaseChecks.long

    /// Grants ¥1.00 to each of the first `n` members from winter-warmth-2025, as kind `tag`:
    /// one ledger entry per member, so a run is `n` entries or none.
    static let massGrant = """
        script{ name = "mass-grant", params = { n = { type = "integer" }, tag = { type = "string" } } }
        local fund = budget "winter-warmth-2025"
        for m in members{}:order_by("id"):limit(params.n):each() do
          fund:grant(m, 100, { programme = "winter-warmth", period = "2025-06", kind = params.tag })
        end
        """

    /// A kill moment in seconds: even rounds within the commit window measured for this kind of
    /// process (`from`…`to`), odd rounds anywhere from the start to well past its end (so
    /// some runs finish, and the load's effect on the timings shows).
    static func delay(round: Int, from: Double, to: Double, _ rng: inout SplitMix64) -> Double {
        let end = max(to, from + 0.05)
        return round.isMultiple(of: 2) ? Double.random(in: from...(end * 1.05), using: &rng)
            : Double.random(in: 0...(end * 1.6), using: &rng)
    }

    static func sleep(seconds: Double) { usleep(UInt32(max(0, seconds) * 1_000_000)) }

    /// The child processes of `pid` (Linux: /proc/PID/task/TID/children).
    static func children(of pid: Int32) -> [Int32] {
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
        return tasks.flatMap { task -> [Int32] in
            let text = (try? String(contentsOfFile: "/proc/\(pid)/task/\(task)/children", encoding: .utf8)) ?? ""
            return text.split(separator: " ").compactMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        }
    }

    // MARK: a large change set

    @Test(.timeLimit(.minutes(60)))
    func killedLargeCommitsAreWholeOrAbsent() throws {
        var rng = SplitMix64.fromEnvironment()
        let seed = "seed \(rng.seed) (replay: STEWARD_CRASH_SEED=\(rng.seed))"
        let grants = Self.long ? 1500 : 300
        let rounds = Self.long ? 150 : 12
        let f = try RunnerFixture(members: grants + 50, label: "steward-crash-run")
        try f.scratch.write("mass.lua", Self.massGrant)
        func args(_ tag: String, commit: Bool = true) -> [String] {
            ["run", "mass.lua", "--param", "n=\(grants)", "--param", "tag=\(tag)"] + (commit ? ["--commit"] : [])
        }
        // The timings the kills are drawn from: the script alone (a dry run), then a whole commit.
        let dry = try f.steward(args("dry", commit: false))
        try #require(dry.exitCode == 0, "\(dry.summary)")
        let whole = try f.steward(args("whole"))
        try #require(whole.exitCode == 0, "\(whole.summary)")
        #expect(try DatabaseChecks.int(f.db, "SELECT COUNT(*) FROM ledger WHERE benefit_kind = 'whole'") == grants)

        var applied = 0, absent = 0, finishedFirst = 0, inTransaction = 0
        // The window, kept up to date: a run that outlives its kill moment shows how long a
        // run takes now (the machine's load changes while the suite runs).
        var (scriptTime, commitTime) = (dry.seconds, whole.seconds)
        for round in 1...rounds {
            let tag = "kill-\(round)"
            let moment = Self.delay(round: round, from: scriptTime, to: commitTime, &rng)
            let started = Date()
            let process = try f.start(args(tag))
            Self.sleep(seconds: moment)
            let locked = DatabaseChecks.writeLockHeld(f.db)
            process.signal(SIGKILL)
            let end = process.wait()
            let context = "round \(round), killed at \(String(format: "%.3f", moment)) s, \(seed)"
            let written = try DatabaseChecks.int(f.db, "SELECT COUNT(*) FROM ledger WHERE benefit_kind = '\(tag)'")
            let runs = try DatabaseChecks.int(f.db, """
                SELECT COUNT(*) FROM runs WHERE status = 'committed' AND json_extract(params_json, '$.tag') = '\(tag)'
                """)
            if end.exitCode != nil {
                finishedFirst += 1
                let took = Date().timeIntervalSince(started)
                (scriptTime, commitTime) = (scriptTime * took / commitTime, took)
                #expect(end.exitCode == 0, "\(context): \(end.stderr)")
                #expect(written == grants && runs == 1, "\(context): finished, yet \(written) entries, \(runs) runs")
            } else {
                #expect(end.signal == SIGKILL, "\(context)")
                #expect((written == 0 && runs == 0) || (written == grants && runs == 1),
                        "\(context): \(written) of \(grants) entries, \(runs) committed runs: half-written")
            }
            if written == grants { applied += 1 } else { absent += 1 }
            if end.signal != nil && locked { inTransaction += 1 }
            let problems = try DatabaseChecks.problems(f.db, directory: f.scratch.url)
            #expect(problems.isEmpty, "\(context): \(problems)")
            if !problems.isEmpty { break }
        }
        // Every commit has its one audit row; the database takes the next commit as usual.
        let commits = try DatabaseChecks.int(f.db, "SELECT COUNT(*) FROM runs WHERE status = 'committed'")
        #expect(try DatabaseChecks.int(f.db, "SELECT COUNT(*) FROM audit WHERE action = 'run.commit'") == commits)
        let after = try f.steward(args("after"))
        #expect(after.exitCode == 0, "\(after.summary)")
        #expect(try DatabaseChecks.int(f.db, "SELECT COUNT(*) FROM ledger WHERE benefit_kind = 'after'") == grants)
        print("crash safety, large commit: \(rounds) kills (\(grants) entries each; script \(String(format: "%.2f", dry.seconds)) s, "
              + "commit \(String(format: "%.2f", whole.seconds)) s): \(applied) applied whole, \(absent) absent "
              + "(\(inTransaction) kills landed while the write lock was held, inside the commit), \(finishedFirst) finished before the kill; \(seed)")
    }

    // MARK: a CSV import

    @Test(.timeLimit(.minutes(60)))
    func killedImportsAreWholeOrAbsent() throws {
        var rng = SplitMix64.fromEnvironment()
        let seed = "seed \(rng.seed) (replay: STEWARD_CRASH_SEED=\(rng.seed))"
        let people = Self.long ? 1000 : 250
        let rounds = Self.long ? 100 : 8
        let f = try RunnerFixture(members: 100, label: "steward-crash-import")
        func csv(_ round: Int) throws -> String {
            var text = "姓名,身份证号,性别,出生日期,镇街\n"
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(identifier: "UTC")!
            let base = DateComponents(calendar: calendar, year: 1950, month: 1, day: 1).date!
            for i in 0..<people {
                // Sequence numbers 990–999 never occur in the demo: these people are new.
                let g = round * people + i
                let birth = calendar.dateComponents([.year, .month, .day],
                                                    from: calendar.date(byAdding: .day, value: g / 10, to: base)!)
                let date = String(format: "%04d%02d%02d", birth.year!, birth.month!, birth.day!)
                let number = DatabaseChecks.identityNumber("320482" + date + "99\(g % 10)")
                let iso = String(format: "%04d-%02d-%02d", birth.year!, birth.month!, birth.day!)
                text += "导入\(round)-\(i),\(number),\(g % 2 == 1 ? "男" : "女"),\(iso),金城镇\n"
            }
            let name = "people-\(round).csv"
            try f.scratch.write(name, text)
            return name
        }
        func imported(_ round: Int) throws -> Int {
            try DatabaseChecks.int(f.db, "SELECT COUNT(*) FROM members WHERE name LIKE '导入\(round)-%'")
        }
        let dry = try f.steward(["import", "members", try csv(0)])
        try #require(dry.exitCode == 0, "\(dry.summary)")
        let whole = try f.steward(["import", "members", try csv(0), "--commit"])
        try #require(whole.exitCode == 0, "\(whole.summary)")
        #expect(try imported(0) == people)

        var applied = 0, absent = 0, inTransaction = 0
        for round in 1...rounds {
            let file = try csv(round)
            let moment = Self.delay(round: round, from: dry.seconds, to: whole.seconds, &rng)
            let process = try f.start(["import", "members", file, "--commit"])
            Self.sleep(seconds: moment)
            if DatabaseChecks.writeLockHeld(f.db) { inTransaction += 1 }
            process.signal(SIGKILL)
            let end = process.wait()
            let context = "round \(round), killed at \(String(format: "%.3f", moment)) s, \(seed)"
            let count = try imported(round)
            let audits = try DatabaseChecks.int(f.db, """
                SELECT COUNT(*) FROM audit WHERE action = 'import.members' AND json_extract(details_json, '$.added') = '\(people)'
                """)
            if end.exitCode != nil {
                #expect(end.exitCode == 0 && count == people, "\(context): finished with \(end.exitCode!), \(count) imported")
            }
            #expect(count == 0 || count == people, "\(context): \(count) of \(people) people imported: half-written")
            // One audit row for each whole import so far: the first, one a round before this, and this one if it landed.
            #expect(audits == round + (count == people ? 1 : 0), "\(context): \(audits) import audit rows")
            if count == people { applied += 1 } else { absent += 1 }
            let problems = try DatabaseChecks.problems(f.db, directory: f.scratch.url)
            #expect(problems.isEmpty, "\(context): \(problems)")
            if !problems.isEmpty { break }
            // An import that was cut short can simply be given again: all or nothing, once.
            if count == 0 {
                let again = try f.steward(["import", "members", file, "--commit"])
                let reimported = try imported(round)
                #expect(again.exitCode == 0 && reimported == people, "\(context): re-import \(again.summary)")
            }
        }
        print("crash safety, import: \(rounds) kills (\(people) people each; dry \(String(format: "%.2f", dry.seconds)) s, "
              + "commit \(String(format: "%.2f", whole.seconds)) s): \(applied) applied whole before the kill, "
              + "\(absent) absent and imported again; \(inTransaction) kills landed while the write lock was held; \(seed)")
    }

    // MARK: an approval

    @Test(.timeLimit(.minutes(60)))
    func killedApprovalsAreWholeOrAbsent() throws {
        var rng = SplitMix64.fromEnvironment()
        let seed = "seed \(rng.seed) (replay: STEWARD_CRASH_SEED=\(rng.seed))"
        let grants = Self.long ? 1200 : 300
        let rounds = Self.long ? 40 : 5
        let f = try RunnerFixture(members: grants + 50, label: "steward-crash-approve")
        // ¥2.00 to each of `grants` members is above a ¥100 threshold: held for a second approver.
        #expect(try f.steward(["settings", "set", "approval.threshold", "100"]).exitCode == 0)
        try f.scratch.write("held.lua", """
            script{ name = "held-grant", params = { tag = { type = "string" } } }
            local fund = budget "welfare-posts-2025"
            for m in members{}:order_by("id"):limit(\(grants)):each() do
              fund:grant(m, 200, { programme = "welfare-posts", period = "2025-06", kind = params.tag })
            end
            """)
        func hold(_ tag: String) throws -> String {
            let r = try f.steward(["run", "held.lua", "--commit", "--param", "tag=\(tag)", "--as", "赵敏"])
            guard r.exitCode == 5, let range = r.stderrText.range(of: "stored as run ") else {
                throw RunnerFixture.FixtureError("not held: \(r.summary)")
            }
            return String(r.stderrText[range.upperBound...].prefix { $0.isNumber })
        }
        func state(_ id: String) throws -> (status: String, entries: Int, approvals: Int) {
            let rows = try DatabaseChecks.query(f.db, """
                SELECT status, (SELECT COUNT(*) FROM ledger WHERE run_id = r.id),
                       (SELECT COUNT(*) FROM audit WHERE action = 'run.approve' AND run_id = r.id) FROM runs r WHERE id = \(id)
                """)
            return (rows[0][0], Int(rows[0][1]) ?? -1, Int(rows[0][2]) ?? -1)
        }
        let first = try hold("whole")
        let whole = try f.steward(["runs", "approve", first, "--as", "张伟"])
        try #require(whole.exitCode == 0, "\(whole.summary)")
        #expect(try state(first) == ("committed", grants, 1))

        var applied = 0, absent = 0, inTransaction = 0
        for round in 1...rounds {
            let id = try hold("kill-\(round)")
            // The approval re-checks everything, then writes: the window is most of its time.
            let moment = Self.delay(round: round, from: whole.seconds * 0.3, to: whole.seconds, &rng)
            let process = try f.start(["runs", "approve", id, "--as", "张伟"])
            Self.sleep(seconds: moment)
            if DatabaseChecks.writeLockHeld(f.db) { inTransaction += 1 }
            process.signal(SIGKILL)
            let end = process.wait()
            let context = "round \(round), run \(id), killed at \(String(format: "%.3f", moment)) s, \(seed)"
            let now = try state(id)
            if end.exitCode != nil { #expect(end.exitCode == 0 && now.status == "committed", "\(context): \(end.stderr)") }
            #expect(now == ("committed", grants, 1) || now == ("pending_approval", 0, 0), "\(context): \(now)")
            let problems = try DatabaseChecks.problems(f.db, directory: f.scratch.url)
            #expect(problems.isEmpty, "\(context): \(problems)")
            if !problems.isEmpty { break }
            if now.status == "committed" {
                applied += 1
                // Approved once: a second approval is refused and changes nothing.
                let again = try f.steward(["runs", "approve", id, "--as", "张伟"])
                #expect(again.exitCode == 2 && again.stderrText.contains("run \(id) was already approved by 张伟"), "\(context): \(again.summary)")
            } else {
                absent += 1
                let again = try f.steward(["runs", "approve", id, "--as", "张伟"])
                #expect(again.exitCode == 0, "\(context): \(again.summary)")
            }
            #expect(try state(id) == ("committed", grants, 1), "\(context)")
        }
        print("crash safety, approvals: \(rounds) kills (\(grants) entries each; approval \(String(format: "%.2f", whole.seconds)) s): "
              + "\(applied) committed before the kill, \(absent) still pending and approved again; \(inTransaction) kills landed while the write lock was held; \(seed)")
    }

    // MARK: scheduled slots

    /// A runner killed mid-run and started again only after its schedule's next slot fell due
    /// (a host that was down, a cron `--once` an hour later): the start marks the dead run
    /// abandoned and runs the due slot. Found by the long run below: the dead run was
    /// recorded as ending at the restart, so it seemed to cover the due slot and overlap=forbid
    /// skipped it as "previous run still running" — a crash mid-run cost the next slot too.
    @Test(.timeLimit(.minutes(60)))
    func aRestartAfterTheNextSlotFellDueMarksTheDeadRunAndRunsTheSlot() throws {
        let f = try RunnerFixture(label: "steward-crash-restart")
        try f.addApproved("hourly", RunnerCLITests.slotScript)
        try f.schedule("hourly", "@hourly", from: "2026-03-02T00:00:00Z", ["--tz", "UTC"])
        let runner = try f.start(["runner", "--once", "--now", "2026-03-02T01:00:10Z", "--id", "crash-runner", "--timeout", "60s"],
                                 environment: ["STEWARD_WORKER_TEST_HANG": "hourly"])
        #expect(try RunnerFixture.eventually { try f.slots("hourly").contains { $0.status == "running" } })
        // The hung worker outlives its killed runner (nothing kills a worker whose parent
        // died): end it too, or it hangs on after the tests.
        let workers = Self.children(of: runner.pid)
        runner.signal(SIGKILL)
        _ = runner.wait()
        for pid in workers { kill(pid, SIGKILL) }
        let next = try f.once("2026-03-02T02:00:10Z", id: "crash-runner")
        #expect(next.exitCode == 0, "\(next.summary)")
        #expect(next.stdoutText.contains("abandoned: hourly slot 2026-03-02T01:00:00Z left running by runner crash-runner"),
                "\(next.stdoutText)")
        #expect(next.stdoutText.contains("ran: hourly slot 2026-03-02T02:00: succeeded"), "\(next.stdoutText)")
        #expect(!next.stdoutText.contains("overlap"), "\(next.stdoutText)")
        #expect(try f.slots("hourly").map(\.status) == ["abandoned", "succeeded"])
        #expect(try f.runs(script: "hourly").map(\.status) == ["abandoned", "committed"])
    }

    @Test(.timeLimit(.minutes(60)))
    func killedRunnersLeaveSlotsOnceAndAbandonedRunsAreMarkedAtTheNextStart() throws {
        var rng = SplitMix64.fromEnvironment()
        let seed = "seed \(rng.seed) (replay: STEWARD_CRASH_SEED=\(rng.seed))"
        let grants = Self.long ? 1000 : 250
        let rounds = Self.long ? 80 : 8
        let f = try RunnerFixture(members: grants + 50, label: "steward-crash-slots")
        try f.addApproved("slot-grant", """
            script{ name = "slot-grant" }
            local fund = budget "winter-warmth-2025"
            for m in members{}:order_by("id"):limit(\(grants)):each() do
              fund:grant(m, 100, { programme = "winter-warmth", period = "2025-06", kind = "slot " .. run.slot })
            end
            """)
        try f.schedule("slot-grant", "@hourly", from: "2026-03-02T00:00:00Z", ["--tz", "UTC"])
        let start = try #require(ISO8601DateFormatter().date(from: "2026-03-02T00:00:00Z"))
        let iso = ISO8601DateFormatter()
        func now(_ hour: Int, _ seconds: Int = 10) -> String { iso.string(from: start + TimeInterval(hour * 3600 + seconds)) }

        let first = try f.once(now(1), id: "crash-runner")
        try #require(first.exitCode == 0, "\(first.summary)")
        #expect(first.stdoutText.contains("ran: slot-grant slot 2026-03-02T01:00: succeeded"), "\(first.stdoutText)")

        var interrupted = 0, completed = 0, inTransaction = 0
        for round in 1...rounds {
            let hour = round + 1
            // The slot's instant: as the script sees it (run.slot) and as the slots table starts it.
            let instant = iso.string(from: start + TimeInterval(hour * 3600))  // 2026-03-02T05:00:00Z
            let nominal = instant.dropLast() + "+00:00"
            let stored = instant.dropLast()  // nominal_at LIKE stored%
            let moment = Self.delay(round: round, from: first.seconds * 0.5, to: first.seconds, &rng)
            let process = try f.start(["runner", "--once", "--now", now(hour), "--id", "crash-runner"])
            Self.sleep(seconds: moment)
            if DatabaseChecks.writeLockHeld(f.db) { inTransaction += 1 }
            process.signal(SIGKILL)
            let end = process.wait()
            let context = "round \(round) (slot \(nominal)), killed at \(String(format: "%.3f", moment)) s, \(seed)"
            if end.exitCode != nil { #expect(end.exitCode == 0, "\(context): \(end.stderr)") }
            let entries = try DatabaseChecks.int(f.db, "SELECT COUNT(*) FROM ledger WHERE benefit_kind = 'slot \(nominal)'")
            let committed = try DatabaseChecks.int(f.db, """
                SELECT COUNT(*) FROM runs WHERE status = 'committed' AND slot_id = (SELECT id FROM schedule_slots
                    WHERE nominal_at LIKE '\(stored)%')
                """)
            #expect((entries == 0 && committed == 0) || (entries == grants && committed == 1),
                    "\(context): \(entries) of \(grants) entries, \(committed) committed runs")
            var problems = try DatabaseChecks.problems(f.db, directory: f.scratch.url)
            let slotStatus = try DatabaseChecks.query(f.db, """
                SELECT status FROM schedule_slots WHERE nominal_at LIKE '\(stored)%'
                """).first?.first
            if slotStatus == "running" || slotStatus == "claimed" {
                interrupted += 1
                // The next start of this runner finds the slot its dead process left and marks it.
                let next = try f.once(now(hour, 40), id: "crash-runner")
                #expect(next.exitCode == 0, "\(context): \(next.summary)")
                let after = try DatabaseChecks.query(f.db, """
                    SELECT sl.status, (SELECT GROUP_CONCAT(status) FROM runs WHERE slot_id = sl.id) FROM schedule_slots sl
                    WHERE nominal_at LIKE '\(stored)%'
                    """).first
                if committed == 1 {
                    // Killed between the commit and recording the slot: the slot succeeded.
                    #expect(after == ["succeeded", "committed"], "\(context): \(after ?? [])")
                } else {
                    #expect(after == ["abandoned", "abandoned"], "\(context): \(after ?? [])")
                    #expect(next.stdoutText.contains("abandoned: slot-grant slot \(iso.string(from: start + TimeInterval(hour * 3600))) left running by runner crash-runner"),
                            "\(context): \(next.stdoutText)")
                }
                problems += try DatabaseChecks.problems(f.db, directory: f.scratch.url)
            } else if slotStatus == "succeeded" {
                completed += 1
                #expect(committed == 1 && entries == grants, "\(context)")
            } else {
                // Killed before the slot was claimed: the next hour's runner carries on from there.
                #expect(slotStatus == nil && committed == 0, "\(context): slot \(slotStatus ?? "none")")
            }
            #expect(problems.isEmpty, "\(context): \(problems)")
            if !problems.isEmpty { break }
        }
        // No slot ran twice, nothing is left running, and the runner carries on.
        let last = try f.once(now(rounds + 2), id: "crash-runner")
        #expect(last.exitCode == 0, "\(last.summary)")
        #expect(last.stdoutText.contains("succeeded"), "\(last.stdoutText)")
        #expect(try DatabaseChecks.query(f.db, """
            SELECT slot_id, COUNT(*) FROM runs WHERE status = 'committed' AND slot_id IS NOT NULL GROUP BY slot_id HAVING COUNT(*) > 1
            """).isEmpty, "\(seed)")
        #expect(try DatabaseChecks.int(f.db, "SELECT COUNT(*) FROM schedule_slots WHERE status IN ('running', 'claimed')") == 0)
        #expect(try DatabaseChecks.query(f.db, """
            SELECT benefit_kind, COUNT(*) FROM ledger WHERE benefit_kind LIKE 'slot %' GROUP BY benefit_kind HAVING COUNT(*) <> \(grants)
            """).isEmpty, "\(seed)")
        print("crash safety, scheduled slots: \(rounds) kills (\(grants) entries a slot; a slot \(String(format: "%.2f", first.seconds)) s): "
              + "\(interrupted) left running and marked at the next start, \(completed) finished; \(inTransaction) kills landed while the write lock was held; \(seed)")
    }
}
