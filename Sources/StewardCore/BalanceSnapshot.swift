/// A budget's state as far as the invariants care.
public struct BudgetState: Sendable, Hashable, Codable {
    /// Total plus the balance effect of every committed entry.
    public var available: Money
    /// Mirrors `Budget.allowTownDraw`.
    public var allowTownDraw: Bool

    public init(available: Money, allowTownDraw: Bool = false) {
        self.available = available
        self.allowTownDraw = allowTownDraw
    }
}

/// A quota's state: its limit (if set) and how much of it is booked.
public struct QuotaState: Sendable, Hashable, Codable {
    /// nil when no quota is set for the key: bookings are unlimited, but still counted so
    /// that a limit set later in the same change set is checked against them.
    public var limit: Int?
    public var hard: Bool
    /// Bookings covered by the key (see `QuotaKey.covers`).
    public var used: Int

    public init(limit: Int?, hard: Bool, used: Int) {
        self.limit = limit
        self.hard = hard
        self.used = used
    }
}

/// A facility's places.
public struct FacilityState: Sendable, Hashable, Codable {
    public var capacity: Int
    public var occupancy: Int

    public init(capacity: Int, occupancy: Int) {
        self.capacity = capacity
        self.occupancy = occupancy
    }
}

/// Who proposes the change set: district-scoped users may draw on any budget, town-scoped
/// users only on budgets with `allowTownDraw`.
public enum ActorScope: Sendable, Hashable, Codable {
    case district
    case town(String)
}

/// The committed state a change set is checked against: plain data, read by the store inside
/// its transaction (or by the scripting host before a run) for just what the change set
/// touches (see `ChangeSet.requirements`).
public struct BalanceSnapshot: Sendable, Hashable, Codable {
    public var budgets: [String: BudgetState]
    public var quotas: [QuotaKey: QuotaState]
    public var facilities: [String: FacilityState]
    /// Keys already applied by earlier runs: effects carrying them are skipped, not refused.
    public var appliedKeys: Set<EffectKey>
    /// Current values of fields that record updates name; an update whose `old` differs is
    /// stale. Fields absent here are not checked.
    public var fieldValues: [FieldRef: FieldValue]

    public init(budgets: [String: BudgetState] = [:], quotas: [QuotaKey: QuotaState] = [:],
                facilities: [String: FacilityState] = [:], appliedKeys: Set<EffectKey> = [],
                fieldValues: [FieldRef: FieldValue] = [:]) {
        self.budgets = budgets
        self.quotas = quotas
        self.facilities = facilities
        self.appliedKeys = appliedKeys
        self.fieldValues = fieldValues
    }
}

/// What a snapshot must contain to check a change set: the store reads exactly these inside
/// its transaction.
public struct SnapshotRequirements: Sendable, Hashable, Codable {
    /// Budgets that ledger effects name.
    public var budgetCodes: Set<String>
    /// Programmes with bookings: every quota of these programmes whose period and place
    /// could cover a booking (`QuotaKey.covers`) belongs in the snapshot.
    public var bookedProgrammeCodes: Set<String>
    /// Quotas being set: their usage belongs in the snapshot even when no limit is set yet.
    public var quotaKeys: Set<QuotaKey>
    /// Facilities that enrolments or record updates name.
    public var facilityCodes: Set<String>
    /// Keys to look up among applied ones.
    public var effectKeys: Set<EffectKey>
    /// Fields whose current value the updates' `old` values are compared with.
    public var fields: Set<FieldRef>

    public init(budgetCodes: Set<String> = [], bookedProgrammeCodes: Set<String> = [], quotaKeys: Set<QuotaKey> = [],
                facilityCodes: Set<String> = [], effectKeys: Set<EffectKey> = [], fields: Set<FieldRef> = []) {
        self.budgetCodes = budgetCodes
        self.bookedProgrammeCodes = bookedProgrammeCodes
        self.quotaKeys = quotaKeys
        self.facilityCodes = facilityCodes
        self.effectKeys = effectKeys
        self.fields = fields
    }
}
