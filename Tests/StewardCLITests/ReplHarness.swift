import ChildProcess
import Foundation
import Testing

/// Helpers for the `steward repl` tests: piped sessions, demo databases, and a terminal
/// session driven through tmux on a private socket (so no other tmux is touched).
enum ReplHarness {
    /// A demo district of 2,000 members, made once per test process; each test gets a copy.
    static let template: Result<URL, Error> = Result {
        let directory = try ProcessScratch.directory("steward-repl-template")
        let db = directory.appendingPathComponent("demo.db")
        let r = try StewardBinary.run(["demo", "--db", db.path, "--members", "2000"], timeout: .seconds(120))
        guard r.exitCode == 0 else { throw HarnessError("steward demo failed: \(r.summary)") }
        return db
    }

    struct HarnessError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    /// A copy of the demo database in `scratch`.
    static func demoDatabase(in scratch: ScratchDirectory) throws -> String {
        let source = try template.get()
        let target = scratch.url.appendingPathComponent("demo.db")
        try FileManager.default.copyItem(at: source, to: target)
        let wal = URL(fileURLWithPath: source.path + "-wal")
        if FileManager.default.fileExists(atPath: wal.path) {
            try FileManager.default.copyItem(at: wal, to: URL(fileURLWithPath: target.path + "-wal"))
        }
        return target.path
    }

    /// `steward repl` with `input` piped in.
    static func piped(_ input: String, _ arguments: [String] = [], environment: [String: String] = [:],
                      in directory: URL? = nil, timeout: Duration = .seconds(60)) throws -> StewardBinary.RunResult {
        try StewardBinary.run(["repl"] + arguments, stdin: Data(input.utf8), environment: environment,
                              in: directory, timeout: timeout)
    }

    /// Terminal cells of `text`: CJK ideographs and fullwidth forms take two.
    static func cells(_ text: Substring) -> Int {
        text.unicodeScalars.reduce(0) { n, s in
            let v = s.value
            let wide = (0x1100...0x115F).contains(v) || (0x2E80...0xA4CF).contains(v) || (0xAC00...0xD7A3).contains(v)
                || (0xF900...0xFAFF).contains(v) || (0xFF00...0xFF60).contains(v) || (0xFFE0...0xFFE6).contains(v)
            return n + (wide ? 2 : 1)
        }
    }
}

/// One `steward repl` on a real terminal: a tmux session on its own socket.
final class TerminalSession {
    let socket = "steward-repl-test-\(UUID().uuidString.prefix(8))"
    let name = "repl"
    let tmux: URL

    static func tmuxPath() -> URL? {
        for p in ["/usr/bin/tmux", "/usr/local/bin/tmux", "/bin/tmux"] where FileManager.default.isExecutableFile(atPath: p) {
            return URL(fileURLWithPath: p)
        }
        return nil
    }

    /// Starts `steward repl arguments` in an 100×40 terminal, with a UTF-8 locale and the
    /// given environment; "[exited N]" is printed when the REPL ends.
    init(_ arguments: [String], environment: [String: String], directory: URL) throws {
        guard let tmux = Self.tmuxPath() else { throw ReplHarness.HarnessError("tmux is not installed (dev/deps.sh installs it)") }
        self.tmux = tmux
        let binary = try StewardBinary.url().path
        var env = ["LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"]
        for (k, v) in environment { env[k] = v }
        let assignments = env.sorted { $0.key < $1.key }.map { "\($0.key)=\(Self.quote($0.value))" }.joined(separator: " ")
        let command = "cd \(Self.quote(directory.path)) && env -u NO_COLOR \(assignments) \(Self.quote(binary)) "
            + (["repl"] + arguments).map(Self.quote).joined(separator: " ") + "; echo \"[exited $?]\"; sleep 60"
        // The server this starts keeps running. Foundation's Process would wait for it too
        // (it inherits the descriptor Process watches), so spawn the client directly.
        let argv = [tmux.path, "-L", socket, "new-session", "-d", "-s", name, "-x", "100", "-y", "40", command]
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for fd: Int32 in [0, 1, 2] {
            posix_spawn_file_actions_addopen(&actions, fd, "/dev/null", fd == 0 ? O_RDONLY : O_WRONLY, 0)
        }
        let cArgs = argv.map { strdup($0) } + [nil]
        defer { for p in cArgs { free(p) } }
        // Test threads block most signals and a spawned process inherits the mask: without a
        // clean one, tmux and the REPL in it would ignore the SIGHUP that ends them.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGHUP, SIGINT, SIGTERM, SIGPIPE, SIGQUIT] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var pid: pid_t = 0
        guard posix_spawn(&pid, tmux.path, &actions, &attributes, cArgs, environ) == 0 else {
            throw ReplHarness.HarnessError("cannot start tmux")
        }
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        guard status == 0 else { throw ReplHarness.HarnessError("tmux new-session failed (status \(status))") }
        serverPID = Int32(try run(["display-message", "-p", "#{pid}"]).trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// The tmux server of this session, ended for sure when the test is done.
    private var serverPID: Int32?

    deinit {
        _ = try? run(["kill-server"])
        if let serverPID {
            usleep(100_000)
            if kill(serverPID, 0) == 0 { kill(serverPID, SIGKILL) }
        }
    }

    static func quote(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }

    @discardableResult
    func run(_ arguments: [String]) throws -> String {
        let r = try StewardBinary.run(executable: tmux, ["-L", socket] + arguments, timeout: .seconds(10))
        guard r.exitCode == 0 else { throw ReplHarness.HarnessError("tmux \(arguments.first ?? ""): \(r.stderrText)") }
        return r.stdoutText
    }

    /// Types `text` literally (no key-name lookup: tmux would read "end" as the End key).
    func type(_ text: String) throws { try run(["send-keys", "-t", name, "-l", text]) }

    /// Presses keys by tmux name: Enter, Tab, C-c, C-d, Up, Left, BSpace.
    func press(_ keys: String...) throws { try run(["send-keys", "-t", name] + keys) }

    /// The screen with colour and attribute escapes.
    func screenWithEscapes() throws -> String { try run(["capture-pane", "-t", name, "-p", "-e"]) }

    /// The screen and its scrollback.
    func screen() throws -> String { try run(["capture-pane", "-t", name, "-p", "-S", "-3000"]) }

    /// Waits until the screen satisfies `condition`; returns the screen (the last one seen
    /// if the time ran out).
    @discardableResult
    func wait(for what: String, timeout: Double = 15, _ condition: (String) -> Bool) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var last = ""
        while Date() < deadline {
            last = try screen()
            if condition(last) { return last }
            usleep(20_000)
        }
        Issue.record("timed out waiting for \(what); screen:\n\(last)")
        return last
    }

    /// Lines of the screen without trailing blank ones.
    func lines() throws -> [String] {
        var lines = try screen().components(separatedBy: "\n")
        while lines.last?.trimmingCharacters(in: .whitespaces) == "" { lines.removeLast() }
        return lines
    }

    /// Lines that start with a prompt (`>` or `>>`).
    static func promptCount(_ screen: String) -> Int {
        screen.components(separatedBy: "\n").filter { $0.hasPrefix(">") }.count
    }

    /// Sends a line and waits for the next empty primary prompt; returns the screen.
    @discardableResult
    func enter(_ line: String, timeout: Double = 15) throws -> String {
        let before = Self.promptCount(try screen())
        if !line.isEmpty { try type(line) }
        try press("Enter")
        return try wait(for: "the prompt after `\(line)`", timeout: timeout) {
            Self.promptCount($0) > before && Self.lastLine($0) == ">"
        }
    }

    static func lastLine(_ screen: String) -> String {
        screen.components(separatedBy: "\n").last { !$0.trimmingCharacters(in: .whitespaces).isEmpty } ?? ""
    }
}

/// A piped `steward repl` kept open, fed one line at a time (for two sessions interleaved).
final class PipedSession: @unchecked Sendable {
    private let child: ChildProcess

    init(_ arguments: [String], in directory: URL? = nil) throws {
        child = try ChildProcess(try StewardBinary.url().path, ["repl"] + arguments,
                                 environment: StewardBinary.childEnvironment(),
                                 directory: directory?.path)
    }

    var stdout: String { String(decoding: child.output, as: UTF8.self) }
    var stderr: String { String(decoding: child.errorOutput, as: UTF8.self) }

    func send(_ line: String) { child.write(Data((line + "\n").utf8)) }

    /// Waits until stdout or stderr contains `text`.
    @discardableResult
    func wait(for text: String, timeout: Double = 20) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if stdout.contains(text) || stderr.contains(text) { return true }
            usleep(20_000)
        }
        Issue.record("timed out waiting for \(text); stdout:\n\(stdout)\nstderr:\n\(stderr)")
        return false
    }

    /// Closes the input and waits for the process to end; returns its exit status.
    @discardableResult
    func finish() -> Int32 {
        child.closeInput()
        switch child.wait()! {
        case .exited(let code): return code
        case .signalled(let number): return 128 + number
        }
    }
}
