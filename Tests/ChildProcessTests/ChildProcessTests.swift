import ChildProcess
import Foundation
import Testing

@Suite("ChildProcess: posix_spawn without Foundation's Process")
struct ChildProcessTests {
    @Test func feedsStdinAndCollectsBothOutputs() throws {
        let done = try ChildProcess.run("/bin/sh", ["-c", "cat; echo 错误 >&2; exit 3"], input: Data("王芳\n".utf8))
        #expect(done.status == .exited(3))
        #expect(String(decoding: done.output, as: UTF8.self) == "王芳\n")
        #expect(String(decoding: done.errorOutput, as: UTF8.self) == "错误\n")
        #expect(!done.killed)
    }

    @Test func largeOutputOnBothStreamsDoesNotDeadlock() throws {
        // 1 MiB on each stream: far past a pipe's 64 KiB buffer.
        let done = try ChildProcess.run("/bin/sh", ["-c", "head -c 1048576 /dev/zero; head -c 1048576 /dev/zero >&2"],
                                        deadline: 30)
        #expect(done.status == .exited(0))
        #expect(done.output.count == 1_048_576)
        #expect(done.errorOutput.count == 1_048_576)
    }

    @Test func aSignalIsReportedAsSuch() throws {
        let done = try ChildProcess.run("/bin/sh", ["-c", "kill -SEGV $$"])
        #expect(done.status == .signalled(SIGSEGV))
        #expect(done.status.description == "died of signal 11 (SIGSEGV)")
    }

    @Test func aChildPastItsDeadlineIsKilled() throws {
        let done = try ChildProcess.run("/bin/sleep", ["30"], deadline: 0.3)
        #expect(done.killed)
        #expect(done.status == .signalled(SIGKILL))
        #expect(done.seconds < 10)
    }

    @Test func tickCanStopTheChild() throws {
        var ticks = 0
        let done = try ChildProcess.run("/bin/sleep", ["30"]) {
            ticks += 1
            return ticks == 3
        }
        #expect(done.killed)
        #expect(ticks == 3)
    }

    @Test func environmentAndDirectoryAreTheChildsOnly() throws {
        let done = try ChildProcess.run("/bin/sh", ["-c", "pwd; echo \"$STEWARD_X\"; echo \"${HOME-unset}\""],
                                        environment: ["STEWARD_X": "金城镇"], directory: "/tmp")
        #expect(String(decoding: done.output, as: UTF8.self) == "/tmp\n金城镇\nunset\n")
    }

    @Test func noDescriptorOfTheParentLeaksIntoTheChild() throws {
        // An fd opened without O_CLOEXEC, as Foundation's own Pipe does: the child must not get it.
        let fd = open("/dev/null", O_RDONLY)
        defer { close(fd) }
        #expect(fd > 2)
        let done = try ChildProcess.run("/bin/sh", ["-c", "ls /proc/self/fd | sort -n | tr '\\n' ' '"])
        // 0, 1, 2, and the descriptor `ls` opens to read the directory.
        let fds = String(decoding: done.output, as: UTF8.self).split(separator: " ").compactMap { Int($0) }
        #expect(!fds.contains(Int(fd)), "child saw \(fds)")
        #expect(fds.filter { $0 > 2 }.count <= 1, "child saw \(fds)")
    }

    @Test func aMissingExecutableIsALaunchError() {
        #expect(throws: ChildProcess.LaunchError(executable: "/nonexistent/steward", code: ENOENT)) {
            try ChildProcess.run("/nonexistent/steward", [])
        }
    }

    @Test func streamingInputAndSignals() throws {
        let child = try ChildProcess("/bin/cat", [])
        #expect(child.write(Data("一".utf8)))
        #expect(child.wait(timeout: 0.2) == nil)      // still running: its stdin is open
        child.closeInput()
        #expect(child.wait(timeout: 10) == .exited(0))
        #expect(String(decoding: child.output, as: UTF8.self) == "一")
        #expect(child.peakMemoryBytes > 0)
    }

    /// What the runner's serving workers rely on: wait for a reply without polling, take it,
    /// and forget it, request after request on one pipe.
    @Test func repliesOneAfterAnotherOnOnePipe() throws {
        let child = try ChildProcess("/bin/cat", [])
        for word in ["一", "二", "三"] {
            #expect(child.write(Data(word.utf8)))
            let expected = Data(word.utf8)
            var output = Data()
            for _ in 0..<100 where output.count < expected.count {
                output = child.waitForOutput(beyond: output.count, timeout: 0.1)
            }
            #expect(output == expected)
            child.discardOutput(first: expected.count)
            #expect(child.output.isEmpty)
        }
        // Nothing more comes: the wait ends at its timeout with what there is.
        #expect(child.waitForOutput(beyond: 0, timeout: 0.05).isEmpty)
        child.closeInput()
        #expect(child.wait(timeout: 10) == .exited(0))
    }
}
