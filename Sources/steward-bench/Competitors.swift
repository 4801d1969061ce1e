import ChildProcess
import Foundation

/// The programs Steward is measured against, each resolved once to one executable file.
///
/// Why not just `python3` from PATH: on a machine with a Python version manager (pyenv, asdf)
/// the first `python3` on PATH is a shell-script *shim* that starts bash and the manager before
/// Python. Measured here, `python3 -c pass` took 108.6 ms through pyenv's shim against 11.6 ms
/// for Debian's `/usr/bin/python3`: every Python figure in BENCHMARKS.md before session 13 was
/// measured through that shim, and flattered Steward by about 110 ms a run. The administrator
/// this benchmark stands for has the distribution's Python, so that is the default; a
/// different one is chosen with `STEWARD_BENCH_PYTHON` (and likewise `STEWARD_BENCH_LUA`,
/// `STEWARD_BENCH_SQLITE3`), and a script found instead of a program is refused, loudly.
struct Competitors {
    let python: String
    let lua: String
    let sqlite3: String

    /// Resolves the three programs, or says which one cannot be used and why.
    static func resolve() throws -> Competitors {
        Competitors(python: try program("python3", variable: "STEWARD_BENCH_PYTHON", distribution: "/usr/bin/python3"),
                    lua: try program("lua5.4", variable: "STEWARD_BENCH_LUA", distribution: "/usr/bin/lua5.4"),
                    sqlite3: try program("sqlite3", variable: "STEWARD_BENCH_SQLITE3", distribution: "/usr/bin/sqlite3"))
    }

    /// A line per program for the top of a table: which file, which version (each program is
    /// run once to ask).
    func versions() -> String {
        let pythonVersion = ChildProcess.measure([python, "-c", "import sys, sqlite3; "
            + "print('Python', sys.version.split()[0] + ', its sqlite3 module on SQLite', sqlite3.sqlite_version)"])
        let luaVersion = ChildProcess.measure([lua, "-v"])
        let sqliteVersion = ChildProcess.measure([sqlite3, "--version"])
        func first(_ m: ChildProcess.Measurement) -> String {
            m.output.split(separator: "\n").first.map { String($0.prefix(60)) } ?? "(printed nothing)"
        }
        return """
            python:  \(python) (\(first(pythonVersion)))
            lua:     \(lua) (\(first(luaVersion)))
            sqlite3: \(sqlite3) (\(first(sqliteVersion)))
            """
    }

    enum Problem: Error, CustomStringConvertible {
        case notFound(name: String, variable: String)
        case script(path: String, variable: String)

        var description: String {
            switch self {
            case .notFound(let name, let variable):
                return "cannot find \(name): install it (apt-get install \(name)) or set \(variable)"
            case .script(let path, let variable):
                return "\(path) is a script (a version manager's shim?), not the program: "
                    + "it would add its own start-up to every run measured; set \(variable) to the program itself"
            }
        }
    }

    /// `variable` if set, else the distribution's file if it is there, else the first `name` on PATH.
    private static func program(_ name: String, variable: String, distribution: String) throws -> String {
        let path: String
        if let chosen = ProcessInfo.processInfo.environment[variable], !chosen.isEmpty {
            path = chosen
        } else if FileManager.default.isExecutableFile(atPath: distribution) {
            path = distribution
        } else if let found = onPath(name) {
            path = found
        } else {
            throw Problem.notFound(name: name, variable: variable)
        }
        guard FileManager.default.isExecutableFile(atPath: path) else { throw Problem.notFound(name: name, variable: variable) }
        if startsWithShebang(path) { throw Problem.script(path: path, variable: variable) }
        return path
    }

    private static func onPath(_ name: String) -> String? {
        let directories = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        return directories.map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Whether the file starts with `#!`: an interpreter script, not a program. A file that
    /// cannot be read here is let through: running it will say what is wrong with it.
    private static func startsWithShebang(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: 2)) ?? Data()
        return head == Data("#!".utf8)
    }
}
