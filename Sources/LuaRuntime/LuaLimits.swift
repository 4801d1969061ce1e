/// Resource limits of one run. Every limit has a safe default; `nil` means unlimited.
///
/// ```swift
/// var limits = LuaLimits()
/// limits.memoryBytes = 64 << 20
/// limits.timeout = .seconds(10)
/// ```
public struct LuaLimits: Sendable, Equatable {
    /// Bytes the Lua heap may hold. The first refusal ends the run.
    public var memoryBytes: Int? = 64 << 20
    /// Lua VM instructions. Unlimited by default: any count hook slows pure-Lua loops 2–3×,
    /// and the wall-time limit already bounds a runaway loop.
    public var instructions: Int? = nil
    /// Wall time of one call from Swift into Lua. Soft: a hook armed at the deadline.
    public var timeout: Duration? = .seconds(10)
    /// Extra time after `timeout` before the hard watchdog acts. A script stuck inside one C
    /// call (no hook fires there) is ended by the watchdog.
    public var hardGrace: Duration = .milliseconds(500)
    /// Bytes of `print` output kept for the run.
    public var outputBytes: Int? = 1 << 20
    /// Largest string `string.rep` and `table.concat` may build, and largest subject of the
    /// pattern functions (`find`, `match`, `gmatch`, `gsub`).
    public var stringBytes: Int = 16 << 20
    /// Largest pattern accepted by the pattern functions.
    public var patternBytes: Int = 1024
    /// Largest script source accepted by `load`.
    public var sourceBytes: Int = 4 << 20
    /// Instructions between checks when `instructions` is set: the cost/precision trade-off
    /// measured by `steward-bench runtime`.
    public var instructionCheckInterval: Int = 1000

    public init() {}

    /// No limits at all: for trusted host code and benchmarks only.
    public static var unlimited: LuaLimits {
        var limits = LuaLimits()
        limits.memoryBytes = nil
        limits.instructions = nil
        limits.timeout = nil
        limits.outputBytes = nil
        return limits
    }
}
