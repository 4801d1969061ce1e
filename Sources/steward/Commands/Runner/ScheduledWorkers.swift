import ChildProcess
import Foundation
import StewardScheduler

/// The runner's `steward worker --serve` children: each takes one run at a time, in a fresh
/// Lua state, and is kept for the next one. Starting a process, the Swift runtime and the
/// database for every run cost more than the run itself (job 4 of BENCHMARKS.md: a thousand
/// scripts due in one minute).
///
/// Isolation is what it was with one process per run: the worker has the database read-only
/// and resource limits; a worker that crashes, or is still busy at the run's hard deadline,
/// or — once the runner is asked to stop — at the end of the grace period, is killed and
/// replaced, and only that run fails. Workers are retired after ``runsPerWorker`` runs, so
/// nothing one run leaves in a process (fragmentation, caches) lives for long.
final class ScheduledWorkers: @unchecked Sendable {
    enum Outcome: Equatable {
        case exited(Int32)
        case signalled(Int32)
        /// Killed at the hard deadline.
        case killedAtDeadline
        /// Killed because the runner was stopping and the grace period ran out.
        case killedAtShutdown
        /// Killed because what it wrote back was not a frame (the reason says how).
        case unreadable(String)
    }

    struct Result {
        var outcome: Outcome
        /// The worker's report (JSON), when it answered.
        var output: Data
        /// What the worker wrote to stderr during this run.
        var errorOutput: Data
        /// Real time the run took.
        var elapsed: TimeInterval
    }

    static let runsPerWorker = 500

    private final class Worker {
        let child: ChildProcess
        var runs = 0
        init(child: ChildProcess) { self.child = child }
    }

    private let executable: String
    private let lock = NSLock()
    private var idle: [Worker] = []

    init(executable: String) {
        self.executable = executable
    }

    deinit {
        // End of input: each idle worker finishes and exits.
        for worker in idle { worker.child.closeInput() }
    }

    private func take() throws -> Worker {
        if let worker = lock.withLock({ idle.popLast() }), worker.child.status == nil { return worker }
        var environment = ProcessInfo.processInfo.environment
        // A crashed worker should die at once, not spend seconds symbolicating a backtrace.
        environment["SWIFT_BACKTRACE"] = "enable=no"
        return Worker(child: try ChildProcess(executable, ["worker", "--serve"], environment: environment))
    }

    private func giveBack(_ worker: Worker) {
        worker.runs += 1
        if worker.runs >= Self.runsPerWorker {
            worker.child.closeInput()
        } else {
            lock.withLock { idle.append(worker) }
        }
    }

    /// Runs one request (a `WorkerRequest` as JSON) in a worker and waits for its report.
    func run(input: Data, deadline: TimeInterval, shutdown: RunnerShutdown, grace: TimeInterval,
             heartbeatEvery: TimeInterval, keepAlive: () -> Void) throws -> Result {
        let worker = try take()
        let child = worker.child
        let started = Date()
        func elapsed() -> TimeInterval { Date().timeIntervalSince(started) }
        func ended(_ outcome: Outcome) -> Result {
            Result(outcome: outcome, output: Data(), errorOutput: child.errorOutput, elapsed: elapsed())
        }
        // A worker that died while idle fails the write; the loop below then reports how.
        child.write(WorkerFrame.encode(input))
        var seen = 0
        var lastBeat = Date()
        while true {
            let output = child.waitForOutput(beyond: seen, timeout: 0.05)
            seen = output.count
            let frame: (payload: Data, length: Int)?
            do {
                frame = try WorkerFrame.decode(output)
            } catch {
                // Not our protocol any more: this worker cannot be trusted with another run.
                child.signal(SIGKILL)
                child.wait()
                return ended(.unreadable("\(error)"))
            }
            if let (payload, length) = frame {
                let errors = child.errorOutput
                child.discardOutput(first: length)
                giveBack(worker)
                return Result(outcome: .exited(0), output: payload, errorOutput: errors, elapsed: elapsed())
            }
            if let status = child.status {
                // Gone without a whole report. Read what is left, then say how it ended.
                child.wait()
                if let (payload, _) = try? WorkerFrame.decode(child.output) {
                    return Result(outcome: .exited(0), output: payload, errorOutput: child.errorOutput, elapsed: elapsed())
                }
                switch status {
                case .exited(let code): return ended(.exited(code == 0 ? 1 : code))
                case .signalled(let signal): return ended(.signalled(signal))
                }
            }
            let now = Date()
            var kill: Outcome?
            if now.timeIntervalSince(started) >= deadline {
                kill = .killedAtDeadline
            } else if let stop = shutdown.requestedAt, now.timeIntervalSince(stop) >= grace {
                kill = .killedAtShutdown
            }
            if let kill {
                child.signal(SIGKILL)
                child.wait()
                return ended(kill)
            }
            if now.timeIntervalSince(lastBeat) >= heartbeatEvery {
                keepAlive()
                lastBeat = now
            }
        }
    }
}
