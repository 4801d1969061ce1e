/// A rule a change set would break. Any violation refuses the whole change set: nothing is
/// written. Messages name the budget, quota or facility, what is available and what was asked.
public struct InvariantViolation: Error, Sendable, Hashable, Codable, CustomStringConvertible {
    /// The position (0-based) of the offending effect in the change set.
    public var effectIndex: Int
    public var reason: Reason

    public init(effectIndex: Int, reason: Reason) {
        self.effectIndex = effectIndex
        self.reason = reason
    }

    public enum Reason: Sendable, Hashable, Codable {
        /// The entry would take the budget below zero.
        case budgetOverdrawn(budget: String, available: Money, needed: Money, entryKind: LedgerEntryKind)
        /// No budget with that code.
        case unknownBudget(String)
        /// A town-scoped user drawing on a budget that does not allow it.
        case budgetClosedToTown(budget: String, town: String)
        /// A booking beyond a hard quota.
        case hardQuotaExceeded(quota: QuotaKey, limit: Int, used: Int, requested: Int)
        /// A hard quota set below what is already booked against it.
        case quotaBelowUsage(quota: QuotaKey, limit: Int, used: Int)
        /// An enrolment or update that would put occupancy above capacity.
        case capacityExceeded(facility: String, capacity: Int, occupancy: Int, requested: Int)
        /// A capacity set below the places already taken.
        case capacityBelowOccupancy(facility: String, capacity: Int, occupancy: Int)
        /// No facility with that code.
        case unknownFacility(String)
        /// The same key twice in one change set.
        case duplicateKey(EffectKey, firstIndex: Int)
        /// The record changed since the script read it.
        case staleUpdate(field: FieldRef, expected: FieldValue, actual: FieldValue)
        /// The effect breaks a rule of its own (a zero grant, an empty reminder).
        case invalidEffect(String)
        /// Totals too large to represent.
        case overflow(String)
        /// The effect touches a record outside the acting user's scope: `record` names it
        /// ("member 42 (儒林镇)"), `scope` is the user's place.
        case outsideScope(record: String, scope: String)
    }

    public var description: String {
        switch reason {
        case .budgetOverdrawn(let budget, let available, let needed, let entryKind):
            let what: String
            switch entryKind {
            case .disbursement: what = "grant"
            case .allocation: what = "allocation"
            case .refund: what = "refund"
            case .adjustment: what = "adjustment"
            }
            return "budget '\(budget)' has \(available) left, this \(what) needs \(needed)"
        case .unknownBudget(let budget):
            return "there is no budget '\(budget)'"
        case .budgetClosedToTown(let budget, let town):
            return "budget '\(budget)' may be drawn on only by district staff, not by town '\(town)'"
        case .hardQuotaExceeded(let quota, let limit, let used, let requested):
            return "hard quota \(quota) allows \(limit), \(used) already booked, this booking needs \(requested)"
        case .quotaBelowUsage(let quota, let limit, let used):
            return "hard quota \(quota) cannot be set to \(limit): \(used) already booked"
        case .capacityExceeded(let facility, let capacity, let occupancy, let requested):
            return "facility '\(facility)' has \(occupancy) of \(capacity) places taken, this needs \(requested) more"
        case .capacityBelowOccupancy(let facility, let capacity, let occupancy):
            return "facility '\(facility)' cannot have capacity \(capacity): \(occupancy) places are taken"
        case .unknownFacility(let facility):
            return "there is no facility '\(facility)'"
        case .duplicateKey(let key, let firstIndex):
            return "\(key) is used twice in this run (effects #\(firstIndex + 1) and #\(effectIndex + 1))"
        case .staleUpdate(let field, let expected, let actual):
            return "\(field) changed since it was read: expected \(expected), now \(actual)"
        case .invalidEffect(let message):
            return message
        case .overflow(let message):
            return message
        case .outsideScope(let record, let scope):
            return "\(record) is outside your scope (\(scope))"
        }
    }
}

/// Something allowed but worth the administrator's attention, shown in the run report.
public struct InvariantWarning: Sendable, Hashable, Codable, CustomStringConvertible {
    public var effectIndex: Int
    public var reason: Reason

    public init(effectIndex: Int, reason: Reason) {
        self.effectIndex = effectIndex
        self.reason = reason
    }

    public enum Reason: Sendable, Hashable, Codable {
        /// A booking beyond a soft quota.
        case softQuotaExceeded(quota: QuotaKey, limit: Int, used: Int, requested: Int)
        /// A soft quota set below what is already booked.
        case softQuotaBelowUsage(quota: QuotaKey, limit: Int, used: Int)
    }

    public var description: String {
        switch reason {
        case .softQuotaExceeded(let quota, let limit, let used, let requested):
            return "soft quota \(quota) of \(limit) exceeded: \(used) already booked, this booking adds \(requested)"
        case .softQuotaBelowUsage(let quota, let limit, let used):
            return "soft quota \(quota) set to \(limit), below the \(used) already booked"
        }
    }
}
