import Foundation
import StewardCore

/// What the store records about a run alongside its effects: who ran what, with what.
public struct RunSubmission: Sendable, Hashable {
    /// The Steward user the run acts as (must exist).
    public var userName: String
    /// The admin who used `--as` to act as `userName`, if any.
    public var actingAdminName: String?
    public var scriptName: String
    /// SHA-256 (hex) of the source that ran.
    public var scriptSHA256: String
    public var scriptVersion: Int?
    public var trigger: RunTrigger
    public var parameters: [String: String]
    /// What the script printed.
    public var output: String
    public var startedAt: Date
    public var finishedAt: Date
    public var scheduleID: Int64?
    public var slotID: Int64?
    public var slotAt: Date?
    public var runnerID: String?

    public init(userName: String, actingAdminName: String? = nil, scriptName: String, scriptSHA256: String,
                scriptVersion: Int? = nil, trigger: RunTrigger = .manual, parameters: [String: String] = [:],
                output: String = "", startedAt: Date, finishedAt: Date, scheduleID: Int64? = nil,
                slotID: Int64? = nil, slotAt: Date? = nil, runnerID: String? = nil) {
        self.userName = userName
        self.actingAdminName = actingAdminName
        self.scriptName = scriptName
        self.scriptSHA256 = scriptSHA256
        self.scriptVersion = scriptVersion
        self.trigger = trigger
        self.parameters = parameters
        self.output = output
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.scheduleID = scheduleID
        self.slotID = slotID
        self.slotAt = slotAt
        self.runnerID = runnerID
    }
}

/// How a recorded run ended, as the `runs.status` column keeps it.
public enum StoredRunStatus: String, Sendable, Hashable, CaseIterable {
    case running, previewed, committed
    case pendingApproval = "pending_approval"
    case rejected, refused, failed
    case timedOut = "timed_out"
    case crashed, abandoned
}

/// What a successful ``Store/apply(_:run:actor:at:)`` did.
public struct AppliedChangeSet: Sendable, Hashable {
    /// The run record written with the effects.
    public let runID: Int64
    /// Effects written, by index in the change set.
    public let appliedIndices: [Int]
    /// Effects whose key an earlier run had already applied: reported, not applied again.
    public let alreadyAppliedIndices: [Int]
    /// Soft-quota warnings.
    public let warnings: [InvariantWarning]
    /// The ledger entry written for each applied ledger effect, by effect index.
    public let ledgerEntryIDs: [Int: Int64]
}

/// The change set broke an invariant: nothing was written. Each violation names the budget,
/// quota or facility, what was available and what was asked.
public struct ChangeSetRefused: Error, Sendable, Hashable, CustomStringConvertible {
    public let violations: [InvariantViolation]

    public var description: String {
        violations.map { "effect #\($0.effectIndex + 1): \($0)" }.joined(separator: "\n")
    }
}
