import Foundation
import Testing
@testable import StewardScheduler

@Suite("Retries and pausing")
struct RetryPolicyTests {
    let failedAt = instant("2026-03-02T01:00:30Z")

    @Test func backoffDoublesFromAMinuteUpToTheCap() {
        let policy = RetryPolicy(maxRetries: 10, initialBackoff: 60, maxBackoff: 600)
        #expect((1...6).map(policy.backoff(beforeRetry:)) == [60, 120, 240, 480, 600, 600])
        #expect(policy.backoff(beforeRetry: 10_000) == 600)
    }

    @Test func idempotentScriptsAreRetriedUpToTheMaximum() {
        let policy = RetryPolicy(maxRetries: 2)
        #expect(policy.afterFailure(attempt: 1, failedAt: failedAt, scriptIsIdempotent: true,
                                    previousConsecutiveFailures: 0)
            == .retry(attempt: 2, at: instant("2026-03-02T01:01:30Z")))
        #expect(policy.afterFailure(attempt: 2, failedAt: failedAt, scriptIsIdempotent: true,
                                    previousConsecutiveFailures: 0)
            == .retry(attempt: 3, at: instant("2026-03-02T01:02:30Z")))
        #expect(policy.afterFailure(attempt: 3, failedAt: failedAt, scriptIsIdempotent: true,
                                    previousConsecutiveFailures: 0)
            == .fail(consecutiveFailures: 1))
    }

    @Test func otherScriptsAreNeverRetried() {
        let policy = RetryPolicy(maxRetries: 5)
        #expect(policy.afterFailure(attempt: 1, failedAt: failedAt, scriptIsIdempotent: false,
                                    previousConsecutiveFailures: 2)
            == .fail(consecutiveFailures: 3))
    }

    @Test func fiveFailedSlotsInARowPause() {
        #expect(RetryPolicy.consecutiveFailuresBeforePause == 5)
        let policy = RetryPolicy(maxRetries: 0)
        var previous = 0
        var decisions: [FailureDecision] = []
        for _ in 1...5 {
            let decision = policy.afterFailure(attempt: 1, failedAt: failedAt, scriptIsIdempotent: true,
                                               previousConsecutiveFailures: previous)
            decisions.append(decision)
            previous += 1
        }
        #expect(decisions == [.fail(consecutiveFailures: 1), .fail(consecutiveFailures: 2),
                              .fail(consecutiveFailures: 3), .fail(consecutiveFailures: 4),
                              .pause(consecutiveFailures: 5)])
    }

    @Test func retriesDoNotCountTowardsPausing() {
        // Four failed slots behind it, a retry is still a retry; only the slot's last failure counts.
        let policy = RetryPolicy(maxRetries: 1)
        #expect(policy.afterFailure(attempt: 1, failedAt: failedAt, scriptIsIdempotent: true,
                                    previousConsecutiveFailures: 4)
            == .retry(attempt: 2, at: failedAt + 60))
        #expect(policy.afterFailure(attempt: 2, failedAt: failedAt, scriptIsIdempotent: true,
                                    previousConsecutiveFailures: 4)
            == .pause(consecutiveFailures: 5))
    }
}
