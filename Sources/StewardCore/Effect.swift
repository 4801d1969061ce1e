/// A change a script proposes. Scripts never write: they propose effects, which the host
/// buffers, shows (dry run) or applies in one transaction after checking every invariant.
public enum Effect: Sendable, Hashable, Codable {
    /// A ledger entry: a grant (disbursement), an allocation, a refund or an adjustment.
    case ledger(LedgerEffect)
    /// Counting bookings against a programme's quotas (health checks given, posts filled).
    case quotaBooking(QuotaBooking)
    /// Setting a quota's limit (a town's share of the yearly health checks).
    case setQuota(QuotaSetting)
    case reminder(ReminderEffect)
    case waitlist(WaitlistEffect)
    case enrolment(EnrolmentEffect)
    /// Changing one field of one record, with the value the script saw.
    case recordUpdate(RecordUpdate)

    /// `ledger`, `quota_booking`, `set_quota`, `reminder`, `waitlist`, `enrolment`,
    /// `record_update`: the kind's name in reports and JSON.
    public var kindName: String { Self.kindNames[kindIndex] }

    /// Every kind's name, by ``kindIndex``.
    public static let kindNames = ["ledger", "quota_booking", "set_quota", "reminder", "waitlist", "enrolment", "record_update"]

    /// The kind as a small number, an index into ``kindNames``: counting effects by kind with
    /// it is an array increment, where a count by ``kindName`` hashed a string per effect
    /// (three times per effect in a report of 26,707 grants).
    public var kindIndex: Int {
        switch self {
        case .ledger: return 0
        case .quotaBooking: return 1
        case .setQuota: return 2
        case .reminder: return 3
        case .waitlist: return 4
        case .enrolment: return 5
        case .recordUpdate: return 6
        }
    }

    /// A ledger effect's budget, kind and amount; nil for other effects. For loops over many
    /// effects that need only these: binding the whole entry (`case .ledger(let entry)`) copies
    /// it, a retain and a release per string it holds.
    public var ledgerAmount: (budgetCode: String, kind: LedgerEntryKind, amount: Money)? {
        guard case .ledger(let effect) = self else { return nil }
        return (effect.budgetCode, effect.kind, effect.amount)
    }

    /// The key that makes this effect apply at most once, if it has one. Reminders and
    /// waitlist entries always have one; ledger entries, bookings and enrolments when the
    /// script gave an idempotency key; quota settings and record updates never (applying
    /// them twice changes nothing).
    public var key: EffectKey? {
        switch self {
        case .ledger(let effect): return effect.idempotencyKey.map { EffectKey(.ledger, $0) }
        case .quotaBooking(let effect): return effect.idempotencyKey.map { EffectKey(.quotaBooking, $0) }
        case .reminder(let effect): return EffectKey(.reminder, effect.dedupKey)
        case .waitlist(let effect): return EffectKey(.waitlist, effect.naturalKey)
        case .enrolment(let effect): return effect.idempotencyKey.map { EffectKey(.enrolment, $0) }
        case .setQuota, .recordUpdate: return nil
        }
    }

    /// The payload's own rule violations (a zero grant, an empty reminder text), independent
    /// of any balance.
    public func validationErrors() -> [ValidationError] {
        switch self {
        case .ledger(let effect): return effect.validationErrors()
        case .quotaBooking(let effect): return effect.validationErrors()
        case .setQuota(let effect): return effect.validationErrors()
        case .reminder(let effect): return effect.validationErrors()
        case .waitlist(let effect): return effect.validationErrors()
        case .enrolment(let effect): return effect.validationErrors()
        case .recordUpdate(let effect): return effect.validationErrors()
        }
    }

    // Encoded as one key naming the kind, `{"ledger": {...}}`, rather than Swift's synthesised
    // `{"ledger": {"_0": {...}}}`, because run reports are read by people and other tools.
    private enum CodingKeys: String, CodingKey {
        case ledger, quotaBooking = "quota_booking", setQuota = "set_quota", reminder, waitlist, enrolment
        case recordUpdate = "record_update"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        guard let key = container.allKeys.first, container.allKeys.count == 1 else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                debugDescription: "An effect needs exactly one kind key."))
        }
        switch key {
        case .ledger: self = .ledger(try container.decode(LedgerEffect.self, forKey: key))
        case .quotaBooking: self = .quotaBooking(try container.decode(QuotaBooking.self, forKey: key))
        case .setQuota: self = .setQuota(try container.decode(QuotaSetting.self, forKey: key))
        case .reminder: self = .reminder(try container.decode(ReminderEffect.self, forKey: key))
        case .waitlist: self = .waitlist(try container.decode(WaitlistEffect.self, forKey: key))
        case .enrolment: self = .enrolment(try container.decode(EnrolmentEffect.self, forKey: key))
        case .recordUpdate: self = .recordUpdate(try container.decode(RecordUpdate.self, forKey: key))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .ledger(let effect): try container.encode(effect, forKey: .ledger)
        case .quotaBooking(let effect): try container.encode(effect, forKey: .quotaBooking)
        case .setQuota(let effect): try container.encode(effect, forKey: .setQuota)
        case .reminder(let effect): try container.encode(effect, forKey: .reminder)
        case .waitlist(let effect): try container.encode(effect, forKey: .waitlist)
        case .enrolment(let effect): try container.encode(effect, forKey: .enrolment)
        case .recordUpdate(let effect): try container.encode(effect, forKey: .recordUpdate)
        }
    }
}

/// A proposed ledger entry. Becomes a `LedgerEntry` when applied.
///
/// Its properties are constants: a proposal is made whole and never edited. That is also
/// why: with a dozen `var` properties, Swift 6.3's optimiser built the value in its
/// initialiser, copied it out whole and destroyed the original (a retain and a release per
/// string, once per grant); with `let` properties it stores each field straight into place.
public struct LedgerEffect: Sendable, Hashable, Codable {
    public let budgetCode: String
    /// Scripts' `grant` is `.disbursement`, `allocate` is `.allocation`.
    public let kind: LedgerEntryKind
    /// Positive, except for adjustments (see `LedgerEntryKind`).
    public let amount: Money
    public let memberID: MemberID?
    public let placeCode: String?
    public let facilityCode: String?
    public let programmeCode: String?
    /// The programme's item, `tuition` or `living`.
    public let benefitKind: String?
    public let period: Period?
    public let memo: String
    public let idempotencyKey: String?
    public let reversesEntryID: Int64?

    public init(budgetCode: String, kind: LedgerEntryKind, amount: Money, memberID: MemberID? = nil,
                placeCode: String? = nil, facilityCode: String? = nil, programmeCode: String? = nil,
                benefitKind: String? = nil, period: Period? = nil, memo: String = "",
                idempotencyKey: String? = nil, reversesEntryID: Int64? = nil) {
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
        self.idempotencyKey = idempotencyKey
        self.reversesEntryID = reversesEntryID
    }

    /// The change to the budget's available balance.
    public func balanceEffect() throws(MoneyError) -> Money {
        try kind.balanceEffect(of: amount)
    }

    public func validationErrors() -> [ValidationError] {
        var errors = Check.code(budgetCode, record: "ledger effect", field: "budget")
        if !kind.accepts(amount) {
            errors.append(Check.error("ledger effect", "amount", kind == .adjustment
                ? "An adjustment of \(amount) to budget '\(budgetCode)' changes nothing; it must not be zero."
                : "A \(kind.rawValue) of \(amount) from budget '\(budgetCode)' must be a positive amount."))
        }
        // Appended only when not empty: every grant passes here, and an append of an empty
        // array still called into the runtime.
        func add(_ found: [ValidationError]) { if !found.isEmpty { errors += found } }
        if let key = idempotencyKey { add(Check.name(key, record: "ledger effect", field: "idempotency_key")) }
        // Memos were stored cut at a NUL, without a word.
        add(Check.text(memo, record: "ledger effect", field: "memo"))
        add(Check.text(benefitKind, record: "ledger effect", field: "kind"))
        return errors
    }
}

/// Counts `count` uses of a programme's quota in a period and place.
public struct QuotaBooking: Sendable, Hashable, Codable {
    public var programmeCode: String
    public var period: Period
    /// The place booked for (a town); nil books against the district-wide quota only.
    public var placeCode: String?
    /// At least 1.
    public var count: Int
    public var memberID: MemberID?
    public var idempotencyKey: String?

    public init(programmeCode: String, period: Period, placeCode: String? = nil, count: Int = 1,
                memberID: MemberID? = nil, idempotencyKey: String? = nil) {
        self.programmeCode = programmeCode
        self.period = period
        self.placeCode = placeCode
        self.count = count
        self.memberID = memberID
        self.idempotencyKey = idempotencyKey
    }

    public func validationErrors() -> [ValidationError] {
        var errors = Check.code(programmeCode, record: "quota booking", field: "programme")
        if count < 1 {
            errors.append(Check.error("quota booking", "count", "A quota booking for '\(programmeCode)' must count at least 1, not \(count)."))
        }
        return errors
    }
}

/// Sets (or replaces) a quota's limit.
public struct QuotaSetting: Sendable, Hashable, Codable {
    public var programmeCode: String
    public var period: Period
    public var placeCode: String?
    public var limit: Int
    public var hard: Bool

    public init(programmeCode: String, period: Period, placeCode: String? = nil, limit: Int, hard: Bool) {
        self.programmeCode = programmeCode
        self.period = period
        self.placeCode = placeCode
        self.limit = limit
        self.hard = hard
    }

    public var key: QuotaKey { QuotaKey(programmeCode: programmeCode, period: period, placeCode: placeCode) }

    /// The quota as it will be stored.
    public var quota: Quota {
        Quota(programmeCode: programmeCode, period: period, placeCode: placeCode, limit: limit, hard: hard)
    }

    public func validationErrors() -> [ValidationError] {
        quota.validationErrors()
    }
}

/// Proposes a reminder; stored once per `dedupKey`.
public struct ReminderEffect: Sendable, Hashable, Codable {
    public var subjectKind: EntityKind
    public var subjectID: String
    public var kind: String
    public var dueDate: CivilDate
    public var text: String
    public var dedupKey: String

    public init(subjectKind: EntityKind, subjectID: String, kind: String, dueDate: CivilDate, text: String, dedupKey: String) {
        self.subjectKind = subjectKind
        self.subjectID = subjectID
        self.kind = kind
        self.dueDate = dueDate
        self.text = text
        self.dedupKey = dedupKey
    }

    public func validationErrors() -> [ValidationError] {
        // Joined only when not empty (see `LedgerEffect`): every reminder passes here, and
        // `+` of empty arrays still called into the runtime, three times a reminder.
        var errors = Check.name(subjectID, record: "reminder", field: "subject_id")
        func add(_ found: [ValidationError]) { if !found.isEmpty { errors += found } }
        add(Check.name(kind, record: "reminder", field: "kind"))
        add(Check.name(text, record: "reminder", field: "text"))
        add(Check.name(dedupKey, record: "reminder", field: "key"))
        return errors
    }
}

/// Puts a member on a programme's (or facility's) waitlist.
public struct WaitlistEffect: Sendable, Hashable, Codable {
    public var memberID: MemberID
    public var programmeCode: String
    public var facilityCode: String?
    public var reason: String

    public init(memberID: MemberID, programmeCode: String, facilityCode: String? = nil, reason: String) {
        self.memberID = memberID
        self.programmeCode = programmeCode
        self.facilityCode = facilityCode
        self.reason = reason
    }

    /// One waiting entry per member, programme and facility: `17|dream-scholarship|`.
    public var naturalKey: String {
        IdempotencyKey.compose([String(memberID), programmeCode, facilityCode ?? ""])
    }

    public func validationErrors() -> [ValidationError] {
        Check.code(programmeCode, record: "waitlist entry", field: "programme")
            + Check.name(reason, record: "waitlist entry", field: "reason")
    }
}

/// Enrols a member in a programme, taking a place at `facilityCode` if given.
public struct EnrolmentEffect: Sendable, Hashable, Codable {
    public var memberID: MemberID
    public var programmeCode: String
    public var facilityCode: String?
    public var startDate: CivilDate
    public var endDate: CivilDate?
    public var idempotencyKey: String?

    public init(memberID: MemberID, programmeCode: String, facilityCode: String? = nil, startDate: CivilDate,
                endDate: CivilDate? = nil, idempotencyKey: String? = nil) {
        self.memberID = memberID
        self.programmeCode = programmeCode
        self.facilityCode = facilityCode
        self.startDate = startDate
        self.endDate = endDate
        self.idempotencyKey = idempotencyKey
    }

    public func validationErrors() -> [ValidationError] {
        var errors = Check.code(programmeCode, record: "enrolment", field: "programme")
        if let endDate, endDate < startDate {
            errors.append(Check.error("enrolment", "end_date", "The enrolment ends (\(endDate)) before it starts (\(startDate))."))
        }
        return errors
    }
}
