import Foundation

/// Live-object counts, so tests can prove that runs leak nothing: after any number of runs,
/// errors and limit breaches, every state and every Swift closure handed to Lua is released.
/// Counted on creation and release only (never per call), under a lock.
public enum LuaDiagnostics {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var states = 0
    nonisolated(unsafe) private static var callables = 0

    /// Lua states not yet closed.
    public static var liveStates: Int { lock.withLock { states } }
    /// Swift closures (functions, methods, boxes) that some Lua state still references.
    public static var liveCallables: Int { lock.withLock { callables } }

    static func stateOpened() { lock.withLock { states += 1 } }
    static func stateClosed() { lock.withLock { states -= 1 } }
    static func callableCreated() { lock.withLock { callables += 1 } }
    static func callableReleased() { lock.withLock { callables -= 1 } }
}
