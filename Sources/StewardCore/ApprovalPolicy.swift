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
    /// ones an earlier run already applied, which will not be applied again). A budget whose
    /// outflow is too large to add up (more than `Int64.max` fen) is there with `nil`: named,
    /// never dropped, and never given a made-up figure.
    public static func outflow(_ changeSet: ChangeSet, skipping: Set<Int> = []) -> [String: Money?] {
        var totals = RunningValuesByCode<Money>()
        var unsummable: Set<String> = []
        for index in changeSet.effects.indices where skipping.isEmpty || !skipping.contains(index) {
            // The parts only (``Effect/ledgerAmount``), not a copy of the whole entry.
            guard let (code, kind, amount) = changeSet.effects[index].ledgerAmount, !unsummable.contains(code) else { continue }
            do {
                let delta = try kind.balanceEffect(of: amount)
                guard delta.isNegative else { continue }
                try totals.update(code, startingAt: .zero) { (total) throws(MoneyError) in
                    total = try total.adding(try delta.negated())
                }
            } catch {
                unsummable.insert(code)
                totals.remove(code)
            }
        }
        var outflows = totals.values().mapValues { Optional($0) }
        for budget in unsummable { outflows[budget] = .some(nil) }
        return outflows
    }

    /// The budgets above the threshold, by code; empty when the change set may be committed
    /// by one person. An outflow too large to add up is above any threshold, and is held with
    /// the most money can express.
    public func budgetsAboveThreshold(_ changeSet: ChangeSet, skipping: Set<Int> = []) -> [HeldBudget] {
        Self.outflow(changeSet, skipping: skipping).compactMap { budget, outflow in
            guard let outflow else { return HeldBudget(budget: budget, outflow: Money(fen: Int64.max)) }
            return outflow > threshold ? HeldBudget(budget: budget, outflow: outflow) : nil
        }.sorted { $0.budget < $1.budget }
    }

    /// How an outflow reads in a message: the amount, or that it is too large to add up.
    public static func describe(_ outflow: Money?) -> String {
        outflow.map(\.description) ?? "more than \(Money(fen: Int64.max))"
    }
}
