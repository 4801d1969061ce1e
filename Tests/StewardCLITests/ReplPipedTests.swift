import ChildProcess
import Foundation
import Testing

/// `steward repl` without a terminal: what a pipe gets (values, printed output, errors on
/// stderr; no prompt, banner or colour), multi-line chunks, `_`, the pending effects and
/// \commit/\rollback on a demo district, and a fresh session after the worker crashes or
/// hangs inside C.
@Suite("steward repl: piped sessions")
struct ReplPipedTests {
    // MARK: printing

    @Test func anExpressionPrintsItsValueAndNothingElse() throws {
        // No terminal: no prompt, no banner, no colour, even without NO_COLOR.
        let r = try ReplHarness.piped("1+1\n", environment: ["NO_COLOR": ""])
        #expect(r.exitCode == 0, "\(r.summary)")
        #expect(r.stdoutText == "2\n")
        #expect(r.stderrText == "")
    }

    @Test func valuesStatementsAndUnderscore() throws {
        let r = try ReplHarness.piped("""
            x = 10
            x * 2
            _ + 1
            =1, "two", 3.5, nil
            _
            print("打印", 1)
            "a\\27[2Jb"

            """)
        #expect(r.exitCode == 0, "\(r.summary)")
        #expect(r.stdoutText == "20\n21\n1\ntwo\n3.5\nnil\n1\n打印\t1\na\\x1b[2Jb\n")
        #expect(!r.stdoutText.contains("\u{1b}"))
    }

    @Test func tablesAreLuaLiteralsWithSortedKeysAndMarkedCycles() throws {
        let r = try ReplHarness.piped("""
            {b = 2, a = 1, 3, [10] = "x", ["not id"] = true, nested = {1, {2}}}
            c = {}; c.self = c; c.list = {c}
            c
            {}
            deep = {{{{{{{{1}}}}}}}}
            deep

            """)
        #expect(r.exitCode == 0, "\(r.summary)")
        let lines = r.stdoutText.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[0] == #"{3, [10] = "x", a = 1, b = 2, nested = {1, {2}}, ["not id"] = true}"#)
        #expect(lines[1] == "{list = {<cycle>}, self = <cycle>}")
        #expect(lines[2] == "{}")
        #expect(lines[3] == "{{{{{{{…}}}}}}}")
    }

    @Test func bigTablesAreCutAndLaidOutOverLines() throws {
        let r = try ReplHarness.piped("t = {} for i = 1, 500 do t[i] = i * i end\nt\n")
        #expect(r.exitCode == 0, "\(r.summary)")
        #expect(r.stdoutText.hasPrefix("{\n  1,\n  4,\n"))
        #expect(r.stdoutText.contains("  … (450 more)\n}"))
    }

    @Test func multiLineChunksContinue() throws {
        let r = try ReplHarness.piped("""
            for i = 1, 3 do
              print(i)
            end
            function double(n)
              return n * 2
            end
            double(21)

            """)
        #expect(r.exitCode == 0, "\(r.summary)")
        #expect(r.stdoutText == "1\n2\n3\n42\n")
    }

    @Test func errorsPrintTheMessageAndTheSessionGoesOn() throws {
        let r = try ReplHarness.piped("""
            x = 5
            error("预算不足")
            nosuchname
            x = = 1
            x

            """)
        #expect(r.exitCode == 1, "\(r.summary)")  // a piped session with a failed chunk
        #expect(r.stdoutText == "5\n")
        #expect(r.stderrLines == ["stdin:1: 预算不足", "stdin:1: undefined global 'nosuchname'",
                                  "stdin:1: unexpected symbol near '='"])
    }

    @Test func anUnfinishedChunkAtTheEndSaysWhatIsMissing() throws {
        let r = try ReplHarness.piped("for i = 1, 2 do\n  print(i)\n")
        #expect(r.exitCode == 1)
        #expect(r.stdoutText == "")
        #expect(r.stderrText.contains("'end' expected"), "\(r.summary)")
    }

    @Test func limitsOfRunApplyToEachEvaluation() throws {
        let r = try ReplHarness.piped("while true do end\n1 + 1\n", ["--timeout", "300ms"])
        #expect(r.stdoutText == "2\n", "\(r.summary)")
        #expect(r.stderrText == "time limit of 300ms exceeded\n")
        let m = try ReplHarness.piped("t = {} for i = 1, 1e8 do t[i] = i end\n#'still here'\n", ["--memory-limit", "1MB"])
        #expect(m.stdoutText == "10\n", "\(m.summary)")
        #expect(m.stderrText.contains("memory limit of 1MB exceeded"))
    }

    @Test func theSandboxIsTheSameAsRun() throws {
        let r = try ReplHarness.piped("io\nos.execute\nsetmetatable\nload\n")
        #expect(r.stdoutText == "nil\n", "\(r.summary)")  // os.execute: os is the allow-listed view
        #expect(r.stderrLines == ["stdin:1: undefined global 'io'", "stdin:1: undefined global 'setmetatable'",
                                  "stdin:1: undefined global 'load'"])
    }

    @Test func initialScriptRunsFirstAndLeavesItsGlobals() throws {
        let scratch = try ScratchDirectory()
        defer { withExtendedLifetime(scratch) {} }
        try scratch.write("setup.lua", "greeting = '你好'\nprint('loaded')\nlocal hidden = 1\n")
        let r = try ReplHarness.piped("greeting .. '，世界'\nhidden\n", ["-i", "setup.lua"], in: scratch.url)
        #expect(r.stdoutText == "loaded\n你好，世界\n", "\(r.summary)")
        #expect(r.stderrText == "stdin:1: undefined global 'hidden'\n")
    }

    @Test func formatsAndTiming() throws {
        let r = try ReplHarness.piped("\\format json\n{1, 2, {a = \"x\"}}\n\\format csv\n'plain'\n\\format nope\n")
        #expect(r.stdoutText.contains("[1, 2, {\"a\": \"x\"}]\n"), "\(r.summary)")
        #expect(r.stdoutText.contains("plain\n"))
        #expect(r.stderrText.contains("\\format: choose table, csv or json"))
    }

    @Test func unknownCommandsAndTestHooksAreRefused() throws {
        let r = try ReplHarness.piped("\\nosuch\n\\test-crash\n1\n")
        #expect(r.stdoutText == "1\n", "\(r.summary)")
        #expect(r.stderrLines == ["unknown command \\nosuch: \\help lists them",
                                  "unknown command \\test-crash: \\help lists them"])
    }

    @Test func helpUsesTheAPIReference() throws {
        let r = try ReplHarness.piped("\\help\n\\help money.format\n\\help members:where\n")
        #expect(r.exitCode == 0, "\(r.summary)")
        #expect(r.stdoutText.contains("\\commit"))
        #expect(r.stdoutText.contains("money.format(amount)"))
        #expect(r.stdoutText.contains("members:where(filter) → MemberQuery"))
    }

    // MARK: the district

    @Test func queriesAndRecordsPrintAsAlignedTables() throws {
        let scratch = try ScratchDirectory()
        defer { withExtendedLifetime(scratch) {} }
        let db = try ReplHarness.demoDatabase(in: scratch)
        let r = try ReplHarness.piped("members{ town = \"儒林镇\" }\nbudget \"relief-2025\"\nmember(1).name\n", ["--db", db])
        #expect(r.exitCode == 0, "\(r.summary)")
        let lines = r.stdoutText.split(separator: "\n")
        #expect(lines[0].hasPrefix(" id  name"))
        #expect(lines[1].hasPrefix("───"))
        // The town column starts at the same cell on every row, whatever the names' widths.
        let header = lines[0]
        let townCell = ReplHarness.cells(header[..<header.range(of: "town")!.lowerBound])
        for row in lines[2..<22] {
            let at = row.range(of: "儒林镇")!.lowerBound
            #expect(ReplHarness.cells(row[..<at]) == townCell, "misaligned: \(row)")
        }
        #expect(lines[22].hasPrefix("(20 of "), "\(lines[22])")
        #expect(lines[22].contains(" members;"))
        #expect(r.stdoutText.contains("budget relief-2025\n"))
        #expect(r.stdoutText.contains("  total      ¥3,000,000.00\n"))
        #expect(lines.last.map { !$0.isEmpty } == true)
    }

    @Test func listsOfAnyHostTypeShowTheirFieldsWithMoneyInYuan() throws {
        let scratch = try ScratchDirectory()
        defer { withExtendedLifetime(scratch) {} }
        let db = try ReplHarness.demoDatabase(in: scratch)
        let r = try ReplHarness.piped("""
            loans()
            loans()[1]
            members{ town = "儒林镇" }:count()
            \\format csv
            members{ town = "儒林镇" }

            """, ["--db", db])
        #expect(r.exitCode == 0, "\(r.summary)")
        let lines = r.stdoutText.split(separator: "\n").map(String.init)
        #expect(lines[0].hasPrefix("code      member"), "\(r.summary)")
        #expect(lines[0].contains("principal"))
        #expect(lines[2].contains("  ¥"))  // principal is money (fen in Lua)
        #expect(r.stdoutText.contains("\n  principal         ¥"))
        // CSV lists every row (up to 10,000), not the 20 a table shows.
        let count = Int(lines.first { Int($0) != nil } ?? "") ?? -1
        let header = lines.firstIndex { $0.hasPrefix("id,name,") }
        #expect(header != nil)
        if let header { #expect(lines.count - header - 1 == count, "\(count) members expected") }
    }

    @Test func describeTheDistrict() throws {
        let scratch = try ScratchDirectory()
        defer { withExtendedLifetime(scratch) {} }
        let db = try ReplHarness.demoDatabase(in: scratch)
        let r = try ReplHarness.piped("\\d\n\\d relief-2025\n\\d 儒林镇\n\\d nothing-here\n", ["--db", db])
        #expect(r.stdoutText.contains("temporary-relief"), "\(r.summary)")
        #expect(r.stdoutText.contains("relief-2025"))
        #expect(r.stdoutText.contains("残疾人之家"))
        #expect(r.stdoutText.contains("儒林镇"))
        #expect(r.stdoutText.contains("budget relief-2025\n  code"))
        #expect(r.stdoutText.contains("town 儒林镇"))
        #expect(r.stderrText.contains("\\d: nothing named 'nothing-here'"))
    }

    static let grant = #"budget("relief-2025"):grant(member(1), yuan(500), { programme = "temporary-relief", period = period "2025-06" })"#

    @Test func pendingCommitAndRollback() throws {
        let scratch = try ScratchDirectory()
        defer { withExtendedLifetime(scratch) {} }
        let db = try ReplHarness.demoDatabase(in: scratch)
        let before = try ReplHarness.piped("budget('relief-2025'):available()\n", ["--db", db])
        let available = Int(before.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines))!

        let r = try ReplHarness.piped("""
            \(Self.grant)
            budget('relief-2025'):available()
            \\pending
            \\rollback
            \\pending
            \(Self.grant)
            \\commit
            \\pending
            budget('relief-2025'):available()

            """, ["--db", db])
        #expect(r.exitCode == 0, "\(r.summary)")
        #expect(r.stdoutText.contains("true\n\(available - 50_000)\n"))
        #expect(r.stdoutText.contains("Ledger entries (1)\n  disbursement ¥500.00 from relief-2025, to member 1, programme temporary-relief, 2025-06\n"))
        #expect(r.stdoutText.contains("Dropped 1 pending effect; nothing was written.\nNo pending effects.\n"))
        #expect(r.stdoutText.contains("Committed 1 effect as run "))
        #expect(r.stdoutText.hasSuffix("No pending effects.\n\(available - 50_000)\n"))

        // Written: a new session sees it, and the same grant again is already applied.
        let after = try ReplHarness.piped("budget('relief-2025'):available()\n\(Self.grant)\n\\pending\n", ["--db", db])
        #expect(after.stdoutText == "\(available - 50_000)\nfalse\nNo pending effects.\n", "\(after.summary)")
    }

    @Test func pendingEffectsLeftAtTheEndOfAPipeAreDroppedAndSaid() throws {
        let scratch = try ScratchDirectory()
        defer { withExtendedLifetime(scratch) {} }
        let db = try ReplHarness.demoDatabase(in: scratch)
        let r = try ReplHarness.piped("\(Self.grant)\n", ["--db", db])
        #expect(r.exitCode == 0)
        #expect(r.stdoutText == "true\n")
        #expect(r.stderrText == "steward repl: dropped 1 pending effect that was not committed (\\commit applies them)\n")
        let again = try ReplHarness.piped("\(Self.grant)\n\\rollback\n", ["--db", db])
        #expect(again.stdoutText == "true\nDropped 1 pending effect; nothing was written.\n", "\(again.summary)")
    }

    /// Before: an `each()` iterator left part way kept its cursor alive in Lua until collected,
    /// and with it a read transaction on the statement's connection and on its read-ahead
    /// connection: another process's checkpoint found the REPL still reading while it sat idle.
    /// The REPL now closes an evaluation's cursors when the evaluation ends.
    @Test func anIteratorLeftPartWayReadsNoMoreOnceItsLineIsDone() throws {
        let scratch = try ScratchDirectory()
        defer { withExtendedLifetime(scratch) {} }
        let db = try ReplHarness.demoDatabase(in: scratch)
        let repl = try PipedSession(["--db", db])
        // 300 rows: more than a cursor reads on its own connection before reading ahead, far
        // fewer than the demo's 2,000 members.
        repl.send("it = members{}:each(); for _ = 1, 300 do it() end; print('left part way')")
        repl.wait(for: "left part way")
        // A printed line is streamed while its evaluation still runs, so the cursors may not be
        // closed yet when it arrives; an expression's value comes after its evaluation (and its
        // snapshot) ended, and evaluations run one after another.
        repl.send("'line done'")
        repl.wait(for: "line done")
        // A write, then a truncating checkpoint, from another process: the checkpoint's first
        // column is 1 (busy) while any connection still reads the frames it would remove.
        let sqlite = try ChildProcess("sqlite3", ["-batch", db], stdin: .pipe)
        _ = sqlite.write(Data("UPDATE settings SET value = value;\nPRAGMA wal_checkpoint(TRUNCATE);\n.quit\n".utf8))
        sqlite.closeInput()
        _ = sqlite.wait(timeout: 30)
        #expect(String(decoding: sqlite.output, as: UTF8.self).hasPrefix("0|"),
                "\(String(decoding: sqlite.output, as: UTF8.self)) \(String(decoding: sqlite.errorOutput, as: UTF8.self))")
        // The kept iterator refuses to go on, as before; the REPL carries on.
        repl.send("it()")
        repl.send("'still here'")
        repl.wait(for: "still here")
        let status = repl.finish()
        #expect(status == 1, "\(status)")  // a piped session with an error ends with 1
        #expect(repl.stderr.contains("this each() iterator belongs to an earlier evaluation; call :each() again"), "\(repl.stderr)")
    }

    @Test func aRefusedCommitWritesNothingAndKeepsThePending() throws {
        let scratch = try ScratchDirectory()
        defer { withExtendedLifetime(scratch) {} }
        let db = try ReplHarness.demoDatabase(in: scratch)
        // Session A proposes to spend the whole budget; meanwhile B spends part of it and
        // commits; A's commit is then checked again, refused, and writes nothing.
        let a = try PipedSession(["--db", db])
        a.send(#"f = budget("serious-illness-2025") f:grant(member(1), f:available(), { memo = "all of it" })"#)
        a.send("'proposed'")
        a.wait(for: "proposed")
        let b = try ReplHarness.piped(#"budget("serious-illness-2025"):grant(member(2), yuan(1), { memo = "first" })"# + "\n\\commit\n",
                                      ["--db", db])
        #expect(b.stdoutText.contains("Committed 1 effect"), "\(b.summary)")
        a.send("\\commit")
        a.send("'after'")
        a.wait(for: "after")
        a.send("\\rollback")
        a.finish()
        #expect(a.stderr.contains("refused: effect #1: "), "\(a.stderr)")
        #expect(a.stderr.contains("serious-illness-2025"))
        #expect(a.stderr.contains("the commit was refused; nothing was written. The effects stay pending"))
        #expect(a.stdout.contains("Dropped 1 pending effect"))
        let check = try ReplHarness.piped("budget('serious-illness-2025'):available()\n", ["--db", db])
        #expect(check.stdoutText == "9999900\n", "\(check.summary)")  // ¥100,000.00 less B's ¥1
    }

    @Test func aCommitAboveTheApprovalThresholdIsHeldAsRunDoes() throws {
        let scratch = try ScratchDirectory()
        defer { withExtendedLifetime(scratch) {} }
        let db = try ReplHarness.demoDatabase(in: scratch)
        let set = try StewardBinary.run(["settings", "set", "approval.threshold", "100", "--db", db])
        #expect(set.exitCode == 0, "\(set.summary)")
        let r = try ReplHarness.piped("\(Self.grant)\n\\commit\n\\pending\n", ["--db", db])
        #expect(r.exitCode == 0, "\(r.summary)")
        #expect(r.stdoutText.contains("Held for approval: not committed: this change set takes"), "\(r.summary)")
        #expect(r.stdoutText.contains("steward runs approve "))
        #expect(r.stdoutText.hasSuffix("No pending effects.\n"))
    }

    @Test func noDatabaseMeansNothingToCommit() throws {
        let scratch = try ScratchDirectory()
        defer { withExtendedLifetime(scratch) {} }
        let r = try ReplHarness.piped("\\commit\n1\n", in: scratch.url)
        #expect(r.stdoutText == "Nothing to commit.\n1\n", "\(r.summary)")
    }

    @Test func runAFileAsADryRun() throws {
        let scratch = try ScratchDirectory()
        defer { withExtendedLifetime(scratch) {} }
        let db = try ReplHarness.demoDatabase(in: scratch)
        try scratch.write("grant.lua", "print('granting')\n" + Self.grant + "\n")
        let r = try ReplHarness.piped("\\run grant.lua\n\\pending\n\\run missing.lua\n", ["--db", db], in: scratch.url)
        #expect(r.stdoutText.contains("granting\n"), "\(r.summary)")
        #expect(r.stdoutText.contains("Dry run: nothing was written."))
        #expect(r.stdoutText.contains("No pending effects."))  // the session is apart from the file's run
        #expect(r.stderrText.contains("missing.lua: no such file"))
    }

    // MARK: a crashed or stuck evaluator

    @Test func aCrashedWorkerIsReplacedAndItsPendingEffectsNamed() throws {
        let scratch = try ScratchDirectory()
        defer { withExtendedLifetime(scratch) {} }
        let db = try ReplHarness.demoDatabase(in: scratch)
        let r = try ReplHarness.piped("x = 1\n\(Self.grant)\n\\test-crash\nx\n1 + 1\n", ["--db", db],
                                      environment: ["STEWARD_REPL_TEST_HOOKS": "1"])
        #expect(r.stdoutText == "true\n2\n", "\(r.summary)")
        #expect(r.stderrLines == [
            "error: the evaluator crashed (signal 11, SIGSEGV: the Lua library crashed).",
            "dropped 1 pending effect of the lost session (nothing was written):",
            "  disbursement ¥500.00 from relief-2025, to member 1, programme temporary-relief, 2025-06",
            "started a fresh session: globals from before are gone.",
            "stdin:1: undefined global 'x'",
        ])
    }

    @Test func aCallStuckInCIsStoppedAndTheSessionStartsAfresh() throws {
        let r = try ReplHarness.piped("y = 2\nstring.find(('a'):rep(300000), '.-.-.-.-b')\ny\n3\n", ["--timeout", "1s"])
        #expect(r.stdoutText == "3\n", "\(r.summary)")
        #expect(r.stderrText.contains("stuck inside one library call"))
        #expect(r.stderrText.contains("started a fresh session"))
        #expect(r.stderrText.contains("undefined global 'y'"))
        #expect(r.seconds < 8)
    }

    @Test func aWorkerThatDoesNotAnswerIsKilledByTheParent() throws {
        let r = try ReplHarness.piped("\\test-hang\n1 + 1\n", environment: ["STEWARD_REPL_TEST_HOOKS": "1"])
        #expect(r.stdoutText == "2\n", "\(r.summary)")
        #expect(r.stderrText.contains("the evaluator was stopped"))
        #expect(r.seconds < 8)
    }

    @Test func ctrlCInterruptsRunningCode() throws {
        // SIGINT to the parent while a loop runs: the worker is interrupted, the session lives.
        let scratch = try ScratchDirectory()
        defer { withExtendedLifetime(scratch) {} }
        let script = "x = 7\nwhile true do end\nx * 6\n"
        let child = try ChildProcess(try StewardBinary.url().path, ["repl"], directory: scratch.url.path)
        child.write(Data(script.utf8))
        Thread.sleep(forTimeInterval: 1.0)
        child.signal(SIGINT)
        Thread.sleep(forTimeInterval: 0.5)
        child.closeInput()
        // Piped, a session with any failure (an interruption included) ends with exit code 1.
        #expect(child.wait(timeout: 30) == .exited(1))
        let out = child.output, err = child.errorOutput
        #expect(String(decoding: out, as: UTF8.self) == "42\n")
        #expect(String(decoding: err, as: UTF8.self) == "interrupted\n")
    }
}

@Suite("steward repl: the binary")
struct ReplBinaryTests {
    /// libedit (BSD) only: GNU readline is GPL and must never be linked.
    @Test func linksLibeditAndNotReadline() throws {
        let ldd = try StewardBinary.run(executable: URL(fileURLWithPath: "/usr/bin/ldd"), [try StewardBinary.url().path])
        #expect(ldd.exitCode == 0, "\(ldd.summary)")
        #expect(ldd.stdoutText.contains("libedit"))
        #expect(!ldd.stdoutText.contains("libreadline"))
        #expect(!ldd.stdoutText.contains("libhistory"))
    }
}
