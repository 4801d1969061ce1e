import ArgumentParser
import LuaRuntime

/// The limit flags shared by `run`, `repl` and the worker.
struct LimitOptions: ParsableArguments {
    @Option(name: .customLong("memory-limit"), help: "Lua heap limit, e.g. 64MB, 512KB.")
    var memoryLimit: String = "64MB"

    @Option(name: .customLong("instruction-limit"),
            help: "Lua instructions allowed (default: unlimited; the time limit bounds loops).")
    var instructionLimit: Int?

    @Option(name: .customLong("timeout"), help: "Wall time limit, e.g. 10s, 500ms, 2m.")
    var timeout: String = "10s"

    @Option(name: .customLong("output-limit"), help: "Bytes of printed output kept, e.g. 1MB.")
    var outputLimit: String = "1MB"

    func validate() throws {
        _ = try limits()
    }

    /// The limits, or a usage error naming the bad flag value.
    func limits() throws -> LuaLimits {
        var limits = LuaLimits()
        guard let memory = LuaByteCount.parse(memoryLimit) else {
            throw ValidationError("--memory-limit: '\(memoryLimit)' is not a size (e.g. 64MB, 512KB)")
        }
        guard memory >= 256 << 10 else {
            throw ValidationError("--memory-limit: '\(memoryLimit)' is too small (at least 256KB)")
        }
        limits.memoryBytes = memory
        if let n = instructionLimit {
            guard n > 0 else { throw ValidationError("--instruction-limit: must be a positive number") }
            limits.instructions = n
        }
        guard let t = LuaDurationText.parse(timeout) else {
            throw ValidationError("--timeout: '\(timeout)' is not a duration (e.g. 10s, 500ms, 2m)")
        }
        limits.timeout = t
        guard let out = LuaByteCount.parse(outputLimit) else {
            throw ValidationError("--output-limit: '\(outputLimit)' is not a size (e.g. 1MB)")
        }
        limits.outputBytes = out
        return limits
    }
}
