import ArgumentParser
import Foundation
import LuaRuntime
import StewardScripting

/// `steward worker`: the child side of a worker process. Reads one JSON request on stdin,
/// runs it, writes one JSON report on stdout. Long-lived processes (the runner, the REPL) run
/// scripts this way so a crash in liblua or a hang in C costs one run, never the process.
struct WorkerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Run one script request from stdin in this process (used by the runner and the REPL).",
        shouldDisplay: false
    )

    func run() throws {
        let input = FileHandle.standardInput.readDataToEndOfFile()
        let request: WorkerRequest
        do {
            request = try JSONDecoder().decode(WorkerRequest.self, from: input)
        } catch {
            throw fail("error: worker request is not valid: \(error)")
        }
        var limits = LuaLimits()
        limits.memoryBytes = request.memoryBytes
        limits.instructions = request.instructions
        limits.timeout = .milliseconds(request.timeoutMs)
        limits.outputBytes = request.outputBytes
        // Address space: the Lua heap limit plus room for the Swift runtime and SQLite.
        LuaWorkerProcess.applyChildLimits(memoryBytes: request.memoryBytes.map { $0 + (512 << 20) },
                                          cpuSeconds: Int(request.timeoutMs / 1000) + 5)
        let report = ScriptRunner().run(source: request.source, name: request.name, limits: limits)
        let data = try JSONEncoder().encode(report)
        FileHandle.standardOutput.write(data)
    }
}
