/// What to do with slots that fell due while no runner was running.
public enum CatchUpPolicy: String, Sendable, Hashable, CaseIterable, Codable, CustomStringConvertible {
    /// Run nothing missed: only a slot that has just fallen due (within the planner's grace).
    case skip
    /// Run the most recent due slot once; skip the older ones.
    case latest
    /// Run every due slot once, oldest first, up to the planner's cap.
    case all

    public var description: String { rawValue }
}

/// Whether a slot may start while the same schedule's previous run is still going.
/// Enforced by the runner and the store; the planner only carries it.
public enum OverlapPolicy: String, Sendable, Hashable, CaseIterable, Codable, CustomStringConvertible {
    /// Record the slot as skipped (`SkipReason.overlapping`). The default.
    case forbid
    /// Start it anyway.
    case allow

    public var description: String { rawValue }
}

/// Why a slot was not run. Its description is what the run history shows.
public enum SkipReason: Sendable, Hashable, CustomStringConvertible {
    /// Fell due while no runner was running, and the catch-up policy does not run it.
    case missedWhileDown(CatchUpPolicy)
    /// Under catch-up `all`, older than the newest `cap` due slots.
    case overCatchUpCap
    /// The schedule's previous run was still going and overlap is `forbid` (decided by the
    /// runner, which knows what is running).
    case overlapping

    public var description: String {
        switch self {
        case .missedWhileDown(let policy): "missed while down, catch-up=\(policy)"
        case .overCatchUpCap: "over the catch-up cap"
        case .overlapping: "previous run still running, overlap=forbid"
        }
    }
}
