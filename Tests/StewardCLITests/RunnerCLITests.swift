import Foundation
import Testing

/// `steward runner` end to end on a demo database: real worker processes, real claims in
/// SQLite, time given with `--now` (or a simulated clock), never slept through.
@Suite("steward runner: exactly once, catch-up, daylight saving, crashes and shutdown")
struct RunnerCLITests {
    static let slotScript = """
        script{ name = "slot-echo", idempotent = true }
        print("slot " .. run.slot .. " today " .. run.today .. " user " .. run.user .. " dry " .. tostring(run.dry_run))
        """

    // MARK: exactly once

    /// Two runner processes on one database, started together at every `*/5` slot of a
    /// simulated day: every slot runs exactly once, whichever process wins its claim.
    @Test(.timeLimit(.minutes(10)))
    func twoRunnerProcessesForADayOfFiveMinuteSlots() throws {
        let f = try RunnerFixture()
        try f.addApproved("every-5", Self.slotScript)
        try f.schedule("every-5", "*/5 * * * *", from: "2026-03-02T00:00:00Z")
        let start = try #require(ISO8601DateFormatter().date(from: "2026-03-02T00:00:00Z"))
        let formatter = ISO8601DateFormatter()
        let failures = Failures()
        for step in 1...288 {
            let now = formatter.string(from: start + TimeInterval(step * 300) + 2)
            DispatchQueue.concurrentPerform(iterations: 2) { i in
                let id = i == 0 ? "runner-a" : "runner-b"
                let r = try? f.once(now, id: id)
                if r?.exitCode != 0 { failures.add("\(id) at \(now): \(r?.summary ?? "did not start")") }
            }
        }
        #expect(failures.all.isEmpty, "\(failures.all.prefix(3))")
        let runs = try f.runs(script: "every-5")
        let slots = runs.compactMap(\.slot)
        #expect(runs.count == 288)
        #expect(Set(slots).count == 288)
        #expect(slots.sorted() == (1...288).map { start + TimeInterval($0 * 300) })
        #expect(runs.allSatisfy { $0.status == "committed" && $0.trigger == "schedule" && $0.user == "赵敏" })
        #expect(Set(runs.compactMap(\.runner)).isSubset(of: ["runner-a", "runner-b"]))
        #expect(try f.slots("every-5").allSatisfy { $0.status == "succeeded" })
    }

    /// A runner restarted every hour (here: `--once` at half a minute past each hour, as cron
    /// would start it) for a simulated fortnight still runs a weekly job, twice: the last slot
    /// is stored in the database, so the runner never plans only from "now".
    @Test(.timeLimit(.minutes(10)))
    func restartedEveryHourForAFortnightTheWeeklyJobRunsTwice() throws {
        let f = try RunnerFixture()
        try f.addApproved("weekly", Self.slotScript)
        try f.schedule("weekly", "0 0 * * MON", from: "2026-03-01T04:00:00Z")  // Sunday noon in Shanghai
        let start = try #require(ISO8601DateFormatter().date(from: "2026-03-01T04:00:00Z"))
        let formatter = ISO8601DateFormatter()
        for hour in 0..<(14 * 24) {
            let r = try f.once(formatter.string(from: start + TimeInterval(hour * 3600) + 30))
            #expect(r.exitCode == 0, "\(r.summary)")
        }
        let runs = try f.runs(script: "weekly")
        #expect(runs.map(\.slot).map { $0.map(formatter.string) } == ["2026-03-01T16:00:00Z", "2026-03-08T16:00:00Z"])
        #expect(try runs.map { try f.run($0.id).output } == [
            "slot 2026-03-02T00:00:00+08:00 today 2026-03-02 user 赵敏 dry false\n",
            "slot 2026-03-09T00:00:00+08:00 today 2026-03-09 user 赵敏 dry false\n",
        ])
    }

    /// An hourly job; the runner ran 10:00, then was down until 13:30. skip runs none of the
    /// three missed slots, latest runs 13:00, all runs 11:00, 12:00 and 13:00 in order; each
    /// run sees its own nominal time.
    @Test(arguments: [("skip", 0), ("latest", 1), ("all", 3)])
    func threeHoursDownOnAnHourlyJob(policy: String, expected: Int) throws {
        let f = try RunnerFixture()
        try f.addApproved("hourly", Self.slotScript)
        try f.schedule("hourly", "@hourly", from: "2026-03-02T01:30:00Z", ["--tz", "UTC", "--catch-up", policy])
        try f.once("2026-03-02T02:00:30Z")
        let back = try f.once("2026-03-02T05:30:00Z")
        #expect(back.exitCode == 0, "\(back.summary)")
        let runs = try f.runs(script: "hourly")
        #expect(runs.count == 1 + expected)
        let outputs = try runs.dropFirst().map { try f.run($0.id).output }
        switch policy {
        case "skip":
            #expect(back.stdoutText.contains("skipped: hourly 3 slots 2026-03-02T03:00 … 2026-03-02T05:00: missed while down, catch-up=skip"))
        case "latest":
            #expect(outputs == ["slot 2026-03-02T05:00:00+00:00 today 2026-03-02 user 赵敏 dry false\n"])
        default:
            #expect(outputs == ["03", "04", "05"].map { "slot 2026-03-02T\($0):00:00+00:00 today 2026-03-02 user 赵敏 dry false\n" })
        }
        // The skips are recorded with their reason, and nothing runs twice on a second pass.
        #expect(try f.slots("hourly").filter { $0.status == "skipped" }.allSatisfy { $0.reason?.contains("missed while down") == true })
        try f.once("2026-03-02T05:31:00Z", id: "runner-b")
        #expect(try f.runs(script: "hourly").count == 1 + expected)
    }

    // MARK: daylight saving

    /// America/New_York, 02:30 daily. 2026-03-08 has no 02:30: the slot runs once at 03:00 EDT
    /// (07:00Z) as slot 02:30. 2026-11-01 has 01:30 twice: a 01:30 job runs once, at the first.
    @Test func daylightSavingEndToEnd() throws {
        let f = try RunnerFixture()
        try f.addApproved("ny-230", Self.slotScript)
        try f.addApproved("ny-130", Self.slotScript)
        try f.schedule("ny-230", "30 2 * * *", from: "2026-03-07T12:00:00Z", ["--tz", "America/New_York"])
        try f.schedule("ny-130", "30 1 * * *", from: "2026-10-31T12:00:00Z", ["--tz", "America/New_York"])
        let next = try f.steward(["schedule", "next", "ny-230", "--count", "2", "--now", "2026-03-07T12:00:00Z"])
        #expect(next.stdoutText.contains("2026-03-08 02:30         2026-03-08 03:00 EDT  2026-03-08T07:00:00Z"), "\(next.stdoutText)")
        #expect(next.stdoutText.contains("2026-03-09 02:30         2026-03-09 02:30 EDT  2026-03-09T06:30:00Z"))

        for now in ["2026-03-08T06:59:59Z", "2026-03-08T07:00:20Z", "2026-03-08T07:30:20Z", "2026-03-08T08:00:20Z"] {
            #expect(try f.once(now).exitCode == 0)
        }
        let spring = try f.runs(script: "ny-230")
        #expect(spring.count == 1)
        #expect(try f.run(spring[0].id).output == "slot 2026-03-08T02:30:00-05:00 today 2026-03-08 user 赵敏 dry false\n")
        #expect(try f.run(spring[0].id).slotNominal == "2026-03-08T02:30:00-05:00")

        for now in ["2026-11-01T05:30:20Z", "2026-11-01T06:00:20Z", "2026-11-01T06:30:20Z", "2026-11-01T07:30:20Z",
                    "2026-11-02T06:30:20Z"] {
            #expect(try f.once(now).exitCode == 0)
        }
        let fall = try f.runs(script: "ny-130")
        let formatter = ISO8601DateFormatter()
        #expect(fall.compactMap(\.slot).map(formatter.string) == ["2026-11-01T05:30:00Z", "2026-11-02T06:30:00Z"])
        #expect(try fall.map { try f.run($0.id).output } == [
            "slot 2026-11-01T01:30:00-04:00 today 2026-11-01 user 赵敏 dry false\n",
            "slot 2026-11-02T01:30:00-05:00 today 2026-11-02 user 赵敏 dry false\n",
        ])
    }

    // MARK: crashes, hangs, shutdown

    /// A worker that really crashes (SIGSEGV, through the worker's test switch) is a failed
    /// run with a clear reason; the runner carries on with the other schedule, and with the
    /// crashing one's next slot.
    @Test func aWorkerCrashIsAFailedRunAndTheRunnerCarriesOn() throws {
        let f = try RunnerFixture()
        try f.addApproved("crashy", Self.slotScript)
        try f.addApproved("steady", Self.slotScript)
        try f.schedule("crashy", "@hourly", from: "2026-03-02T00:00:00Z")
        try f.schedule("steady", "@hourly", from: "2026-03-02T00:00:00Z")
        let crash = ["STEWARD_WORKER_TEST_CRASH": "crashy"]
        let first = try f.once("2026-03-02T01:00:10Z", environment: crash)
        #expect(first.exitCode == 0, "\(first.summary)")
        #expect(first.stdoutText.contains("failed: crashy slot 2026-03-02T09:00: the worker process died of signal 11 (SIGSEGV)"))
        #expect(first.stdoutText.contains("ran: steady slot 2026-03-02T09:00: succeeded"))
        try f.once("2026-03-02T02:00:10Z")
        let crashy = try f.runs(script: "crashy")
        #expect(crashy.map(\.status) == ["crashed", "committed"])
        #expect(crashy[0].error?.contains("signal 11 (SIGSEGV): the Lua library crashed; nothing was written") == true)
        #expect(try f.runs(script: "steady").map(\.status) == ["committed", "committed"])
    }

    /// A worker stuck where no hook reaches (the test switch hangs, deaf to SIGTERM) is killed
    /// at the hard deadline (--timeout + 5 s): a timed-out run, and the runner carries on.
    @Test(.timeLimit(.minutes(5)))
    func aHungWorkerIsKilledAtItsDeadline() throws {
        let f = try RunnerFixture()
        try f.addApproved("hangs", Self.slotScript)
        try f.addApproved("after", Self.slotScript)
        try f.schedule("hangs", "@hourly", from: "2026-03-02T00:00:00Z")
        try f.schedule("after", "@hourly", from: "2026-03-02T00:00:00Z")
        let r = try f.once("2026-03-02T01:00:10Z", environment: ["STEWARD_WORKER_TEST_HANG": "hangs"], ["--timeout", "1s"])
        #expect(r.exitCode == 0, "\(r.summary)")
        #expect(r.seconds >= 5.5 && r.seconds < 60, "\(r.seconds)")
        let hung = try f.runs(script: "hangs")
        #expect(hung.map(\.status) == ["timed_out"])
        #expect(hung[0].error?.hasPrefix("the worker was still running at its hard deadline (6 s) and was killed") == true)
        #expect(try f.runs(script: "after").map(\.status) == ["committed"])
    }

    /// SIGTERM while a run is stuck: the runner stops claiming, gives the run its grace
    /// period, kills it, records it abandoned (nothing written) and exits 0. The slot after it
    /// is not claimed.
    @Test(.timeLimit(.minutes(5)))
    func sigtermGivesTheCurrentRunItsGraceThenMarksItAbandoned() throws {
        let f = try RunnerFixture()
        try f.addApproved("stuck", Self.slotScript)
        try f.schedule("stuck", "@hourly", from: "2026-03-02T00:00:00Z")
        let runner = try f.start(["runner", "--id", "loop", "--simulate-from", "2026-03-02T00:59:00Z",
                                  "--simulate-until", "2026-03-03T00:00:00Z", "--grace", "1s", "--timeout", "60s"],
                                 environment: ["STEWARD_WORKER_TEST_HANG": "stuck"])
        let running = try RunnerFixture.eventually { try f.slots("stuck").contains { $0.status == "running" } }
        #expect(running)
        let signalled = Date()
        runner.signal(SIGTERM)
        let end = runner.wait()
        #expect(end.exitCode == 0, "\(end.stderr)")
        #expect(Date().timeIntervalSince(signalled) < 50, "killed at the end of its 1 s grace, long before its 65 s deadline")
        #expect(end.stdout.contains("SIGTERM: no more claims; the current run has 1 s to finish"))
        #expect(end.stdout.contains("abandoned: stuck slot 2026-03-02T09:00: the runner was stopped"))
        let runs = try f.runs(script: "stuck")
        #expect(runs.map(\.status) == ["abandoned"])
        #expect(runs.first?.error?.contains("nothing was written") == true)
        #expect(try f.slots("stuck").map(\.status) == ["abandoned"])
    }

    /// A runner killed outright (SIGKILL) mid-run leaves its slot running and writes nothing;
    /// the next runner with its id marks the slot and a run abandoned when it starts.
    @Test(.timeLimit(.minutes(5)))
    func aRunnerKilledMidRunLeavesNothingAndIsMarkedAbandonedAtTheNextStart() throws {
        let f = try RunnerFixture()
        try f.addApproved("killed", """
            script{ name = "killed" }
            remind{ subject = members{}:order_by("id"):first(), kind = "never", due = today(), text = "never", key = "never" }
            """)
        try f.schedule("killed", "@hourly", from: "2026-03-02T00:00:00Z")
        #expect(try f.killRunnerMidRun("killed", id: "loop"))
        #expect(try f.runs(script: "killed").isEmpty)
        let next = try f.once("2026-03-02T01:30:00Z", id: "loop")
        #expect(next.exitCode == 0, "\(next.summary)")
        #expect(next.stdoutText.contains("abandoned: killed slot 2026-03-02T01:00:00Z left running by runner loop"))
        #expect(try f.slots("killed").map(\.status) == ["abandoned"])
        let runs = try f.runs(script: "killed")
        #expect(runs.map(\.status) == ["abandoned"])
        #expect(runs.first?.error?.contains("stopped before the run finished; nothing was written") == true)
        let reminders = try f.steward(["reminders", "list", "--format", "json"])
        #expect(!reminders.stdoutText.contains("never"))
    }

    // MARK: approval, authorship, failures

    /// Only an approved latest version runs: after `scripts update` the slots are skipped with
    /// the reason until the new version is approved; runs act as that version's author.
    @Test func onlyTheApprovedLatestVersionRuns() throws {
        let f = try RunnerFixture()
        try f.addApproved("payday", Self.slotScript)
        try f.schedule("payday", "@hourly", from: "2026-03-02T00:00:00Z")
        try f.once("2026-03-02T01:00:10Z")
        try f.scratch.write("payday-2.lua", Self.slotScript + "\nprint('v2')\n")
        #expect(try f.steward(["scripts", "update", "payday", "payday-2.lua", "--as", "王芳"]).exitCode == 0)
        let skipped = try f.once("2026-03-02T02:00:10Z")
        #expect(skipped.stdoutText.contains("skipped: payday slot 2026-03-02T10:00: version 2 of 'payday' (by 王芳) is not approved"))
        #expect(try f.steward(["scripts", "approve", "payday", "--as", "张伟"]).exitCode == 0)
        try f.once("2026-03-02T03:00:10Z")
        let runs = try f.runs(script: "payday")
        #expect(runs.map(\.status) == ["committed", "committed"])
        #expect(runs.map(\.user) == ["赵敏", "王芳"])
        #expect(try f.run(runs[1].id).output.hasSuffix("v2\n"))
        #expect(try f.slots("payday").map(\.status) == ["succeeded", "skipped", "succeeded"])
    }

    /// A scheduled run sees the district as its author does: a town-scoped author's script
    /// counts only that town's members.
    @Test func aRunActsWithinItsAuthorsScope() throws {
        let f = try RunnerFixture()
        let count = """
            script{ name = "count" }
            print(run.user, members{}:count())
            """
        try f.addApproved("count-district", count)
        try f.addApproved("count-town", count, author: "王芳")
        try f.schedule("count-district", "@hourly", from: "2026-03-02T00:00:00Z")
        try f.schedule("count-town", "@hourly", from: "2026-03-02T00:00:00Z")
        try f.once("2026-03-02T01:00:10Z")
        let district = try f.run(try #require(f.runs(script: "count-district").first).id).output
        let town = try f.run(try #require(f.runs(script: "count-town").first).id).output
        #expect(district == "赵敏\t120\n")
        let townCount = try #require(Int(town.split(separator: "\t").last.map { $0.dropLast() } ?? ""))
        #expect(town.hasPrefix("王芳\t"))
        #expect(townCount > 0 && townCount < 120)
    }

    /// Retries with backoff only for idempotent scripts, up to the schedule's maximum; five
    /// failed slots in a row pause the schedule and leave the author a reminder.
    @Test(.timeLimit(.minutes(5)))
    func failuresRetryThenPauseAndRemindTheAuthor() throws {
        let f = try RunnerFixture()
        try f.addApproved("fails", """
            script{ name = "fails", idempotent = true }
            error("no data for " .. run.slot)
            """)
        try f.addApproved("fails-once", """
            script{ name = "fails-once" }
            error("not idempotent")
            """)
        try f.schedule("fails", "@hourly", from: "2026-03-02T00:00:00Z", ["--max-retries", "1", "--tz", "UTC"])
        try f.schedule("fails-once", "@hourly", from: "2026-03-02T00:00:00Z", ["--max-retries", "3", "--tz", "UTC"])
        let first = try f.once("2026-03-02T01:00:10Z")
        #expect(first.stdoutText.contains("failed: fails slot 2026-03-02T01:00: fails:2: no data for 2026-03-02T01:00:00+00:00; attempt 2 at 2026-03-02T01:01:10Z"))
        #expect(first.stdoutText.contains("failed: fails-once slot 2026-03-02T01:00: fails-once:2: not idempotent (1 in a row)"))
        try f.once("2026-03-02T01:00:40Z")
        #expect(try f.runs(script: "fails").count == 1)  // not yet due
        try f.once("2026-03-02T01:01:15Z")
        #expect(try f.runs(script: "fails").map(\.attempt) == [1, 2])
        for hour in 2...5 {
            try f.once("2026-03-02T0\(hour):00:10Z")
            try f.once("2026-03-02T0\(hour):02:10Z")
        }
        #expect(try f.runs(script: "fails").count == 10)
        #expect(try f.runs(script: "fails-once").map(\.attempt) == [1, 1, 1, 1, 1])
        let list = try f.steward(["schedule", "list", "--format", "json"])
        #expect(list.stdoutText.contains("\"enabled\" : false"))
        let reminders = try f.steward(["reminders", "list", "--format", "json"])
        #expect(reminders.stdoutText.contains("schedule 'fails' was paused after 5 failed runs in a row"))
        #expect(reminders.stdoutText.contains("\"subjectID\" : \"赵敏\""))
        // Paused: nothing more runs until it is resumed.
        try f.once("2026-03-02T06:00:10Z")
        #expect(try f.runs(script: "fails").count == 10)
        #expect(try f.steward(["schedule", "resume", "fails", "--now", "2026-03-02T06:30:00Z"]).exitCode == 0)
        try f.once("2026-03-02T07:00:10Z")
        #expect(try f.runs(script: "fails").count == 11)
    }

    // MARK: status

    /// `runner status` exits 0 while a runner ticked within twice its interval, 1 after.
    @Test func runnerStatusSaysWhetherARunnerIsAlive() throws {
        let f = try RunnerFixture()
        let none = try f.steward(["runner", "status"])
        #expect(none.exitCode == 1)
        #expect(none.stdoutText.contains("no runner has ever ticked"))
        try f.once("2026-03-02T01:00:00Z", ["--interval", "60s"])
        let alive = try f.steward(["runner", "status", "--at", "2026-03-02T01:01:59Z"])
        #expect(alive.exitCode == 0, "\(alive.summary)")
        #expect(alive.stdoutText.contains("runner-a"))
        #expect(alive.stdoutText.contains("alive"))
        let silent = try f.steward(["runner", "status", "--at", "2026-03-02T01:02:01Z"])
        #expect(silent.exitCode == 1)
        #expect(silent.stderrText.contains("no runner has ticked within twice its interval (last tick 2026-03-02T01:00:00Z)"))
    }
}

/// Failures collected from concurrent processes.
final class Failures: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [String] = []
    func add(_ item: String) { lock.withLock { items.append(item) } }
    var all: [String] { lock.withLock { items } }
}
