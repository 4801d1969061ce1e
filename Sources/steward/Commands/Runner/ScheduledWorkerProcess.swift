import Foundation
import StewardScheduler

/// Starts one `steward worker` child for a scheduled run and waits for it, killing it at its
/// hard deadline, or — once the runner is asked to stop — at the end of the grace period.
///
/// Like `LuaWorkerProcess.run`, but the wait can be cut short by a shutdown and keeps the
/// runner's heartbeat going, so a long run is not taken for a dead runner.
enum ScheduledWorkerProcess {
    enum Outcome: Equatable {
        case exited(Int32)
        case signalled(Int32)
        /// Killed at the hard deadline.
        case killedAtDeadline
        /// Killed because the runner was stopping and the grace period ran out.
        case killedAtShutdown
    }

    struct Result {
        var outcome: Outcome
        var output: Data
        var errorOutput: Data
        /// Real time the worker took.
        var elapsed: TimeInterval
    }

    static func run(executable: String, input: Data, deadline: TimeInterval, shutdown: RunnerShutdown,
                    grace: TimeInterval, heartbeatEvery: TimeInterval, keepAlive: () -> Void) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["worker"]
        var environment = ProcessInfo.processInfo.environment
        // A crashed worker should die at once, not spend seconds symbolicating a backtrace.
        environment["SWIFT_BACKTRACE"] = "enable=no"
        process.environment = environment
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        let exited = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in exited.signal() }
        let started = Date()
        try process.run()

        // Threads of their own, not Dispatch's pool: blocking reads there starve the pool on a
        // small machine, and a starved pool adds threads only about once a second.
        let collected = Collected()
        let readers = DispatchGroup()
        for (handle, isError) in [(stdout.fileHandleForReading, false), (stderr.fileHandleForReading, true)] {
            readers.enter()
            Thread.detachNewThread {
                collected.set(handle.readDataToEndOfFile(), isError: isError)
                readers.leave()
            }
        }
        Thread.detachNewThread {
            // A worker that dies early closes its end; writing then fails, which is fine.
            signal(SIGPIPE, SIG_IGN)
            try? stdin.fileHandleForWriting.write(contentsOf: input)
            try? stdin.fileHandleForWriting.close()
        }
        var killed: Outcome?
        var lastBeat = Date()
        while exited.wait(timeout: .now() + 0.05) == .timedOut {
            let now = Date()
            if now.timeIntervalSince(started) >= deadline {
                killed = .killedAtDeadline
            } else if let stop = shutdown.requestedAt, now.timeIntervalSince(stop) >= grace {
                killed = .killedAtShutdown
            }
            if killed != nil {
                kill(process.processIdentifier, SIGKILL)
                exited.wait()
                break
            }
            if now.timeIntervalSince(lastBeat) >= heartbeatEvery {
                keepAlive()
                lastBeat = now
            }
        }
        readers.wait()
        let elapsed = Date().timeIntervalSince(started)
        let outcome: Outcome
        if let killed {
            outcome = killed
        } else if process.terminationReason == .uncaughtSignal {
            outcome = .signalled(process.terminationStatus)
        } else {
            outcome = .exited(process.terminationStatus)
        }
        return Result(outcome: outcome, output: collected.output, errorOutput: collected.errorOutput, elapsed: elapsed)
    }

    /// `signal 11 (SIGSEGV)`.
    static func signalName(_ signal: Int32) -> String {
        let names: [Int32: String] = [SIGSEGV: "SIGSEGV", SIGABRT: "SIGABRT", SIGKILL: "SIGKILL", SIGXCPU: "SIGXCPU",
                                      SIGBUS: "SIGBUS", SIGILL: "SIGILL", SIGFPE: "SIGFPE", SIGTERM: "SIGTERM"]
        return "signal \(signal)" + (names[signal].map { " (\($0))" } ?? "")
    }

    private final class Collected: @unchecked Sendable {
        private let lock = NSLock()
        private(set) var output = Data()
        private(set) var errorOutput = Data()
        func set(_ data: Data, isError: Bool) {
            lock.withLock { if isError { errorOutput = data } else { output = data } }
        }
    }
}
