import LuaRuntime
import StewardCore
import StewardStore

/// A programme in a script: `programme "free-health-check"`, with its quotas, benefit
/// parameters, bookings and enrolments.
final class ProgrammeBox {
    let programme: Programme
    init(_ programme: Programme) { self.programme = programme }
}

final class ProgrammeBindings {
    let type = LuaType<ProgrammeBox>("programme")
    unowned let context: HostContext
    let dates: DateTypes
    /// Set after construction (members and programmes refer to each other).
    var members: MemberBindings!

    init(context: HostContext, dates: DateTypes) {
        self.context = context
        self.dates = dates
        define()
    }

    func install(_ state: LuaState) {
        state.registerType(type)
        state.register("programme") { [unowned self] call in
            let code = try call.string(1)
            guard let p = try context.snapshot.programme(code: code) else {
                let known = (try? context.snapshot.programmeCodes().joined(separator: ", ")) ?? ""
                throw LuaScriptError("no programme '\(code)' (programmes: \(known))")
            }
            call.push(ProgrammeBox(p), as: type)
            return 1
        }
    }

    /// A quota key from `(period[, town])` arguments at `i`, `i+1`.
    func quotaKey(_ box: ProgrammeBox, _ call: LuaCall, _ i: Int32) throws -> QuotaKey {
        let period = try DateTypes.period(call, i, dates)
        var place: String?
        if !call.isNil(i + 1) {
            let name = try call.string(i + 1)
            guard let code = context.placeCode(named: name) else { throw LuaScriptError("no place named '\(name)'") }
            // Another town's quota is another town's business; the district-wide one (no
            // town) stays readable, since every town's bookings count against it.
            try context.requireInScope(place: code, "quota")
            place = code
        }
        return QuotaKey(programmeCode: box.programme.code, period: period, placeCode: place)
    }

    /// Money paid to a member under a programme within a period (and the periods inside it):
    /// committed entries, by the rule of ``StoreSnapshot/amountPaid(memberID:programmeCode:within:)``,
    /// plus this run's accepted ones.
    func paid(memberID: MemberID, programmeCode: String, within period: Period) throws -> Int64 {
        var fen = try context.snapshot.amountPaid(memberID: memberID, programmeCode: programmeCode, within: period).fen
        for case .ledger(let e) in context.changeSet.effects where e.memberID == memberID && e.programmeCode == programmeCode {
            guard let p = e.period, p.firstDay >= period.firstDay, p.lastDay <= period.lastDay else { continue }
            switch e.kind {
            case .refund: fen -= e.amount.fen
            case .adjustment: break
            case .allocation, .disbursement: fen += e.amount.fen
            }
        }
        return fen
    }

    private func define() {
        let type = self.type, dates = self.dates
        type.describe = { "programme \($0.programme.code)" }
        type.property("code") { .init($0.programme.code) }
        type.property("name") { .init($0.programme.name) }
        type.property("office") { .init($0.programme.office.rawValue) }
        type.property("kind") { .init($0.programme.kind.rawValue) }
        // prog:quota(period[, town]) → the limit, or nil when none is set.
        type.method("quota") { [unowned self] box, call in
            let key = try quotaKey(box, call, 2)
            if let limit = try context.quotaState(key)?.limit { call.push(limit) } else { call.pushNil() }
            return 1
        }
        type.method("used") { [unowned self] box, call in
            call.push(try context.quotaState(quotaKey(box, call, 2))?.used ?? 0); return 1
        }
        type.method("remaining") { [unowned self] box, call in
            let state = try context.quotaState(quotaKey(box, call, 2))
            if let limit = state?.limit { call.push(limit - (state?.used ?? 0)) } else { call.pushNil() }
            return 1
        }
        // prog:paid(member, period) → fen paid to the member under this programme in the period
        // and the periods inside it (grants and allocations less refunds), this run's included:
        // what an annual cap per member is checked against.
        type.method("paid") { [unowned self] box, call in
            let m = try call.object(2, members.record)
            try context.requireInScope(m, "paid")
            let period = try DateTypes.period(call, 3, dates)
            call.push(try paid(memberID: m.member.id, programmeCode: box.programme.code, within: period))
            return 1
        }
        // prog:param("monthly_pay"[, date]) → the benefit parameter in force (money in fen).
        type.method("param") { [unowned self] box, call in
            let name = try call.string(2)
            let on = call.isNil(3) ? context.today : try call.object(3, dates.date).date
            guard let p = box.programme.parameter(name, on: on) else {
                let names = Set(box.programme.parameters.map(\.name)).sorted().joined(separator: ", ")
                throw LuaScriptError("programme '\(box.programme.code)' has no parameter '\(name)' in force on \(on.iso) (parameters: \(names))")
            }
            if let m = p.value.money { call.push(m.fen) } else { call.push(p.value.integer ?? 0) }
            return 1
        }
        // prog:set_quota{ period =, town =, limit =, hard = true }
        type.method("set_quota") { [unowned self] box, call in
            let t = try call.table(2)
            for key in t.entries.keys {
                guard let k = key.stringValue, ["period", "town", "limit", "hard"].contains(k) else {
                    throw LuaScriptError("set_quota: unknown field \(key) (fields: period, town, limit, hard)")
                }
            }
            guard let limit = t["limit"].intValue, limit >= 0 else { throw LuaScriptError("set_quota: limit must be a whole number ≥ 0") }
            let periodText = t["period"].intValue.map { String($0) } ?? t["period"].stringValue
            guard let periodText, let period = Period(periodText) else {
                throw LuaScriptError("set_quota: period must be 2025, \"2025-Q2\" or \"2025-03\"")
            }
            var place: String?
            if let town = t["town"].stringValue {
                guard let code = context.placeCode(named: town) else { throw LuaScriptError("set_quota: no place named '\(town)'") }
                try context.requireInScope(place: code, "set_quota")
                place = code
            } else if !context.actor.isDistrictScope {
                throw context.outsideScope("set_quota", "the district-wide quota")
            }
            let hard = t["hard"].boolValue ?? true
            call.push(try context.propose(.setQuota(QuotaSetting(programmeCode: box.programme.code, period: period,
                                                                  placeCode: place, limit: Int(limit), hard: hard))))
            return 1
        }
        // prog:book(member_or_nil, { period =, town =, count =, key = })
        type.method("book") { [unowned self] box, call in
            var memberID: MemberID?
            var place: String?
            if let m = call.optionalObject(2, members.record) {
                try context.requireInScope(m, "book")
                memberID = m.member.id
                place = m.member.placeCode
            }
            let options = try Options(call, 3, dates: dates, programmes: self, texts: context.texts, function: "book", extra: ["count"])
            guard let period = options.period else { throw LuaScriptError("book: a period is needed, e.g. { period = 2025 }") }
            if let town = options.town {
                guard let code = context.placeCode(named: town) else { throw LuaScriptError("book: no place named '\(town)'") }
                place = code
            }
            if let place { try context.requireInScope(place: place, "book") }
            // A town's booking without a member or place is the town's.
            if place == nil { place = context.townScope }
            // Absent means one; anything else given must be a count, not silently one.
            let count: Int64
            switch options.raw["count"] {
            case .nil: count = 1
            case let given:
                // The range (at least 1) is the booking's own rule, checked with the others.
                guard let n = given.intValue else {
                    throw LuaScriptError("book: count must be a whole number, got \(LuaValueText.literal(given))")
                }
                count = n
            }
            let key = options.key ?? memberID.map { IdempotencyKey.compose(["book", box.programme.code, "m\($0)", period.description]) }
            call.push(try context.propose(.quotaBooking(QuotaBooking(programmeCode: box.programme.code, period: period,
                                                                      placeCode: place, count: Int(count), memberID: memberID,
                                                                      idempotencyKey: key))))
            return 1
        }
    }
}
