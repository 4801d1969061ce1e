import Foundation

/// One script run handed to a worker process (`steward worker`) as JSON on stdin.
public struct WorkerRequest: Codable, Sendable {
    public var source: String
    public var name: String
    public var memoryBytes: Int?
    public var instructions: Int?
    public var timeoutMs: Int64
    public var outputBytes: Int?
    /// When set, the run reads the district's data (read-only) as a given user, the way the
    /// scheduled runner runs a slot; when nil, the script runs without data.
    public var database: WorkerDatabaseRun?

    public init(source: String, name: String, memoryBytes: Int? = 64 << 20, instructions: Int? = nil,
                timeoutMs: Int64 = 10_000, outputBytes: Int? = 1 << 20, database: WorkerDatabaseRun? = nil) {
        self.source = source
        self.name = name
        self.memoryBytes = memoryBytes
        self.instructions = instructions
        self.timeoutMs = timeoutMs
        self.outputBytes = outputBytes
        self.database = database
    }
}

/// The database side of a worker request. The worker opens the file read-only, runs the script
/// as `userName` within that user's scope and, for a commit, hands the proposed effects back in
/// its report (``RunReport/effects``, with ``RunReport/header``): the parent alone commits.
public struct WorkerDatabaseRun: Codable, Sendable, Hashable {
    public var path: String
    public var userName: String
    /// `UserRole` raw value.
    public var role: String
    public var scopePlaceCode: String
    public var isDistrictScope: Bool
    public var canUnmask: Bool
    /// The date the run treats as today (`YYYY-MM-DD`).
    public var today: String
    /// A scheduled run's slot instant, and `run.slot` as the script sees it.
    public var slot: Date?
    public var slotText: String?
    public var parameters: [String: String]
    /// Run as a commit (`run.dry_run` is false); the worker still writes nothing.
    public var commit: Bool

    public init(path: String, userName: String, role: String, scopePlaceCode: String, isDistrictScope: Bool,
                canUnmask: Bool, today: String, slot: Date? = nil, slotText: String? = nil,
                parameters: [String: String] = [:], commit: Bool) {
        self.path = path
        self.userName = userName
        self.role = role
        self.scopePlaceCode = scopePlaceCode
        self.isDistrictScope = isDistrictScope
        self.canUnmask = canUnmask
        self.today = today
        self.slot = slot
        self.slotText = slotText
        self.parameters = parameters
        self.commit = commit
    }
}
