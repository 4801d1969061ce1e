import Foundation

/// The parent's handle on the REPL's worker process (`steward repl-worker`): starts it in a
/// process group of its own (so the terminal's Ctrl-C reaches only the parent, which decides
/// what to forward), sends framed requests and waits for the answer with a hard deadline.
///
/// A worker that dies (Debian's liblua can be crashed by plain Lua) or that is still busy at
/// the deadline (stuck inside one C call, where no hook fires) is reported as
/// ``Outcome/died(_:)``; the session then starts a fresh worker.
final class ReplWorkerClient {
    enum Outcome {
        case reply(ReplReply)
        case died(String)
    }

    let hello: ReplHello
    private(set) var pid: pid_t = 0
    private var toWorker: Int32 = -1
    private var fromWorker: Int32 = -1
    private var buffer = Data()
    private var errors: ErrorTail?
    private(set) var alive = false
    /// Time from spawning to the worker's `ready`, for the last start.
    private(set) var startup: Duration = .zero
    private var readyPending = false

    init(hello: ReplHello) {
        self.hello = hello
    }

    deinit { stop() }

    /// Starts a worker and sends it the session's hello (the answer is awaited lazily, by the
    /// first request, so the prompt does not wait for the state to be built).
    func start() throws {
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments[0]
        var inPipe: [Int32] = [0, 0], outPipe: [Int32] = [0, 0], errPipe: [Int32] = [0, 0]
        guard ReplIO.pipe(&inPipe), ReplIO.pipe(&outPipe), ReplIO.pipe(&errPipe) else {
            throw ReplIO.Failure("cannot create pipes: \(String(cString: strerror(errno)))")
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, inPipe[0], 0)
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        posix_spawnattr_setpgroup(&attributes, 0)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for s in [SIGINT, SIGPIPE, SIGTERM, SIGQUIT, SIGHUP, SIGTSTP] { sigaddset(&defaults, s) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigmask(&attributes, &mask)
        let argv: [UnsafeMutablePointer<CChar>?] = [strdup(executable), strdup("repl-worker"), nil]
        defer { for p in argv { free(p) } }
        let clock = ContinuousClock()
        let started = clock.now
        let status = posix_spawn(&pid, executable, &actions, &attributes, argv, environ)
        close(inPipe[0])
        close(outPipe[1])
        close(errPipe[1])
        guard status == 0 else {
            close(inPipe[1])
            close(outPipe[0])
            close(errPipe[0])
            throw ReplIO.Failure("cannot start the evaluator: \(String(cString: strerror(status)))")
        }
        toWorker = inPipe[1]
        fromWorker = outPipe[0]
        errors = ErrorTail(fd: errPipe[0])
        buffer = Data()
        alive = true
        readyPending = true
        startClock = started
        try ReplChannel(input: -1, output: toWorker).send(ReplRequest(.hello, hello: hello))
    }

    private var startClock = ContinuousClock().now

    /// Waits for the worker's `ready` if it has not come yet.
    func awaitReady() -> Outcome? {
        guard readyPending else { return nil }
        readyPending = false
        let outcome = wait(deadline: .seconds(30), interruptible: false, onOutput: { _ in })
        if case .reply(let r) = outcome {
            startup = ContinuousClock().now - startClock
            if r.kind == .failed { return .died("the evaluator could not start: \(r.error ?? "?")") }
            return nil
        }
        return outcome
    }

    /// Sends `request` and waits for its answer. `deadline` is restarted by `phase` frames;
    /// `onOutput` receives the lines the code prints, as it prints them.
    func request(_ request: ReplRequest, deadline: Duration, interruptible: Bool,
                 onOutput: (String) -> Void = { _ in }) -> Outcome {
        guard alive else { return .died("the evaluator is not running") }
        if let failed = awaitReady() { return failed }
        do {
            try ReplChannel(input: -1, output: toWorker).send(request)
        } catch {
            return died(killedAtDeadline: false, detail: nil)
        }
        return wait(deadline: deadline, interruptible: interruptible, onOutput: onOutput)
    }

    private func wait(deadline: Duration, interruptible: Bool, onOutput: (String) -> Void) -> Outcome {
        let clock = ContinuousClock()
        var until = clock.now + deadline
        var interruptedAt: ContinuousClock.Instant?
        let signals = ReplInterrupts.shared
        _ = signals.take()
        signals.isWaiting = true
        defer { signals.isWaiting = false }
        while true {
            while let reply = nextFrame() {
                switch reply.kind {
                case .output: onOutput(reply.line ?? "")
                case .phase: until = clock.now + deadline
                default: return .reply(reply)
                }
            }
            let left = until - clock.now
            if left <= .zero {
                kill(pid, SIGKILL)
                return died(killedAtDeadline: true, detail: nil)
            }
            var fds = [pollfd(fd: fromWorker, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: signals.wakeFD, events: Int16(POLLIN), revents: 0)]
            let ms = Int32(min(Double(Int32.max), max(1, left.seconds * 1000)))
            let n = poll(&fds, 2, ms)
            if n < 0 && errno != EINTR { return died(killedAtDeadline: false, detail: nil) }
            if fds[1].revents != 0 {
                if signals.take() > 0 && interruptible {
                    if let first = interruptedAt, clock.now - first > .seconds(2) {
                        // Ctrl-C again, and the code has still not stopped: it is stuck in C,
                        // where no interrupt reaches it.
                        kill(pid, SIGKILL)
                        return died(killedAtDeadline: false, detail: "stopped by a second Ctrl-C")
                    }
                    if interruptedAt == nil { interruptedAt = clock.now }
                    kill(pid, SIGINT)
                }
            }
            if fds[0].revents != 0 {
                var chunk = [UInt8](repeating: 0, count: 65536)
                let got = read(fromWorker, &chunk, chunk.count)
                if got < 0 && errno == EINTR { continue }
                if got <= 0 { return died(killedAtDeadline: false, detail: nil) }
                buffer.append(contentsOf: chunk[0..<got])
            }
        }
    }

    private func nextFrame() -> ReplReply? {
        guard buffer.count >= 4 else { return nil }
        let b = [UInt8](buffer.prefix(4))
        let n = Int(b[0]) << 24 | Int(b[1]) << 16 | Int(b[2]) << 8 | Int(b[3])
        guard buffer.count >= 4 + n else { return nil }
        let body = buffer.subdata(in: buffer.startIndex + 4 ..< buffer.startIndex + 4 + n)
        buffer.removeSubrange(buffer.startIndex ..< buffer.startIndex + 4 + n)
        if let reply = try? JSONDecoder().decode(ReplReply.self, from: body) { return reply }
        var failed = ReplReply(.failed)
        failed.error = "the evaluator sent an unreadable answer"
        return failed
    }

    /// Reaps the worker and says why it is gone.
    private func died(killedAtDeadline: Bool, detail: String?) -> Outcome {
        alive = false
        close(toWorker)
        close(fromWorker)
        kill(pid, SIGKILL)  // already gone, or stuck: either way it must not linger
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let tail = errors?.finish() ?? ""
        let lastLine = tail.split(separator: "\n").last.map { LuaOutputLine.clean(String($0)) }
        let seconds = Double(hello.timeoutMs) / 1000
        let limit = seconds == seconds.rounded() ? "\(Int(seconds))s" : "\(seconds)s"
        if killedAtDeadline {
            return .died("the evaluation was still running \(hello.hardGraceMs) ms past the time limit of \(limit) "
                + "(stuck inside one library call, where it cannot be interrupted), so the evaluator was stopped")
        }
        if let detail { return .died("the evaluation did not stop and was \(detail)") }
        let signal = status & 0x7F
        if signal != 0 {
            let name = [Int32(SIGSEGV): "SIGSEGV: the Lua library crashed", Int32(SIGABRT): "SIGABRT",
                        Int32(SIGKILL): "SIGKILL", Int32(SIGBUS): "SIGBUS", Int32(SIGXCPU): "SIGXCPU"][signal]
            return .died("the evaluator crashed (signal \(signal)\(name.map { ", \($0)" } ?? ""))")
        }
        let code = (status >> 8) & 0xFF
        if code == 3, let lastLine, lastLine.contains("time limit") {
            return .died("the evaluation was stuck inside one library call past the time limit of \(limit) "
                + "(where it cannot be interrupted), so the evaluator was stopped")
        }
        return .died("the evaluator exited unexpectedly (code \(code))\(lastLine.map { ": \($0)" } ?? "")")
    }

    /// Ends the worker (closing its input ends it; a kill makes sure).
    func stop() {
        guard alive else { return }
        alive = false
        close(toWorker)
        close(fromWorker)
        kill(pid, SIGKILL)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        _ = errors?.finish()
    }
}

/// The last few kilobytes the worker wrote to stderr (shown when it dies).
private final class ErrorTail: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(fd: Int32) {
        Thread.detachNewThread { [self] in
            var chunk = [UInt8](repeating: 0, count: 4096)
            while true {
                let n = read(fd, &chunk, chunk.count)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { break }
                lock.withLock {
                    data.append(contentsOf: chunk[0..<n])
                    if data.count > 8192 { data.removeFirst(data.count - 8192) }
                }
            }
            close(fd)
            done.signal()
        }
    }

    func finish() -> String {
        _ = done.wait(timeout: .now() + 2)
        return lock.withLock { String(decoding: data, as: UTF8.self) }
    }
}

extension ReplIO {
    /// A pipe whose ends are closed on exec (the worker gets only what posix_spawn dup2s).
    static func pipe(_ fds: inout [Int32], nonblocking: Bool = false) -> Bool {
        guard Glibc.pipe(&fds) == 0 else { return false }
        for fd in fds {
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            if nonblocking { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
        }
        return true
    }
}

enum LuaOutputLine {
    static func clean(_ s: String) -> String {
        String(s.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F }.map(Character.init))
    }
}

extension Duration {
    var seconds: Double {
        let (s, atto) = components
        return Double(s) + Double(atto) / 1e18
    }
}
