/// The values one cron field allows, held as a 64-bit set (bit `n` stands for value `n`).
///
/// Every cron field's values fit in 0...59, so a single word is enough, and "the next allowed
/// value at or after n" is one mask and one trailing-zero count. That keeps the next-time search
/// cheap enough to enumerate years of slots.
struct CronValueSet: Sendable, Hashable {
    private(set) var bits: UInt64

    init(bits: UInt64 = 0) {
        self.bits = bits
    }

    /// Whether `value` is allowed.
    func contains(_ value: Int) -> Bool {
        guard (0..<64).contains(value) else { return false }
        return bits & (1 << UInt64(value)) != 0
    }

    /// Adds `value` (0...63).
    mutating func insert(_ value: Int) {
        precondition((0..<64).contains(value), "cron values fit in 0...63")
        bits |= 1 << UInt64(value)
    }

    /// The smallest allowed value that is at least `value`, or nil when there is none.
    func next(atOrAfter value: Int) -> Int? {
        guard value < 64 else { return nil }
        let masked = value <= 0 ? bits : bits & ~((1 << UInt64(value)) - 1)
        return masked == 0 ? nil : masked.trailingZeroBitCount
    }

    /// The allowed values, ascending.
    var values: [Int] {
        (0..<64).filter(contains)
    }

    var isEmpty: Bool { bits == 0 }
}
