/// What to do when the next request in priority order cannot be met in full.
public enum ShortfallPolicy: String, Sendable, Hashable, Codable {
    /// Stop: nobody after the first unmet request is funded. The default, because funding a
    /// lower-priority request ahead of a higher-priority one that was refused breaks the
    /// priority order the administrator set.
    case stop
    /// Skip it and keep going: later, smaller requests may still fit.
    case skip
}

/// The outcome of a priority allocation.
public struct PriorityAllocation<Key: Hashable & Sendable>: Sendable, Hashable {
    /// A request that was not funded and what was left when its turn came.
    public struct Unfunded: Sendable, Hashable {
        public var key: Key
        public var amount: Int64
        /// The remaining total when the request was reached (less than `amount`, or, under
        /// `.stop`, possibly enough but after an earlier shortfall).
        public var remainingWhenReached: Int64

        public init(key: Key, amount: Int64, remainingWhenReached: Int64) {
            self.key = key
            self.amount = amount
            self.remainingWhenReached = remainingWhenReached
        }
    }

    /// Funded requests in priority order, each in full.
    public var granted: [(key: Key, amount: Int64)]
    /// Unfunded requests in priority order.
    public var unfunded: [Unfunded]
    /// What is left of the total.
    public var remaining: Int64

    public static func == (lhs: PriorityAllocation, rhs: PriorityAllocation) -> Bool {
        lhs.granted.elementsEqual(rhs.granted) { $0.key == $1.key && $0.amount == $1.amount }
            && lhs.unfunded == rhs.unfunded && lhs.remaining == rhs.remaining
    }

    public func hash(into hasher: inout Hasher) {
        for (key, amount) in granted { hasher.combine(key); hasher.combine(amount) }
        hasher.combine(unfunded)
        hasher.combine(remaining)
    }
}

extension Allocation {
    /// Funds `requests` in the given (priority) order, each in full while the remaining total
    /// suffices; requests are never part-funded.
    /// - Parameters:
    ///   - total: what there is to give (fen, slots).
    ///   - requests: in priority order, highest first.
    ///   - whenShort: `.stop` (default) or `.skip`; see `ShortfallPolicy`.
    /// - Throws: `AllocationError.negativeTotal` or `.negativeRequest`.
    public static func priority<Key: Hashable & Sendable>(
        total: Int64,
        requests: [(key: Key, amount: Int64)],
        whenShort: ShortfallPolicy = .stop
    ) throws(AllocationError) -> PriorityAllocation<Key> {
        guard total >= 0 else { throw .negativeTotal(total) }
        for request in requests where request.amount < 0 {
            throw .negativeRequest(key: String(describing: request.key), amount: request.amount)
        }
        var result = PriorityAllocation<Key>(granted: [], unfunded: [], remaining: total)
        var stopped = false
        for (key, amount) in requests {
            if !stopped && amount <= result.remaining {
                result.granted.append((key: key, amount: amount))
                result.remaining -= amount
            } else {
                result.unfunded.append(.init(key: key, amount: amount, remainingWhenReached: result.remaining))
                if whenShort == .stop { stopped = true }
            }
        }
        return result
    }
}
