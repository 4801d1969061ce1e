import Foundation

/// Where a reminder stands.
public enum ReminderStatus: String, Sendable, Hashable, Codable, CaseIterable {
    /// Created, not yet delivered.
    case pending
    /// Delivered (exported, messaged).
    case sent
    /// Acted upon.
    case done
}

/// Something to do by a date, about one record: a certificate expiring, service hours about
/// to lapse, a fire-safety inspection overdue.
///
/// `dedupKey` makes reminders idempotent: a daily script can propose the same reminder every
/// day and it is stored once (`cert-expiry:1234:2025-04-30`).
public struct Reminder: Sendable, Hashable, Codable, Identifiable {
    /// Assigned by the store.
    public var id: Int64
    public var subjectKind: EntityKind
    /// The subject's key as text: a member id (`"1234"`) or a code (`jt-dph-01`).
    public var subjectID: String
    /// Script-defined snake_case kind: `certificate_expiry`, `hours_lapsing`.
    public var kind: String
    public var dueDate: CivilDate
    public var text: String
    public var dedupKey: String
    public var status: ReminderStatus
    public var runID: Int64?
    public var createdAt: Date

    public init(id: Int64, subjectKind: EntityKind, subjectID: String, kind: String, dueDate: CivilDate,
                text: String, dedupKey: String, status: ReminderStatus = .pending, runID: Int64? = nil,
                createdAt: Date) {
        self.id = id
        self.subjectKind = subjectKind
        self.subjectID = subjectID
        self.kind = kind
        self.dueDate = dueDate
        self.text = text
        self.dedupKey = dedupKey
        self.status = status
        self.runID = runID
        self.createdAt = createdAt
    }
}

extension Reminder: Validatable {
    public func validationErrors() -> [ValidationError] {
        Check.name(subjectID, record: "reminder", field: "subject_id")
            + Check.name(kind, record: "reminder", field: "kind")
            + Check.name(text, record: "reminder", field: "text")
            + Check.name(dedupKey, record: "reminder", field: "dedup_key")
    }
}
