/// What a quota rule limits: a count of bookings (health checks, posts) or an amount of money
/// (an annual cap per member).
public enum QuotaLimit: Sendable, Hashable, Codable, CustomStringConvertible {
    case count(Int)
    case amount(Money)

    /// `20000` or `¥3,000.00`.
    public var description: String {
        switch self {
        case .count(let count): return String(count)
        case .amount(let amount): return amount.description
        }
    }

    private enum CodingKeys: String, CodingKey { case count, amount }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if let fen = try container.decodeIfPresent(Int64.self, forKey: .amount) {
            self = .amount(Money(fen: fen))
        } else {
            self = .count(try container.decode(Int.self, forKey: .count))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .count(let count): try container.encode(count, forKey: .count)
        case .amount(let amount): try container.encode(amount.fen, forKey: .amount)
        }
    }
}

/// Whom a quota rule applies to.
public enum QuotaScope: String, Sendable, Hashable, Codable, CaseIterable {
    /// One limit for the whole district (the 20,000 health checks a year).
    case district
    /// A limit for each town or place (set by a share-out script as `Quota` rows).
    case perPlace = "per_place"
    /// A limit for each member (hospital consolation: an annual cap per person).
    case perMember = "per_member"
}

/// A programme's standing rule about limits, from which concrete `Quota`s are set each
/// period; scripts read it to know what to enforce.
public struct QuotaRule: Sendable, Hashable, Codable {
    public var scope: QuotaScope
    /// The period the limit renews over (year for health checks, quarter for service hours).
    public var periodKind: Period.Kind
    public var limit: QuotaLimit
    /// Hard: exceeding it refuses the run. Soft: exceeding it warns.
    public var hard: Bool

    public init(scope: QuotaScope, periodKind: Period.Kind, limit: QuotaLimit, hard: Bool) {
        self.scope = scope
        self.periodKind = periodKind
        self.limit = limit
        self.hard = hard
    }
}
