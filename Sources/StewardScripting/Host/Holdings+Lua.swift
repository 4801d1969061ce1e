import LuaRuntime
import StewardCore
import StewardStore

/// What programmes have given people, as read-only records: public-welfare posts, loans and
/// waitlist entries. Each carries its holder as a member record.
final class WelfarePostBox {
    let post: WelfarePostRecord
    let member: Member?
    init(_ post: WelfarePostRecord, member: Member?) {
        self.post = post
        self.member = member
    }
}

final class LoanBox {
    let loan: LoanRecord
    let member: Member
    init(_ loan: LoanRecord, member: Member) {
        self.loan = loan
        self.member = member
    }
}

final class WaitlistEntryBox {
    let entry: WaitlistEntry
    let member: Member
    init(_ entry: WaitlistEntry, member: Member) {
        self.entry = entry
        self.member = member
    }
}

/// `welfare_posts()`, `loans{ member = m }` and `waiting(programme[, facility])`: small lists
/// (hundreds of rows), filtered to the actor's scope like every other query.
final class HoldingBindings {
    let post = LuaType<WelfarePostBox>("welfare_post")
    let loan = LuaType<LoanBox>("loan")
    let entry = LuaType<WaitlistEntryBox>("waitlist_entry")
    unowned let context: HostContext
    let members: MemberBindings
    let facilities: FacilityBindings
    let programmes: ProgrammeBindings
    let dates: DateTypes

    init(context: HostContext, members: MemberBindings, facilities: FacilityBindings, programmes: ProgrammeBindings,
         dates: DateTypes) {
        self.context = context
        self.members = members
        self.facilities = facilities
        self.programmes = programmes
        self.dates = dates
        define()
    }

    func install(_ state: LuaState) {
        state.registerType(post)
        state.registerType(loan)
        state.registerType(entry)
        // welfare_posts() → every public-welfare post in scope, by code.
        state.register("welfare_posts") { [unowned self] call in
            let rows = try context.snapshot.welfarePosts().filter { context.inScope(placeCode: $0.placeCode) }
            var cache: [MemberID: Member] = [:]
            lua_createtable_(call, rows.count)
            for (i, row) in rows.enumerated() {
                var holder: Member?
                if let id = row.memberID {
                    holder = try cache[id] ?? context.snapshot.member(id: id)
                    cache[id] = holder
                    // A post in scope held by someone outside it shows no holder.
                    if let h = holder, !context.inScope(placeCode: h.placeCode) { holder = nil }
                }
                call.push(WelfarePostBox(row, member: holder), as: post)
                lua_rawseti_(call, Int64(i + 1))
            }
            return 1
        }
        // loans() → every loan in scope; loans{ member = m } → one member's.
        state.register("loans") { [unowned self] call in
            var only: MemberID?
            if !call.isNil(1) {
                guard call.isTable(1) else { throw call.argumentError(1, "options table expected: loans{ member = m }") }
                let L = call.L
                lua_pushnil_(L)
                while lua_next_(L, 1) {
                    guard LuaStackText.string(L, -2) == "member", let m = call.optionalObject(lua_gettop_(L), members.record) else {
                        lua_pop_(L, 2)
                        throw LuaScriptError("loans{}: the only option is member = a member record")
                    }
                    only = m.member.id
                    lua_pop_(L, 1)
                }
            }
            var rows: [(LoanRecord, Member)] = []
            for row in try context.snapshot.loans(memberID: only) {
                guard let holder = try context.snapshot.member(id: row.memberID), context.inScope(placeCode: holder.placeCode) else { continue }
                rows.append((row, holder))
            }
            lua_createtable_(call, rows.count)
            for (i, (row, holder)) in rows.enumerated() {
                call.push(LoanBox(row, member: holder), as: loan)
                lua_rawseti_(call, Int64(i + 1))
            }
            return 1
        }
        // waiting(programme[, facility]) → the people still waiting, earliest first.
        state.register("waiting") { [unowned self] call in
            let programme: String
            if let p = call.optionalObject(1, programmes.type) { programme = p.programme.code } else {
                programme = try call.string(1)
                guard try context.snapshot.programme(code: programme) != nil else { throw LuaScriptError("no programme '\(programme)'") }
            }
            var facility: String?
            if !call.isNil(2) {
                if let f = call.optionalObject(2, facilities.record) { facility = f.facility.code } else { facility = try call.string(2) }
            }
            var rows: [(WaitlistEntry, Member)] = []
            for row in try context.snapshot.waitlist(programmeCode: programme, facilityCode: facility) {
                guard let holder = try context.snapshot.member(id: row.memberID), context.inScope(placeCode: holder.placeCode) else { continue }
                rows.append((row, holder))
            }
            lua_createtable_(call, rows.count)
            for (i, (row, holder)) in rows.enumerated() {
                call.push(WaitlistEntryBox(row, member: holder), as: entry)
                lua_rawseti_(call, Int64(i + 1))
            }
            return 1
        }
    }

    private func define() {
        let dates = self.dates, members = self.members
        func pushDate(_ d: CivilDate?, _ call: LuaCall) {
            if let d { dates.push(d, call) } else { call.pushNil() }
        }

        post.describe = { "welfare post \($0.post.code) \($0.post.title)" }
        post.property("code") { .init($0.post.code) }
        post.property("title") { .init($0.post.title) }
        post.property("place") { .init($0.post.placeCode) }
        post.property("facility") { $0.post.facilityCode.map { LuaValue($0) } ?? .nil }
        post.property("member", push: { box, call in
            if let m = box.member { call.push(MemberBox(m), as: members.record) } else { call.pushNil() }
        })
        post.property("monthly_pay") { .integer($0.post.monthlyPay.fen) }
        post.property("social_insurance") { .boolean($0.post.socialInsurance) }
        post.property("starts_on", push: { box, call in pushDate(box.post.startsOn, call) })
        post.property("ends_on", push: { box, call in pushDate(box.post.endsOn, call) })
        // post:active_in(period) → held on any day of the period.
        post.method("active_in") { box, call in
            call.push(box.post.isActive(in: try DateTypes.period(call, 2, dates))); return 1
        }

        loan.describe = { "loan \($0.loan.code)" }
        loan.property("code") { .init($0.loan.code) }
        loan.property("member", push: { box, call in call.push(MemberBox(box.member), as: members.record) })
        loan.property("principal") { .integer($0.loan.principal.fen) }
        loan.property("interest_rate_bp") { .integer(Int64($0.loan.interestRateBP)) }
        loan.property("premium_rate_bp") { .integer(Int64($0.loan.premiumRateBP)) }
        loan.property("starts_on", push: { box, call in pushDate(box.loan.startsOn, call) })
        loan.property("due_on", push: { box, call in pushDate(box.loan.dueOn, call) })
        loan.property("repaid_on", push: { box, call in pushDate(box.loan.repaidOn, call) })
        loan.property("repaid_on_time") { .boolean($0.loan.repaidOnTime) }

        entry.describe = { "waitlist entry \($0.entry.id)" }
        entry.property("id") { .integer($0.entry.id) }
        entry.property("member", push: { box, call in call.push(MemberBox(box.member), as: members.record) })
        entry.property("programme") { .init($0.entry.programmeCode) }
        entry.property("facility") { $0.entry.facilityCode.map { LuaValue($0) } ?? .nil }
        entry.property("reason") { .init($0.entry.reason) }
        entry.property("status") { .init($0.entry.status.rawValue) }
        entry.property("since", push: { box, call in pushDate(CivilDate(box.entry.createdAt), call) })
    }
}
