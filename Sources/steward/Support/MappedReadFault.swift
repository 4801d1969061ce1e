import Foundation

/// A committing run reads the database through a memory map (`Store.read(forCommit:)`),
/// where a page the disk cannot give back is a SIGBUS, not an error SQLite can return. This
/// turns it into what any other failed read of the database gives: a message and exit code 2.
///
/// A commit is one SQLite transaction, so the database is left as after any crash: the
/// commit wholly written (the fault came after its last step) or not at all.
enum MappedReadFault {
    /// What the handler writes to standard error before the process exits 2.
    static let message: StaticString = """
        error: the database file could not be read (a disk I/O error, or another program cut it short); \
        a commit is all or nothing: `steward runs list` shows whether this run was committed

        """

    /// Installs the handler for the rest of the process.
    static func install() {
        // Made now, not on first use inside the handler (a lazy global's first use is not
        // async-signal-safe).
        _ = message.utf8CodeUnitCount
        signal(SIGBUS) { _ in
            // Only async-signal-safe calls: write(2) of constant bytes, then _exit(2).
            _ = write(STDERR_FILENO, MappedReadFault.message.utf8Start, MappedReadFault.message.utf8CodeUnitCount)
            _exit(StewardExit.usage.rawValue)
        }
    }
}
