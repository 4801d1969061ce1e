import ChildProcess
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
        var environment = ProcessInfo.processInfo.environment
        // A crashed worker should die at once, not spend seconds symbolicating a backtrace.
        environment["SWIFT_BACKTRACE"] = "enable=no"
        var stoppedAtShutdown = false
        var lastBeat = Date()
        let done = try ChildProcess.run(executable, ["worker"], input: input, environment: environment,
                                        deadline: deadline) {
            let now = Date()
            if let stop = shutdown.requestedAt, now.timeIntervalSince(stop) >= grace {
                stoppedAtShutdown = true
                return true
            }
            if now.timeIntervalSince(lastBeat) >= heartbeatEvery {
                keepAlive()
                lastBeat = now
            }
            return false
        }
        let outcome: Outcome
        switch done.status {
        case _ where done.killed: outcome = stoppedAtShutdown ? .killedAtShutdown : .killedAtDeadline
        case .exited(let code): outcome = .exited(code)
        case .signalled(let signal): outcome = .signalled(signal)
        }
        return Result(outcome: outcome, output: done.output, errorOutput: done.errorOutput, elapsed: done.seconds)
    }

}
