/// Checks effects one at a time against a snapshot, keeping the projected state: the same
/// rules for the scripting host (which checks each effect as the script proposes it, so the
/// error points at the script's line, and answers `available()` with this run's grants
/// counted) and for the store (which re-checks the whole change set inside its transaction).
///
/// A pure value: no I/O, no clock. Rules, per effect in order:
/// 1. the effect's own rules (`Effect.validationErrors`) → `invalidEffect`;
/// 2. a key already applied by an earlier run → the effect is *skipped* (not an error: a
///    re-run proposes nothing new); a key seen earlier in this change set → `duplicateKey`;
/// 3. ledger: known budget, open to the actor's town, and never below zero after an entry
///    that takes money out (an entry that adds money is never refused);
/// 4. quota booking: every quota covering it (`QuotaKey.covers`) — hard ones refuse, soft
///    ones warn; quota setting: a hard limit below usage refuses, a soft one warns;
/// 5. enrolment at a facility: occupancy + 1 ≤ capacity;
/// 6. record update: `old` equals the current value when known; facility `capacity` and
///    `occupancy` updates keep occupancy ≤ capacity.
/// A refused effect leaves the projected state unchanged, so later effects are judged as if
/// it had not been proposed (one bad grant does not make every later grant fail too).
public struct InvariantChecker: Sendable {
    /// The snapshot with every accepted effect applied.
    public private(set) var state: BalanceSnapshot
    public let actorScope: ActorScope
    public private(set) var violations: [InvariantViolation] = []
    public private(set) var warnings: [InvariantWarning] = []
    /// Effects skipped because their key was already applied.
    public private(set) var skippedIndices: [Int] = []
    /// How many effects have been checked; the next effect's index.
    public private(set) var checkedCount = 0

    /// Per key met so far: the index of the effect that first carried it, or
    /// ``appliedEarlier`` when `appliedBefore` said an earlier run applied it.
    private var firstIndexOfKey = EffectKeyTable()
    private static let appliedEarlier = -1

    private var quotaKeysByProgramme: [String: Set<QuotaKey>] = [:]
    /// The budget of the last ledger entry and its place in `state.budgets`: a run pays from
    /// one budget over and over, and finding it by code hashed the code every time. Only
    /// ``include(_:)`` adds budgets, which moves places, so it forgets this; changing a
    /// value in place keeps every place.
    private var lastBudget: (code: String, slot: Dictionary<String, BudgetState>.Index)?

    public init(snapshot: BalanceSnapshot, actorScope: ActorScope = .district) {
        state = snapshot
        self.actorScope = actorScope
        for key in snapshot.quotas.keys { quotaKeysByProgramme[key.programmeCode, default: []].insert(key) }
    }

    /// Sizes the table of keys met for `count` effects, when they are known up front (a whole
    /// change set): growing it rehashed every key at each doubling.
    mutating func reserveCapacity(_ count: Int) {
        firstIndexOfKey.reserveCapacity(count)
    }

    /// Adds committed state the checker did not have yet: the scripting host loads budgets,
    /// quotas, facilities and applied keys as a script first touches them. Entries already
    /// present are kept, because they carry this run's projection.
    public mutating func include(_ more: BalanceSnapshot) {
        state.budgets.merge(more.budgets) { current, _ in current }
        lastBudget = nil
        for (key, quota) in more.quotas where state.quotas[key] == nil {
            state.quotas[key] = quota
            quotaKeysByProgramme[key.programmeCode, default: []].insert(key)
        }
        state.facilities.merge(more.facilities) { current, _ in current }
        state.appliedKeys.formUnion(more.appliedKeys)
        state.fieldValues.merge(more.fieldValues) { current, _ in current }
    }

    /// The projected available balance of `budget`, or nil if unknown.
    public func available(_ budget: String) -> Money? { state.budgets[budget]?.available }

    /// Checks `effect` (at index `checkedCount`) and, if accepted, applies it to `state`.
    @discardableResult
    public mutating func check(_ effect: Effect) -> EffectOutcome {
        check(effect, appliedBefore: { _ in false })
    }

    /// Checks `effect` as ``check(_:)`` does, asking `appliedBefore` about each key the
    /// checker has not met yet (neither in its snapshot's applied keys nor earlier in this
    /// change set): the scripting host answers from the database key by key, as a script
    /// proposes, instead of reading every key up front. A key it reports applied is added
    /// to `state.appliedKeys`. If it throws, the effect is left unchecked.
    @discardableResult
    public mutating func check(_ effect: Effect, appliedBefore: (EffectKey) throws -> Bool) rethrows -> EffectOutcome {
        let index = checkedCount
        var outcome = EffectOutcome(index: index, status: .accepted)

        let ownErrors = effect.validationErrors()
        if !ownErrors.isEmpty {
            checkedCount += 1
            outcome.violations = ownErrors.map { InvariantViolation(effectIndex: index, reason: .invalidEffect($0.message)) }
            return record(outcome)
        }
        if let key = effect.key {
            if !state.appliedKeys.isEmpty, state.appliedKeys.contains(key) {
                checkedCount += 1
                outcome.status = .alreadyApplied
                skippedIndices.append(index)
                return outcome
            }
            // One probe of the table for a key met for the first time, the common case (a run
            // proposes tens of thousands of keys). A throwing `appliedBefore` stores nothing,
            // so the key is asked about again.
            let first = try firstIndexOfKey.value(for: key) { try appliedBefore(key) ? Self.appliedEarlier : index }
            checkedCount += 1
            switch first {
            case Self.appliedEarlier:
                state.appliedKeys.insert(key)
                outcome.status = .alreadyApplied
                skippedIndices.append(index)
                return outcome
            case index:
                break
            default:
                outcome.violations = [InvariantViolation(effectIndex: index, reason: .duplicateKey(key, firstIndex: first))]
                return record(outcome)
            }
        } else {
            checkedCount += 1
        }

        // Each rule checks before it writes, so a refused effect leaves `state` untouched and
        // nothing is copied per effect (a run may propose tens of thousands).
        var reasons: [InvariantViolation.Reason] = []
        var warningReasons: [InvariantWarning.Reason] = []
        switch effect {
        case .ledger(let entry):
            reasons = applyLedger(entry)
        case .quotaBooking(let booking):
            (reasons, warningReasons) = applyBooking(booking)
        case .setQuota(let setting):
            (reasons, warningReasons) = applyQuotaSetting(setting)
        case .enrolment(let enrolment):
            if let facility = enrolment.facilityCode {
                reasons = applyPlaces(facility: facility) { $0.occupancy += 1 } ?? []
            }
        case .recordUpdate(let update):
            reasons = applyUpdate(update)
        case .reminder, .waitlist:
            break
        }
        outcome.violations = reasons.map { InvariantViolation(effectIndex: index, reason: $0) }
        if outcome.violations.isEmpty, !warningReasons.isEmpty {
            outcome.warnings = warningReasons.map { InvariantWarning(effectIndex: index, reason: $0) }
            warnings += outcome.warnings
        }
        return record(outcome)
    }

    private mutating func record(_ outcome: EffectOutcome) -> EffectOutcome {
        var outcome = outcome
        if !outcome.violations.isEmpty {
            outcome.status = .refused
            violations += outcome.violations
        }
        return outcome
    }

    private mutating func applyLedger(_ entry: LedgerEffect) -> [InvariantViolation.Reason] {
        // Found by index, written back through it; hashed only when the budget changes.
        let slot: Dictionary<String, BudgetState>.Index
        if let last = lastBudget, last.code == entry.budgetCode {
            slot = last.slot
        } else {
            guard let found = state.budgets.index(forKey: entry.budgetCode) else { return [.unknownBudget(entry.budgetCode)] }
            slot = found
            lastBudget = (entry.budgetCode, found)
        }
        var budget = state.budgets.values[slot]
        if case .town(let town) = actorScope, !budget.allowTownDraw {
            return [.budgetClosedToTown(budget: entry.budgetCode, town: town)]
        }
        do {
            let delta = try entry.balanceEffect()
            let after = try budget.available.adding(delta)
            if delta.isNegative && after.isNegative {
                return [.budgetOverdrawn(budget: entry.budgetCode, available: budget.available,
                                         needed: try delta.negated(), entryKind: entry.kind)]
            }
            budget.available = after
        } catch {
            return [.overflow("budget '\(entry.budgetCode)': \(error)")]
        }
        state.budgets.values[slot] = budget
        return []
    }

    private mutating func applyBooking(_ booking: QuotaBooking) -> ([InvariantViolation.Reason], [InvariantWarning.Reason]) {
        var reasons: [InvariantViolation.Reason] = []
        var warningReasons: [InvariantWarning.Reason] = []
        var updates: [(QuotaKey, Int)] = []
        let covering = (quotaKeysByProgramme[booking.programmeCode] ?? []).filter {
            $0.covers(programmeCode: booking.programmeCode, period: booking.period, placeCode: booking.placeCode)
        }.sorted()
        for key in covering {
            guard let quota = state.quotas[key] else { continue }
            let (after, overflow) = quota.used.addingReportingOverflow(booking.count)
            if overflow {
                reasons.append(.overflow("quota \(key): too many bookings to count"))
                continue
            }
            if let limit = quota.limit, after > limit {
                if quota.hard {
                    reasons.append(.hardQuotaExceeded(quota: key, limit: limit, used: quota.used, requested: booking.count))
                } else {
                    warningReasons.append(.softQuotaExceeded(quota: key, limit: limit, used: quota.used, requested: booking.count))
                }
            }
            updates.append((key, after))
        }
        guard reasons.isEmpty else { return (reasons, []) }
        for (key, used) in updates { state.quotas[key]?.used = used }
        return ([], warningReasons)
    }

    private mutating func applyQuotaSetting(_ setting: QuotaSetting) -> ([InvariantViolation.Reason], [InvariantWarning.Reason]) {
        let key = setting.key
        var quota = state.quotas[key] ?? QuotaState(limit: nil, hard: setting.hard, used: 0)
        if setting.limit < quota.used {
            if setting.hard { return ([.quotaBelowUsage(quota: key, limit: setting.limit, used: quota.used)], []) }
            quota.limit = setting.limit
            quota.hard = false
            state.quotas[key] = quota
            quotaKeysByProgramme[key.programmeCode, default: []].insert(key)
            return ([], [.softQuotaBelowUsage(quota: key, limit: setting.limit, used: quota.used)])
        }
        quota.limit = setting.limit
        quota.hard = setting.hard
        state.quotas[key] = quota
        quotaKeysByProgramme[key.programmeCode, default: []].insert(key)
        return ([], [])
    }

    /// Applies `change` to the facility's places and checks occupancy ≤ capacity.
    private mutating func applyPlaces(facility code: String, _ change: (inout FacilityState) -> Void) -> [InvariantViolation.Reason]? {
        guard let before = state.facilities[code] else { return [.unknownFacility(code)] }
        var after = before
        change(&after)
        if after.occupancy > after.capacity {
            if after.capacity < before.capacity {
                return [.capacityBelowOccupancy(facility: code, capacity: after.capacity, occupancy: after.occupancy)]
            }
            return [.capacityExceeded(facility: code, capacity: before.capacity, occupancy: before.occupancy,
                                      requested: after.occupancy - before.occupancy)]
        }
        state.facilities[code] = after
        return nil
    }

    private mutating func applyUpdate(_ update: RecordUpdate) -> [InvariantViolation.Reason] {
        let ref = update.field
        let placesField = ref.entity == .facility && (ref.field == "capacity" || ref.field == "occupancy")
        var current = state.fieldValues[ref]
        if placesField, let facility = state.facilities[ref.id] {
            current = .integer(Int64(ref.field == "capacity" ? facility.capacity : facility.occupancy))
        }
        if let expected = update.old, let current, current != expected {
            return [.staleUpdate(field: ref, expected: expected, actual: current)]
        }
        if placesField {
            guard case .integer(let value) = update.new, value >= 0, let count = Int(exactly: value) else {
                return [.invalidEffect("\(ref) must be set to a whole number of places, not \(update.new).")]
            }
            if let reasons = applyPlaces(facility: ref.id, {
                if ref.field == "capacity" { $0.capacity = count } else { $0.occupancy = count }
            }) {
                return reasons
            }
        }
        state.fieldValues[ref] = update.new
        return []
    }
}

/// What happened to one checked effect.
public struct EffectOutcome: Sendable, Hashable {
    public enum Status: String, Sendable, Hashable, Codable {
        /// Within every rule; applied to the projected state.
        case accepted
        /// Its key was applied by an earlier run: nothing to do.
        case alreadyApplied = "already_applied"
        /// Breaks a rule; see `violations`.
        case refused
    }

    public var index: Int
    public var status: Status
    public var violations: [InvariantViolation] = []
    public var warnings: [InvariantWarning] = []

    public init(index: Int, status: Status, violations: [InvariantViolation] = [], warnings: [InvariantWarning] = []) {
        self.index = index
        self.status = status
        self.violations = violations
        self.warnings = warnings
    }
}
