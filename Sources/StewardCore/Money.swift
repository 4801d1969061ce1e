import Foundation

/// An exact amount of Chinese yuan, held as a signed count of fen (0.01 yuan).
///
/// Floating point never touches money: every share-out must add up to the fen, and a
/// `Double` cannot even hold 0.1 yuan exactly. Amounts come from administrators' scripts, so
/// arithmetic here *throws* on overflow rather than trapping (a trap would kill the host) or
/// wrapping (which would silently pay the wrong amount). The operators `+`, `-` and `*` are
/// therefore throwing too: write `try a + b`.
public struct Money: Sendable, Hashable, Comparable, Codable {
    /// The amount in fen. 100 fen = 1 yuan.
    public let fen: Int64

    /// Creates an amount from a count of fen.
    public init(fen: Int64) {
        self.fen = fen
    }

    /// Zero yuan.
    public static let zero = Money(fen: 0)

    /// An amount given in fen; never fails.
    public static func fen(_ fen: Int64) -> Money {
        Money(fen: fen)
    }

    /// An amount given in whole yuan. Throws if `yuan × 100` does not fit in 64 bits.
    public static func yuan(_ yuan: Int) throws(MoneyError) -> Money {
        let (fen, overflow) = Int64(yuan).multipliedReportingOverflow(by: 100)
        if overflow { throw .overflow(operation: "\(yuan) yuan in fen") }
        return Money(fen: fen)
    }

    /// An amount given in yuan and fen (`yuan: 12, fen: 34` is ¥12.34). A negative amount
    /// is written with both parts negative or zero, e.g. `yuan: -12, fen: -34`.
    public static func yuan(_ yuan: Int, fen: Int) throws(MoneyError) -> Money {
        let whole = try Money.yuan(yuan)
        return try whole.adding(Money(fen: Int64(fen)))
    }

    /// True when the amount is below zero.
    public var isNegative: Bool { fen < 0 }
    /// True when the amount is exactly zero.
    public var isZero: Bool { fen == 0 }
    /// True when the amount is above zero.
    public var isPositive: Bool { fen > 0 }

    public static func < (lhs: Money, rhs: Money) -> Bool {
        lhs.fen < rhs.fen
    }

    // Money encodes as a bare integer of fen so JSON and SQL columns stay exact and simple.
    public init(from decoder: any Decoder) throws {
        fen = try decoder.singleValueContainer().decode(Int64.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(fen)
    }
}

// MARK: - Checked arithmetic

extension Money {
    /// `self + other`, or `MoneyError.overflow`.
    public func adding(_ other: Money) throws(MoneyError) -> Money {
        let (sum, overflow) = fen.addingReportingOverflow(other.fen)
        if overflow { throw .overflow(operation: "\(self) + \(other)") }
        return Money(fen: sum)
    }

    /// `self - other`, or `MoneyError.overflow`.
    public func subtracting(_ other: Money) throws(MoneyError) -> Money {
        let (difference, overflow) = fen.subtractingReportingOverflow(other.fen)
        if overflow { throw .overflow(operation: "\(self) - \(other)") }
        return Money(fen: difference)
    }

    /// `self × factor`, or `MoneyError.overflow`.
    public func multiplied(by factor: Int) throws(MoneyError) -> Money {
        let (product, overflow) = fen.multipliedReportingOverflow(by: Int64(factor))
        if overflow { throw .overflow(operation: "\(self) × \(factor)") }
        return Money(fen: product)
    }

    /// `-self`, or `MoneyError.overflow` for the one amount whose negation does not fit.
    public func negated() throws(MoneyError) -> Money {
        let (negation, overflow) = Int64(0).subtractingReportingOverflow(fen)
        if overflow { throw .overflow(operation: "-(\(self))") }
        return Money(fen: negation)
    }

    /// The amount without its sign, or `MoneyError.overflow` for `Int64.min` fen.
    public func magnitude() throws(MoneyError) -> Money {
        isNegative ? try negated() : self
    }

    /// `self × numerator ÷ denominator`, rounded to the nearest fen with halves rounded away
    /// from zero (四舍五入, as finance offices round by hand). The intermediate product is
    /// 128 bits wide, so only a result that does not fit in 64 bits overflows.
    ///
    /// Use it for rates and percentages: 50 % is `scaled(numerator: 50, denominator: 100)`,
    /// 4.3 % is `scaled(numerator: 43, denominator: 1000)`.
    public func scaled(numerator: Int64, denominator: Int64) throws(MoneyError) -> Money {
        let operation = "\(self) × \(numerator) ÷ \(denominator)"
        guard denominator != 0 else { throw .divisionByZero(operation: operation) }
        let negative = ((fen < 0) != (numerator < 0)) != (denominator < 0)
        let product = fen.magnitude.multipliedFullWidth(by: numerator.magnitude)
        let divisor = denominator.magnitude
        guard product.high < divisor else { throw .overflow(operation: operation) }
        let (quotient, remainder) = divisor.dividingFullWidth(product)
        // Round half away from zero: compare 2 × remainder with the divisor without overflow.
        let roundsUp = remainder >= divisor - remainder
        let (rounded, carry) = quotient.addingReportingOverflow(roundsUp ? 1 : 0)
        guard !carry else { throw .overflow(operation: operation) }
        if negative {
            guard rounded <= UInt64(Int64.max) + 1 else { throw .overflow(operation: operation) }
            return Money(fen: rounded == UInt64(Int64.max) + 1 ? Int64.min : -Int64(rounded))
        }
        guard rounded <= UInt64(Int64.max) else { throw .overflow(operation: operation) }
        return Money(fen: Int64(rounded))
    }

    /// The sum of `amounts`, or `MoneyError.overflow` as soon as a partial sum overflows.
    public static func sum<S: Sequence>(_ amounts: S) throws(MoneyError) -> Money where S.Element == Money {
        var total = Money.zero
        for amount in amounts { total = try total.adding(amount) }
        return total
    }

    /// Throwing addition: `try a + b`. Never traps, never wraps.
    public static func + (lhs: Money, rhs: Money) throws(MoneyError) -> Money {
        try lhs.adding(rhs)
    }

    /// Throwing subtraction: `try a - b`. Never traps, never wraps.
    public static func - (lhs: Money, rhs: Money) throws(MoneyError) -> Money {
        try lhs.subtracting(rhs)
    }

    /// Throwing multiplication by a count: `try price * 3`. Never traps, never wraps.
    public static func * (lhs: Money, rhs: Int) throws(MoneyError) -> Money {
        try lhs.multiplied(by: rhs)
    }

    /// Throwing multiplication by a count: `try 3 * price`.
    public static func * (lhs: Int, rhs: Money) throws(MoneyError) -> Money {
        try rhs.multiplied(by: lhs)
    }
}
