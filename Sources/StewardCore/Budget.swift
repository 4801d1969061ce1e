/// A fund with an owning office, a year and a total: the 3,000,000-yuan temporary relief
/// fund, the dream-scholarship fund. What has been spent is its ledger (`LedgerEntry`); the
/// available balance is the total plus the balance effect of every entry, and it never goes
/// below zero.
public struct Budget: Sendable, Hashable, Codable, Identifiable {
    /// Stable key used by scripts, `relief-2025`.
    public var code: String
    /// Chinese name, `2025年临时救助资金`.
    public var name: String
    public var office: Office
    public var year: Int
    /// The amount the fund starts with. Later top-ups or cuts are `adjustment` entries, so
    /// the total itself never changes after the fact.
    public var total: Money
    /// Whether users scoped to a town may draw on this budget (approval of hospital
    /// consolation moved down to the towns); otherwise only district-scoped users may.
    public var allowTownDraw: Bool

    public var id: String { code }

    public init(code: String, name: String, office: Office, year: Int, total: Money, allowTownDraw: Bool = false) {
        self.code = code
        self.name = name
        self.office = office
        self.year = year
        self.total = total
        self.allowTownDraw = allowTownDraw
    }

    /// The total plus the balance effect of `entries` (which should all be this budget's).
    /// Throws on overflow, never wraps.
    public func available<S: Sequence>(after entries: S) throws(MoneyError) -> Money where S.Element == LedgerEntry {
        var balance = total
        for entry in entries where entry.budgetCode == code {
            balance = try balance.adding(try entry.balanceEffect())
        }
        return balance
    }
}

extension Budget: Validatable {
    public func validationErrors() -> [ValidationError] {
        var errors = Check.code(code, record: "budget") + Check.name(name, record: "budget")
        if !(1900...9999).contains(year) {
            errors.append(Check.error("budget", "year", "The budget '\(code)' has year \(year), which is not a plausible year."))
        }
        if total.isNegative {
            errors.append(Check.error("budget", "total", "The budget '\(code)' has a negative total \(total)."))
        }
        return errors
    }
}
