import ChildProcess
import Foundation
import Testing

/// Disk trouble (issue 9): a write that fails in the middle of a commit — a full disk, a
/// file-size limit, a database that cannot be written — gives an error a person understands,
/// a documented exit code, and a database that still opens and verifies with nothing of the
/// failed commit in it; once the trouble is gone the same commit goes through. Every command
/// exits 2 for it, as for any database that cannot be written (README, exit codes).
///
/// A real full disk needs a small tmpfs, which only root (with CAP_SYS_ADMIN) can mount: that
/// case is skipped, saying so, elsewhere. The file-size limit (`ulimit -f`, RLIMIT_FSIZE, with
/// SIGXFSZ ignored so the write fails with EFBIG) works for everyone. A read-only file is
/// made with `chmod` — or, as root (whom `chmod` does not stop), with `chattr +i`, where the
/// file system supports it; else that case is skipped, saying so.
@Suite("Disk trouble during a commit: a clear error, and a database that still verifies")
struct DiskTroubleTests {
    static let long = DatabaseChecks.long
    static let isRoot = geteuid() == 0

    /// Grants ¥1.00 to each of the first `n` members as kind `tag`: a commit of `n` ledger
    /// entries, big enough to need room in the write-ahead log.
    static let massGrant = CrashSafetyTests.massGrant

    static func run(_ command: String, _ arguments: [String]) -> (ok: Bool, output: String) {
        guard let done = try? ChildProcess.run(command, arguments, deadline: 30) else { return (false, "\(command) did not start") }
        return (done.status == .exited(0), String(decoding: done.output + done.errorOutput, as: UTF8.self))
    }

    /// Whether this process can mount a tmpfs (root with CAP_SYS_ADMIN), tried once.
    static let canMountTmpfs: Bool = {
        guard isRoot else { return false }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("steward-mount-probe-\(getpid())")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        guard run("mount", ["-t", "tmpfs", "-o", "size=1m", "tmpfs", dir.path]).ok else { return false }
        _ = run("umount", [dir.path])
        return true
    }()

    /// Whether `chattr +i` makes a file immutable here (root, and a file system that has it).
    static let canMakeImmutable: Bool = {
        guard isRoot else { return false }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("steward-chattr-probe-\(getpid())")
        _ = FileManager.default.createFile(atPath: file.path, contents: Data("x".utf8))
        defer { _ = run("chattr", ["-i", file.path]); try? FileManager.default.removeItem(at: file) }
        guard run("chattr", ["+i", file.path]).ok else { return false }
        return (try? Data("y".utf8).write(to: file)) == nil
    }()

    /// The state a failed commit must leave untouched (an admin's `--as` is audited before the
    /// command starts, in a write of its own: that row may land).
    static func state(_ db: String) throws -> [[String]] {
        try DatabaseChecks.query(db, """
            SELECT (SELECT COUNT(*) FROM ledger), (SELECT COALESCE(SUM(amount_fen), 0) FROM ledger), (SELECT COUNT(*) FROM runs),
                   (SELECT COUNT(*) FROM audit WHERE action <> 'act_as'), (SELECT COUNT(*) FROM members)
            """)
    }

    // MARK: a full disk

    @Test(.enabled(if: canMountTmpfs, "a full disk needs a tmpfs, and mounting one needs root with CAP_SYS_ADMIN: skipped here"),
          .timeLimit(.minutes(60)))
    func aFullDiskMidCommitRollsBackWithAClearError() throws {
        let scratch = try ScratchDirectory("steward-full-disk")
        let mountPoint = scratch.url.appendingPathComponent("small")
        try FileManager.default.createDirectory(at: mountPoint, withIntermediateDirectories: true)
        let mounted = Self.run("mount", ["-t", "tmpfs", "-o", "size=8m", "tmpfs", mountPoint.path])
        try #require(mounted.ok, "mount: \(mounted.output)")
        defer { _ = Self.run("umount", [mountPoint.path]) }
        let db = mountPoint.appendingPathComponent("district.db").path
        let grants = Self.long ? 3000 : 1200
        let demo = try StewardBinary.run(["demo", "--db", db, "--members", String(grants + 50)], in: scratch.url)
        try #require(demo.exitCode == 0, "\(demo.summary)")
        try scratch.write("mass.lua", Self.massGrant)
        let before = try Self.state(db)

        // Fill the disk but for 64 KB: room for small writes, not for this commit's log.
        var fs = statvfs()
        try #require(statvfs(mountPoint.path, &fs) == 0)
        let free = Int(fs.f_bavail) * Int(fs.f_frsize)
        let filler = mountPoint.appendingPathComponent("filler")
        try Data(count: max(0, free - 64 * 1024)).write(to: filler)
        let full = try StewardBinary.run(["run", "mass.lua", "--commit", "--param", "n=\(grants)", "--param", "tag=full", "--db", db],
                                         in: scratch.url, timeout: .seconds(120))
        #expect(full.exitCode == 2, "\(full.summary)")
        #expect(full.stderrText.contains("the disk holding \(db) is full (or a file-size limit was reached): nothing was written; free some space and try again"),
                "\(full.summary)")
        // Still full: the database opens and verifies, and holds nothing of the failed commit.
        #expect(try Self.state(db) == before)
        let whileFull = try DatabaseChecks.problems(db, directory: scratch.url)
        #expect(whileFull.isEmpty, "\(whileFull)")

        // Room again: the same commit goes through.
        try FileManager.default.removeItem(at: filler)
        let retried = try StewardBinary.run(["run", "mass.lua", "--commit", "--param", "n=\(grants)", "--param", "tag=full", "--db", db],
                                            in: scratch.url, timeout: .seconds(120))
        #expect(retried.exitCode == 0, "\(retried.summary)")
        #expect(try DatabaseChecks.int(db, "SELECT COUNT(*) FROM ledger WHERE benefit_kind = 'full'") == grants)
        let after = try DatabaseChecks.problems(db, directory: scratch.url)
        #expect(after.isEmpty, "\(after)")
    }

    // MARK: a page that cannot be read through the memory map

    /// Whether process `pid` has the file at `path` open (its descriptors in /proc).
    static func hasOpen(_ pid: Int32, _ path: String) -> Bool {
        let fds = "/proc/\(pid)/fd"
        let path = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: fds) else { return false }
        return entries.contains { (try? FileManager.default.destinationOfSymbolicLink(atPath: "\(fds)/\($0)")) == path }
    }

    /// A committing run reads the database through a memory map, where a disk error is a
    /// SIGBUS (`MappedReadFault`). Sent one while its script runs, it says what happened and
    /// exits 2, with nothing written.
    @Test(.timeLimit(.minutes(10)))
    func aBusErrorInACommittingRunExitsTwoWithNothingWritten() throws {
        let f = try RunnerFixture(members: 60, label: "steward-sigbus")
        try f.scratch.write("spin.lua", "local n = 0\nwhile true do n = n + 1 end\n")
        let before = try Self.state(f.db)
        let process = try f.start(["run", "spin.lua", "--commit", "--timeout", "120s"])
        // The handler is installed before the store is opened. (Swift's runtime has a SIGBUS
        // handler of its own from the start, for its crash report: /proc's SigCgt cannot tell.)
        #expect(RunnerFixture.eventually { Self.hasOpen(process.pid, f.db) }, "the run never opened the database")
        process.signal(SIGBUS)
        let end = process.wait()
        #expect(end.exitCode == 2 && end.signal == nil, "\(end)")
        #expect(end.stderr == """
            error: the database file could not be read (a disk I/O error, or another program cut it short); \
            a commit is all or nothing: `steward runs list` shows whether this run was committed

            """)
        #expect(try Self.state(f.db) == before)
        let problems = try DatabaseChecks.problems(f.db, directory: f.scratch.url)
        #expect(problems.isEmpty, "\(problems)")
    }

    // MARK: a file-size limit

    /// RLIMIT_FSIZE below what the commit's write-ahead log needs: SQLite's write fails with
    /// EFBIG mid-commit (SIGXFSZ ignored, as a daemon would have it), for a run, an import
    /// and an approval alike.
    @Test(.timeLimit(.minutes(60)))
    func aFileSizeLimitMidCommitRollsBackWithAClearError() throws {
        let grants = Self.long ? 3000 : 1200
        let f = try RunnerFixture(members: grants + 50, label: "steward-fsize")
        try f.scratch.write("mass.lua", Self.massGrant)
        var csv = "姓名,身份证号,性别,出生日期,镇街\n"
        for i in 0..<grants {
            let day = String(format: "%02d", 1 + i / 10 % 28), month = String(format: "%02d", 1 + i / 280 % 12)
            csv += "限额\(i),\(DatabaseChecks.identityNumber("3204821955\(month)\(day)99\(i % 10)")),\(i % 2 == 1 ? "男" : "女"),1955-\(month)-\(day),金城镇\n"
        }
        try f.scratch.write("people.csv", csv)
        #expect(try f.steward(["settings", "set", "approval.threshold", "100"]).exitCode == 0)
        let held = try f.steward(["run", "mass.lua", "--commit", "--param", "n=\(grants)", "--param", "tag=held", "--as", "赵敏"])
        try #require(held.exitCode == 5, "\(held.summary)")
        let heldID = try #require(AccessDemo.pendingRunID(held))
        #expect(try f.steward(["settings", "set", "approval.threshold", "100000"]).exitCode == 0)
        let before = try Self.state(f.db)
        let steward = try StewardBinary.url().path
        // 256 KB: more than any file but the database itself needs for a small write, far less
        // than the log of a commit of this size; the database file is not written mid-commit.
        let limited: [(String, [String], Int32)] = [
            ("run --commit", ["run", "mass.lua", "--commit", "--param", "n=\(grants)", "--param", "tag=limited"], 2),
            ("import --commit", ["import", "members", "people.csv", "--commit"], 2),
            ("runs approve", ["runs", "approve", heldID, "--as", "张伟"], 2),
        ]
        for (command, arguments, code) in limited {
            let quoted = ([steward] + arguments + ["--db", f.db]).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }
            let r = try StewardBinary.run(executable: URL(fileURLWithPath: "/bin/sh"),
                                          ["-c", "ulimit -f 512 && trap '' XFSZ && exec " + quoted.joined(separator: " ")],
                                          in: f.scratch.url, timeout: .seconds(120))
            #expect(r.exitCode == code, "\(command): \(r.summary)")
            #expect(r.stderrText.contains("\(f.db) could not be written or read (") || r.stderrText.contains("the disk holding \(f.db) is full"),
                    "\(command): \(r.summary)")
            #expect(r.stderrText.contains("nothing was written"), "\(command): \(r.summary)")
            #expect(try Self.state(f.db) == before, "\(command)")
            let problems = try DatabaseChecks.problems(f.db, directory: f.scratch.url)
            #expect(problems.isEmpty, "\(command): \(problems)")
        }
        // Without the limit, each goes through.
        for (command, arguments, _) in limited {
            let r = try f.steward(arguments)
            #expect(r.exitCode == 0, "\(command): \(r.summary)")
        }
        #expect(try DatabaseChecks.int(f.db, "SELECT COUNT(*) FROM ledger WHERE benefit_kind IN ('limited', 'held')") == 2 * grants)
        #expect(try DatabaseChecks.int(f.db, "SELECT COUNT(*) FROM members WHERE name LIKE '限额%'") == grants)
        let problems = try DatabaseChecks.problems(f.db, directory: f.scratch.url)
        #expect(problems.isEmpty, "\(problems)")
    }

    /// A database path in a directory that does not exist: said in those words (it read
    /// "SQLite error 14: unable to open database file", and after the first fix of this
    /// suite "cannot be written (a read-only file ...)"), and no directory is made.
    @Test func aDatabaseInAMissingDirectoryIsNamed() throws {
        let scratch = try ScratchDirectory("steward-missing-dir")
        let directory = scratch.url.appendingPathComponent("no-such-directory").path
        let db = directory + "/district.db"
        let r = try StewardBinary.run(["init", "--db", db], in: scratch.url)
        #expect(r.exitCode == 2, "\(r.summary)")
        #expect(r.stderrLines == ["there is no directory \(directory) for \(db): create it first, or give another --db PATH"], "\(r.summary)")
        #expect(!FileManager.default.fileExists(atPath: directory))
    }

    // MARK: a read-only database

    enum ReadOnlyTarget: String, CaseIterable, Sendable { case file, directory }

    /// The database file (or its directory) cannot be written: `run --commit` says so in one
    /// line and exits 2, and the file is unchanged.
    @Test(.enabled(if: !isRoot || canMakeImmutable,
                   "running as root, whom chmod does not stop, on a file system without chattr +i: skipped here"),
          arguments: ReadOnlyTarget.allCases)
    func aReadOnlyDatabaseIsRefusedWithAClearError(target: ReadOnlyTarget) throws {
        let f = try RunnerFixture(members: 60, label: "steward-read-only")
        try f.scratch.write("one.lua", """
            budget("hospital-consolation-2025"):grant(members{}:order_by("id"):first(), yuan(100), { programme = "hospital-consolation" })
            """)
        let before = try Self.state(f.db)
        let checksum = try Data(contentsOf: URL(fileURLWithPath: f.db))
        // A read-only directory: the database cannot get its -wal and -shm files (the scripts beside it are only read).
        let path = target == .file ? f.db : URL(fileURLWithPath: f.db).deletingLastPathComponent().path
        func protect(_ on: Bool) {
            if Self.isRoot {
                _ = Self.run("chattr", [on ? "+i" : "-i", path])
            } else {
                chmod(path, on ? (target == .file ? 0o444 : 0o555) : (target == .file ? 0o644 : 0o755))
            }
        }
        protect(true)
        let r = try StewardBinary.run(["run", "one.lua", "--commit", "--db", f.db], in: f.scratch.url)
        protect(false)
        #expect(r.exitCode == 2, "\(r.summary)")
        #expect(r.stderrLines == ["\(f.db) cannot be written (a read-only file or directory, or a read-only file system): nothing was written"],
                "\(r.summary)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: f.db)) == checksum)
        #expect(try Self.state(f.db) == before)
        let problems = try DatabaseChecks.problems(f.db, directory: f.scratch.url)
        #expect(problems.isEmpty, "\(problems)")
        let writable = try f.steward(["run", "one.lua", "--commit"])
        #expect(writable.exitCode == 0, "\(writable.summary)")
    }
}
