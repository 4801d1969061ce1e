import ChildProcess
import Foundation

/// Runs work in a child process, so that a crash of Debian's liblua (plain Lua can segfault
/// it) or a script stuck inside one C call costs a failed run, never the long-lived parent.
///
/// The runtime knows nothing of what the child does: the parent hands it bytes on stdin and
/// gets bytes back on stdout. The child applies its own resource limits first thing
/// (``applyChildLimits(memoryBytes:cpuSeconds:)``); the parent kills it at the hard deadline.
///
/// ```swift
/// let result = try LuaWorkerProcess.run(executable: "/usr/bin/steward",
///                                       arguments: ["worker"], input: request,
///                                       deadline: .seconds(11))
/// switch result.outcome {
/// case .exited(0): decode(result.output)
/// case .signalled(let signal): report("the worker crashed (signal \(signal))")
/// case .killedAtDeadline: report("the worker was stopped at its deadline")
/// case .exited(let code): report("the worker failed with exit code \(code)")
/// }
/// ```
public enum LuaWorkerProcess {
    public enum Outcome: Equatable, Sendable {
        /// The child exited with this code.
        case exited(Int32)
        /// The child died of a signal (11 = SIGSEGV: a crash).
        case signalled(Int32)
        /// The parent killed the child at the deadline.
        case killedAtDeadline
    }

    public struct Result: Sendable {
        public let outcome: Outcome
        public let output: Data
        public let errorOutput: Data

        /// A one-line explanation for a run that did not exit normally.
        public var failureReason: String? {
            switch outcome {
            case .exited(0): return nil
            case .exited(let code): return "the worker process exited with code \(code)"
            case .signalled(let signal):
                let name = signal == SIGSEGV ? " (SIGSEGV: the Lua library crashed)" :
                    signal == SIGKILL ? " (SIGKILL)" : signal == SIGXCPU ? " (SIGXCPU: CPU time limit)" :
                    signal == SIGABRT ? " (SIGABRT)" : ""
                return "the worker process died of signal \(signal)\(name)"
            case .killedAtDeadline:
                return "the worker process was still running at its hard deadline and was killed"
            }
        }
    }

    /// Starts `executable` with `arguments`, writes `input` to its stdin, and waits for it to
    /// exit or for `deadline` to pass (then it is killed with SIGKILL).
    public static func run(executable: String, arguments: [String], input: Data,
                           deadline: Duration, environment: [String: String]? = nil) throws -> Result {
        let done = try ChildProcess.run(executable, arguments, input: input, environment: environment,
                                        deadline: deadline.timeInterval)
        let outcome: Outcome
        switch done.status {
        case _ where done.killed: outcome = .killedAtDeadline
        case .exited(let code): outcome = .exited(code)
        case .signalled(let signal): outcome = .signalled(signal)
        }
        return Result(outcome: outcome, output: done.output, errorOutput: done.errorOutput)
    }

    /// Called by the child before it runs anything: caps its address space and CPU time, so a
    /// runaway allocation outside Lua's counting allocator or a spin in C ends the child.
    public static func applyChildLimits(memoryBytes: Int?, cpuSeconds: Int?) {
        if let memoryBytes {
            var limit = rlimit(rlim_cur: rlim_t(memoryBytes), rlim_max: rlim_t(memoryBytes))
            setrlimit(Int32(RLIMIT_AS.rawValue), &limit)
        }
        if let cpuSeconds {
            var limit = rlimit(rlim_cur: rlim_t(cpuSeconds), rlim_max: rlim_t(cpuSeconds + 1))
            setrlimit(Int32(RLIMIT_CPU.rawValue), &limit)
        }
    }

    /// For a worker that serves one run after another: lets this process use `seconds` more
    /// CPU time from now (RLIMIT_CPU counts the whole life of the process), then SIGXCPU.
    public static func limitCPU(secondsFromNow seconds: Int) {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let used = Int(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + 1
        var limit = rlimit()
        getrlimit(Int32(RLIMIT_CPU.rawValue), &limit)
        limit.rlim_cur = min(rlim_t(used + seconds), limit.rlim_max)
        setrlimit(Int32(RLIMIT_CPU.rawValue), &limit)
    }
}
