import Foundation
import LuaRuntime

/// Runs one script as one run: a fresh sandboxed Lua state, the host API installed, the
/// script executed, the state closed, and a ``RunReport`` describing what happened.
///
/// ```swift
/// let report = ScriptRunner().run(source: text, name: "relief.lua", limits: LuaLimits())
/// print(report.output)
/// ```
public struct ScriptRunner {
    /// Installs host functions into a fresh state before the script runs.
    public typealias Installer = (LuaState) throws -> Void

    public var installers: [Installer]
    /// What the hard watchdog does if a script is stuck in C past its deadline.
    public var hardDeadline: LuaHardDeadline

    public init(installers: [Installer] = [], hardDeadline: LuaHardDeadline = .exitProcess(code: 3)) {
        self.installers = installers
        self.hardDeadline = hardDeadline
    }

    /// Runs `source` under `limits`. Never throws: every failure is a report.
    public func run(source: String, name: String, limits: LuaLimits) -> RunReport {
        let clock = ContinuousClock()
        let start = clock.now
        var report = RunReport(script: name, status: .ok)
        var state: LuaState?
        do {
            let lua = try LuaState(limits: limits)
            state = lua
            lua.hardDeadline = hardDeadline
            for install in installers { try install(lua) }
            let results = try lua.run(source, name: name)
            report.results = results.map(LuaValueText.describe)
        } catch let error as LuaError {
            report.apply(error)
        } catch {
            report.status = .scriptError
            report.error = .init(kind: "host", message: String(describing: error))
        }
        if let state {
            report.output = state.output.text
            report.metrics.peakMemoryBytes = state.peakMemory
            state.close()
        }
        let elapsed = clock.now - start
        report.metrics.durationMs = Double(elapsed.components.seconds) * 1000
            + Double(elapsed.components.attoseconds) / 1e15
        return report
    }
}

extension RunReport {
    /// Records a Lua error in the report.
    public mutating func apply(_ error: LuaError) {
        switch error {
        case .syntax(let message):
            status = .scriptError
            self.error = .parsing(kind: "syntax", message)
        case .runtime(let message, let traceback):
            status = .scriptError
            self.error = .parsing(kind: "runtime", message, traceback: traceback)
        case .limit(let kind, let message):
            status = .limitExceeded
            self.error = .init(kind: "limit.\(kind.rawValue)", message: message)
        case .cancelled:
            status = .limitExceeded
            self.error = .init(kind: "cancelled", message: "run cancelled")
        case .conversion(let message):
            status = .scriptError
            self.error = .init(kind: "result", message: "\(script): \(message)")
        case .api(let message):
            status = .scriptError
            self.error = .init(kind: "internal", message: message)
        }
    }
}
