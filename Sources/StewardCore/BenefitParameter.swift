/// The value of a benefit parameter: an amount of money or a whole number (a count, hours,
/// or a rate in basis points — 4.3 % is 430).
public enum ParameterValue: Sendable, Hashable, Codable, CustomStringConvertible {
    case money(Money)
    case integer(Int64)

    /// The money, if this is a money value.
    public var money: Money? {
        if case .money(let value) = self { return value }
        return nil
    }

    /// The number, if this is an integer value.
    public var integer: Int64? {
        if case .integer(let value) = self { return value }
        return nil
    }

    /// `¥5,000.00` or `430`.
    public var description: String {
        switch self {
        case .money(let value): return value.description
        case .integer(let value): return String(value)
        }
    }

    // Encoded as `{"money": fen}` or `{"integer": n}`: one key naming the kind, so a money
    // value can never be read back as a count.
    private enum CodingKeys: String, CodingKey { case money, integer }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if let fen = try container.decodeIfPresent(Int64.self, forKey: .money) {
            self = .money(Money(fen: fen))
        } else {
            self = .integer(try container.decode(Int64.self, forKey: .integer))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .money(let value): try container.encode(value.fen, forKey: .money)
        case .integer(let value): try container.encode(value, forKey: .integer)
        }
    }
}

/// A named figure of a programme that changes over time: the scholarship's tuition aid
/// (¥5,000 a year), the minimum wage for public-welfare posts (¥2,280 a month).
///
/// Parameters are dated rather than overwritten so that a re-run for a past period uses the
/// figure that applied then.
public struct BenefitParameter: Sendable, Hashable, Codable {
    /// snake_case name, `tuition_aid`, `minimum_wage`.
    public var name: String
    public var value: ParameterValue
    /// First day the value applies.
    public var effectiveFrom: CivilDate
    /// Last day the value applies (inclusive); nil = until further notice.
    public var effectiveTo: CivilDate?

    public init(name: String, value: ParameterValue, effectiveFrom: CivilDate, effectiveTo: CivilDate? = nil) {
        self.name = name
        self.value = value
        self.effectiveFrom = effectiveFrom
        self.effectiveTo = effectiveTo
    }

    /// True when the value applies on `date`.
    public func isEffective(on date: CivilDate) -> Bool {
        date >= effectiveFrom && (effectiveTo.map { date <= $0 } ?? true)
    }

    /// True when the two date ranges share at least one day.
    func overlaps(_ other: BenefitParameter) -> Bool {
        let thisEnd = effectiveTo ?? CivilDate.latest
        let otherEnd = other.effectiveTo ?? CivilDate.latest
        return effectiveFrom <= otherEnd && other.effectiveFrom <= thisEnd
    }
}
