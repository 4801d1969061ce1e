import Foundation

/// What to do about slots missed while no runner was up.
public enum CatchUpPolicy: String, Sendable, Hashable, Codable, CaseIterable {
    /// Run none of them; wait for the next slot.
    case skip
    /// Run only the most recent missed slot.
    case latest
    /// Run every missed slot in order, up to `Schedule.maxCatchUp`.
    case all
}

/// What to do when a slot comes due while the previous run of the schedule is still going.
public enum OverlapPolicy: String, Sendable, Hashable, Codable, CaseIterable {
    /// Skip the new slot (the default: two runs of one script would race on the same budget).
    case forbid
    /// Start it anyway.
    case allow
}

/// Runs a stored script on a cron timetable.
public struct Schedule: Sendable, Hashable, Codable, Identifiable {
    /// Assigned by the store.
    public var id: Int64
    public var scriptName: String
    /// Five-field cron expression or `@daily`-style name.
    public var cron: String
    /// IANA zone the cron fields are read in.
    public var timeZoneIdentifier: String
    /// Script parameters, as `--param name=value` would give them.
    public var parameters: [String: String]
    /// The user the runs act as (whose scope and role apply).
    public var runAs: String
    /// Commit the effects (true) or only record a dry run (false).
    public var commit: Bool
    public var catchUp: CatchUpPolicy
    /// Most missed slots run under `.all`.
    public var maxCatchUp: Int
    public var overlap: OverlapPolicy
    public var enabled: Bool
    /// The nominal time of the last slot taken, so a restart misses nothing.
    public var lastSlot: Date?
    public var createdAt: Date

    public init(id: Int64, scriptName: String, cron: String, timeZoneIdentifier: String = "Asia/Shanghai",
                parameters: [String: String] = [:], runAs: String, commit: Bool = true,
                catchUp: CatchUpPolicy = .latest, maxCatchUp: Int = 10, overlap: OverlapPolicy = .forbid,
                enabled: Bool = true, lastSlot: Date? = nil, createdAt: Date) {
        self.id = id
        self.scriptName = scriptName
        self.cron = cron
        self.timeZoneIdentifier = timeZoneIdentifier
        self.parameters = parameters
        self.runAs = runAs
        self.commit = commit
        self.catchUp = catchUp
        self.maxCatchUp = maxCatchUp
        self.overlap = overlap
        self.enabled = enabled
        self.lastSlot = lastSlot
        self.createdAt = createdAt
    }
}

extension Schedule: Validatable {
    public func validationErrors() -> [ValidationError] {
        var errors = Check.code(scriptName, record: "schedule", field: "script_name")
        errors += Check.name(cron, record: "schedule", field: "cron")
        if TimeZone(identifier: timeZoneIdentifier) == nil {
            errors.append(Check.error("schedule", "time_zone", "'\(timeZoneIdentifier)' is not a known time zone."))
        }
        errors += Check.nonNegative(maxCatchUp, record: "schedule", field: "max_catch_up")
        return errors
    }
}
