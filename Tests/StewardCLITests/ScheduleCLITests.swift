import Foundation
import Testing

/// `steward scripts` and `steward schedule`: stored versions, maker ≠ checker, timetables,
/// and refusals that say where and why.
@Suite("steward scripts and steward schedule")
struct ScheduleCLITests {
    static let script = """
        script{ name = "monthly", title = "Monthly run" }
        print("hello")
        """

    // MARK: invalid expressions and zones

    @Test(arguments: [
        ("61 * * * *", "error: invalid cron expression '61 * * * *': minute: 61 is out of range 0–59 (position 1)", 1),
        ("* * *", "error: invalid cron expression '* * *': expected 5 fields, found 3", 1),
        ("@often", "error: invalid cron expression '@often': unknown name '@often'", 1),
        ("0 9 * * 1-8", "error: invalid cron expression '0 9 * * 1-8': day-of-week: 8 is out of range 0–7 (position 11)", 11),
    ])
    func anInvalidExpressionIsRefusedWithPositionAndReason(cron: String, message: String, position: Int) throws {
        let f = try RunnerFixture()
        try f.addApproved("monthly", Self.script)
        let r = try f.steward(["schedule", "set", "monthly", cron])
        #expect(r.exitCode == 2, "\(r.summary)")
        #expect(r.stderrLines.first?.hasPrefix(message) == true, "\(r.stderrText)")
        // The expression, then a caret under the offending position.
        #expect(r.stderrLines.dropFirst().first == "  \(cron)")
        #expect(r.stderrLines.dropFirst(2).first == "  " + String(repeating: " ", count: position - 1) + "^")
        #expect(r.stdoutText.isEmpty)
        let list = try f.steward(["schedule", "list", "--format", "json"])
        #expect(list.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines) == "[\n\n]"
            || list.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines) == "[]")
    }

    @Test func anUnknownZoneIsRefused() throws {
        let f = try RunnerFixture()
        try f.addApproved("monthly", Self.script)
        let r = try f.steward(["schedule", "set", "monthly", "@daily", "--tz", "Mars/Olympus"])
        #expect(r.exitCode == 2)
        #expect(r.stderrText.hasPrefix("error: --tz Mars/Olympus: unknown time zone 'Mars/Olympus'"))
    }

    @Test func anExpressionThatNeverMatchesIsRefused() throws {
        let f = try RunnerFixture()
        try f.addApproved("monthly", Self.script)
        let r = try f.steward(["schedule", "set", "monthly", "0 0 30 2 *"])
        #expect(r.exitCode == 2)
        #expect(r.stderrText.contains("never matches a real date"))
    }

    @Test func aScheduleNeedsAStoredScript() throws {
        let f = try RunnerFixture()
        let r = try f.steward(["schedule", "set", "nothing", "@daily"])
        #expect(r.exitCode == 2)
        #expect(r.stderrText == "error: no stored script 'nothing'\n")
    }

    // MARK: set, list, next, pause, resume

    @Test func setListNextPauseResume() throws {
        let f = try RunnerFixture()
        try f.addApproved("monthly", Self.script)
        let set = try f.steward(["schedule", "set", "monthly", "0 9 1 * *", "--catch-up", "all", "--overlap", "allow",
                                 "--param", "year=2026", "--max-retries", "2", "--now", "2026-02-15T00:00:00Z"])
        #expect(set.exitCode == 0, "\(set.summary)")
        #expect(set.stdoutText.hasPrefix("scheduled 'monthly': 0 9 1 * * in Asia/Shanghai, catch-up all, overlap allow, retries 2\n"))
        #expect(set.stdoutText.contains("next: 2026-03-01T09:00 → 2026-03-01 09:00 GMT+8 (2026-03-01T01:00:00Z)"))

        let next = try f.steward(["schedule", "next", "monthly", "--count", "3", "--now", "2026-02-15T00:00:00Z",
                                  "--format", "json"])
        struct Slot: Decodable { var nominal: String; var utc: String; var slot: String }
        let slots = try JSONDecoder().decode([Slot].self, from: next.stdout)
        #expect(slots.map(\.utc) == ["2026-03-01T01:00:00Z", "2026-04-01T01:00:00Z", "2026-05-01T01:00:00Z"])
        #expect(slots.map(\.slot) == ["2026-03-01T09:00:00+08:00", "2026-04-01T09:00:00+08:00", "2026-05-01T09:00:00+08:00"])

        struct Item: Decodable {
            var name: String; var cron: String; var timeZone: String; var catchUp: String; var overlap: String
            var maxRetries: Int; var parameters: [String: String]; var enabled: Bool
        }
        var items = try JSONDecoder().decode([Item].self, from: try f.steward(["schedule", "list", "--format", "json"]).stdout)
        #expect(items.count == 1)
        #expect(items.first.map { "\($0.name) \($0.cron) \($0.timeZone) \($0.catchUp) \($0.overlap) \($0.maxRetries) \($0.parameters) \($0.enabled)" }
            == "monthly 0 9 1 * * Asia/Shanghai all allow 2 [\"year\": \"2026\"] true")

        #expect(try f.steward(["schedule", "pause", "monthly"]).stdoutText == "paused 'monthly'\n")
        #expect(try f.steward(["schedule", "pause", "monthly"]).stdoutText == "'monthly' was already paused\n")
        items = try JSONDecoder().decode([Item].self, from: try f.steward(["schedule", "list", "--format", "json"]).stdout)
        #expect(items.first?.enabled == false)
        // A paused schedule does not run.
        let paused = try f.once("2026-03-01T01:00:30Z")
        #expect(paused.stdoutText.contains("0 run, 0 failed, 0 skipped"))
        #expect(try f.steward(["schedule", "resume", "monthly", "--now", "2026-03-15T00:00:00Z"]).exitCode == 0)
        // Slots missed while paused are not caught up, even under catch-up all.
        try f.once("2026-03-20T00:00:00Z")
        #expect(try f.runs(script: "monthly").isEmpty)
        try f.once("2026-04-01T01:00:30Z")
        #expect(try f.runs(script: "monthly").count == 1)

        let audit = try f.steward(["audit", "--format", "json"])
        if audit.exitCode == 0 {
            for action in ["schedule.add", "schedule.pause", "schedule.resume", "script.add", "script.approve"] {
                #expect(audit.stdoutText.contains(action), "\(action) is audited")
            }
        }
    }

    @Test func aViewerMayNotSchedule() throws {
        let f = try RunnerFixture()
        try f.addApproved("monthly", Self.script)
        let r = try f.steward(["schedule", "set", "monthly", "@daily", "--as", "李娜"])
        #expect(r.exitCode == 4, "\(r.summary)")
        #expect(r.stderrText.hasPrefix("refused: 李娜 is a viewer and may not change schedules"))
    }

    // MARK: scripts: versions and maker ≠ checker

    @Test func makerIsNotChecker() throws {
        let f = try RunnerFixture()
        try f.scratch.write("m.lua", Self.script)
        #expect(try f.steward(["scripts", "add", "m.lua", "--name", "monthly", "--as", "赵敏"]).exitCode == 0)
        // The author, an operator, the admin who wrote it through --as: all refused (exit 4).
        let own = try f.steward(["scripts", "approve", "monthly"])
        #expect(own.exitCode == 4)
        #expect(own.stderrText.contains("wrote version 1 of 'monthly' (acting as 赵敏) and cannot also approve it (maker ≠ checker)"))
        let operatorTry = try f.steward(["scripts", "approve", "monthly", "--as", "王芳"])
        #expect(operatorTry.exitCode == 4)
        #expect(operatorTry.stderrText.hasPrefix("refused: 王芳 is an operator and may not approve script versions"))
        // An approver wrote version 2: nobody approves their own, even an approver.
        try f.scratch.write("m2.lua", Self.script + "\nprint('two')\n")
        #expect(try f.steward(["scripts", "update", "monthly", "m2.lua", "--as", "张伟"]).exitCode == 0)
        let approverOwn = try f.steward(["scripts", "approve", "monthly", "--as", "张伟"])
        #expect(approverOwn.exitCode == 4)
        #expect(approverOwn.stderrText.contains("张伟 wrote version 2 of 'monthly' and cannot also approve it (maker ≠ checker)"))
        // 张伟 approves version 1, by hash.
        let wrongHash = try f.steward(["scripts", "approve", "monthly", "--version", "1", "--hash", "0000", "--as", "张伟"])
        #expect(wrongHash.exitCode == 2)
        #expect(wrongHash.stderrText.contains("it is not the text you reviewed"))
        let show = try f.steward(["scripts", "show", "monthly", "--version", "1"])
        let hash = try #require(show.stdoutText.split(separator: "\n").first { $0.hasPrefix("sha256:") }?.split(separator: " ").last)
        #expect(try f.steward(["scripts", "approve", "monthly", "--version", "1", "--hash", String(hash.prefix(12)), "--as", "张伟"]).exitCode == 0)
        let again = try f.steward(["scripts", "approve", "monthly", "--version", "1", "--as", "张伟"])
        #expect(again.stderrText.contains("already approved by 张伟"))

        struct Item: Decodable { var name: String; var latestVersion: Int; var latestApproved: Bool; var latestAuthor: String }
        let list = try JSONDecoder().decode([Item].self, from: try f.steward(["scripts", "list", "--format", "json"]).stdout)
        #expect(list.map { "\($0.name) v\($0.latestVersion) \($0.latestAuthor) \($0.latestApproved)" } == ["monthly v2 张伟 false"])
    }

    @Test func addRefusesAScriptThatDoesNotCompileAndADuplicateName() throws {
        let f = try RunnerFixture()
        try f.scratch.write("bad.lua", "local x = = 1\n")
        let bad = try f.steward(["scripts", "add", "bad.lua", "--name", "bad", "--as", "赵敏"])
        #expect(bad.exitCode == 1)
        #expect(bad.stderrText.hasPrefix("bad.lua:1:"))
        try f.scratch.write("ok.lua", Self.script)
        #expect(try f.steward(["scripts", "add", "ok.lua", "--name", "ok", "--as", "赵敏"]).exitCode == 0)
        let twice = try f.steward(["scripts", "add", "ok.lua", "--name", "ok", "--as", "赵敏"])
        #expect(twice.exitCode == 2)
        #expect(twice.stderrText.contains("a script named 'ok' already exists"))
        let same = try f.steward(["scripts", "update", "ok", "ok.lua", "--as", "赵敏"])
        #expect(same.exitCode == 2)
        #expect(same.stderrText.contains("the file is the same as version 1 of 'ok'"))
        let viewer = try f.steward(["scripts", "add", "ok.lua", "--name", "ok2", "--as", "李娜"])
        #expect(viewer.exitCode == 4)
    }

    @Test func showAndDiffVersions() throws {
        let f = try RunnerFixture()
        try f.scratch.write("v1.lua", "script{ name = \"d\" }\nlocal a = 1\nlocal b = 2\nprint(a + b)\n")
        try f.scratch.write("v2.lua", "script{ name = \"d\" }\nlocal a = 1\nlocal b = 3\nprint(a + b)\nprint('done')\n")
        #expect(try f.steward(["scripts", "add", "v1.lua", "--name", "d", "--as", "赵敏"]).exitCode == 0)
        #expect(try f.steward(["scripts", "update", "d", "v2.lua", "--as", "王芳"]).exitCode == 0)
        let diff = try f.steward(["scripts", "diff", "d", "1", "2"])
        #expect(diff.exitCode == 1)
        let lines = diff.stdoutText.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[0].hasPrefix("--- d v1 ("))
        #expect(lines[0].hasSuffix(", 赵敏)"))
        #expect(lines[1].hasPrefix("+++ d v2 ("))
        #expect(Array(lines[2...]) == ["@@ -1,4 +1,5 @@", " script{ name = \"d\" }", " local a = 1", "-local b = 2", "+local b = 3",
                                       " print(a + b)", "+print('done')", ""])
        #expect(try f.steward(["scripts", "diff", "d", "2", "2"]).exitCode == 0)
        #expect(try f.steward(["scripts", "diff", "d", "1", "9"]).exitCode == 2)
        let show = try f.steward(["scripts", "show", "d"])
        #expect(show.stdoutText.contains("version:  2 of 2"))
        #expect(show.stdoutText.contains("author:   王芳"))
        #expect(show.stdoutText.contains("approved: no"))
        #expect(try f.steward(["scripts", "show", "d", "--version", "1", "--source-only"]).stdoutText
            == "script{ name = \"d\" }\nlocal a = 1\nlocal b = 2\nprint(a + b)\n")
    }
}
