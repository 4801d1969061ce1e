import Foundation

/// What started a run.
public enum RunTrigger: String, Sendable, Hashable, Codable, CaseIterable {
    /// `steward run` by a user.
    case manual
    /// A schedule's slot.
    case schedule
    /// The REPL.
    case repl
}

/// Whether a run may write.
public enum RunMode: String, Sendable, Hashable, Codable, CaseIterable {
    /// Prints what it would do; writes nothing but its own record.
    case dryRun = "dry_run"
    /// Applies its effects in one transaction.
    case commit
}

/// How a run ended (or that it has not yet).
public enum RunStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case running
    /// Finished; committed its effects if in commit mode.
    case succeeded
    /// The script raised an error or hit a limit.
    case failed
    /// The script finished but an invariant refused its effects; nothing was written.
    case refused
    /// Ended by the hard wall-clock deadline.
    case timedOut = "timed_out"
    /// The worker process died.
    case crashed

    /// True once the run has ended.
    public var isFinished: Bool { self != .running }
}

/// The audit record of one run: who, when, which script text, with what parameters, and how
/// it ended.
public struct RunRecord: Sendable, Hashable, Codable, Identifiable {
    /// Assigned by the store; ledger entries and reminders point back at it.
    public var id: Int64
    public var scriptName: String
    /// The stored version, if the script was stored; nil for an ad hoc file.
    public var scriptVersion: Int?
    /// SHA-256 of the source that ran.
    public var scriptSHA256: String
    /// The user the run acted as.
    public var user: String
    public var trigger: RunTrigger
    public var scheduleID: Int64?
    /// The schedule's nominal time for this run; (scheduleID, slot) is unique.
    public var slot: Date?
    public var parameters: [String: String]
    public var mode: RunMode
    public var status: RunStatus
    public var startedAt: Date
    public var finishedAt: Date?
    /// Effects proposed (dry run) or applied (commit).
    public var effectCount: Int
    /// What the script printed.
    public var output: String
    /// The error message when the run failed or was refused.
    public var errorMessage: String?

    public init(id: Int64, scriptName: String, scriptVersion: Int? = nil, scriptSHA256: String, user: String,
                trigger: RunTrigger, scheduleID: Int64? = nil, slot: Date? = nil, parameters: [String: String] = [:],
                mode: RunMode, status: RunStatus = .running, startedAt: Date, finishedAt: Date? = nil,
                effectCount: Int = 0, output: String = "", errorMessage: String? = nil) {
        self.id = id
        self.scriptName = scriptName
        self.scriptVersion = scriptVersion
        self.scriptSHA256 = scriptSHA256
        self.user = user
        self.trigger = trigger
        self.scheduleID = scheduleID
        self.slot = slot
        self.parameters = parameters
        self.mode = mode
        self.status = status
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.effectCount = effectCount
        self.output = output
        self.errorMessage = errorMessage
    }
}
