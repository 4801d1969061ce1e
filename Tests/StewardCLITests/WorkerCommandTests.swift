import Foundation
import Testing

/// `steward worker`: one JSON request on stdin (StewardScripting's `WorkerRequest`), one JSON
/// `RunReport` on stdout. The wire format is spelled out here rather than imported, so a
/// change to it that would break a parent built from another version shows up as a failure.
@Suite("steward worker: a request in, a report out, and a parent that survives its worker")
struct WorkerCommandTests {
    struct Request: Encodable {
        var source: String
        var name: String
        var memoryBytes: Int? = 16 << 20
        var instructions: Int? = nil
        var timeoutMs: Int64 = 2000
        var outputBytes: Int? = 1 << 20

        var json: Data { try! JSONEncoder().encode(self) }
    }

    struct Report: Decodable {
        struct ErrorInfo: Decodable {
            var kind: String
            var message: String
            var file: String?
            var line: Int?
        }
        var script: String
        var status: String
        var output: String
        var results: [String]
        var error: ErrorInfo?
    }

    func work(_ request: Request, deadline: Duration = .seconds(30)) throws -> StewardBinary.RunResult {
        try StewardBinary.run(["worker"], stdin: request.json, timeout: deadline)
    }

    func report(_ r: StewardBinary.RunResult) throws -> Report {
        try JSONDecoder().decode(Report.self, from: r.stdout)
    }

    @Test func aRequestGivesAReport() throws {
        let r = try work(Request(source: "print('你好') return 6 * 7, {1, 2}", name: "w.lua"))
        #expect(r.exitCode == 0, "\(r.summary)")
        let rep = try report(r)
        #expect(rep.script == "w.lua")
        #expect(rep.status == "ok")
        #expect(rep.output == "你好\n")
        #expect(rep.results == ["42", "{1, 2}"])
        #expect(rep.error == nil)
    }

    /// `--serve`, the runner's long-lived worker: framed requests (4-byte big-endian length,
    /// then JSON) in, framed reports out, one fresh Lua state per request, until stdin ends.
    @Test func aServingWorkerAnswersRequestsOneAfterAnother() throws {
        func frame(_ data: Data) -> Data {
            let n = UInt32(data.count)
            return Data([UInt8(n >> 24), UInt8(n >> 16 & 0xff), UInt8(n >> 8 & 0xff), UInt8(n & 0xff)]) + data
        }
        let input = frame(Request(source: "x = 6 * 7 return x", name: "one.lua").json)
            + frame(Request(source: "local y\nreturn y.z", name: "two.lua").json)
            + frame(Request(source: "return x", name: "three.lua").json)   // x was the first run's global
        let r = try StewardBinary.run(["worker", "--serve"], stdin: input)
        #expect(r.exitCode == 0, "\(r.summary)")
        var rest = r.stdout
        var reports: [Report] = []
        while rest.count >= 4 {
            let b = [UInt8](rest.prefix(4))
            let n = Int(b[0]) << 24 | Int(b[1]) << 16 | Int(b[2]) << 8 | Int(b[3])
            try #require(rest.count >= 4 + n, "a truncated frame: \(r.summary)")
            reports.append(try JSONDecoder().decode(Report.self, from: Data(rest.dropFirst(4).prefix(n))))
            rest = Data(rest.dropFirst(4 + n))
        }
        #expect(rest.isEmpty)
        #expect(reports.map(\.script) == ["one.lua", "two.lua", "three.lua"])
        #expect(reports.map(\.status) == ["ok", "script_error", "script_error"])
        #expect(reports.first?.results == ["42"])
        #expect(reports.last?.error?.message == "three.lua:1: undefined global 'x'")
    }

    @Test func aScriptErrorIsAReportNotAFailure() throws {
        let r = try work(Request(source: "local x\nreturn x.y", name: "e.lua"))
        #expect(r.exitCode == 0, "\(r.summary)")
        let rep = try report(r)
        #expect(rep.status == "script_error")
        #expect(rep.error?.message == "e.lua:2: attempt to index a nil value (local 'x')")
        #expect(rep.error?.file == "e.lua")
        #expect(rep.error?.line == 2)
    }

    @Test func aLimitIsAReport() throws {
        let r = try work(Request(source: "while true do end", name: "l.lua", instructions: 10_000))
        #expect(r.exitCode == 0, "\(r.summary)")
        let rep = try report(r)
        #expect(rep.status == "limit_exceeded")
        #expect(rep.error?.kind == "limit.instructions")
        #expect(rep.error?.message == "instruction limit of 10000 exceeded")
    }

    @Test func anInvalidRequestIsAUsageError() throws {
        let r = try StewardBinary.run(["worker"], stdin: Data("{\"source\": 1}".utf8))
        #expect(r.exitCode == 2)
        #expect(r.stdout.isEmpty)
        #expect(r.stderrText.hasPrefix("error: worker request is not valid"))
    }

    /// A script stuck inside one C call: no hook fires, so the worker's hard watchdog ends it
    /// (exit 3, no report); a parent that gives up first kills it. Either way the parent reports
    /// a failed run and goes on to run the next request normally.
    @Test func aStuckWorkerIsAFailedRunAndTheParentCarriesOn() throws {
        let stuck = Request(source: #"return string.find(("a"):rep(300000), ".-.-.-.-b")"#, name: "stuck.lua",
                            timeoutMs: 500)
        // The worker's own watchdog: timeout 0.5 s + grace 0.5 s.
        let first = try work(stuck, deadline: .seconds(10))
        #expect(!first.timedOut && first.signal == nil, "\(first.summary)")
        #expect(first.exitCode == 3, "\(first.summary)")
        #expect(first.stdout.isEmpty)
        #expect(first.stderrText.contains("time limit of 500ms exceeded"))
        #expect(first.seconds < 4, "took \(first.seconds)s")

        // A parent whose deadline comes before the worker's own (timeout 10 s): it kills it.
        var patient = stuck
        patient.timeoutMs = 10_000
        let second = try work(patient, deadline: .seconds(1))
        #expect(second.timedOut, "\(second.summary)")
        #expect(second.seconds < 4, "took \(second.seconds)s")

        // The parent carries on: the next request runs normally.
        let next = try work(Request(source: "return 'still here'", name: "next.lua"))
        #expect(next.exitCode == 0, "\(next.summary)")
        #expect(try report(next).results == ["still here"])
    }
}
