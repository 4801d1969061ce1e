/// One row of a tier table: a value for measures from `from` to `to` inclusive.
public struct Tier: Sendable, Hashable, Codable {
    /// Lowest measure in the tier (inclusive).
    public var from: Int64
    /// Highest measure in the tier (inclusive); nil = no upper bound.
    public var to: Int64?
    /// The tier's amount (fen) or count.
    public var value: Int64

    public init(from: Int64, to: Int64? = nil, value: Int64) {
        self.from = from
        self.to = to
        self.value = value
    }

    /// True when `measure` lies within the tier.
    public func contains(_ measure: Int64) -> Bool {
        measure >= from && (to.map { measure <= $0 } ?? true)
    }
}

/// A table that maps a measure (days in hospital, age, grade) to an amount, e.g. hospital
/// consolation by length of stay: 1–7 days ¥500, 8–15 days ¥800, 16 days or more ¥1,200.
///
/// Two readings: `first(matching:)` — the first tier in table order that contains the
/// measure (tiers may then overlap, earlier ones winning); `sum(matching:)` — the sum of
/// every tier that contains it (for tables of cumulative supplements).
public struct TierTable: Sendable, Hashable, Codable {
    public let tiers: [Tier]

    /// Validates that no tier ends before it starts.
    public init(_ tiers: [Tier]) throws(AllocationError) {
        for (index, tier) in tiers.enumerated() {
            if let to = tier.to, to < tier.from {
                throw .invalidTier("Tier \(index + 1) runs from \(tier.from) to \(to); it must not end before it starts.")
            }
        }
        self.tiers = tiers
    }

    /// The tiers containing `measure`, in table order.
    public func tiers(matching measure: Int64) -> [Tier] {
        tiers.filter { $0.contains(measure) }
    }

    /// The value of the first tier containing `measure`, or nil when none does.
    public func first(matching measure: Int64) -> Int64? {
        tiers.first { $0.contains(measure) }?.value
    }

    /// The sum of the values of every tier containing `measure` (0 when none does).
    /// Throws if the sum overflows.
    public func sum(matching measure: Int64) throws(AllocationError) -> Int64 {
        var total: Int64 = 0
        for tier in tiers where tier.contains(measure) {
            let (next, overflow) = total.addingReportingOverflow(tier.value)
            guard !overflow else { throw .invalidTier("The matching tiers for \(measure) add up to more than Int64 can hold.") }
            total = next
        }
        return total
    }
}
