import CSpawnExtras
import Foundation

/// A child process started with `posix_spawn`, its output collected as it comes.
///
/// Steward does not use Foundation's `Process` on Linux: its `run()` reads `/proc/self/fd`
/// with a 256-byte copy of each `dirent` and crashes the *parent* with SIGSEGV now and then
/// (swift-corelibs-foundation PR #5472; it brought down a CI run of this project). A runner
/// that starts a worker per scheduled run cannot live with that. This type is small and does
/// only what Steward needs:
///
/// - every descriptor but 0, 1 and 2 is closed in the child (nothing leaks across: another
///   run's pipe held open by a sibling would keep a reader waiting for EOF forever);
/// - the child starts with default signal handlers and an empty signal mask, whatever the
///   parent ignores or blocks;
/// - stdout and stderr are read on threads of their own, so a child that fills one pipe
///   while the parent waits on the other cannot deadlock;
/// - waiting uses `wait4`, which also gives the child's peak resident memory.
///
/// ```swift
/// let done = try ChildProcess.run("/usr/bin/steward", ["worker"], input: request, deadline: 11)
/// switch done.status {
/// case .exited(0): decode(done.output)
/// case .exited(let code): report("exit code \(code)")
/// case .signalled(let signal): report("crashed or killed (signal \(signal))")
/// }
/// ```
public final class ChildProcess: @unchecked Sendable {
    /// How a child ended.
    public enum Status: Equatable, Sendable, CustomStringConvertible {
        /// It exited with this code.
        case exited(Int32)
        /// A signal ended it (11 = SIGSEGV: a crash; 9 = SIGKILL: killed).
        case signalled(Int32)

        public var description: String {
            switch self {
            case .exited(let code): return "exited with code \(code)"
            case .signalled(let signal): return "died of \(ChildProcess.signalName(signal))"
            }
        }
    }

    /// Where the child's standard input comes from.
    public enum Input: Sendable {
        /// `/dev/null`: the child reads end-of-file at once.
        case null
        /// A pipe the parent writes with ``write(_:)`` and ends with ``closeInput()``.
        case pipe
    }

    /// Where one of the child's output streams goes.
    public enum Output: Sendable {
        /// Discarded (`/dev/null`).
        case null
        /// Collected by the parent: ``output`` / ``errorOutput``.
        case collect
        /// Written to this file, created or truncated.
        case file(String)
    }

    /// The child could not be started.
    public struct LaunchError: Error, CustomStringConvertible, Equatable {
        public let executable: String
        public let code: Int32
        public init(executable: String, code: Int32) {
            self.executable = executable
            self.code = code
        }
        public var description: String {
            "could not start \(executable): \(String(cString: strerror(code)))"
        }
    }

    /// The child's process id.
    public let pid: pid_t
    private var inputFD: Int32
    /// Guards everything below; signalled whenever output arrives or the child ends.
    private let lock = NSCondition()
    private var collected: [Data] = [Data(), Data()]
    private var finalStatus: Status?
    private var usage = rusage()
    private let exited = DispatchSemaphore(value: 0)
    private let readersDone = DispatchGroup()

    /// Starts `executable` (a path; without a `/` it is looked up in `PATH`) with `arguments`.
    ///
    /// - Parameters:
    ///   - environment: the child's whole environment; `nil` passes this process's own.
    ///   - directory: the child's working directory; `nil` keeps this process's.
    ///   - newProcessGroup: puts the child in a process group of its own, so a terminal's
    ///     Ctrl-C reaches the parent only and the parent decides what the child gets.
    public init(_ executable: String, _ arguments: [String], environment: [String: String]? = nil,
                directory: String? = nil, stdin: Input = .pipe, stdout: Output = .collect,
                stderr: Output = .collect, newProcessGroup: Bool = false) throws {
        // Writing to a child that has exited must be an error (EPIPE), not this process's death.
        Glibc.signal(SIGPIPE, SIG_IGN)

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var parentEnds: [Int32] = []     // ours: stdin's write end, the outputs' read ends
        var childEnds: [Int32] = []      // theirs: closed here once the child has them
        defer { for fd in childEnds { close(fd) } }
        func fail(_ code: Int32) -> LaunchError {
            for fd in parentEnds { close(fd) }
            return LaunchError(executable: executable, code: code)
        }
        // Setting up an action or attribute fails only for want of memory or a bad
        // descriptor; either way the child must not start half-configured.
        func check(_ code: Int32) throws {
            if code != 0 { throw fail(code) }
        }

        var input: Int32 = -1
        switch stdin {
        case .null:
            try check(posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0))
        case .pipe:
            var fds: [Int32] = [-1, -1]
            guard cspawn_pipe_cloexec(&fds) == 0 else { throw fail(errno) }
            input = fds[1]
            parentEnds.append(fds[1]); childEnds.append(fds[0])
            try check(posix_spawn_file_actions_adddup2(&actions, fds[0], 0))
        }
        var readEnds: [Int32] = [-1, -1]
        for (index, output) in [stdout, stderr].enumerated() {
            let target = Int32(index + 1)
            switch output {
            case .null:
                try check(posix_spawn_file_actions_addopen(&actions, target, "/dev/null", O_WRONLY, 0))
            case .file(let path):
                try check(posix_spawn_file_actions_addopen(&actions, target, path, O_WRONLY | O_CREAT | O_TRUNC, 0o644))
            case .collect:
                var fds: [Int32] = [-1, -1]
                guard cspawn_pipe_cloexec(&fds) == 0 else { throw fail(errno) }
                readEnds[index] = fds[0]
                parentEnds.append(fds[0]); childEnds.append(fds[1])
                try check(posix_spawn_file_actions_adddup2(&actions, fds[1], target))
            }
        }
        try check(cspawn_addclosefrom(&actions, 3))
        if let directory { try check(cspawn_addchdir(&actions, directory)) }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var flags = Int32(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK)
        if newProcessGroup {
            flags |= Int32(POSIX_SPAWN_SETPGROUP)
            try check(posix_spawnattr_setpgroup(&attributes, 0))
        }
        try check(posix_spawnattr_setflags(&attributes, Int16(flags)))
        var defaults = sigset_t()
        sigfillset(&defaults)
        sigdelset(&defaults, SIGKILL)
        sigdelset(&defaults, SIGSTOP)
        try check(posix_spawnattr_setsigdefault(&attributes, &defaults))
        var empty = sigset_t()
        sigemptyset(&empty)
        try check(posix_spawnattr_setsigmask(&attributes, &empty))

        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for p in argv { free(p) } }
        let envp: [UnsafeMutablePointer<CChar>?]? = environment.map { env in
            env.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") } + [nil]
        }
        defer { envp?.forEach { free($0) } }

        var pid: pid_t = 0
        func spawn(_ envp: UnsafePointer<UnsafeMutablePointer<CChar>?>) -> Int32 {
            executable.contains("/")
                ? posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
                : posix_spawnp(&pid, executable, &actions, &attributes, argv, envp)
        }
        let code = envp.map { spawn($0) } ?? spawn(environ)
        guard code == 0 else { throw fail(code) }
        let child = pid
        self.pid = child
        self.inputFD = input

        for (index, fd) in readEnds.enumerated() where fd >= 0 {
            readersDone.enter()
            // Threads of their own, not Dispatch's pool: a blocking read there can starve the
            // pool on a two-core machine, which then grows only about once a second.
            Thread.detachNewThread { [self] in
                drain(fd, into: index)
                readersDone.leave()
            }
        }
        Thread.detachNewThread { [self] in
            var status: Int32 = 0
            var usage = rusage()
            while wait4(child, &status, 0, &usage) < 0 && errno == EINTR {}
            let low = status & 0x7f
            lock.withLock {
                self.usage = usage
                finalStatus = low == 0 ? .exited((status >> 8) & 0xff) : .signalled(low)
                lock.broadcast()
            }
            exited.signal()
        }
    }

    deinit {
        if inputFD >= 0 { close(inputFD) }
    }

    /// Reads `fd` to end of file. If the child has exited but something it started still
    /// holds the pipe open, reading stops two seconds later rather than waiting forever.
    private func drain(_ fd: Int32, into index: Int) {
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 65536)
        var exitedAt: DispatchTime?
        while true {
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&poller, 1, 100)
            if ready < 0 && errno == EINTR { continue }
            if ready == 0 {
                if exitedAt == nil, lock.withLock({ finalStatus != nil }) { exitedAt = .now() }
                if let exitedAt, DispatchTime.now() > exitedAt + 2 { return }
                continue
            }
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { return }
            lock.withLock {
                collected[index].append(contentsOf: buffer[0..<count])
                lock.broadcast()
            }
        }
    }

    // MARK: talking to the child

    /// Writes `data` to the child's stdin (all of it, blocking while the pipe is full).
    /// Returns false if the child has closed its end or stdin was not a pipe.
    @discardableResult
    public func write(_ data: Data) -> Bool {
        let fd = lock.withLock { inputFD }
        guard fd >= 0 else { return false }
        return data.withUnsafeBytes { raw -> Bool in
            var offset = 0
            while offset < raw.count {
                let n = Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { return false }
                offset += n
            }
            return true
        }
    }

    /// Closes the child's stdin: it reads end-of-file.
    public func closeInput() {
        let fd = lock.withLock { () -> Int32 in
            let fd = inputFD
            inputFD = -1
            return fd
        }
        if fd >= 0 { close(fd) }
    }

    /// Sends `signal` to the child (while it has not been waited for, its pid is still ours).
    public func signal(_ signal: Int32) {
        if lock.withLock({ finalStatus == nil }) { kill(pid, signal) }
    }

    /// What the child has written to stdout so far (all of it once ``wait(timeout:)`` returned).
    public var output: Data { lock.withLock { collected[0] } }
    /// What the child has written to stderr so far.
    public var errorOutput: Data { lock.withLock { collected[1] } }

    /// Waits until stdout holds more than `count` bytes, the child has ended, or `timeout`
    /// seconds pass; returns stdout as it is then. For a child that answers requests one
    /// after another on one pipe (a worker serving runs), without polling.
    public func waitForOutput(beyond count: Int, timeout: TimeInterval) -> Data {
        let limit = Date(timeIntervalSinceNow: max(0, timeout))
        lock.lock()
        defer { lock.unlock() }
        while collected[0].count <= count && finalStatus == nil {
            if !lock.wait(until: limit) { break }
        }
        return collected[0]
    }

    /// Forgets the first `count` bytes of stdout (a reply already taken) and all of stderr
    /// so far, so a child that answers many requests does not grow this process.
    public func discardOutput(first count: Int) {
        lock.withLock {
            collected[0].removeFirst(min(count, collected[0].count))
            collected[1] = Data()
        }
    }

    /// How the child ended, or nil while it runs.
    public var status: Status? { lock.withLock { finalStatus } }

    /// The child's peak resident memory in bytes, once it has ended.
    public var peakMemoryBytes: Int { lock.withLock { Int(usage.ru_maxrss) * 1024 } }

    /// Waits for the child to end and its output to be read; nil if `timeout` seconds passed
    /// first (the child is left running).
    @discardableResult
    public func wait(timeout: TimeInterval? = nil) -> Status? {
        if let timeout {
            guard exited.wait(timeout: .now() + max(0, timeout)) == .success else { return nil }
        } else {
            exited.wait()
        }
        exited.signal()     // later calls return at once
        readersDone.wait()
        return status
    }

    // MARK: one call

    /// What ``run(_:_:input:environment:directory:deadline:tick:)`` returns.
    public struct Completed: Sendable {
        public var status: Status
        /// True if the parent killed the child: at the deadline, or because `tick` said so.
        public var killed: Bool
        public var output: Data
        public var errorOutput: Data
        /// Wall time from start to end.
        public var seconds: Double
        public var peakMemoryBytes: Int
    }

    /// Starts a child, feeds it `input`, collects its output, and waits for it. After
    /// `deadline` seconds it is killed with SIGKILL. `tick` is called about every 50 ms while
    /// the child runs; returning true kills the child too (a runner shutting down).
    public static func run(_ executable: String, _ arguments: [String], input: Data = Data(),
                           environment: [String: String]? = nil, directory: String? = nil,
                           deadline: TimeInterval? = nil, tick: () -> Bool = { false }) throws -> Completed {
        let start = DispatchTime.now()
        let child = try ChildProcess(executable, arguments, environment: environment, directory: directory,
                                     stdin: input.isEmpty ? .null : .pipe)
        if !input.isEmpty {
            Thread.detachNewThread {
                child.write(input)
                child.closeInput()
            }
        }
        var killed = false
        while child.wait(timeout: 0.05) == nil {
            let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
            if let deadline, elapsed >= deadline { killed = true }
            if !killed, tick() { killed = true }
            if killed {
                child.signal(SIGKILL)
                child.wait()
                break
            }
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
        return Completed(status: child.status!, killed: killed, output: child.output,
                         errorOutput: child.errorOutput, seconds: seconds, peakMemoryBytes: child.peakMemoryBytes)
    }

    /// `signal 11 (SIGSEGV)`.
    public static func signalName(_ signal: Int32) -> String {
        let names: [Int32: String] = [SIGSEGV: "SIGSEGV", SIGABRT: "SIGABRT", SIGKILL: "SIGKILL", SIGXCPU: "SIGXCPU",
                                      SIGBUS: "SIGBUS", SIGILL: "SIGILL", SIGFPE: "SIGFPE", SIGTERM: "SIGTERM",
                                      SIGINT: "SIGINT", SIGPIPE: "SIGPIPE", SIGHUP: "SIGHUP"]
        return "signal \(signal)" + (names[signal].map { " (\($0))" } ?? "")
    }
}
