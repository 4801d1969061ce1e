import Foundation
import Testing

/// `steward check FILE.lua...`: problems as `FILE:LINE: message` on stdout, exit 0 when clean,
/// 1 when anything was found, 2 when a file could not be read.
@Suite("steward check: problems, lines and exit codes")
struct CheckCommandTests {
    /// Writes `files` into a fresh directory and runs `steward check` on `names` there.
    func check(_ files: [String: String], _ names: [String]? = nil, flags: [String] = []) throws -> StewardBinary.RunResult {
        let scratch = try ScratchDirectory("steward-check")
        for (name, text) in files { try scratch.write(name, text) }
        return try StewardBinary.run(["check"] + flags + (names ?? files.keys.sorted()), in: scratch.url)
    }

    func lines(_ r: StewardBinary.RunResult) -> [String] {
        r.stdoutText.split(separator: "\n").map(String.init)
    }

    static let clean = """
        script { name = "health-check-quota", title = "Share the quota",
                 params = { year = { type = "integer", default = 2025 } } }
        local prog = programme "free-health-check"
        local counts = members{ union_card = true }:count_by "town"
        local shares = allocate.largest_remainder(prog:quota(params.year), counts)
        for town, n in pairs(shares) do prog:set_quota{ period = params.year, town = town, limit = n } end
        report.table(shares, { "town", "slots" })
        print(money.format(yuan(12.5)), run.today)
        """

    @Test func cleanScriptExitsZeroAndPrintsNothingOnStdout() throws {
        let r = try check(["quota.lua": Self.clean])
        #expect(r.exitCode == 0, "\(r.summary)")
        #expect(r.stdoutText == "")
        #expect(r.stderrText == "checked 1 script: no problems\n")
    }

    @Test func syntaxErrorIsFileLineMessage() throws {
        let r = try check(["broken.lua": "local a = 1\nlocal b = = 2\n"])
        #expect(r.exitCode == 1, "\(r.summary)")
        #expect(lines(r) == ["broken.lua:2: unexpected symbol near '='"])
    }

    @Test func pathIsShownAsGiven() throws {
        let r = try check(["sub/dir/typo.lua": "print(totl)\n"], ["sub/dir/typo.lua"])
        #expect(r.exitCode == 1)
        #expect(lines(r) == ["sub/dir/typo.lua:1: unknown global 'totl'"])
    }

    @Test func unknownGlobalsWithSuggestions() throws {
        let source = """
            local total = 0
            for i = 1, 3 do total = total + i end
            print(totl)
            print(membres{ elderly = true }:count())
            helper()
            function helper() return undefined_value end
            """
        let r = try check(["globals.lua": source])
        #expect(r.exitCode == 1, "\(r.summary)")
        #expect(lines(r) == [
            "globals.lua:3: unknown global 'totl' (did you mean 'total'?)",
            "globals.lua:4: unknown global 'membres' (did you mean 'members'?)",
            "globals.lua:6: unknown global 'undefined_value'",
        ])
    }

    @Test func unknownAPINames() throws {
        let source = """
            local shares = allocate.largest_remander(100, { a = 1 })
            report.tabel(shares)
            print(money.formatt(100))
            print(string.formt("%d", 1), math.flor(2.5), run.todya)
            local t = table.move
            """
        let r = try check(["api.lua": source])
        #expect(r.exitCode == 1, "\(r.summary)")
        #expect(lines(r) == [
            "api.lua:1: unknown name 'allocate.largest_remander' (did you mean 'allocate.largest_remainder'?)",
            "api.lua:2: unknown name 'report.tabel' (did you mean 'report.table'?)",
            "api.lua:3: unknown name 'money.formatt' (did you mean 'money.format'?)",
            "api.lua:4: unknown name 'math.flor' (did you mean 'math.floor'?)",
            "api.lua:4: unknown name 'run.todya' (did you mean 'run.today'?)",
            "api.lua:4: unknown name 'string.formt' (did you mean 'string.format'?)",
            "api.lua:5: 'table.move' is not available to scripts (the sandbox leaves it out)",
        ])
    }

    @Test func namesTheSandboxLeavesOut() throws {
        let r = try check(["escape.lua": "local f = io.open('x')\nlocal g = load('return 1')\nprint(os.getenv('HOME'))\n"])
        #expect(r.exitCode == 1)
        #expect(lines(r) == [
            "escape.lua:1: 'io' is not available to scripts (the sandbox leaves it out)",
            "escape.lua:2: 'load' is not available to scripts (the sandbox leaves it out)",
            "escape.lua:3: 'os.getenv' is not available to scripts (the sandbox leaves it out)",
        ])
    }

    @Test func methodsOfHostObjectsAndShadowedTablesAreNotChecked() throws {
        let source = """
            local m = members{ elderly = true }:first()
            print(m:whatever(), m.anything)
            local money = { custom = 1 }
            print(money.custom)
            """
        let r = try check(["methods.lua": source])
        #expect(r.exitCode == 0, "\(r.summary)")
    }

    @Test func assignmentsToBuiltInsAndLibraries() throws {
        let source = """
            yuan = function(x) return x end
            money.extra = 1
            function report.mine() end
            """
        let r = try check(["assign.lua": source])
        #expect(r.exitCode == 1)
        #expect(lines(r) == [
            "assign.lua:1: cannot assign to 'yuan': it is a built-in name (use a local variable)",
            "assign.lua:2: cannot set 'money.extra': 'money' is read-only",
            "assign.lua:3: cannot set 'report.mine': 'report' is read-only",
        ])
    }

    @Test func badHeaderType() throws {
        let source = """
            -- a header spread over lines
            script { name = "relief",
                     params = { year = { type = "int", default = 2025 } } }
            print(params.year)
            """
        let r = try check(["header.lua": source])
        #expect(r.exitCode == 1, "\(r.summary)")
        #expect(lines(r) == ["header.lua:2: script{}: param 'year' has unknown type 'int' (types: integer, number, string, boolean, date, period, money)"])
    }

    @Test func badHeaderDefaultsAndFields() throws {
        let r = try check([
            "default.lua": "script { name = \"x\", params = { day = { type = \"date\", default = \"2025-02-30\" } } }\n",
            "money.lua": "script { name = \"x\", params = { cap = { type = \"money\", default = \"12.345\" } } }\n",
            "field.lua": "script { name = \"x\", parms = {} }\n",
            "noname.lua": "script { title = \"no name\" }\n",
        ])
        #expect(r.exitCode == 1, "\(r.summary)")
        let out = lines(r)
        #expect(out.count == 4, "\(out)")
        #expect(out.contains { $0.hasPrefix("default.lua:1: default day=2025-02-30: ") })
        #expect(out.contains { $0.hasPrefix("money.lua:1: default cap=12.345: ") })
        #expect(out.contains("field.lua:1: script{}: unknown field parms (fields: name, title, params, idempotent)"))
        #expect(out.contains { $0.hasPrefix("noname.lua:1: script{}: name is required") })
    }

    @Test func requiredParametersAreFineWithoutValues() throws {
        let source = """
            script { name = "x", params = { month = { type = "period" }, amount = { type = "money", required = true } } }
            print(params.month, params.amount, params.mnth)
            """
        let r = try check(["required.lua": source])
        #expect(r.exitCode == 1, "\(r.summary)")
        #expect(lines(r) == ["required.lua:2: unknown parameter 'params.mnth' (did you mean 'params.month'?)"])
    }

    @Test func paramsWithoutHeader() throws {
        let r = try check(["noheader.lua": "print(params.year)\n"])
        #expect(r.exitCode == 1)
        #expect(lines(r) == ["noheader.lua:1: unknown parameter 'params.year': the script declares no parameters (add script{ params = { year = {...} } })"])
    }

    @Test func codeBeforeTheHeaderIsNotRunAgainstRealData() throws {
        // budget "relief-2025" does not exist in the empty scratch database: not a finding.
        let source = """
            local fund = budget "relief-2025"
            script { name = "relief" }
            print(fund:available())
            """
        let r = try check(["early.lua": source])
        #expect(r.exitCode == 0, "\(r.summary)")
    }

    @Test func scriptsWithoutHeaderAreNotRun() throws {
        // Without script{}, nothing runs: the infinite loop is never entered.
        let r = try check(["loop.lua": "while true do end\n"])
        #expect(r.exitCode == 0, "\(r.summary)")
        #expect(r.seconds < 10)
    }

    @Test func unreadableFileExitsTwoAndOthersAreStillChecked() throws {
        let r = try check(["typo.lua": "print(totl)\n"], ["missing.lua", "typo.lua"])
        #expect(r.exitCode == 2, "\(r.summary)")
        #expect(r.stderrText.contains("error: missing.lua: no such file"))
        #expect(lines(r) == ["typo.lua:1: unknown global 'totl'"])
    }

    @Test func notUTF8IsUnreadable() throws {
        let scratch = try ScratchDirectory("steward-check")
        try scratch.write("gbk.lua", Data([0x70, 0x72, 0x69, 0x6E, 0x74, 0x28, 0x22, 0xC4, 0xE3, 0x22, 0x29]))
        let r = try StewardBinary.run(["check", "gbk.lua"], in: scratch.url)
        #expect(r.exitCode == 2, "\(r.summary)")
        #expect(r.stderrText.contains("gbk.lua: is not UTF-8"))
    }

    @Test func severalFilesInOrder() throws {
        let r = try check(["a.lua": "print(aa)\n", "b.lua": Self.clean, "c.lua": "x = = 1\n"], ["a.lua", "b.lua", "c.lua"])
        #expect(r.exitCode == 1)
        #expect(lines(r) == ["a.lua:1: unknown global 'aa'", "c.lua:1: unexpected symbol near '='"])
        #expect(r.stderrText == "checked 3 scripts: 2 problems\n")
    }

    @Test func jsonFormat() throws {
        let r = try check(["typo.lua": "print(totl)\n"], flags: ["--format", "json"])
        #expect(r.exitCode == 1)
        struct Problem: Decodable, Equatable { var file: String; var line: Int; var message: String }
        let problems = try JSONDecoder().decode([Problem].self, from: r.stdout)
        #expect(problems == [Problem(file: "typo.lua", line: 1, message: "unknown global 'totl'")])
    }

    @Test func checkingWritesNothing() throws {
        let scratch = try ScratchDirectory("steward-check")
        try scratch.write("quota.lua", Self.clean)
        let before = scratch.snapshot()
        let r = try StewardBinary.run(["check", "quota.lua"], in: scratch.url)
        #expect(r.exitCode == 0, "\(r.summary)")
        #expect(scratch.snapshot() == before)
    }

    /// The administrators' scripts in the repository pass (`steward check Scripts/*.lua`).
    @Test func repositoryScriptsPass() throws {
        let directory = StewardBinary.packageRoot.appendingPathComponent("Scripts")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path))?
            .filter { $0.hasSuffix(".lua") }.sorted() ?? []
        try #require(!names.isEmpty, "no scripts in Scripts/")
        let r = try StewardBinary.run(["check"] + names.map { "Scripts/\($0)" }, in: StewardBinary.packageRoot)
        #expect(r.exitCode == 0, "\(r.summary)")
        #expect(r.stdoutText == "")
    }

    @Test func helpDescribesTheChecks() throws {
        let r = try StewardBinary.run(["check", "--help"])
        #expect(r.exitCode == 0)
        #expect(r.stdoutText.contains("FILE:LINE: message"))
        #expect(r.stdoutText.contains("2 a file could not be read"))
    }
}
