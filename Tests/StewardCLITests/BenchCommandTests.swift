import Foundation
import Testing

/// `steward-bench`'s command line: a mistyped count or suite is refused with the usage, before
/// anything is built or measured, and a missing `steward` is named with the way to build it.
@Suite("steward-bench command line")
struct BenchCommandTests {
    /// The `steward-bench` built beside the `steward` under test.
    func bench() throws -> URL {
        try StewardBinary.url().deletingLastPathComponent().appendingPathComponent("steward-bench")
    }

    @Test func aCountThatIsNotAPositiveWholeNumberIsAUsageError() throws {
        for (arguments, message) in [
            (["jobs", "lots"], "steward-bench: MEMBERS must be a positive whole number, not 'lots'"),
            (["jobs", "1000", "0"], "steward-bench: REPETITIONS must be a positive whole number, not '0'"),
            (["scheduler", "1e3"], "steward-bench: SCRIPTS must be a positive whole number, not '1e3'"),
            (["all", "-5"], "steward-bench: MEMBERS must be a positive whole number, not '-5'"),
        ] {
            let r = try StewardBinary.run(executable: bench(), arguments)
            #expect(r.exitCode == 2, "\(arguments): \(r.summary)")
            #expect(r.stderrLines.first == message)
            #expect(r.stderrText.contains("usage: steward-bench [all [MEMBERS] [REPETITIONS]]"))
            #expect(r.stdout.isEmpty, "nothing was measured: \(r.stdoutText)")
        }
    }

    @Test func anUnknownSuiteOrTooManyArgumentsIsAUsageError() throws {
        let unknown = try StewardBinary.run(executable: bench(), ["job"])
        #expect(unknown.exitCode == 2)
        #expect(unknown.stderrLines.first == "steward-bench: unknown suite 'job'")
        let many = try StewardBinary.run(executable: bench(), ["runtime", "3", "4"])
        #expect(many.exitCode == 2)
        #expect(many.stderrLines.first == "steward-bench: too many arguments for runtime")
    }

    @Test func helpPrintsTheUsageAndMeasuresNothing() throws {
        for flag in ["--help", "-h"] {
            let r = try StewardBinary.run(executable: bench(), [flag])
            #expect(r.exitCode == 0, "\(r.summary)")
            #expect(r.stdoutText.hasPrefix("usage: steward-bench [all [MEMBERS] [REPETITIONS]]\n"))
            #expect(r.stdoutText.contains("dev/bench builds both"))
            #expect(r.stderr.isEmpty)
        }
    }

    @Test func withoutStewardBesideItTheJobsSayHowToBuildIt() throws {
        let scratch = try ScratchDirectory("steward-bench-alone")
        let alone = scratch.url.appendingPathComponent("steward-bench")
        try FileManager.default.copyItem(at: bench(), to: alone)
        let r = try StewardBinary.run(executable: alone, ["jobs", "1000", "1"])
        #expect(r.exitCode == 2, "\(r.summary)")
        #expect(r.stderrLines.first == "steward-bench: no steward next to this program (\(scratch.url.path)/steward): build both the same way,")
        #expect(r.stderrText.contains("swift build -c release --static-swift-stdlib --product steward\n"))
        #expect(r.stderrText.contains("or run dev/bench, which does"))
    }
}
