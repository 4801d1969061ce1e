import ArgumentParser
import Foundation
import LuaRuntime
import StewardCore
import StewardScripting
import StewardStore

/// `steward worker`: the child side of a worker process. Reads one JSON request on stdin,
/// runs it, writes one JSON report on stdout. Long-lived processes (the runner, the REPL) run
/// scripts this way so a crash in liblua or a hang in C costs one run, never the process.
///
/// A request with `database` runs against the district's data, opened read-only, as the given
/// user; a commit's effects come back in the report for the parent to apply (the parent alone
/// commits: a worker never writes).
///
/// Test switches, honoured here only and before any script runs (scripts cannot set the
/// environment: `os.getenv` and `io` are not in the sandbox): `STEWARD_WORKER_TEST_CRASH` makes
/// the worker `raise(SIGSEGV)` and `STEWARD_WORKER_TEST_HANG` makes it hang, ignoring SIGTERM,
/// until killed (or orphaned) — each when its value is `*` or the request's script name. The
/// CLI tests use them to show that a real crash and a real hang are failed runs the runner
/// survives.
struct WorkerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Run one script request from stdin in this process (used by the runner and the REPL).",
        shouldDisplay: false
    )

    @Flag(help: ArgumentHelp("Serve requests one after another, each framed by WorkerFrame, until stdin ends.",
                             visibility: .private))
    var serve = false

    func run() throws {
        // Read first thing: the hang test switch gives up when this parent is gone.
        Self.parentAtStart = getppid()
        if serve { return try Self.serveRequests() }
        let input = FileHandle.standardInput.readDataToEndOfFile()
        let request: WorkerRequest
        do {
            request = try JSONDecoder().decode(WorkerRequest.self, from: input)
        } catch {
            throw fail("error: worker request is not valid: \(error)")
        }
        Self.honourTestSwitches(name: request.name)
        // Address space: the Lua heap limit plus room for the Swift runtime and SQLite.
        LuaWorkerProcess.applyChildLimits(memoryBytes: request.memoryBytes.map { $0 + (512 << 20) },
                                          cpuSeconds: Int(request.timeoutMs / 1000) + 5)
        let data = try JSONEncoder().encode(Self.report(for: request, stores: nil))
        FileHandle.standardOutput.write(data)
    }

    /// `--serve`: the runner's long-lived worker. Each request runs in a fresh Lua state, as
    /// in a one-shot worker; what is saved is the process start, the runtime's set-up and the
    /// database's opening (about 10 ms of each run's 15). The parent still kills the process
    /// at a run's hard deadline and starts another, so a crash or a hang costs one run.
    static func serveRequests() throws {
        let stores = OpenStores()
        var addressSpaceCapped = false
        while let frame = try WorkerFrame.read(from: STDIN_FILENO) {
            let request: WorkerRequest
            do {
                request = try JSONDecoder().decode(WorkerRequest.self, from: frame)
            } catch {
                throw fail("error: worker request is not valid: \(error)")
            }
            honourTestSwitches(name: request.name)
            if !addressSpaceCapped {
                // The same limits for every request of one runner: cap once.
                LuaWorkerProcess.applyChildLimits(memoryBytes: request.memoryBytes.map { $0 + (512 << 20) }, cpuSeconds: nil)
                addressSpaceCapped = true
            }
            LuaWorkerProcess.limitCPU(secondsFromNow: Int(request.timeoutMs / 1000) + 5)
            let report = Self.report(for: request, stores: stores)
            try WorkerFrame.write(try JSONEncoder().encode(report), to: STDOUT_FILENO)
        }
    }

    /// Runs one request; `stores` (serve mode) keeps databases open from one request to the next.
    static func report(for request: WorkerRequest, stores: OpenStores?) -> RunReport {
        var limits = LuaLimits()
        limits.memoryBytes = request.memoryBytes
        limits.instructions = request.instructions
        limits.timeout = .milliseconds(request.timeoutMs)
        limits.outputBytes = request.outputBytes
        guard let database = request.database else {
            return ScriptRunner().run(source: request.source, name: request.name, limits: limits)
        }
        return run(request, database, limits: limits, stores: stores)
    }

    /// A run against the database, read-only, with the effects handed back.
    static func run(_ request: WorkerRequest, _ database: WorkerDatabaseRun, limits: LuaLimits,
                    stores: OpenStores?) -> RunReport {
        let store: Store
        do {
            store = try stores?.store(at: database.path) ?? Store.open(at: database.path, mode: .readOnly)
        } catch {
            var report = RunReport(script: request.name, status: .inputError)
            report.error = .init(kind: "store", message: "the worker cannot open \(database.path): \(error)")
            return report
        }
        guard let role = UserRole(rawValue: database.role), let today = try? CivilDate(parsing: database.today) else {
            var report = RunReport(script: request.name, status: .inputError)
            report.error = .init(kind: "request", message: "the worker request names an unknown role or date")
            return report
        }
        let actor = RunActor(userName: database.userName, role: role, scopePlaceCode: database.scopePlaceCode,
                             isDistrictScope: database.isDistrictScope, canUnmask: database.canUnmask)
        var runner = DomainRunner(store: store, actor: actor, today: today, limits: limits, slot: database.slot,
                                  trigger: database.slot == nil ? .manual : .schedule)
        runner.slotText = database.slotText
        runner.deferCommit = true
        return runner.run(source: request.source, name: request.name, parameters: database.parameters,
                          commit: database.commit)
    }

    /// This process's parent when it started (see the hang switch).
    nonisolated(unsafe) static var parentAtStart: pid_t = 0

    static func honourTestSwitches(name: String) {
        let environment = ProcessInfo.processInfo.environment
        func on(_ key: String) -> Bool {
            guard let value = environment[key], !value.isEmpty else { return false }
            return value == "*" || value == name
        }
        if on("STEWARD_WORKER_TEST_CRASH") {
            raise(SIGSEGV)
        }
        if on("STEWARD_WORKER_TEST_HANG") {
            // Stuck like a script inside one C call: no reply, deaf to SIGTERM, until killed.
            // It sleeps rather than spins, so tests running side by side on a small machine do
            // not starve, and gives up if its parent is gone, so a test that kills the runner
            // leaves no orphan behind.
            // The parent is the one this process started with: read here, after a request,
            // a parent killed meanwhile had already been replaced by init, and the loop
            // waited on init for ever (orphans found sleeping after test runs).
            signal(SIGTERM, SIG_IGN)
            let parent = parentAtStart
            while parent > 1, getppid() == parent { usleep(20_000) }
            _exit(2)
        }
    }
}

/// Databases a serving worker keeps open between requests, read-only. Each run still reads
/// in a transaction of its own, so it sees everything committed before it started.
final class OpenStores {
    private var byPath: [String: Store] = [:]

    func store(at path: String) throws -> Store {
        if let open = byPath[path] { return open }
        let store = try Store.open(at: path, mode: .readOnly)
        byPath[path] = store
        return store
    }
}
