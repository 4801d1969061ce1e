/// An unsigned 128-bit integer with just the operations allocation maths needs: products of
/// two 64-bit values, sums, differences and comparison.
///
/// Swift's `UInt128` needs macOS 15, and this package still supports macOS 13; exact
/// proportional shares compare products like `total × weight` that overflow 64 bits.
struct WideUInt: Comparable, Hashable, Sendable {
    var high: UInt64
    var low: UInt64

    static let zero = WideUInt(high: 0, low: 0)

    init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    init(_ value: UInt64) {
        self.init(high: 0, low: value)
    }

    /// `a × b`, exactly.
    init(_ a: UInt64, times b: UInt64) {
        let product = a.multipliedFullWidth(by: b)
        self.init(high: product.high, low: product.low)
    }

    /// `lhs + rhs`; precondition: no overflow past 128 bits (callers bound their sums).
    static func + (lhs: WideUInt, rhs: WideUInt) -> WideUInt {
        let (low, carry) = lhs.low.addingReportingOverflow(rhs.low)
        return WideUInt(high: lhs.high + rhs.high + (carry ? 1 : 0), low: low)
    }

    /// `lhs − rhs`; precondition: `lhs ≥ rhs`.
    static func - (lhs: WideUInt, rhs: WideUInt) -> WideUInt {
        let (low, borrow) = lhs.low.subtractingReportingOverflow(rhs.low)
        return WideUInt(high: lhs.high - rhs.high - (borrow ? 1 : 0), low: low)
    }

    static func < (lhs: WideUInt, rhs: WideUInt) -> Bool {
        (lhs.high, lhs.low) < (rhs.high, rhs.low)
    }

    /// `(self ÷ divisor, self mod divisor)`; precondition: the quotient fits in 64 bits.
    func divided(by divisor: UInt64) -> (quotient: UInt64, remainder: UInt64) {
        divisor.dividingFullWidth((high: high, low: low))
    }
}
