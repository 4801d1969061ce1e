import ChildProcess
import Foundation
import Testing

/// A demo database in a scratch directory, and `steward` commands against it, for the
/// scheduling tests. The demo's users: the OS account running the tests is an admin, 赵敏 an
/// operator (district), 王芳 an operator (one town), 张伟 an approver, 李娜 a viewer. Scripts
/// are written by 赵敏 and approved by 张伟 (the admin acting as each through `--as`).
final class RunnerFixture: @unchecked Sendable {
    // @unchecked: immutable after init; the scratch directory is only read and written through the file system.
    let scratch: ScratchDirectory
    let db: String

    init(members: Int = 120, label: String = "steward-runner") throws {
        scratch = try ScratchDirectory(label)
        db = scratch.url.appendingPathComponent("district.db").path
        let demo = try StewardBinary.run(["demo", "--db", db, "--members", String(members)])
        guard demo.exitCode == 0 else { throw FixtureError("steward demo failed: \(demo.summary)") }
    }

    struct FixtureError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    /// `steward ARGS --db DB`.
    @discardableResult
    func steward(_ arguments: [String], environment: [String: String] = [:],
                 timeout: Duration = .seconds(60)) throws -> StewardBinary.RunResult {
        try StewardBinary.run(arguments + ["--db", db], environment: environment, in: scratch.url, timeout: timeout)
    }

    /// Stores `source` as script `name` (by 赵敏, or `author`) and has 张伟 approve it.
    func addApproved(_ name: String, _ source: String, author: String = "赵敏") throws {
        try scratch.write("\(name).lua", source)
        let add = try steward(["scripts", "add", "\(name).lua", "--name", name, "--as", author])
        guard add.exitCode == 0 else { throw FixtureError("scripts add \(name): \(add.summary)") }
        let approve = try steward(["scripts", "approve", name, "--as", "张伟"])
        guard approve.exitCode == 0 else { throw FixtureError("scripts approve \(name): \(approve.summary)") }
    }

    /// `steward schedule set NAME CRON ... --now NOW`.
    func schedule(_ name: String, _ cron: String, from now: String, _ flags: [String] = []) throws {
        let set = try steward(["schedule", "set", name, cron, "--now", now] + flags)
        guard set.exitCode == 0 else { throw FixtureError("schedule set \(name): \(set.summary)") }
    }

    /// `steward runner --once --now NOW --id ID`.
    @discardableResult
    func once(_ now: String, id: String = "runner-a", environment: [String: String] = [:],
              _ flags: [String] = []) throws -> StewardBinary.RunResult {
        try steward(["runner", "--once", "--now", now, "--id", id] + flags, environment: environment)
    }

    struct Run: Decodable {
        var id: Int64
        var script: String
        var status: String
        var trigger: String
        var user: String?
        var schedule: String?
        var slot: Date?
        var attempt: Int?
        var runner: String?
        var error: String?
    }

    /// Every run, oldest first.
    func runs(script: String? = nil) throws -> [Run] {
        let r = try steward(["runs", "list", "--format", "json", "--limit", "100000"] + (script.map { ["--script", $0] } ?? []))
        guard r.exitCode == 0 else { throw FixtureError("runs list: \(r.summary)") }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode([Run].self, from: r.stdout).reversed()
    }

    struct Detail: Decodable {
        var id: Int64
        var status: String
        var output: String
        var error: String?
        var slotNominal: String?
        var runner: String?
        var user: String?
    }

    func run(_ id: Int64) throws -> Detail {
        let r = try steward(["runs", "show", String(id), "--format", "json"])
        guard r.exitCode == 0 else { throw FixtureError("runs show: \(r.summary)") }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(Detail.self, from: r.stdout)
    }

    struct Slot: Decodable {
        var schedule: String
        var slot: Date?
        var nominal: String?
        var status: String
        var attempt: Int
        var runner: String
        var reason: String?
        var run: Int64?
    }

    /// A schedule's slots, oldest first.
    func slots(_ schedule: String) throws -> [Slot] {
        let r = try steward(["schedule", "history", schedule, "--format", "json", "--limit", "100000"])
        guard r.exitCode == 0 else { throw FixtureError("schedule history: \(r.summary)") }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode([Slot].self, from: r.stdout).reversed()
    }

    /// `steward ARGS --db DB` started in the background.
    func start(_ arguments: [String], environment: [String: String] = [:]) throws -> Background {
        try Background(executable: StewardBinary.url(), arguments: arguments + ["--db", db], environment: environment,
                       directory: scratch.url)
    }

    /// Starts a looping runner `id` whose worker for `schedule` hangs (as a script stuck in
    /// one C call would), waits until that slot is running, and kills the runner outright
    /// (SIGKILL): the slot is left running, as a crash leaves it. The hung worker ends itself
    /// when its parent is gone. Returns whether the slot was seen running.
    func killRunnerMidRun(_ schedule: String, id: String) throws -> Bool {
        let runner = try start(["runner", "--id", id, "--simulate-from", "2026-03-02T00:59:00Z",
                                "--simulate-until", "2026-03-03T00:00:00Z", "--timeout", "60s"],
                               environment: ["STEWARD_WORKER_TEST_HANG": schedule])
        let running = try Self.eventually { try slots(schedule).contains { $0.status == "running" } }
        runner.signal(SIGKILL)
        _ = runner.wait()
        return running
    }

    /// A process the test starts, signals and waits for.
    final class Background {
        private let child: ChildProcess

        init(executable: URL, arguments: [String], environment: [String: String], directory: URL) throws {
            child = try ChildProcess(executable.path, arguments,
                                     environment: StewardBinary.childEnvironment(adding: environment), directory: directory.path,
                                     stdin: .null)
        }

        var pid: Int32 { child.pid }

        func signal(_ number: Int32) { child.signal(number) }

        /// Waits for the process (killing it after `timeout`), then returns what it printed.
        func wait(timeout: TimeInterval = 60) -> (exitCode: Int32?, signal: Int32?, stdout: String, stderr: String) {
            var status = child.wait(timeout: timeout)
            if status == nil {
                child.signal(SIGKILL)
                status = child.wait()
            }
            let out = String(decoding: child.output, as: UTF8.self)
            let err = String(decoding: child.errorOutput, as: UTF8.self)
            switch status! {
            case .exited(let code): return (code, nil, out, err)
            case .signalled(let number): return (nil, number, out, err)
            }
        }
    }

    /// Waits (polling, up to `timeout`) for `condition`.
    static func eventually(timeout: TimeInterval = 30, _ condition: () throws -> Bool) rethrows -> Bool {
        let deadline = Date() + timeout
        while Date() < deadline {
            if try condition() { return true }
            usleep(50_000)
        }
        return try condition()
    }
}
