import Foundation

/// Where a waitlist entry stands.
public enum WaitlistStatus: String, Sendable, Hashable, Codable, CaseIterable {
    /// Still waiting.
    case waiting
    /// Given a place or a grant later.
    case placed
    /// Withdrawn or no longer eligible.
    case withdrawn
}

/// A member who qualified but could not be served (fund exhausted, facility full), kept in
/// order so that the next round serves them first.
public struct WaitlistEntry: Sendable, Hashable, Codable, Identifiable {
    /// Assigned by the store; also the queue order (earlier first).
    public var id: Int64
    public var memberID: MemberID
    public var programmeCode: String
    /// The facility waited for, if any.
    public var facilityCode: String?
    /// Why the member waits, in the script's words: `fund exhausted`.
    public var reason: String
    public var status: WaitlistStatus
    public var runID: Int64?
    public var createdAt: Date

    public init(id: Int64, memberID: MemberID, programmeCode: String, facilityCode: String? = nil,
                reason: String, status: WaitlistStatus = .waiting, runID: Int64? = nil, createdAt: Date) {
        self.id = id
        self.memberID = memberID
        self.programmeCode = programmeCode
        self.facilityCode = facilityCode
        self.reason = reason
        self.status = status
        self.runID = runID
        self.createdAt = createdAt
    }
}

extension WaitlistEntry: Validatable {
    public func validationErrors() -> [ValidationError] {
        Check.code(programmeCode, record: "waitlist entry", field: "programme_code")
            + Check.name(reason, record: "waitlist entry", field: "reason")
    }
}
