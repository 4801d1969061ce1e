import Foundation
import StewardCore

/// What one run of a script did: the single result `steward run`, the runner and the REPL
/// print, store and compare. Encodes to the JSON of `steward run --format json`.
public struct RunReport: Codable, Sendable, Equatable {
    public enum Status: String, Codable, Sendable {
        /// The script ran to the end (a dry run, or a commit that was applied).
        case ok
        /// The script has a syntax or runtime error.
        case scriptError = "script_error"
        /// A limit (memory, time, instructions, output, effects) ended the run.
        case limitExceeded = "limit_exceeded"
        /// The effects broke an invariant when they were checked for the commit.
        case refused
        /// The script could not be read or its parameters were bad, or the database could not
        /// be read or written (locked, full, read-only, failing): nothing was written.
        case inputError = "input_error"
        /// The worker process running the script crashed or was killed.
        case crashed
        /// The commit was held: the change set takes more than the approval threshold out of
        /// a budget, so it is stored as run `runID` until another approver approves it.
        case pendingApproval = "pending_approval"
    }

    /// Why a commit was held for a second approver, and who may approve it.
    public struct ApprovalRequest: Codable, Sendable, Equatable {
        public struct Budget: Codable, Sendable, Equatable {
            public var code: String
            /// What the change set takes out of the budget.
            public var outflowFen: Int64
            public init(code: String, outflowFen: Int64) {
                self.code = code
                self.outflowFen = outflowFen
            }
        }
        public var thresholdFen: Int64
        public var budgets: [Budget]
        /// Users who may approve it.
        public var approvers: [String]
        /// The whole explanation, for people.
        public var message: String

        public init(thresholdFen: Int64, budgets: [Budget], approvers: [String], message: String) {
            self.thresholdFen = thresholdFen
            self.budgets = budgets
            self.approvers = approvers
            self.message = message
        }
    }

    /// Where and what went wrong, for people: `file:line: message`.
    public struct ErrorInfo: Codable, Sendable, Equatable {
        public var kind: String
        public var message: String
        public var file: String?
        public var line: Int?
        public var traceback: String?

        public init(kind: String, message: String, file: String? = nil, line: Int? = nil, traceback: String? = nil) {
            self.kind = kind
            self.message = message
            self.file = file
            self.line = line
            self.traceback = traceback
        }
    }

    public struct Metrics: Codable, Sendable, Equatable {
        public var durationMs: Double
        public var peakMemoryBytes: Int
        public init(durationMs: Double = 0, peakMemoryBytes: Int = 0) {
            self.durationMs = durationMs
            self.peakMemoryBytes = peakMemoryBytes
        }
    }

    public var script: String
    public var status: Status
    public var committed: Bool
    public var output: String
    public var warnings: [String]
    public var error: ErrorInfo?
    public var metrics: Metrics
    /// The script's return values, rendered as text (for `steward run` and the REPL).
    public var results: [String]
    /// The effects the run proposed (accepted ones), in order.
    public var effects: [Effect]
    /// How many effects were proposed again but skipped: an earlier run applied them.
    public var alreadyApplied: Int
    /// Per budget touched: available before → after this run's effects.
    public var budgets: [BudgetChange]
    /// Effect counts by kind (`ledger`, `reminder`, ...).
    public var effectCounts: [String: Int]
    /// The run record written by a commit.
    public var runID: Int64?
    /// Refusals at commit: each names the budget, quota or facility, what is available and
    /// what was requested.
    public var violations: [String]
    /// Set when status is `pendingApproval`.
    public var approval: ApprovalRequest?
    /// The script's header, only in a worker's report for a deferred commit
    /// (``DomainRunner/deferCommit``): the parent needs its name and `idempotent` flag.
    public var header: ScriptHeader?

    /// One budget's money before and after the run.
    public struct BudgetChange: Codable, Sendable, Equatable {
        public var code: String
        public var name: String
        public var beforeFen: Int64
        public var afterFen: Int64
        public var entries: Int
        public init(code: String, name: String, beforeFen: Int64, afterFen: Int64, entries: Int) {
            self.code = code
            self.name = name
            self.beforeFen = beforeFen
            self.afterFen = afterFen
            self.entries = entries
        }
    }

    public init(script: String, status: Status, committed: Bool = false, output: String = "",
                warnings: [String] = [], error: ErrorInfo? = nil, metrics: Metrics = Metrics(),
                results: [String] = []) {
        self.script = script
        self.status = status
        self.committed = committed
        self.output = output
        self.warnings = warnings
        self.error = error
        self.metrics = metrics
        self.results = results
        self.effects = []
        self.alreadyApplied = 0
        self.budgets = []
        self.effectCounts = [:]
        self.runID = nil
        self.violations = []
        self.approval = nil
    }
}

extension RunReport.ErrorInfo {
    /// Splits Lua's `chunk:line: message` into its parts.
    public static func parsing(kind: String, _ text: String, traceback: String? = nil) -> Self {
        let parts = text.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
        if parts.count == 3, let line = Int(parts[1]), !parts[0].isEmpty {
            return .init(kind: kind, message: text, file: String(parts[0]), line: line, traceback: traceback)
        }
        return .init(kind: kind, message: text, traceback: traceback)
    }
}
