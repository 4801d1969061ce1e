import Foundation
import Testing

/// `steward run`: what it prints and the exit code it ends with (0 ok, 1 script error,
/// 2 usage or input error, 3 a limit was exceeded).
@Suite("steward run: output, messages and exit codes")
struct RunCommandTests {
    /// Runs `steward run` on `source` saved as `name` in a fresh directory.
    func run(_ source: String, name: String = "script.lua", _ flags: [String] = [],
             timeout: Duration = .seconds(30)) throws -> StewardBinary.RunResult {
        let scratch = try ScratchDirectory()
        try scratch.write(name, source)
        return try StewardBinary.run(["run", name] + flags, in: scratch.url, timeout: timeout)
    }

    // MARK: success

    @Test func successPrintsOutputThenResults() throws {
        let r = try run("""
            print("你好", 1 + 1, nil, true)
            print("second line")
            return 42, "text", 2.5, {1, 2, name = "王芳"}
            """)
        #expect(r.exitCode == 0, "\(r.summary)")
        #expect(r.stdoutText == "你好\t2\tnil\ttrue\nsecond line\n42\ntext\n2.5\n{1, 2, name = \"王芳\"}\n")
        #expect(r.stderrText == "")
    }

    @Test func successWithNothingToSay() throws {
        let r = try run("local x = 1")
        #expect(r.exitCode == 0)
        #expect(r.stdoutText == "")
        #expect(r.stderrText == "")
    }

    @Test func printedControlCharactersAreEscaped() throws {
        let r = try run(#"print("\27[31mred\7")"#)
        #expect(r.exitCode == 0)
        #expect(r.stdoutText == "\\x1b[31mred\\x07\n")
    }

    // MARK: script errors: exit 1, `FILE:LINE: message`, file name only

    @Test func syntaxErrorNamesTheFileWithoutItsDirectory() throws {
        let scratch = try ScratchDirectory()
        try scratch.write("deep/er/grants.lua", "local a = 1\nlocal b = = 2\n")
        let r = try StewardBinary.run(["run", scratch.url.appendingPathComponent("deep/er/grants.lua").path])
        #expect(r.exitCode == 1, "\(r.summary)")
        #expect(r.stderrText == "grants.lua:2: unexpected symbol near '='\n")
        #expect(!r.stderrText.contains(scratch.url.path))
        #expect(r.stdoutText == "")
    }

    @Test func runtimeErrorGivesFileAndLine() throws {
        let r = try run("print('before')\nlocal member = nil\nreturn member.name\n", name: "relief.lua")
        #expect(r.exitCode == 1, "\(r.summary)")
        #expect(r.stderrText == "relief.lua:3: attempt to index a nil value (local 'member')\n")
        #expect(r.stdoutText == "before\n")  // what was printed before the error is kept
    }

    @Test func errorCalledByTheScript() throws {
        let r = try run("local x = 1\nerror('budget relief-2025 is closed')\n", name: "e.lua")
        #expect(r.exitCode == 1)
        #expect(r.stderrText == "e.lua:2: budget relief-2025 is closed\n")
    }

    @Test func undefinedGlobalIsNamed() throws {
        let r = try run("return bugdet", name: "typo.lua")
        #expect(r.exitCode == 1)
        #expect(r.stderrText == "typo.lua:1: undefined global 'bugdet'\n")
    }

    // MARK: usage and input errors: exit 2, one clear line

    @Test func missingFile() throws {
        let scratch = try ScratchDirectory()
        let r = try StewardBinary.run(["run", "nope.lua"], in: scratch.url)
        #expect(r.exitCode == 2)
        #expect(r.stderrText == "error: nope.lua: no such file\n")
        #expect(r.stdoutText == "")
    }

    @Test func directoryInsteadOfAFile() throws {
        let scratch = try ScratchDirectory()
        try FileManager.default.createDirectory(at: scratch.url.appendingPathComponent("scripts"),
                                                withIntermediateDirectories: true)
        let r = try StewardBinary.run(["run", "scripts"], in: scratch.url)
        #expect(r.exitCode == 2)
        #expect(r.stderrText == "error: scripts: is a directory, not a script\n")
    }

    @Test func nonUTF8File() throws {
        let scratch = try ScratchDirectory()
        // GB18030 for 你好: a real mistake (a script saved by a Chinese-locale editor).
        try scratch.write("gbk.lua", Data([0x70, 0x72, 0x69, 0x6E, 0x74, 0x28, 0x22, 0xC4, 0xE3, 0xBA, 0xC3, 0x22, 0x29]))
        let r = try StewardBinary.run(["run", "gbk.lua"], in: scratch.url)
        #expect(r.exitCode == 2)
        #expect(r.stderrText == "error: gbk.lua: is not UTF-8 text (scripts are UTF-8)\n")
    }

    @Test(.enabled(if: getuid() != 0, "root reads any file"))
    func unreadableFile() throws {
        let scratch = try ScratchDirectory()
        let file = try scratch.write("secret.lua", "return 1")
        try FileManager.default.setAttributes([.posixPermissions: 0o000], ofItemAtPath: file.path)
        let r = try StewardBinary.run(["run", "secret.lua"], in: scratch.url)
        #expect(r.exitCode == 2)
        #expect(r.stderrLines == ["error: secret.lua: cannot be read (permission denied?)"])
    }

    /// A bad flag value: exit 2 and a first line that names the flag and the value. (The
    /// argument parser follows it with the usage lines.)
    @Test(arguments: [
        (["--timeout", "soon"], "error: --timeout: 'soon' is not a duration (e.g. 10s, 500ms, 2m)"),
        (["--timeout", "0s"], "error: --timeout: '0s' is not a duration (e.g. 10s, 500ms, 2m)"),
        (["--memory-limit", "lots"], "error: --memory-limit: 'lots' is not a size (e.g. 64MB, 512KB)"),
        (["--memory-limit", "1KB"], "error: --memory-limit: '1KB' is too small (at least 256KB)"),
        (["--output-limit", "x"], "error: --output-limit: 'x' is not a size (e.g. 1MB)"),
        (["--instruction-limit", "0"], "error: --instruction-limit: must be a positive number"),
    ])
    func badFlagValue(flags: [String], firstLine: String) throws {
        let r = try run("return 1", flags)
        #expect(r.exitCode == 2, "\(r.summary)")
        #expect(r.stderrLines == [firstLine], "\(r.summary)")
        #expect(r.stdoutText == "")
    }

    // MARK: limits: exit 3, naming the limit and its value

    @Test func memoryLimit() throws {
        let r = try run("local t = {} for i = 1, 1e9 do t[i] = i end", name: "m.lua", ["--memory-limit", "1MB"])
        #expect(r.exitCode == 3, "\(r.summary)")
        #expect(r.stderrText == "error: m.lua: memory limit of 1MB exceeded\n")
    }

    @Test func instructionLimit() throws {
        let r = try run("while true do end", name: "i.lua", ["--instruction-limit", "1000"])
        #expect(r.exitCode == 3, "\(r.summary)")
        #expect(r.stderrText == "error: i.lua: instruction limit of 1000 exceeded\n")
    }

    @Test func timeLimit() throws {
        let r = try run("while true do end", name: "t.lua", ["--timeout", "300ms"])
        #expect(r.exitCode == 3, "\(r.summary)")
        #expect(r.stderrText == "error: t.lua: time limit of 300ms exceeded\n")
        #expect(r.seconds >= 0.3 && r.seconds < 3, "took \(r.seconds)s")
    }

    @Test func outputLimit() throws {
        let r = try run("for i = 1, 1000 do print('line', i) end", name: "o.lua", ["--output-limit", "100"])
        #expect(r.exitCode == 3, "\(r.summary)")
        #expect(r.stderrText == "error: o.lua: output limit of 100 bytes exceeded\n")
        #expect(r.stdout.count == 100)
        #expect(r.stdoutText.hasPrefix("line\t1\nline\t2\n"))
    }

    @Test func limitsCannotBeSwallowedByPcall() throws {
        let r = try run("""
            for i = 1, 100 do pcall(function() local t = {} for j = 1, 1e9 do t[j] = j end end) end
            return "swallowed"
            """, name: "p.lua", ["--memory-limit", "1MB"])
        #expect(r.exitCode == 3, "\(r.summary)")
        #expect(r.stdoutText == "")
        #expect(r.stderrText == "error: p.lua: memory limit of 1MB exceeded\n")
    }

    /// No hook fires inside one C call: the hard watchdog ends the process, still with exit 3
    /// and within the time limit plus its grace.
    @Test func scriptStuckInCEndsWithinItsTimeLimit() throws {
        let r = try run(#"return string.find(("a"):rep(300000), ".-.-.-.-b")"#, name: "stuck.lua",
                        ["--timeout", "1s"], timeout: .seconds(20))
        #expect(!r.timedOut && r.signal == nil, "\(r.summary)")
        #expect(r.exitCode == 3, "\(r.summary)")
        #expect(r.stderrLines.count == 1)
        #expect(r.stderrText.contains("time limit of 1s exceeded"), "\(r.summary)")
        #expect(r.seconds >= 1 && r.seconds < 2.5, "took \(r.seconds)s")
    }

    // MARK: --format json

    struct Report: Decodable {
        struct ErrorInfo: Decodable {
            var kind: String
            var message: String
            var file: String?
            var line: Int?
            var traceback: String?
        }
        var script: String
        var status: String
        var output: String
        var results: [String]
        var error: ErrorInfo?
    }

    func jsonReport(_ r: StewardBinary.RunResult) throws -> Report {
        try JSONDecoder().decode(Report.self, from: r.stdout)
    }

    @Test func jsonReportOfASuccess() throws {
        let r = try run("print('hi') return 1, 'x'", name: "j.lua", ["--format", "json"])
        #expect(r.exitCode == 0)
        let report = try jsonReport(r)
        #expect(report.script == "j.lua")
        #expect(report.status == "ok")
        #expect(report.output == "hi\n")
        #expect(report.results == ["1", "x"])
        #expect(report.error == nil)
        #expect(r.stderrText == "")
    }

    @Test func jsonReportOfARuntimeError() throws {
        let r = try run("local a = 1\nlocal b = nil + a\n", name: "j.lua", ["--format", "json"])
        #expect(r.exitCode == 1)
        let report = try jsonReport(r)
        #expect(report.status == "script_error")
        #expect(report.error?.kind == "runtime")
        #expect(report.error?.file == "j.lua")
        #expect(report.error?.line == 2)
        #expect(report.error?.message == "j.lua:2: attempt to perform arithmetic on a nil value")
        #expect(report.error?.traceback?.contains("stack traceback") == true)
    }

    @Test func jsonReportOfASyntaxError() throws {
        let r = try run("x = = 1", name: "s.lua", ["--format", "json"])
        #expect(r.exitCode == 1)
        let report = try jsonReport(r)
        #expect(report.status == "script_error")
        #expect(report.error?.kind == "syntax")
        #expect(report.error?.file == "s.lua")
        #expect(report.error?.line == 1)
    }

    @Test func jsonReportOfALimit() throws {
        let r = try run("while true do end", name: "l.lua", ["--format", "json", "--instruction-limit", "1000"])
        #expect(r.exitCode == 3)
        let report = try jsonReport(r)
        #expect(report.status == "limit_exceeded")
        #expect(report.error?.kind == "limit.instructions")
        #expect(report.error?.message == "instruction limit of 1000 exceeded")
    }
}
