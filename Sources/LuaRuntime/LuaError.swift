/// Everything that can go wrong when Swift drives Lua, as one typed error.
///
/// Messages keep Lua's own `chunk:line: message` form so an administrator sees where the
/// problem is:
///
/// ```swift
/// do { try state.run("x = = 1", name: "grants.lua") }
/// catch LuaError.syntax(let message) { print(message) }   // grants.lua:1: unexpected symbol near '='
/// ```
public enum LuaError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The chunk does not compile. The message names the chunk and line.
    case syntax(message: String)
    /// The script raised an error while running. `traceback` is Lua's stack traceback.
    case runtime(message: String, traceback: String)
    /// A limit was exceeded; `pcall` cannot swallow it.
    case limit(LuaLimitKind, message: String)
    /// The run was cancelled from another thread.
    case cancelled
    /// A value could not cross the bridge (cycle, depth, NaN where a number was required...).
    case conversion(String)
    /// The host misused the API (wrong stack state, closed state, ...). A bug in Steward.
    case api(String)

    public var description: String {
        switch self {
        case .syntax(let message): return message
        case .runtime(let message, _): return message
        case .limit(_, let message): return message
        case .cancelled: return "run cancelled"
        case .conversion(let message): return message
        case .api(let message): return "internal error: \(message)"
        }
    }

    /// The message with the chunk position, without the traceback.
    public var message: String { description }

    /// Errors are equal when they are of the same kind with the same message; tracebacks are
    /// not compared (they describe how, not what).
    public static func == (a: LuaError, b: LuaError) -> Bool {
        switch (a, b) {
        case (.syntax(let x), .syntax(let y)): return x == y
        case (.runtime(let x, _), .runtime(let y, _)): return x == y
        case (.limit(let k1, let x), .limit(let k2, let y)): return k1 == k2 && x == y
        case (.cancelled, .cancelled): return true
        case (.conversion(let x), .conversion(let y)): return x == y
        case (.api(let x), .api(let y)): return x == y
        default: return false
        }
    }
}

/// The limits a run can exceed. Each names itself in the error message.
public enum LuaLimitKind: String, Sendable, CaseIterable {
    case memory, instructions, time, output, host
}

/// An error a Swift function raises *to the script*: the message becomes a Lua error at the
/// caller's line (`grants.lua:12: budget 'x' has ¥1.00 left`). Any other Swift error thrown
/// from a callback is raised the same way, using its description.
public struct LuaScriptError: Error, Sendable, CustomStringConvertible {
    public let message: String
    /// Whether to prefix the message with the calling script's `chunk:line:`.
    public let withPosition: Bool
    public init(_ message: String, withPosition: Bool = true) {
        self.message = message
        self.withPosition = withPosition
    }
    public var description: String { message }
}

/// Thrown by a host function to stop the run with a limit the host enforces (effects per
/// run, ...). Like the built-in limits, scripts cannot catch it.
public struct LuaHostLimitError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
