import Foundation

/// What a ledger entry does to a budget.
///
/// Amounts of allocations, disbursements and refunds are **positive**; the kind gives the
/// direction. Adjustments carry their own sign (a top-up is positive, a cut negative).
public enum LedgerEntryKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// Earmarked for a town, facility or purpose: leaves the available balance now, so two
    /// scripts cannot promise the same money, even before it is paid out.
    case allocation
    /// Paid to a member or organisation (a "grant" in scripts).
    case disbursement
    /// Money coming back (a grant repaid, an earmark released): adds to the balance.
    case refund
    /// A correction or top-up, positive or negative.
    case adjustment

    /// 拨付 / 支出 / 退回 / 调整.
    public var chineseName: String {
        switch self {
        case .allocation: return "拨付"
        case .disbursement: return "支出"
        case .refund: return "退回"
        case .adjustment: return "调整"
        }
    }

    /// The change to the available balance for an entry of this kind and `amount`:
    /// −amount for allocations and disbursements, +amount for refunds and adjustments.
    public func balanceEffect(of amount: Money) throws(MoneyError) -> Money {
        switch self {
        case .allocation, .disbursement: return try amount.negated()
        case .refund, .adjustment: return amount
        }
    }

    /// True when an amount is acceptable for this kind: positive, or any non-zero amount for
    /// an adjustment.
    public func accepts(_ amount: Money) -> Bool {
        self == .adjustment ? !amount.isZero : amount.isPositive
    }
}

/// One line of a budget's ledger. The ledger is append-only: a mistake is corrected by a new
/// entry (a refund or an adjustment, pointing at the entry it reverses), never by editing.
public struct LedgerEntry: Sendable, Hashable, Codable, Identifiable {
    /// Assigned by the store.
    public var id: Int64
    public var budgetCode: String
    public var kind: LedgerEntryKind
    /// See `LedgerEntryKind` for the sign convention.
    public var amount: Money
    /// The person paid, if any.
    public var memberID: MemberID?
    /// The town or place the money was allocated to, if any.
    public var placeCode: String?
    /// The facility paid or allocated to, if any.
    public var facilityCode: String?
    public var programmeCode: String?
    /// The programme's own name for the item (`tuition`, `living`), free text.
    public var benefitKind: String?
    public var period: Period?
    public var memo: String
    /// The run that wrote the entry; nil for manual entries.
    public var runID: Int64?
    /// The entry this one reverses or corrects, if any.
    public var reversesEntryID: Int64?
    /// Applied at most once per budget ledger: re-running a month pays nobody twice.
    public var idempotencyKey: String?
    public var createdAt: Date

    public init(id: Int64, budgetCode: String, kind: LedgerEntryKind, amount: Money,
                memberID: MemberID? = nil, placeCode: String? = nil, facilityCode: String? = nil,
                programmeCode: String? = nil, benefitKind: String? = nil, period: Period? = nil,
                memo: String = "", runID: Int64? = nil, reversesEntryID: Int64? = nil,
                idempotencyKey: String? = nil, createdAt: Date) {
        self.id = id
        self.budgetCode = budgetCode
        self.kind = kind
        self.amount = amount
        self.memberID = memberID
        self.placeCode = placeCode
        self.facilityCode = facilityCode
        self.programmeCode = programmeCode
        self.benefitKind = benefitKind
        self.period = period
        self.memo = memo
        self.runID = runID
        self.reversesEntryID = reversesEntryID
        self.idempotencyKey = idempotencyKey
        self.createdAt = createdAt
    }

    /// The change this entry makes to its budget's available balance.
    public func balanceEffect() throws(MoneyError) -> Money {
        try kind.balanceEffect(of: amount)
    }
}

extension LedgerEntry: Validatable {
    public func validationErrors() -> [ValidationError] {
        var errors = Check.code(budgetCode, record: "ledger entry", field: "budget_code")
        if !kind.accepts(amount) {
            errors.append(Check.error("ledger entry", "amount", kind == .adjustment
                ? "An adjustment of \(amount) changes nothing; it must not be zero."
                : "A \(kind.rawValue) of \(amount) must be a positive amount; the kind gives the direction."))
        }
        if let programmeCode { errors += Check.code(programmeCode, record: "ledger entry", field: "programme_code") }
        return errors
    }
}
