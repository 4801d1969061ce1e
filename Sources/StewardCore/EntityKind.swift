/// The kinds of record an effect or a reminder can point at.
public enum EntityKind: String, Sendable, Hashable, Codable, CaseIterable {
    case member, facility, programme, budget, place, quota, enrolment
    case waitlistEntry = "waitlist_entry"
}
