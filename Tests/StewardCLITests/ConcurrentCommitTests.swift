import ChildProcess
import Foundation
import Testing

/// Concurrency (issue 9), seen as separate `steward` processes on one database — the store's
/// own tests (StewardStoreTests/ConcurrencyTests) race two connections inside one process;
/// these race whole processes: several `run --commit` against one budget or one hard quota,
/// two approvals of one held run, and writers held off by another process's lock.
///
/// The racers meet at a start line: each script proposes its effect (checked then against the
/// untouched budget or quota), then waits for a shared wall-clock second, so every commit
/// really competes for the write lock at the same moment.
@Suite("Concurrent commits from separate processes never overspend, overbook or approve twice")
struct ConcurrentCommitTests {
    static let long = DatabaseChecks.long
    static let racers = long ? 12 : 5

    struct Race: CustomStringConvertible, Sendable {
        var name: String
        /// A Lua statement proposing one effect; `KEY` is replaced by the racer's key.
        var effect: String
        /// How many racers can fit.
        var fits: Int
        var refusal: String
        var description: String { name }
    }

    static let races: [Race] = [
        Race(name: "budget", effect: """
            budget("serious-illness-2025"):grant(members{}:order_by("id"):first(), yuan(30000), { programme = "serious-illness-relief", key = "KEY" })
            """, fits: 3, refusal: "budget 'serious-illness-2025' has ¥10,000.00 left, this grant needs ¥30,000.00"),
        Race(name: "quota", effect: """
            programme("free-health-check"):book(nil, { period = "2025-Q4", count = 2, key = "KEY" })
            """, fits: 2, refusal: "hard quota 'free-health-check' 2025-Q4 (whole district) allows 5, 4 already booked, this booking needs 2"),
    ]

    /// The script each racer runs: late arrivals say so, the effect is proposed, then the
    /// script waits for the start second.
    static func racer(_ race: Race) -> String {
        """
        script{ name = "racer", params = { key = { type = "string" }, at = { type = "integer" } } }
        if os.time() >= params.at then error("late for the start") end
        \(race.effect.replacingOccurrences(of: "\"KEY\"", with: "params.key"))
        while os.time() < params.at do end
        """
    }

    @Test(arguments: races)
    func racersNeverOverspendAndLosersWriteNothing(race: Race) throws {
        let f = try RunnerFixture(members: 60, label: "steward-race-\(race.name)")
        if race.name == "quota" {
            try f.scratch.write("quota.lua", #"programme("free-health-check"):set_quota{ period = "2025-Q4", limit = 5, hard = true }"#)
            let set = try f.steward(["run", "quota.lua", "--commit"])
            try #require(set.exitCode == 0, "\(set.summary)")
        }
        try f.scratch.write("racer.lua", Self.racer(race))
        let runsBefore = try DatabaseChecks.int(f.db, "SELECT COUNT(*) FROM runs")
        let auditBefore = try DatabaseChecks.int(f.db, "SELECT COUNT(*) FROM audit")
        let startLine = Int(Date().timeIntervalSince1970) + (Self.long ? 6 : 4)
        let processes = try (0..<Self.racers).map { i in
            try f.start(["run", "racer.lua", "--commit", "--param", "key=racer-\(i)", "--param", "at=\(startLine)"])
        }
        let ends = processes.map { $0.wait(timeout: 120) }
        let winners = ends.filter { $0.exitCode == 0 }.count
        let late = ends.filter { $0.exitCode == 1 && $0.stderr.contains("late for the start") }.count
        let losers = ends.filter { $0.exitCode == 4 }
        let summary = ends.map { "\($0.exitCode.map(String.init) ?? "signal \($0.signal ?? 0)"): \($0.stderr)" }
        #expect(late <= Self.racers - race.fits - 1, "too few racers made the start line: \(summary)")
        #expect(winners == race.fits, "\(summary)")
        #expect(winners + late + losers.count == Self.racers, "\(summary)")
        for loser in losers {
            #expect(loser.stderr.contains("refused: effect #1: \(race.refusal)"), "\(loser.stderr)")
            #expect(loser.stderr.contains("the commit was refused; nothing was written"), "\(loser.stderr)")
        }
        // Winners wrote one run and one audit row each; losers nothing at all.
        #expect(try DatabaseChecks.int(f.db, "SELECT COUNT(*) FROM runs") == runsBefore + winners)
        #expect(try DatabaseChecks.int(f.db, "SELECT COUNT(*) FROM audit") == auditBefore + winners)
        switch race.name {
        case "budget":
            #expect(try DatabaseChecks.query(f.db, """
                SELECT COUNT(*), SUM(amount_fen) FROM ledger WHERE idempotency_key LIKE '%racer-%'
                """) == [["\(winners)", "\(winners * 3_000_000)"]])
            #expect(try DatabaseChecks.int(f.db, """
                SELECT b.total_fen - SUM(l.amount_fen) FROM budgets b JOIN ledger l ON l.budget_id = b.id WHERE b.code = 'serious-illness-2025'
                """) == 10_000_000 - winners * 3_000_000)
        default:
            #expect(try DatabaseChecks.query(f.db, """
                SELECT COUNT(*), SUM(amount) FROM quota_bookings WHERE period = '2025-Q4'
                """) == [["\(winners)", "\(winners * 2)"]])
        }
        let problems = try DatabaseChecks.problems(f.db, directory: f.scratch.url)
        #expect(problems.isEmpty, "\(problems)")
    }

    // MARK: two approvals of one held run

    @Test func twoApproversAtOnceOneWinsTheOtherIsToldWhy() throws {
        let f = try RunnerFixture(members: 60, label: "steward-race-approve")
        #expect(try f.steward(["settings", "set", "approval.threshold", "100"]).exitCode == 0)
        let added = try f.steward(["users", "add", "审批乙", "--role", "approver", "--scope", "金坛区"])
        try #require(added.exitCode == 0, "\(added.summary)")
        try f.scratch.write("held.lua", """
            script{ name = "held", params = { tag = { type = "string" } } }
            for m in members{}:order_by("id"):limit(20):each() do
              budget("welfare-posts-2025"):grant(m, yuan(10), { programme = "welfare-posts", period = "2025-06", kind = params.tag })
            end
            """)
        for round in 0..<(Self.long ? 15 : 3) {
            let held = try f.steward(["run", "held.lua", "--commit", "--param", "tag=r\(round)", "--as", "赵敏"])
            try #require(held.exitCode == 5, "\(held.summary)")
            let id = try #require(AccessDemo.pendingRunID(held))
            let approvers = ["张伟", "审批乙"]
            let processes = try approvers.map { try f.start(["runs", "approve", id, "--as", $0]) }
            let ends = processes.map { $0.wait(timeout: 60) }
            let won = ends.indices.filter { ends[$0].exitCode == 0 }
            try #require(won.count == 1, "round \(round): \(ends.map { "\($0.exitCode ?? -1) \($0.stdout) \($0.stderr)" })")
            let winner = approvers[won[0]]
            let loser = ends[1 - won[0]]
            #expect(ends[won[0]].stdout.hasPrefix("approved run \(id) (held, made by 赵敏 (by \(AccessDemo.admin) via --as)): committed 20 effect(s)"), "\(ends[won[0]].stdout)")
            #expect(loser.exitCode == 2)
            #expect(loser.stderr.hasPrefix("error: run \(id) was already approved by \(winner) at "), "\(loser.stderr)")
            #expect(loser.stderr.hasSuffix(" and is committed; nothing was changed\n"), "\(loser.stderr)")
            #expect(try DatabaseChecks.query(f.db, """
                SELECT r.status, (SELECT COUNT(*) FROM ledger WHERE run_id = r.id),
                       (SELECT COUNT(*) FROM audit WHERE action = 'run.approve' AND run_id = r.id) FROM runs r WHERE id = \(id)
                """) == [["committed", "20", "1"]])
        }
        let problems = try DatabaseChecks.problems(f.db, directory: f.scratch.url)
        #expect(problems.isEmpty, "\(problems)")
    }

    // MARK: another process holding the write lock

    /// `sqlite3` holding `BEGIN IMMEDIATE` on the database until released.
    final class LockHolder {
        let child: ChildProcess

        init(_ db: String) throws {
            child = try ChildProcess("sqlite3", ["-batch", db], stdin: .pipe)
            child.write(Data("BEGIN IMMEDIATE;\nSELECT 'locked';\n".utf8))
            let locked = RunnerFixture.eventually(timeout: 30) {
                String(decoding: self.child.output, as: UTF8.self).contains("locked")
            }
            guard locked else { throw DatabaseChecks.Failure("sqlite3 did not take the lock: \(child.errorOutput)") }
        }

        /// Commits and ends `sqlite3`; a second call does nothing.
        func release() {
            guard child.status == nil else { return }
            child.write(Data("COMMIT;\n.quit\n".utf8))
            child.closeInput()
            if child.wait(timeout: 30) == nil {
                child.signal(SIGKILL)
                _ = child.wait()
            }
        }

        deinit { release() }
    }

    /// Every writing command, while another process holds the lock past the 5 s busy timeout:
    /// a clear error naming the lock, exit 2 (before the fix, `run --commit` exited 4, "an
    /// invariant refused the commit"), and nothing written — never a silent
    /// skip. Then, with the lock released, the same command succeeds.
    @Test(.timeLimit(.minutes(60)))
    func aWriterHeldOffPastTheBusyTimeoutFailsClearlyAndWritesNothing() throws {
        let f = try RunnerFixture(members: 60, label: "steward-busy")
        try f.scratch.write("one.lua", """
            budget("hospital-consolation-2025"):grant(members{}:order_by("id"):first(), yuan(100), { programme = "hospital-consolation", key = "busy-one" })
            """)
        try f.scratch.write("one.csv", "姓名,身份证号,性别,出生日期,镇街\n锁等,\(DatabaseChecks.identityNumber("32048219600101991")),男,1960-01-01,金城镇\n")
        try f.addApproved("tick", #"script{ name = "tick" } print("tick")"#)
        try f.schedule("tick", "@hourly", from: "2026-03-02T00:00:00Z", ["--tz", "UTC"])
        let before = try DatabaseChecks.query(f.db, "SELECT (SELECT COUNT(*) FROM ledger), (SELECT COUNT(*) FROM runs), (SELECT COUNT(*) FROM members), (SELECT COUNT(*) FROM audit), (SELECT COUNT(*) FROM schedule_slots)")

        let commands: [(String, [String])] = [
            ("run --commit", ["run", "one.lua", "--commit"]),
            ("import --commit", ["import", "members", "one.csv", "--commit"]),
            ("runner --once", ["runner", "--once", "--now", "2026-03-02T01:00:10Z", "--id", "busy-runner"]),
        ]
        let holder = try LockHolder(f.db)
        // The three wait out their busy timeouts side by side.
        let processes = try commands.map { try f.start($0.1) }
        let ends = processes.map { $0.wait(timeout: 60) }
        holder.release()
        for (command, end) in zip(commands.map(\.0), ends) {
            #expect(end.exitCode == 2, "\(command): \(end)")
            #expect(end.stderr.contains("stayed locked by another writer for 5.0 s; try again"), "\(command): \(end.stderr)")
        }
        #expect(try DatabaseChecks.query(f.db, "SELECT (SELECT COUNT(*) FROM ledger), (SELECT COUNT(*) FROM runs), (SELECT COUNT(*) FROM members), (SELECT COUNT(*) FROM audit), (SELECT COUNT(*) FROM schedule_slots)") == before)

        // The lock gone, each goes through.
        for (command, arguments) in commands {
            let r = try f.steward(arguments)
            #expect(r.exitCode == 0, "\(command): \(r.summary)")
        }
        #expect(try DatabaseChecks.int(f.db, "SELECT COUNT(*) FROM ledger WHERE idempotency_key LIKE '%busy-one%'") == 1)
        #expect(try DatabaseChecks.int(f.db, "SELECT COUNT(*) FROM members WHERE name = '锁等'") == 1)
        #expect(try DatabaseChecks.int(f.db, "SELECT COUNT(*) FROM schedule_slots WHERE status = 'succeeded'") == 1)
        let problems = try DatabaseChecks.problems(f.db, directory: f.scratch.url)
        #expect(problems.isEmpty, "\(problems)")
    }

    /// A lock released within the busy timeout is waited out: the commit goes through.
    @Test(.timeLimit(.minutes(60)))
    func aLockReleasedWithinTheBusyTimeoutIsWaitedOut() throws {
        let f = try RunnerFixture(members: 60, label: "steward-busy-wait")
        try f.scratch.write("one.lua", """
            budget("hospital-consolation-2025"):grant(members{}:order_by("id"):first(), yuan(100), { programme = "hospital-consolation", key = "wait-one" })
            """)
        let holder = try LockHolder(f.db)
        let started = Date()
        let process = try f.start(["run", "one.lua", "--commit"])
        // Released once the writer has had time to reach its commit (a one-grant script takes
        // well under a second) and well before its 5 s timeout.
        usleep(2_000_000)
        holder.release()
        let end = process.wait(timeout: 60)
        #expect(end.exitCode == 0, "\(end.stderr)")
        #expect(Date().timeIntervalSince(started) >= 2)
        #expect(try DatabaseChecks.int(f.db, "SELECT COUNT(*) FROM ledger WHERE idempotency_key LIKE '%wait-one%'") == 1)
    }
}
