import ArgumentParser
import Foundation
import LuaRuntime
import StewardCore
import StewardScheduler
import StewardScripting
import StewardStore

/// `steward runner`: runs schedules' slots — once (`--once`, for system cron, systemd timers
/// and tests) or as a long-running process that sleeps until the next slot.
struct RunnerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runner",
        abstract: "Run scheduled scripts: as a long-running process, or once (--once) for cron and timers.",
        discussion: """
            Each due slot is claimed in the database (a unique key: two runners on one database run a
            slot once), run in a fresh Lua state in a child `steward worker` process (kept for up to
            500 runs) with the limits below and a hard deadline (--timeout plus 5 s), and committed here as the approved version's author's
            delegate. A crash, a hang or a kill at the deadline is a failed run with its reason; the
            runner carries on. The last slot is stored, so a restart misses nothing; missed slots are
            caught up per schedule (skip, latest, all).

            SIGTERM (or Ctrl-C) stops claiming, lets the current run finish within --grace, then
            kills it and marks it abandoned (nothing is written). A run left unfinished by a runner
            that died is marked abandoned when a runner next starts.

            `steward runner status` shows each runner's last tick; it exits 1 when no runner has
            ticked within twice its interval. Runners on one database need distinct --id values.
            """,
        subcommands: [RunnerStatusCommand.self]
    )

    @Flag(help: "Run whatever is due now, then exit.")
    var once = false

    @Option(help: "With --once: the moment to treat as now (ISO 8601, e.g. 2026-03-08T07:00:30Z).")
    var now: String?

    @Option(name: .customLong("id"), help: "This runner's name in claims and heartbeats (default: the host name).")
    var runnerID: String?

    @Option(help: "Heartbeat interval: the runner ticks at least this often (e.g. 60s).")
    var interval: String = "60s"

    @Option(help: "On SIGTERM, how long the current run may take to finish (e.g. 30s).")
    var grace: String = "30s"

    @Flag(help: "Print nothing but errors.")
    var quiet = false

    @Option(help: ArgumentHelp("Run the loop on a simulated clock from this instant (tests).", visibility: .hidden))
    var simulateFrom: String?

    @Option(help: ArgumentHelp("With --simulate-from: stop when the simulated clock reaches this instant.", visibility: .hidden))
    var simulateUntil: String?

    @OptionGroup var limitOptions: LimitOptions
    @OptionGroup var database: DatabaseOptions

    func run() throws {
        // Checked here, not in validate(): `runner status` shares option names with `runner`.
        if now != nil, !once { throw fail("error: --now goes with --once (a long-running runner uses the real clock)") }
        if simulateFrom != nil, once { throw fail("error: --simulate-from is for the long-running loop, not --once") }
        if (simulateFrom == nil) != (simulateUntil == nil) {
            throw fail("error: --simulate-from and --simulate-until go together")
        }
        let heartbeat = try CommandTime.duration(interval, flag: "--interval")
        guard heartbeat >= 1 else { throw fail("error: --interval must be at least 1s") }
        let graceSeconds = try CommandTime.duration(grace, flag: "--grace")
        let limits = try limitOptions.limits()
        let store = try database.open(.readWrite)
        let host = Self.hostName()
        let id = runnerID ?? host
        let pid = getpid()
        if let other = try Self.liveRunner(store, id: id, host: host, pid: pid) {
            // From cron, a long run still going is normal: the next minute's --once just leaves.
            guard once else { throw fail("error: runner '\(id)' is already running (pid \(other)); give this one another --id") }
            if !quiet { writeOut("runner '\(id)' is still running (pid \(other)): nothing to do\n") }
            return
        }

        let clock: any StewardScheduler.Clock
        var stopAt: Date?
        if once {
            clock = try now.map { ManualClock(try CommandTime.now($0)) } ?? SystemClock()
        } else if let simulateFrom, let simulateUntil {
            clock = ManualClock(try CommandTime.now(simulateFrom, flag: "--simulate-from"))
            stopAt = try CommandTime.now(simulateUntil, flag: "--simulate-until")
        } else {
            clock = SystemClock()
        }
        let shutdown = RunnerShutdown()
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        let executor = WorkerExecutor(store: store, databasePath: store.path, limits: limits,
                                      hardDeadlineSlack: 5, shutdown: shutdown, grace: graceSeconds,
                                      heartbeatInterval: heartbeat, workers: ScheduledWorkers(executable: executable))
        let quiet = self.quiet
        let runner = ScheduleRunner(
            store: StoreSchedulerAdapter(store: store, host: host), executor: executor, clock: clock,
            configuration: .init(runnerID: id, pid: pid, heartbeatInterval: heartbeat), shutdown: shutdown,
            log: { event in
                let line = "[\(CommandTime.utc(clock.now))] \(event)"
                if case .storeError = event { printError(line) } else if case .invalidSchedule = event { printError(line) }
                else if !quiet { writeOut(line + "\n") }
            })

        if once {
            let summary = try Self.wait { try await runner.runOnce() }
            if !quiet {
                writeOut("[\(CommandTime.utc(clock.now))] runner \(id): \(summary.ran) run, \(summary.failed) failed, \(summary.skipped) skipped\(summary.nextWake.map { "; next slot \(CommandTime.utc($0))" } ?? "")\n")
            }
            if summary.errors > 0 { throw ExitCode(1) }
            return
        }

        if !quiet {
            writeOut("[\(CommandTime.utc(clock.now))] runner \(id) started (pid \(pid), database \(store.path), heartbeat every \(WorkerExecutor.seconds(heartbeat)))\n")
        }
        let task = TaskBox()
        let signals = [SIGTERM, SIGINT].map { number -> DispatchSourceSignal in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                if !shutdown.isRequested, !quiet {
                    writeOut("[\(CommandTime.utc(clock.now))] \(number == SIGTERM ? "SIGTERM" : "SIGINT"): no more claims; the current run has \(WorkerExecutor.seconds(graceSeconds)) to finish\n")
                }
                shutdown.request()
                task.cancel()
            }
            source.resume()
            return source
        }
        defer { signals.forEach { $0.cancel() } }
        let until = stopAt
        try Self.wait(task) { try await runner.run(until: until) }
        if !quiet { writeOut("[\(CommandTime.utc(clock.now))] runner \(id) stopped\n") }
    }

    /// The pid of another live process running under this id on this host, if any: two
    /// would take each other's runs for abandoned.
    static func liveRunner(_ store: Store, id: String, host: String, pid: Int32) throws -> Int32? {
        let beats = try store.read { try $0.runnerHeartbeats() }
        guard let beat = beats.first(where: { $0.runnerID == id }), beat.host == host, beat.pid != pid,
              StoreSchedulerAdapter.isAlive(beat.pid), Self.commandLine(of: beat.pid)?.contains("runner") == true else { return nil }
        return beat.pid
    }

    static func commandLine(of pid: Int32) -> String? {
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return nil }
        return String(decoding: data.map { $0 == 0 ? 32 : $0 }, as: UTF8.self)
    }

    static func hostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count) == 0 else { return "localhost" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Runs async work from this synchronous command and waits for it.
    static func wait<T: Sendable>(_ box: TaskBox = TaskBox(), _ body: @escaping @Sendable () async throws -> T) throws -> T {
        let done = DispatchSemaphore(value: 0)
        let result = ResultBox<T>()
        let task = Task {
            do { result.set(.success(try await body())) } catch { result.set(.failure(error)) }
            done.signal()
        }
        box.set(task)
        done.wait()
        return try result.get()
    }
}

/// The running task, so a signal handler can cancel it.
final class TaskBox: @unchecked Sendable {
    private let lock = NSLock()
    private var task: Task<Void, Never>?
    private var cancelled = false

    func set(_ task: Task<Void, Never>) {
        let cancelNow = lock.withLock { () -> Bool in
            self.task = task
            return cancelled
        }
        if cancelNow { task.cancel() }
    }

    func cancel() {
        let task = lock.withLock { () -> Task<Void, Never>? in
            cancelled = true
            return self.task
        }
        task?.cancel()
    }
}

private final class ResultBox<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Result<T, Error>?

    func set(_ result: Result<T, Error>) { lock.withLock { value = result } }

    func get() throws -> T {
        try lock.withLock { value }!.get()
    }
}
