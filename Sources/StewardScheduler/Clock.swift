import Foundation

/// Where the scheduler gets "now" from, so tests can inject time.
///
/// Everything that decides what is due takes an explicit instant; only the runner loop asks a
/// clock, so a `ManualClock` lets tests simulate downtime, restarts and DST without sleeping.
public protocol Clock: Sendable {
    /// The current instant.
    var now: Date { get }

    /// Returns once `deadline` has passed (immediately if it already has).
    ///
    /// - Throws: `CancellationError` if the task is cancelled first (how a runner stops on
    ///   SIGTERM without waiting for its next slot).
    func sleep(until deadline: Date) async throws
}

/// The real clock.
public struct SystemClock: Clock {
    public init() {}

    public var now: Date { Date() }

    /// Sleeps at most this long at a time, then looks at the wall clock again: a monotonic
    /// sleep does not notice the system clock being set or the machine being suspended, and a
    /// runner waiting days for a weekly slot must still wake at the right wall-clock time.
    static let longestNap: TimeInterval = 60

    public func sleep(until deadline: Date) async throws {
        while true {
            try Task.checkCancellation()
            let remaining = deadline.timeIntervalSinceNow
            guard remaining > 0 else { return }
            let nap = min(remaining, Self.longestNap)
            try await Task.sleep(nanoseconds: UInt64((nap * 1e9).rounded(.up)))
        }
    }
}

/// A clock that moves only when told to: simulated time for tests.
///
/// `sleep(until:)` does not wait: it moves the clock forward to the deadline (never backward)
/// and returns, so a runner loop driven by it covers a simulated fortnight instantly.
/// Thread-safe, so concurrent simulated runners may share one.
public final class ManualClock: Clock, @unchecked Sendable {
    // @unchecked: `current` is only touched under `lock`.
    private let lock = NSLock()
    private var current: Date

    public init(_ now: Date) {
        current = now
    }

    public var now: Date {
        lock.withLock { current }
    }

    /// Moves the clock forward (or, with a negative interval, back — as a misset system clock
    /// might).
    public func advance(by interval: TimeInterval) {
        lock.withLock { current += interval }
    }

    /// Sets the clock to an instant.
    public func set(to instant: Date) {
        lock.withLock { current = instant }
    }

    public func sleep(until deadline: Date) async throws {
        try Task.checkCancellation()
        lock.withLock { current = max(current, deadline) }
    }
}
