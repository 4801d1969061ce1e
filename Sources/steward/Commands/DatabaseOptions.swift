import ArgumentParser
import Foundation
import StewardStore

/// `--db PATH`, shared by every command that opens the database.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .long, help: "The database file (default: $STEWARD_DB, else ./steward.db).")
    var db: String?

    /// The path from `--db`, else `$STEWARD_DB`, else `./steward.db`.
    var path: String {
        StoreLocation.resolve(explicit: db, environment: ProcessInfo.processInfo.environment)
    }

    /// Opens the database, turning the store's refusals into one line and exit code 2.
    func open(_ mode: Store.Mode) throws -> Store {
        do {
            return try Store.open(at: path, mode: mode)
        } catch let error as StoreError {
            throw fail(error.description)
        }
    }
}

/// The operating-system account running the command: the user Steward maps to a person.
func currentOSAccount() -> String {
    if let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name {
        return String(cString: name)
    }
    return ProcessInfo.processInfo.environment["USER"] ?? "unknown"
}

/// The language for messages, from LANG/LC_ALL.
var messageLanguage: ImportLanguage {
    ImportLanguage.from(environment: ProcessInfo.processInfo.environment)
}

/// Writes text to stdout without buffering it all first.
func writeOut(_ text: String) {
    FileHandle.standardOutput.write(Data(text.utf8))
}

/// A store opened for a command, and whether it is a throwaway (no database existed).
struct OpenedStore {
    let store: Store
    let scratch: Bool
}

extension DatabaseOptions {
    /// Opens the database for `run`: an existing database read-write; when none exists and
    /// none was named explicitly, nil (the script runs without district data) — unless
    /// committing, which needs one.
    func openForRun(commit: Bool) throws -> OpenedStore? {
        let explicit = db != nil || ProcessInfo.processInfo.environment["STEWARD_DB"] != nil
        if !explicit && !FileManager.default.fileExists(atPath: path) {
            if commit {
                throw fail("error: no database at \(path): create one with `steward init` or `steward demo`, or give --db PATH")
            }
            return nil
        }
        return OpenedStore(store: try open(.readWrite), scratch: false)
    }

    /// An empty database in memory so a script without data still runs in this process (a
    /// dry run; see ``scratch()`` for one another process must open too).
    static func scratchInMemory() throws -> OpenedStore {
        OpenedStore(store: try Store.inMemory(), scratch: true)
    }

    /// An empty, temporary database so a script without data still runs (a dry run); a file,
    /// so that the REPL's worker process can open it as well.
    static func scratch() throws -> OpenedStore {
        let path = NSTemporaryDirectory() + "steward-empty-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).db"
        let store = try Store.open(at: path, mode: .create)
        scratchPaths.append(path)
        atexit {
            for p in scratchPaths { for suffix in ["", "-wal", "-shm"] { unlink(p + suffix) } }
        }
        return OpenedStore(store: store, scratch: true)
    }
}

/// Temporary databases to delete when the process exits.
nonisolated(unsafe) var scratchPaths: [String] = []
