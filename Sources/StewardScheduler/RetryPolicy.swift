import Foundation

/// How a failed run is retried, and when a failing schedule is paused.
///
/// A slot is retried only when its script declares itself idempotent. A failed run leaves no
/// effects (runs are transactions), but only the script knows whether running it again — later,
/// and possibly after a partial success it reported elsewhere — means the same thing; so retrying
/// is opt-in, not assumed. Retry `n` (1-based) waits `initialBackoff · 2^(n−1)`, capped at
/// `maxBackoff`: 1 min, 2, 4, 8 … After the retries run out the slot counts as one failure;
/// `consecutiveFailuresBeforePause` failed slots in a row pause the schedule.
public struct RetryPolicy: Sendable, Hashable, Codable {
    /// Failed slots in a row that pause a schedule (and leave its author a reminder).
    public static let consecutiveFailuresBeforePause = 5

    /// Retries after the first attempt of a slot: the per-schedule maximum. The default, 0,
    /// matches the store's schema default; a schedule opts in.
    public var maxRetries: Int
    /// Wait before the first retry.
    public var initialBackoff: TimeInterval
    /// The longest wait between attempts.
    public var maxBackoff: TimeInterval

    public init(maxRetries: Int = 0, initialBackoff: TimeInterval = 60, maxBackoff: TimeInterval = 3600) {
        precondition(maxRetries >= 0, "maxRetries cannot be negative")
        precondition(initialBackoff > 0 && maxBackoff >= initialBackoff, "backoffs must be positive and ordered")
        self.maxRetries = maxRetries
        self.initialBackoff = initialBackoff
        self.maxBackoff = maxBackoff
    }

    /// The wait before retry number `retry` (1 = the first retry).
    public func backoff(beforeRetry retry: Int) -> TimeInterval {
        precondition(retry >= 1, "retries are numbered from 1")
        // Doubling is capped before it can overflow: 2^62 seconds is past any cap.
        let doublings = min(retry - 1, 62)
        return min(maxBackoff, initialBackoff * TimeInterval(1 << doublings))
    }

    /// What to do after attempt `attempt` (1 = the slot's first run) of a slot failed.
    ///
    /// - Parameters:
    ///   - failedAt: when the attempt ended; a retry is due `backoff` after it.
    ///   - scriptIsIdempotent: whether the script declares re-running safe.
    ///   - previousConsecutiveFailures: failed slots in a row immediately before this one.
    public func afterFailure(
        attempt: Int, failedAt: Date, scriptIsIdempotent: Bool, previousConsecutiveFailures: Int
    ) -> FailureDecision {
        precondition(attempt >= 1, "attempts are numbered from 1")
        let retriesSoFar = attempt - 1
        if scriptIsIdempotent, retriesSoFar < maxRetries {
            let retry = retriesSoFar + 1
            return .retry(attempt: attempt + 1, at: failedAt + backoff(beforeRetry: retry))
        }
        let failures = previousConsecutiveFailures + 1
        return failures >= Self.consecutiveFailuresBeforePause
            ? .pause(consecutiveFailures: failures)
            : .fail(consecutiveFailures: failures)
    }
}

/// The outcome of `RetryPolicy.afterFailure`.
public enum FailureDecision: Sendable, Hashable {
    /// Run the same slot again as attempt `attempt`, not before `at`.
    case retry(attempt: Int, at: Date)
    /// Record the slot as failed; the schedule carries on. `consecutiveFailures` includes it.
    case fail(consecutiveFailures: Int)
    /// Record the slot as failed and pause the schedule: it has failed
    /// `RetryPolicy.consecutiveFailuresBeforePause` slots in a row. The runner leaves the
    /// script's author a reminder.
    case pause(consecutiveFailures: Int)
}
