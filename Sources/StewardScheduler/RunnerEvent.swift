import Foundation

/// Something the runner did, for its log (`steward runner` prints one line per event).
public enum RunnerEvent: Sendable, Hashable, CustomStringConvertible {
    /// A slot left running by a runner that is gone was marked abandoned.
    case recovered(AbandonedSlot)
    /// Due slots were recorded as not run.
    case skipped(schedule: String, SkippedSlots)
    /// A slot was run (or found not runnable) and recorded.
    case ran(schedule: String, slot: CronSlot, attempt: Int, result: SlotResult)
    /// Another runner is running this schedule and overlap is `forbid`: the slot waits.
    case deferred(schedule: String, slot: CronSlot)
    /// A stored schedule that cannot be planned (its expression or zone no longer parses).
    case invalidSchedule(schedule: String, reason: String)
    /// The store refused something; the runner carries on with the next schedule.
    case storeError(schedule: String?, message: String)

    public var description: String {
        switch self {
        case .recovered(let slot):
            return "abandoned: \(slot.scheduleName) slot \(Self.utc(slot.slotInstant)) left running by runner \(slot.runnerID)"
        case .skipped(let schedule, let group):
            return "skipped: \(schedule) \(group)"
        case .ran(let schedule, let slot, let attempt, let result):
            let what = "\(schedule) slot \(slot.nominal)" + (attempt > 1 ? " (attempt \(attempt))" : "")
            switch result {
            case .succeeded: return "ran: \(what): succeeded"
            case .failed(let reason, let n): return "failed: \(what): \(reason) (\(n) in a row)"
            case .retry(let reason, let next, let at):
                return "failed: \(what): \(reason); attempt \(next) at \(Self.utc(at))"
            case .paused(let reason, let n):
                return "failed: \(what): \(reason); \(n) failures in a row: schedule paused, author reminded"
            case .skipped(let reason): return "skipped: \(what): \(reason)"
            case .abandoned(let reason): return "abandoned: \(what): \(reason)"
            }
        case .deferred(let schedule, let slot):
            return "waiting: \(schedule) slot \(slot.nominal): another runner is running this schedule (overlap=forbid)"
        case .invalidSchedule(let schedule, let reason):
            return "error: schedule \(schedule) cannot be planned: \(reason)"
        case .storeError(let schedule, let message):
            return "error: " + (schedule.map { "\($0): " } ?? "") + message
        }
    }

    static func utc(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle())
    }
}

/// A request to stop, shared by the signal handler, the loop and the executor.
///
/// Once requested, the runner claims nothing more; the executor lets the current run finish
/// within its grace period (measured on the real clock from ``requestedAt``) and otherwise
/// ends it and reports it interrupted.
public final class RunnerShutdown: @unchecked Sendable {
    // @unchecked: `requested` is only touched under `lock`.
    private let lock = NSLock()
    private var requested: Date?

    public init() {}

    /// Asks the runner to stop (idempotent: the first request's time counts).
    public func request(at now: Date = Date()) {
        lock.withLock { if requested == nil { requested = now } }
    }

    public var isRequested: Bool { lock.withLock { requested != nil } }

    /// When the stop was requested, by the real clock.
    public var requestedAt: Date? { lock.withLock { requested } }
}
