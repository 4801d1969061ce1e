import ArgumentParser

/// Steward's exit codes, the same for every command (documented in `steward --help` and the
/// README).
enum StewardExit: Int32 {
    /// Success.
    case ok = 0
    /// The script has an error (syntax or runtime): `FILE:LINE: message`.
    case scriptError = 1
    /// Usage or input error: a missing or unreadable file, a bad flag or parameter value; or a
    /// database that cannot be written or read (locked past the busy timeout, full, read-only,
    /// a disk error, SIGBUS included).
    case usage = 2
    /// A limit was exceeded (memory, time, instructions, output, effects).
    case limit = 3
    /// An invariant refused the commit (budget, quota, capacity): nothing was written.
    case refused = 4
    /// The change set is waiting for a second approver: nothing was written yet.
    case pending = 5

    var code: ExitCode { ExitCode(rawValue) }

    static let helpText = """
        Exit codes: 0 success; 1 script error (FILE:LINE: message); 2 usage or input error
        (or a database that cannot be written or read: locked, full, read-only, a disk error);
        3 a limit was exceeded; 4 an invariant refused the commit (nothing written);
        5 the change set awaits a second approver.
        """
}

/// Prints one line to stderr and exits with `code`.
func fail(_ message: String, _ code: StewardExit = .usage) -> ExitCode {
    printError(message)
    return code.code
}
