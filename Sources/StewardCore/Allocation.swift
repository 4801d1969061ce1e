/// One key's part of a share-out.
public struct AllocationShare<Key: Hashable & Sendable>: Sendable, Hashable {
    public var key: Key
    public var weight: Int64
    /// The key's share: fen, slots, places — whatever unit the total was in.
    public var amount: Int64

    public init(key: Key, weight: Int64, amount: Int64) {
        self.key = key
        self.weight = weight
        self.amount = amount
    }
}

/// Exact share-outs of an integer total (fen, health-check slots, places).
///
/// No floating point anywhere: every comparison is done on exact 128-bit products, so the
/// result is the same on every machine and adds up to the total exactly.
public enum Allocation {
    /// Shares `total` in proportion to `weights` by the largest-remainder (Hamilton) method,
    /// respecting optional per-key `floors` (at least) and `caps` (at most).
    ///
    /// **Method.** Find the proportional shares `λ·weight` clamped to each key's
    /// [floor, cap] that add up to `total` (keys with weight 0 get their floor). Keys are
    /// clamped iteratively: while some unclamped key's exact share falls outside its bounds,
    /// the side with the larger total violation (caps on a tie) is clamped and the rest is
    /// re-shared. Then every unclamped key gets the whole part of its exact share, and the
    /// units left over go one each to the keys with the **largest remainders**.
    ///
    /// **Ties** (equal remainders) go first to the key with the **larger weight**, then to
    /// the key that comes **first in `weights`**. Callers that build `weights` from an
    /// unordered collection must sort it first (the dictionary overload sorts by key).
    ///
    /// **Guarantees.** The amounts add up to `total` exactly; each lies within its bounds;
    /// each differs from its exact clamped share by less than 1.
    ///
    /// - Throws: `AllocationError` for a negative total, weight, floor or cap; a cap below
    ///   its floor; duplicate keys; no positive weight; floors above the total; caps that
    ///   cannot hold the total; weights summing past `Int64.max`.
    /// - Returns: one share per key, in the order of `weights`.
    public static func largestRemainder<Key: Hashable & Sendable>(
        total: Int64,
        weights: [(key: Key, weight: Int64)],
        floors: [Key: Int64] = [:],
        caps: [Key: Int64] = [:]
    ) throws(AllocationError) -> [AllocationShare<Key>] {
        guard total >= 0 else { throw .negativeTotal(total) }
        var seen = Set<Key>()
        var weightSum: Int64 = 0
        for (key, weight) in weights {
            guard seen.insert(key).inserted else { throw .duplicateKey(String(describing: key)) }
            guard weight >= 0 else { throw .negativeWeight(key: String(describing: key), weight: weight) }
            let (sum, overflow) = weightSum.addingReportingOverflow(weight)
            guard !overflow else { throw .weightsTooLarge }
            weightSum = sum
            let floor = floors[key] ?? 0
            let cap = caps[key]
            guard floor >= 0, (cap ?? 0) >= 0, cap.map({ $0 >= floor }) ?? true else {
                throw .invalidBounds(key: String(describing: key), floor: floor, cap: cap)
            }
        }
        guard weightSum > 0 else { throw .allWeightsZero }

        // Feasibility: Σ floors ≤ total ≤ (Σ caps of weighted keys + Σ floors of zero-weight keys).
        var floorSum: Int64 = 0
        var capacity: Int64 = 0
        var unbounded = false
        for (key, weight) in weights {
            let floor = floors[key] ?? 0
            let (sum, overflow) = floorSum.addingReportingOverflow(floor)
            floorSum = overflow ? .max : sum
            let room: Int64? = weight == 0 ? floor : caps[key]
            if let room {
                let (next, overflow) = capacity.addingReportingOverflow(room)
                if overflow { unbounded = true } else { capacity = next }
            } else {
                unbounded = true
            }
        }
        guard floorSum <= total else { throw .floorsExceedTotal(floors: floorSum, total: total) }
        guard unbounded || capacity >= total else { throw .capsBelowTotal(capacity: capacity, total: total) }

        let count = weights.count
        let weight = weights.map { UInt64($0.weight) }
        let floor = weights.map { UInt64(floors[$0.key] ?? 0) }
        let cap = weights.map { caps[$0.key].map(UInt64.init) }
        var amount = [UInt64](repeating: 0, count: count)
        var fixed = [Bool](repeating: false, count: count)
        var remaining = UInt64(total)
        for index in 0..<count where weight[index] == 0 {
            fixed[index] = true
            amount[index] = floor[index]
            remaining -= floor[index]
        }

        // Clamp until every free key's exact share R·w/W lies within its bounds.
        var free = (0..<count).filter { !fixed[$0] }
        while true {
            let totalWeight = free.reduce(UInt64(0)) { $0 + weight[$1] }
            var overCap: [Int] = [], underFloor: [Int] = []
            var excess = WideUInt.zero, deficit = WideUInt.zero
            for index in free {
                let exact = WideUInt(remaining, times: weight[index])
                if let c = cap[index], WideUInt(c, times: totalWeight) < exact {
                    overCap.append(index)
                    excess = excess + (exact - WideUInt(c, times: totalWeight))
                } else if exact < WideUInt(floor[index], times: totalWeight) {
                    underFloor.append(index)
                    deficit = deficit + (WideUInt(floor[index], times: totalWeight) - exact)
                }
            }
            if overCap.isEmpty && underFloor.isEmpty { break }
            // If the caps' excess is at least the floors' deficit, the true multiplier is at
            // least the current one, so every key over its cap now stays over it: clamp those.
            // Otherwise the multiplier is smaller and every key under its floor stays under.
            let clampCaps = !overCap.isEmpty && !(excess < deficit)
            for index in clampCaps ? overCap : underFloor {
                fixed[index] = true
                amount[index] = clampCaps ? cap[index]! : floor[index]
                remaining -= amount[index]
            }
            free = free.filter { !fixed[$0] }
            if free.isEmpty { break }
        }

        // Whole parts, then the leftover units by largest remainder, larger weight, input order.
        if !free.isEmpty {
            let totalWeight = free.reduce(UInt64(0)) { $0 + weight[$1] }
            var remainder = [UInt64](repeating: 0, count: count)
            var handedOut: UInt64 = 0
            for index in free {
                let (quotient, rest) = WideUInt(remaining, times: weight[index]).divided(by: totalWeight)
                amount[index] = quotient
                remainder[index] = rest
                handedOut += quotient
            }
            let leftover = Int(remaining - handedOut)
            let order = free.sorted { a, b in
                if remainder[a] != remainder[b] { return remainder[a] > remainder[b] }
                if weight[a] != weight[b] { return weight[a] > weight[b] }
                return a < b
            }
            for index in order.prefix(leftover) { amount[index] += 1 }
        }

        return weights.indices.map { index in
            AllocationShare(key: weights[index].key, weight: weights[index].weight, amount: Int64(amount[index]))
        }
    }

    /// `largestRemainder` over a dictionary: keys are taken in ascending order, which is then
    /// the final tie-breaker.
    public static func largestRemainder<Key: Hashable & Comparable & Sendable>(
        total: Int64,
        weights: [Key: Int64],
        floors: [Key: Int64] = [:],
        caps: [Key: Int64] = [:]
    ) throws(AllocationError) -> [Key: Int64] {
        let ordered = weights.sorted { $0.key < $1.key }.map { (key: $0.key, weight: $0.value) }
        let shares = try largestRemainder(total: total, weights: ordered, floors: floors, caps: caps)
        return Dictionary(uniqueKeysWithValues: shares.map { ($0.key, $0.amount) })
    }

    /// Shares `total` of money by `largestRemainder` in fen.
    public static func share<Key: Hashable & Sendable>(
        _ total: Money,
        weights: [(key: Key, weight: Int64)],
        floors: [Key: Money] = [:],
        caps: [Key: Money] = [:]
    ) throws(AllocationError) -> [(key: Key, amount: Money)] {
        let shares = try largestRemainder(total: total.fen, weights: weights,
                                          floors: floors.mapValues(\.fen), caps: caps.mapValues(\.fen))
        return shares.map { (key: $0.key, amount: Money(fen: $0.amount)) }
    }
}
