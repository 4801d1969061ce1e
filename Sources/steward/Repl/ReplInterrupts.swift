import Foundation

/// Ctrl-C for both REPL processes, by the self-pipe trick: a SIGINT handler that only writes
/// one byte to a pipe (all a handler may safely do), read by ordinary code.
///
/// Not a dispatch signal source: those need the signal ignored, and the kernel drops an
/// ignored signal at once unless the main thread blocks it, which nothing guarantees.
///
/// - The parent: the terminal sends SIGINT to it alone (the worker has its own process
///   group). While an evaluation waits, the wait loop polls ``wakeFD`` and forwards the
///   interrupt to the worker; with nothing running in a piped session, the handler ends the
///   process (exit 130, as a shell would). Reading a line, libedit gets Ctrl-C as a key
///   instead (ISIG is off while editing).
/// - The worker: a thread reads the pipe and cancels the Lua running for the request.
final class ReplInterrupts: @unchecked Sendable {
    static let shared = ReplInterrupts()

    /// Readable when a SIGINT arrived.
    let wakeFD: Int32
    private let flags: UnsafeMutablePointer<Int32>  // [write end, exit when idle, waiting]
    private var installed = false

    private init() {
        var fds: [Int32] = [-1, -1]
        _ = ReplIO.pipe(&fds, nonblocking: true)
        wakeFD = fds[0]
        flags = .allocate(capacity: 3)
        flags.initialize(repeating: 0, count: 3)
        flags[0] = fds[1]
        interruptFlags = flags
    }

    /// Installs the handler (once) and makes sure this thread does not block SIGINT.
    func install() {
        guard !installed else { return }
        installed = true
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in
            guard let flags = interruptFlags else { return }
            var byte: UInt8 = 1
            _ = write(flags[0], &byte, 1)
            if flags[1] != 0 && flags[2] == 0 { _exit(130) }
        }
        action.sa_flags = Int32(SA_RESTART)
        sigemptyset(&action.sa_mask)
        sigaction(SIGINT, &action, nil)
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }

    /// Piped sessions: a SIGINT with no evaluation waiting ends the process.
    var exitWhenIdle: Bool {
        get { flags[1] != 0 }
        set { flags[1] = newValue ? 1 : 0 }
    }

    /// Set while the parent waits for an evaluation (SIGINT is then forwarded, not fatal).
    var isWaiting: Bool {
        get { flags[2] != 0 }
        set { flags[2] = newValue ? 1 : 0 }
    }

    /// How many interrupts arrived since the last call (draining the pipe).
    func take() -> Int {
        var total = 0
        var bytes = [UInt8](repeating: 0, count: 64)
        while true {
            let n = read(wakeFD, &bytes, bytes.count)
            if n > 0 { total += n } else if n < 0 && errno == EINTR { continue } else { break }
        }
        return total
    }

    /// Worker side: calls `body` on a thread of its own for every SIGINT.
    func forward(to body: @escaping @Sendable () -> Void) {
        let fd = wakeFD
        Thread.detachNewThread { [self] in
            while true {
                var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                if poll(&p, 1, -1) < 0 && errno != EINTR { return }
                if take() > 0 { body() }
            }
        }
    }
}

/// Read by the signal handler (a C function cannot capture): set before it is installed.
nonisolated(unsafe) private var interruptFlags: UnsafeMutablePointer<Int32>?
