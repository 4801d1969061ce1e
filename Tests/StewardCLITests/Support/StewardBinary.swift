import ChildProcess
import Foundation

/// The `steward` executable these tests drive, and a way to run it (or any command) with
/// arguments, stdin, environment, a working directory and a timeout.
///
/// Where the binary is looked for, first match wins:
/// 1. `$STEWARD_BIN`, if set (it must name an executable file);
/// 2. the build directory holding the running test bundle, so a build under `.build` or
///    `.build-hostile` tests its own binary (`swift test` builds the executable with the tests);
/// 3. `<package root>/.build/debug/steward`.
///
/// ```swift
/// let result = try StewardBinary.run(["run", "hello.lua"], in: directory)
/// #expect(result.exitCode == 0)
/// ```
enum StewardBinary {
    struct NotFound: Error, CustomStringConvertible {
        let searched: [String]
        var description: String {
            "the steward binary was not found (build it, or set STEWARD_BIN); looked in:\n  "
                + searched.joined(separator: "\n  ")
        }
    }

    /// The located binary, or the error saying where it was looked for.
    static let located: Result<URL, NotFound> = locate()

    /// The binary's URL; throws ``NotFound`` (with the places searched) if there is none.
    static func url() throws -> URL { try located.get() }

    /// The package root, found from this file's path (Tests/StewardCLITests/Support/).
    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static func locate() -> Result<URL, NotFound> {
        let fm = FileManager.default
        var searched: [String] = []
        if let path = ProcessInfo.processInfo.environment["STEWARD_BIN"], !path.isEmpty {
            if fm.isExecutableFile(atPath: path) { return .success(URL(fileURLWithPath: path)) }
            // An explicit choice that is wrong must not silently fall back to another binary.
            return .failure(NotFound(searched: ["$STEWARD_BIN=\(path) (not an executable file)"]))
        }
        for directory in buildDirectories() {
            let candidate = directory.appendingPathComponent("steward")
            searched.append(candidate.path)
            var isDirectory: ObjCBool = false
            if fm.fileExists(atPath: candidate.path, isDirectory: &isDirectory), !isDirectory.boolValue,
               fm.isExecutableFile(atPath: candidate.path) {
                return .success(candidate.standardizedFileURL)
            }
        }
        return .failure(NotFound(searched: searched))
    }

    /// Directories that may hold the binary, nearest to the running tests first: the
    /// directories of the test executable and bundle and up to three of their parents (on
    /// macOS the executable sits in `X.xctest/Contents/MacOS`), then `.build/debug`.
    static func buildDirectories() -> [URL] {
        var starts: [URL] = []
        if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            starts.append(URL(fileURLWithPath: exe).deletingLastPathComponent())
        }
        starts.append(Bundle.main.bundleURL)
        starts.append(Bundle.main.bundleURL.deletingLastPathComponent())
        if let first = CommandLine.arguments.first, first.contains("/") {
            starts.append(URL(fileURLWithPath: first).deletingLastPathComponent())
        }
        var out: [URL] = []
        for start in starts {
            var dir = start.standardizedFileURL
            for _ in 0..<4 {
                if !out.contains(dir) { out.append(dir) }
                dir = dir.deletingLastPathComponent()
            }
        }
        out.append(packageRoot.appendingPathComponent(".build/debug"))
        return out
    }

    // MARK: running

    struct RunResult: Sendable {
        /// The exit code, if the process exited (nil if a signal ended it).
        var exitCode: Int32?
        /// The signal that ended the process, if one did (the harness's own kill included).
        var signal: Int32?
        var stdout: Data
        var stderr: Data
        var duration: Duration
        /// True if the harness killed the process at `timeout`: it hung.
        var timedOut: Bool

        var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
        var stderrText: String { String(decoding: stderr, as: UTF8.self) }
        /// stderr split into lines, without the final empty one.
        var stderrLines: [String] {
            var lines = stderrText.components(separatedBy: "\n")
            if lines.last == "" { lines.removeLast() }
            return lines
        }
        var seconds: Double {
            let (s, atto) = duration.components
            return Double(s) + Double(atto) / 1e18
        }
        /// A short description for failure messages.
        var summary: String {
            let how = timedOut ? "hung (killed by the test)" : signal.map { "died of signal \($0)" }
                ?? "exited with \(exitCode.map(String.init) ?? "?")"
            return "\(how) after \(String(format: "%.2f", seconds))s\n--- stdout (\(stdout.count) bytes):\n"
                + String(stdoutText.prefix(2000)).escapingControlCharacters
                + "\n--- stderr (\(stderr.count) bytes):\n" + String(stderrText.prefix(2000)).escapingControlCharacters
        }
    }

    /// This process's environment without colour, with `extra` added (and overriding): what
    /// every child the tests start gets.
    static func childEnvironment(adding extra: [String: String] = [:]) -> [String: String] {
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = "1"
        for (k, v) in extra { env[k] = v }
        return env
    }

    /// Runs `steward` with `arguments`.
    static func run(_ arguments: [String], stdin: Data = Data(), environment: [String: String] = [:],
                    in directory: URL? = nil, timeout: Duration = .seconds(30)) throws -> RunResult {
        try run(executable: url(), arguments, stdin: stdin, environment: environment, in: directory,
                timeout: timeout)
    }

    /// Runs any executable. `environment` is added to (and overrides) this process's
    /// environment. The process is killed with SIGKILL if it runs past `timeout`.
    static func run(executable: URL, _ arguments: [String], stdin: Data = Data(),
                    environment: [String: String] = [:], in directory: URL? = nil,
                    timeout: Duration = .seconds(30)) throws -> RunResult {
        let env = childEnvironment(adding: environment)
        let seconds = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18
        let done = try ChildProcess.run(executable.path, arguments, input: stdin, environment: env,
                                        directory: directory?.path, deadline: seconds)
        var exitCode: Int32?, signal: Int32?
        switch done.status {
        case .exited(let code): exitCode = code
        case .signalled(let number): signal = number
        }
        return RunResult(exitCode: exitCode, signal: signal, stdout: done.output, stderr: done.errorOutput,
                         duration: .nanoseconds(Int64(done.seconds * 1e9)), timedOut: done.killed)
    }
}

/// Temporary directories that live as long as the test process — the demo districts made
/// once per process and copied for each test — removed as it exits. A static is never
/// deinitialised, so they outlived every run of the suite (1.6 MB each, left in /tmp).
enum ProcessScratch {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var kept: [ScratchDirectory] = []
    private static let removeAtExit: Void = { atexit { ProcessScratch.removeAll() } }()

    /// A new ``ScratchDirectory`` named `label-UUID`, kept until the process exits.
    static func directory(_ label: String) throws -> URL {
        _ = removeAtExit
        let scratch = try ScratchDirectory(label)
        lock.withLock { kept.append(scratch) }
        return scratch.url
    }

    /// Lets go of every kept directory: each removes itself as it is deinitialised.
    private static func removeAll() {
        lock.withLock { kept = [] }
    }
}

/// A fresh temporary directory for one run, removed when the test is done with it, and a
/// snapshot of what it holds, to show that a run wrote nothing.
final class ScratchDirectory {
    let url: URL

    init(_ label: String = "steward-test") throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(label)-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    /// Writes `contents` to `name` (sub-directories created) and returns the file's URL.
    @discardableResult
    func write(_ name: String, _ contents: Data) throws -> URL {
        let file = url.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(),
                                                withIntermediateDirectories: true)
        try contents.write(to: file)
        return file
    }

    @discardableResult
    func write(_ name: String, _ text: String) throws -> URL { try write(name, Data(text.utf8)) }

    struct Entry: Hashable, CustomStringConvertible {
        var path: String
        var size: Int
        var modified: Date
        var permissions: Int
        var description: String { "\(path) (\(size) bytes, mode \(String(permissions, radix: 8)), \(modified))" }
    }

    /// Every file and directory below the root, with size, mode and modification time.
    func snapshot() -> Set<Entry> {
        var entries = Set<Entry>()
        let fm = FileManager.default
        guard let walker = fm.enumerator(atPath: url.path) else { return entries }
        while let relative = walker.nextObject() as? String {
            let attributes = (try? fm.attributesOfItem(atPath: url.appendingPathComponent(relative).path)) ?? [:]
            entries.insert(Entry(path: relative,
                                 size: (attributes[.size] as? NSNumber)?.intValue ?? -1,
                                 modified: attributes[.modificationDate] as? Date ?? .distantPast,
                                 permissions: (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1))
        }
        return entries
    }
}

extension String {
    /// The text with raw control characters (C0 but tab and newline, DEL, C1) written as
    /// `<U+001B>`: what a failing test shows cannot drive a terminal, and a raw escape stays
    /// distinct from the `\x1b` text Steward prints in its place.
    var escapingControlCharacters: String {
        var out = ""
        for scalar in unicodeScalars {
            let v = scalar.value
            if (v < 0x20 && v != 0x09 && v != 0x0A) || v == 0x7F || (v >= 0x80 && v < 0xA0) {
                out += String(format: "<U+%04X>", v)
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
