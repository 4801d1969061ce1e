import Foundation
import Testing
@testable import LuaRuntime

/// The worker mechanism on its own: whatever the child does (crash, hang, exit), the parent
/// gets an outcome and carries on. Plain shell commands stand in for the worker; the last
/// tests drive the real `steward worker`.
@Suite("Worker processes: a crash or a hang costs one run, never the parent")
struct LuaWorkerProcessTests {
    func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }

    func sh(_ script: String, input: Data = Data(), deadline: Duration = .seconds(10))
        throws -> (LuaWorkerProcess.Result, Double)
    {
        let clock = ContinuousClock()
        let start = clock.now
        let result = try LuaWorkerProcess.run(executable: "/bin/sh", arguments: ["-c", script],
                                              input: input, deadline: deadline)
        return (result, seconds(clock.now - start))
    }

    @Test func aChildThatExitsNormallyReturnsItsOutput() throws {
        let (r, _) = try sh("cat; echo done; echo oops >&2", input: Data("你好\n".utf8))
        #expect(r.outcome == .exited(0))
        #expect(String(decoding: r.output, as: UTF8.self) == "你好\ndone\n")
        #expect(String(decoding: r.errorOutput, as: UTF8.self) == "oops\n")
        #expect(r.failureReason == nil)
    }

    @Test func aChildThatFailsReportsItsExitCode() throws {
        let (r, _) = try sh("exit 7")
        #expect(r.outcome == .exited(7))
        #expect(r.failureReason == "the worker process exited with code 7")
    }

    @Test func aChildThatSegfaultsIsReportedAndTheParentCarriesOn() throws {
        let (crash, _) = try sh("ulimit -c 0; kill -SEGV $$")
        #expect(crash.outcome == .signalled(11))
        #expect(crash.failureReason == "the worker process died of signal 11 (SIGSEGV: the Lua library crashed)")

        // The parent is still here and runs the next child normally.
        let (next, _) = try sh("echo next")
        #expect(next.outcome == .exited(0))
        #expect(String(decoding: next.output, as: UTF8.self) == "next\n")
    }

    @Test func aChildKilledBySIGKILLIsNamed() throws {
        // (SIGKILL, as the kernel sends for RLIMIT_CPU's hard limit or the OOM killer; it cannot
        // be blocked, unlike SIGABRT, which a test runner may leave blocked in its children.)
        let (killed, _) = try sh("kill -KILL $$")
        #expect(killed.outcome == .signalled(9))
        #expect(killed.failureReason == "the worker process died of signal 9 (SIGKILL)")
    }

    @Test func aChildThatHangsIsKilledAtTheDeadline() throws {
        let (r, elapsed) = try sh("exec sleep 30", deadline: .milliseconds(500))
        #expect(r.outcome == .killedAtDeadline)
        #expect(r.failureReason == "the worker process was still running at its hard deadline and was killed")
        #expect(elapsed >= 0.5 && elapsed < 3, "took \(elapsed)s")
    }

    @Test func largeInputAndOutputDoNotDeadlock() throws {
        let input = Data(repeating: 0x61, count: 256 << 10)  // four times a pipe buffer
        let (r, _) = try sh("cat; head -c 300000 /dev/zero >&2", input: input)
        #expect(r.outcome == .exited(0))
        #expect(r.output == input)
        #expect(r.errorOutput.count == 300_000)
    }

    @Test func aChildThatIgnoresItsInputDoesNotHurtTheParent() throws {
        let (r, _) = try sh("exit 0", input: Data(repeating: 0x61, count: 256 << 10))
        #expect(r.outcome == .exited(0))
    }

    @Test func aMissingExecutableThrows() {
        #expect(throws: (any Error).self) {
            _ = try LuaWorkerProcess.run(executable: "/nonexistent/steward", arguments: [], input: Data(),
                                         deadline: .seconds(1))
        }
    }

    // MARK: the real worker

    /// `steward worker` through LuaWorkerProcess: a script stuck in C, then a normal one.
    @Test func aStuckStewardWorkerThenANormalOne() throws {
        let steward = try #require(stewardBinary, "the steward binary is built with the tests (or set STEWARD_BIN)")
        func request(_ source: String, timeoutMs: Int) -> Data {
            let body: [String: Any] = ["source": source, "name": "w.lua", "memoryBytes": 16 << 20,
                                       "timeoutMs": timeoutMs, "outputBytes": 1 << 20]
            return try! JSONSerialization.data(withJSONObject: body)
        }
        let clock = ContinuousClock()
        let start = clock.now
        // The parent's deadline (1 s) comes before the worker's own watchdog (10 s + grace).
        let stuck = try LuaWorkerProcess.run(
            executable: steward, arguments: ["worker"],
            input: request(#"return string.find(("a"):rep(300000), ".-.-.-.-b")"#, timeoutMs: 10_000),
            deadline: .seconds(1))
        let elapsed = seconds(clock.now - start)
        #expect(stuck.outcome == .killedAtDeadline)
        #expect(stuck.failureReason != nil)
        #expect(elapsed < 4, "took \(elapsed)s")

        let next = try LuaWorkerProcess.run(executable: steward, arguments: ["worker"],
                                            input: request("return 1 + 1", timeoutMs: 2000),
                                            deadline: .seconds(20))
        #expect(next.outcome == .exited(0), "\(String(decoding: next.errorOutput, as: UTF8.self))")
        let report = try JSONSerialization.jsonObject(with: next.output) as? [String: Any]
        #expect(report?["status"] as? String == "ok")
        #expect(report?["results"] as? [String] == ["2"])
    }
}

/// The `steward` binary next to this test bundle (or `$STEWARD_BIN`), for the tests that drive
/// the real worker. The CLI tests have the full locator (Tests/StewardCLITests/Support).
let stewardBinary: String? = {
    if let path = ProcessInfo.processInfo.environment["STEWARD_BIN"], !path.isEmpty { return path }
    var dirs: [URL] = []
    if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
        dirs.append(URL(fileURLWithPath: exe).deletingLastPathComponent())
    }
    dirs.append(Bundle.main.bundleURL.deletingLastPathComponent())
    dirs.append(URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent(".build/debug"))
    return dirs.map { $0.appendingPathComponent("steward").path }
        .first { FileManager.default.isExecutableFile(atPath: $0) }
}()
