import Foundation
import Testing

/// One script of `Tests/LuaRuntimeTests/Hostile/`, with what its header says must happen.
///
/// Header lines (Lua comments, anywhere in the file, usually at the top):
/// ```
/// -- attack: what the script attempts
/// -- expect: ok                                    exit 0, nothing on stderr (or `-- stderr:`)
/// -- expect: error "name.lua:3: message"           exit 1, exactly this on stderr (`*` = any text)
/// -- expect: limit.memory                          exit 3, one line naming the limit and its value
///                                                  (memory, time, instructions, output)
/// -- expect: usage "error: ..."                    exit 2, exactly this on stderr
/// -- stdout: a line                                the exact stdout, one header per line
///                                                  (without any, stdout must be empty, except
///                                                  for limit.output: at most the limit)
/// -- stderr: exact stderr line                     (optional, for ok and limits)
/// -- stderr-max: 4200                              (optional) most bytes allowed on stderr
/// -- args: --timeout 500ms                         flags added to (or replacing) the defaults
/// -- marker: /tmp/path                             a file the attack tries to create: must not exist
/// -- known-issue: why                              a bug outside the runtime, tracked, not hidden
/// ```
struct HostileScript: Sendable, CustomTestStringConvertible {
    enum Expectation: Sendable, Equatable {
        case ok
        case error(String)
        case limit(String)
        case usage(String)
        case invalid(String)
    }

    /// The limits every hostile script runs under unless its header says otherwise.
    static let defaultFlags: [(String, String)] = [
        ("--timeout", "2s"), ("--memory-limit", "16MB"), ("--output-limit", "1MB"),
    ]
    /// Time a run may take past its timeout: the hard watchdog's grace (0.5 s) plus the start-up
    /// of a debug binary on a loaded 2-core machine.
    static let margin = 3.0

    let fileName: String
    let contents: Data
    var expectation: Expectation = .invalid("no '-- expect:' header")
    var stdout: [String] = []
    var stderr: String?
    var stderrMax: Int?
    var flags: [(String, String)] = HostileScript.defaultFlags
    var markers: [String] = []
    var knownIssue: String?

    var testDescription: String { fileName }

    func flag(_ name: String) -> String? { flags.first { $0.0 == name }?.1 }
    var arguments: [String] { ["run", fileName] + flags.flatMap { [$0.0, $0.1] } }

    /// The run's timeout in seconds (from `--timeout`).
    var timeoutSeconds: Double {
        let text = flag("--timeout") ?? "10s"
        if text.hasSuffix("ms"), let n = Double(text.dropLast(2)) { return n / 1000 }
        if text.hasSuffix("s"), let n = Double(text.dropLast()) { return n }
        if text.hasSuffix("m"), let n = Double(text.dropLast()) { return n * 60 }
        return 10
    }

    /// Bytes of `--output-limit`.
    var outputLimitBytes: Int {
        let text = (flag("--output-limit") ?? "1MB").uppercased()
        for (suffix, scale) in [("MB", 1 << 20), ("KB", 1 << 10)] where text.hasSuffix(suffix) {
            return (Int(text.dropLast(2)) ?? 0) * scale
        }
        return Int(text) ?? 0
    }

    /// What stderr must contain for a limit: "memory limit of 16MB exceeded".
    func limitMessage(_ kind: String) -> String? {
        switch kind {
        case "memory": return flag("--memory-limit").map { "memory limit of \($0) exceeded" }
        case "time": return flag("--timeout").map { "time limit of \($0) exceeded" }
        case "instructions": return flag("--instruction-limit").map { "instruction limit of \($0) exceeded" }
        case "output":
            guard let value = flag("--output-limit") else { return nil }
            let shown = Int(value).map { "\($0) bytes" } ?? value
            return "output limit of \(shown) exceeded"
        default: return nil
        }
    }

    init(url: URL) throws {
        fileName = url.lastPathComponent
        contents = try Data(contentsOf: url)
        let text = String(decoding: contents, as: UTF8.self)
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = String(raw)
            guard line.hasPrefix("-- ") else { continue }
            let body = line.dropFirst(3)
            guard let colon = body.firstIndex(of: ":") else { continue }
            let key = String(body[..<colon])
            var value = String(body[body.index(after: colon)...])
            if value.hasPrefix(" ") { value.removeFirst() }
            switch key {
            case "expect": expectation = Self.parseExpectation(value)
            case "stdout": stdout.append(value)
            case "stderr": stderr = value
            case "stderr-max": stderrMax = Int(value)
            case "marker": markers.append(value)
            case "known-issue": knownIssue = value
            case "args":
                let words = value.split(separator: " ").map(String.init)
                guard words.count % 2 == 0 else {
                    expectation = .invalid("'-- args:' must be flag/value pairs: \(value)")
                    continue
                }
                for i in stride(from: 0, to: words.count, by: 2) {
                    if let at = flags.firstIndex(where: { $0.0 == words[i] }) {
                        flags[at].1 = words[i + 1]
                    } else {
                        flags.append((words[i], words[i + 1]))
                    }
                }
            default: continue
            }
        }
        if case .limit(let kind) = expectation, limitMessage(kind) == nil {
            expectation = .invalid("limit.\(kind): unknown limit, or no flag sets its value")
        }
    }

    static func parseExpectation(_ text: String) -> Expectation {
        func quoted(_ rest: Substring) -> String? {
            let t = rest.trimmingCharacters(in: .whitespaces)
            guard t.count >= 2, t.hasPrefix("\""), t.hasSuffix("\"") else { return nil }
            return String(t.dropFirst().dropLast())
        }
        if text == "ok" { return .ok }
        if text.hasPrefix("limit.") { return .limit(String(text.dropFirst(6))) }
        if text.hasPrefix("error "), let message = quoted(text.dropFirst(6)) { return .error(message) }
        if text.hasPrefix("usage "), let message = quoted(text.dropFirst(6)) { return .usage(message) }
        return .invalid("cannot read '-- expect: \(text)'")
    }

    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("LuaRuntimeTests/Hostile", isDirectory: true)

    static let all: [HostileScript] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".lua") }.sorted().compactMap { name in
            try? HostileScript(url: directory.appendingPathComponent(name))
        }
    }()
}

/// `*` in `pattern` matches any run of characters; everything else matches itself.
func globMatches(_ pattern: String, _ text: String) -> Bool {
    let parts = pattern.components(separatedBy: "*")
    guard parts.count > 1 else { return pattern == text }
    guard text.hasPrefix(parts[0]), text.hasSuffix(parts[parts.count - 1]),
          text.count >= parts[0].count + parts[parts.count - 1].count else { return false }
    var rest = text.dropFirst(parts[0].count).dropLast(parts[parts.count - 1].count)
    for part in parts.dropFirst().dropLast() where !part.isEmpty {
        guard let range = rest.range(of: part) else { return false }
        rest = rest[range.upperBound...]
    }
    return true
}

@Suite("Hostile scripts end with the right outcome, in time, alive, writing nothing", .serialized)
struct HostileScriptTests {
    @Test func theSuiteIsThere() {
        #expect(HostileScript.all.count >= 35, "hostile scripts found in \(HostileScript.directory.path)")
    }

    @Test(arguments: HostileScript.all)
    func hostileScript(_ script: HostileScript) throws {
        if case .invalid(let why) = script.expectation {
            Issue.record("\(script.fileName): bad header: \(why)")
            return
        }
        let scratch = try ScratchDirectory("steward-hostile")
        try scratch.write(script.fileName, script.contents)
        for marker in script.markers { try? FileManager.default.removeItem(atPath: marker) }
        let before = scratch.snapshot()

        let result = try StewardBinary.run(script.arguments, in: scratch.url, timeout: .seconds(60))

        // Alive: no crash, no hang.
        #expect(!result.timedOut, "\(script.fileName) hung: \(result.summary)")
        #expect(result.signal == nil, "\(script.fileName) crashed: \(result.summary)")
        // In time: its own limit plus the watchdog's grace and a margin.
        let bound = script.timeoutSeconds + HostileScript.margin
        #expect(result.seconds <= bound, "\(script.fileName) took \(result.seconds)s (bound \(bound)s)")
        // Nothing written: the run's directory is as it was, and no marker file appeared.
        let after = scratch.snapshot()
        #expect(after == before, "\(script.fileName) changed its directory: \(after.symmetricDifference(before))")
        for marker in script.markers {
            #expect(!FileManager.default.fileExists(atPath: marker), "\(script.fileName) created \(marker)")
            try? FileManager.default.removeItem(atPath: marker)
        }
        if let max = script.stderrMax {
            #expect(result.stderr.count <= max, "\(script.fileName): \(result.stderr.count) bytes on stderr")
        }

        let check = { checkOutcome(script, result) }
        if let issue = script.knownIssue {
            withKnownIssue(Comment(rawValue: issue)) { check() }
        } else {
            check()
        }
    }

    /// Exit code, stderr and stdout as the header says. Output is compared in its visible
    /// form (control characters escaped) and cut short, so a failing attack cannot drive the
    /// terminal of whoever runs the tests, nor flood the test log.
    func checkOutcome(_ script: HostileScript, _ result: StewardBinary.RunResult) {
        let name = script.fileName
        let stdout = shown(result.stdoutText)
        let stderr = shown(result.stderrText)
        let stderrLines = result.stderrLines
        let firstLine = shown(stderrLines.first ?? "")
        let stdoutExpected = script.stdout.isEmpty ? "" : script.stdout.joined(separator: "\n") + "\n"
        switch script.expectation {
        case .ok:
            #expect(result.exitCode == 0, "\(name): \(result.summary)")
            #expect(stderr == script.stderr.map { $0 + "\n" } ?? "", "\(name)")
            #expect(stdout == stdoutExpected, "\(name): stdout")
        case .error(let message):
            #expect(result.exitCode == 1, "\(name): \(result.summary)")
            #expect(stderrLines.count == 1, "\(name): one line on stderr: \(result.summary)")
            let matches = globMatches(message, (stderrLines.first ?? "").escapingControlCharacters)
            #expect(matches, "\(name): stderr is \"\(firstLine.prefix(300))\", expected \"\(message)\"")
            #expect(stdout == stdoutExpected, "\(name): stdout")
        case .usage(let message):
            #expect(result.exitCode == 2, "\(name): \(result.summary)")
            #expect(stderr == message + "\n", "\(name)")
            #expect(stdout == stdoutExpected, "\(name): stdout")
        case .limit(let kind):
            #expect(result.exitCode == 3, "\(name): \(result.summary)")
            let wanted = script.limitMessage(kind) ?? "?"
            #expect(stderrLines.count == 1, "\(name): one line on stderr: \(result.summary)")
            let named = stderrLines.count == 1 && firstLine.contains(wanted)
            #expect(named, "\(name): stderr should name '\(wanted)': \(result.summary)")
            if let exact = script.stderr {
                #expect(firstLine == exact, "\(name)")
            }
            if kind == "time" {
                #expect(result.seconds >= script.timeoutSeconds * 0.95,
                        "\(name): a time limit fired early, after \(result.seconds)s")
            }
            if kind == "output" {
                #expect(result.stdout.count <= script.outputLimitBytes, "\(name): \(result.stdout.count) bytes on stdout")
            } else {
                #expect(stdout == stdoutExpected, "\(name): stdout")
            }
        case .invalid:
            break
        }
    }

    /// At most 2000 characters of `text`, control characters escaped.
    func shown(_ text: String) -> String {
        let cut = text.count > 2000 ? String(text.prefix(2000)) + "…" : text
        return cut.escapingControlCharacters
    }
}
