/// When a change set needs a second person: it takes more than `threshold` out of any one
/// budget (allocations, grants and negative adjustments added up; refunds do not offset
/// them). Such a change set is not committed but held as *pending* until an approver other
/// than its maker approves it (``FourEyes``).
public struct ApprovalPolicy: Sendable, Hashable, Codable {
    /// ¥100,000.
    public static let defaultThreshold = Money(fen: 10_000_000)

    /// Most that one change set may take out of one budget without a second approver.
    public var threshold: Money

    public init(threshold: Money = ApprovalPolicy.defaultThreshold) {
        self.threshold = threshold
    }

    /// A budget whose outflow in one change set is above the threshold.
    public struct HeldBudget: Sendable, Hashable, Codable, CustomStringConvertible {
        public var budget: String
        public var outflow: Money

        public init(budget: String, outflow: Money) {
            self.budget = budget
            self.outflow = outflow
        }

        public var description: String { "\(outflow) out of '\(budget)'" }
    }

    /// Money each budget gives out in `changeSet`, leaving out the effects at `skipping` (the
    /// ones an earlier run already applied, which will not be applied again).
    public static func outflow(_ changeSet: ChangeSet, skipping: Set<Int> = []) throws(MoneyError) -> [String: Money] {
        var totals: [String: Money] = [:]
        for (index, effect) in changeSet.effects.enumerated() where !skipping.contains(index) {
            guard case .ledger(let entry) = effect else { continue }
            let delta = try entry.balanceEffect()
            guard delta.isNegative else { continue }
            totals[entry.budgetCode] = try (totals[entry.budgetCode] ?? .zero).adding(try delta.negated())
        }
        return totals
    }

    /// The budgets above the threshold, by code; empty when the change set may be committed
    /// by one person. An outflow too large to add up is above any threshold.
    public func budgetsAboveThreshold(_ changeSet: ChangeSet, skipping: Set<Int> = []) -> [HeldBudget] {
        // Summed per budget here rather than through `outflow`, so that a budget whose outflow
        // cannot be added up is still named (it was held as "out of '?'"); it is held with the
        // most money can express.
        var totals: [String: Money] = [:]
        var unsummable: Set<String> = []
        for (index, effect) in changeSet.effects.enumerated() where !skipping.contains(index) {
            guard case .ledger(let entry) = effect, !unsummable.contains(entry.budgetCode) else { continue }
            do {
                let delta = try entry.balanceEffect()
                guard delta.isNegative else { continue }
                totals[entry.budgetCode] = try (totals[entry.budgetCode] ?? .zero).adding(try delta.negated())
            } catch {
                unsummable.insert(entry.budgetCode)
                totals[entry.budgetCode] = Money(fen: Int64.max)
            }
        }
        // Unsummable is above any threshold, even one of Int64.max fen.
        return totals.filter { $0.value > threshold || unsummable.contains($0.key) }.sorted { $0.key < $1.key }
            .map { HeldBudget(budget: $0.key, outflow: $0.value) }
    }
}
