/// Money moved per kind of ledger entry, for one budget.
public struct BudgetTotals: Sendable, Hashable, Codable {
    public var allocated: Money = .zero
    public var disbursed: Money = .zero
    public var refunded: Money = .zero
    /// Signed sum of adjustments.
    public var adjusted: Money = .zero
    /// The net change to the available balance: refunded + adjusted − allocated − disbursed.
    public var net: Money = .zero
    /// How many ledger entries the totals sum.
    public var entries = 0

    public init() {}

    /// Counts one ledger entry in. Throws if a total overflows.
    mutating func add(_ kind: LedgerEntryKind, _ amount: Money) throws(MoneyError) {
        entries += 1
        switch kind {
        case .allocation: allocated = try allocated.adding(amount)
        case .disbursement: disbursed = try disbursed.adding(amount)
        case .refund: refunded = try refunded.adding(amount)
        case .adjustment: adjusted = try adjusted.adding(amount)
        }
        net = try net.adding(try kind.balanceEffect(of: amount))
    }
}

/// The result of checking a whole change set.
public struct ChangeSetValidation: Sendable, Hashable, Codable {
    /// Empty when the change set may be applied.
    public var violations: [InvariantViolation]
    public var warnings: [InvariantWarning]
    /// Effects whose keys earlier runs already applied: the store does not apply them again.
    public var skippedIndices: [Int]
    /// The snapshot after every accepted effect.
    public var projected: BalanceSnapshot

    /// True when there is no violation.
    public var isAcceptable: Bool { violations.isEmpty }
}

/// The effects of one run, in the order the script proposed them: what a dry run prints and
/// what a commit applies, all or nothing.
public struct ChangeSet: Sendable, Hashable, Codable {
    public private(set) var effects: [Effect]

    public init(_ effects: [Effect] = []) {
        self.effects = effects
    }

    /// Appends `effect`, moved in: a run appends tens of thousands, and a copy retained each of
    /// an effect's texts once more.
    public mutating func append(_ effect: consuming Effect) {
        effects.append(effect)
    }

    public var count: Int { effects.count }
    public var isEmpty: Bool { effects.isEmpty }

    /// Checks every effect in order against `snapshot`; see `InvariantChecker` for the rules.
    /// A pure function: the scripting host and the store call the same one.
    public func validate(against snapshot: BalanceSnapshot, actorScope: ActorScope = .district) -> ChangeSetValidation {
        var checker = InvariantChecker(snapshot: snapshot, actorScope: actorScope)
        checker.reserveCapacity(effects.count)
        for effect in effects { checker.check(effect) }
        return ChangeSetValidation(violations: checker.violations, warnings: checker.warnings,
                                   skippedIndices: checker.skippedIndices, projected: checker.state)
    }

    /// Ledger totals per budget code, leaving out the effects at `skipping` (e.g. the
    /// already-applied ones). Throws if a total overflows.
    public func budgetTotals(skipping: Set<Int> = []) throws(MoneyError) -> [String: BudgetTotals] {
        var totals = RunningValuesByCode<BudgetTotals>()
        for index in effects.indices where skipping.isEmpty || !skipping.contains(index) {
            // The parts totals need, not the whole entry: `case .ledger(let entry)` copied it
            // out and destroyed it again, a retain and a release per string it holds (15 M
            // instructions of 18.5 M for a 26,707-grant change set).
            guard let (code, kind, amount) = effects[index].ledgerAmount else { continue }
            try totals.update(code, startingAt: BudgetTotals()) { (totals) throws(MoneyError) in
                try totals.add(kind, amount)
            }
        }
        return totals.values()
    }

    /// How many effects of each kind (`Effect.kindName`).
    public var countsByKind: [String: Int] {
        var counts = [Int](repeating: 0, count: Effect.kindNames.count)
        for index in effects.indices { counts[effects[index].kindIndex] += 1 }
        var byName: [String: Int] = [:]
        for (kind, count) in counts.enumerated() where count > 0 { byName[Effect.kindNames[kind]] = count }
        return byName
    }

    /// What a snapshot must hold to validate this change set.
    public var requirements: SnapshotRequirements {
        var needs = SnapshotRequirements()
        // Sized once: growing from empty rehashed every key (a 70-byte text) at each doubling,
        // half the cost of this for a 26,707-grant change set.
        needs.effectKeys.reserveCapacity(effects.count)
        // A change set pays from one budget over and over: a code equal to the last one
        // inserted is not hashed again.
        var lastBudget: String?
        // By index: `for effect in effects` copied each effect out, a retain and a release
        // per string it holds (2 % of a 26,707-grant commit), where this only reads them.
        for index in effects.indices {
            if let key = effects[index].key { needs.effectKeys.insert(key) }
            switch effects[index] {
            case .ledger(let entry):
                if entry.budgetCode != lastBudget {
                    needs.budgetCodes.insert(entry.budgetCode)
                    lastBudget = entry.budgetCode
                }
            case .quotaBooking(let booking): needs.bookedProgrammeCodes.insert(booking.programmeCode)
            case .setQuota(let setting): needs.quotaKeys.insert(setting.key)
            case .enrolment(let enrolment):
                if let facility = enrolment.facilityCode { needs.facilityCodes.insert(facility) }
            case .recordUpdate(let update):
                needs.fields.insert(update.field)
                if update.field.entity == .facility { needs.facilityCodes.insert(update.field.id) }
            case .reminder, .waitlist:
                break
            }
        }
        return needs
    }
}
