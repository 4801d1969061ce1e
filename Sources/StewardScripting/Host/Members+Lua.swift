import LuaRuntime
import StewardCore
import StewardStore

/// A member record in a script: read-only fields, identity and phone numbers masked unless
/// the user may see them.
final class MemberBox {
    /// The member. Its `tags` are empty when the box came from `each()`, which reads members
    /// without their tags (a look-up per member most scripts never need): read them with
    /// ``tags(in:)``.
    let member: Member
    private var knownTags: Set<String>?

    /// `tagsRead` false: `member` was read without its tags.
    init(_ member: Member, tagsRead: Bool = true) {
        self.member = member
        knownTags = tagsRead ? member.tags : nil
    }

    /// The member's tags, looked up the first time when they were not read with the member.
    func tags(in snapshot: StoreSnapshot) throws -> Set<String> {
        if let knownTags { return knownTags }
        let tags = try snapshot.memberTags(id: member.id)
        knownTags = tags
        return tags
    }
}

/// A query over members whose filters, ordering, counts and sums run in SQL. Each refining
/// method returns a new query; `each()` streams rows.
final class MemberQueryBox {
    let query: MemberQuery
    init(_ query: MemberQuery) { self.query = query }
}

/// The `members{...}` query language and member records.
final class MemberBindings {
    let record = LuaType<MemberBox>("member")
    let queryType = LuaType<MemberQueryBox>("members")
    unowned let context: HostContext
    let dates: DateTypes

    /// Filter keys `members{...}` accepts, for the error listing them.
    static let filterKeys = [
        "town", "community", "tag", "sex", "disability", "disability_category", "disability_grade",
        "certificate_expiring_within", "certificate_expiring_between", "union_card", "model_worker",
        "new_form_worker", "age_min", "age_max", "born_between", "minimum_living_allowance", "extreme_hardship",
        "registered_poor", "hardship", "elderly", "empty_nest", "living_alone", "dependent", "student",
        "rehab_child", "id",
    ]

    init(context: HostContext, dates: DateTypes) {
        self.context = context
        self.dates = dates
        defineRecord()
        defineQuery()
    }

    func install(_ state: LuaState) {
        state.registerType(record)
        state.registerType(queryType)
        state.register("members") { [unowned self] call in
            var query = MemberQuery()
            query.scopePlaceCode = context.actor.isDistrictScope ? nil : context.actor.scopePlaceCode
            if !call.isNil(1) {
                guard call.isTable(1) else { throw call.argumentError(1, "filter table expected, got \(call.typeName(1))") }
                try applyFilters(try call.table(1), to: &query, call: call)
            }
            call.push(MemberQueryBox(query), as: queryType)
            return 1
        }
        state.register("member") { [unowned self] call in
            let id = try call.integer(1)
            guard let m = try context.snapshot.member(id: id), context.inScope(placeCode: m.communityCode ?? m.placeCode),
                  context.inScope(placeCode: m.placeCode) else {
                throw LuaScriptError("no member with id \(id) in your scope")
            }
            call.push(MemberBox(m), as: record)
            return 1
        }
    }

    private func defineRecord() {
        let record = self.record, dates = self.dates, context = self.context
        record.describe = { "member \($0.member.id) \($0.member.name)" }
        // A member box holds a record and its tags, nothing tied to a thread: freeing one
        // (about a thousand instructions) moves off the script's thread.
        record.releasedElsewhere = true
        // Integers, booleans and nil are `scalar:` properties, read by C without a Lua call
        // into Swift: a loop over members reads a few of them per member.
        record.property("id", scalar: { .integer($0.member.id) })
        record.property("name") { .init($0.member.name) }
        record.property("sex") { .init($0.member.sex.rawValue) }
        record.property("birth_date", push: { box, call in dates.push(box.member.birthDate, call) })
        record.property("age", scalar: { [unowned context] in .integer(Int64($0.member.age(on: context.today))) })
        record.property("town") { .init($0.member.placeCode) }
        record.property("town_name") { [unowned context] in .init(context.placeNames[$0.member.placeCode] ?? $0.member.placeCode) }
        record.property("community") { $0.member.communityCode.map { LuaValue($0) } ?? .nil }
        record.property("identity_number") { [unowned context] m in
            .init(context.actor.canUnmask ? m.member.identityNumber.value : m.member.identityNumber.description)
        }
        record.property("phone") { [unowned context] m in
            guard let p = m.member.phone else { return .nil }
            return .init(context.actor.canUnmask ? p.value : p.masked)
        }
        record.property("minimum_living_allowance", scalar: { .boolean($0.member.household.minimumLivingAllowance) })
        record.property("extreme_hardship", scalar: { .boolean($0.member.household.extremeHardship) })
        record.property("registered_poor", scalar: { .boolean($0.member.household.registeredPoor) })
        record.property("hardship", scalar: { .boolean($0.member.household.isInHardship) })
        record.property("disability_category") { $0.member.disability.map { LuaValue($0.category.rawValue) } ?? .nil }
        record.property("disability_grade", scalar: { $0.member.disability.map { .integer(Int64($0.grade)) } })
        record.property("certificate_expiry", push: { box, call in
            if let d = box.member.disability?.expiry { dates.push(d, call) } else { call.pushNil() }
        })
        record.property("union_card", scalar: { .boolean($0.member.unionCard != nil) })
        record.property("model_worker") { $0.member.unionCard.map { .init($0.modelWorker.rawValue) } ?? .nil }
        record.property("new_form_worker") { $0.member.unionCard?.newFormWorker.map { .init($0.rawValue) } ?? .nil }
        record.property("elderly", scalar: { .boolean($0.member.elderly != nil) })
        record.property("empty_nest", scalar: { .boolean($0.member.elderly?.emptyNest ?? false) })
        record.property("living_alone", scalar: { .boolean($0.member.elderly?.livingAlone ?? false) })
        record.property("dependent", scalar: { .boolean($0.member.elderly?.dependent ?? false) })
        record.property("home_visit_hours", scalar: { $0.member.elderly.map { .integer(Int64($0.homeVisitHoursPerQuarter)) } })
        record.property("home_visit_hours_used") { [unowned context] m in
            guard m.member.elderly != nil else { return .nil }
            let values = try context.snapshot.fieldValues(memberID: m.member.id, [.homeVisitHoursUsed])
            if case .integer(let n) = values.first { return .integer(n) }
            return .integer(0)
        }
        // The quarter `home_visit_hours_used` counts (a period), nil when none is recorded.
        record.property("home_visit_quarter", push: { [unowned context] box, call in
            if box.member.elderly != nil, let q = try context.snapshot.homeVisitQuarter(memberID: box.member.id) {
                call.push(PeriodBox(q), as: dates.period)
            } else {
                call.pushNil()
            }
        })
        record.property("student", scalar: { .boolean($0.member.student != nil) })
        record.property("university") { $0.member.student.map { .init($0.university) } ?? .nil }
        record.property("admission_year", scalar: { $0.member.student.map { .integer(Int64($0.admissionYear)) } })
        record.property("income", scalar: { $0.member.student.map { .integer($0.annualHouseholdIncome.fen) } })
        record.property("applied_on", push: { box, call in
            if let d = box.member.student?.appliedOn { dates.push(d, call) } else { call.pushNil() }
        })
        record.property("rehab_child", scalar: { .boolean($0.member.rehabChild != nil) })
        record.property("tags") { [unowned context] box in
            .table(LuaTable(array: try box.tags(in: context.snapshot).sorted().map { LuaValue($0) }))
        }
        record.method("has_tag") { [unowned context] box, call in
            call.push(try box.tags(in: context.snapshot).contains(try call.string(2)))
            return 1
        }
        record.method("age_on") { box, call in call.push(box.member.age(on: try call.object(2, dates.date).date)); return 1 }
        record.metamethod("__eq") { call in
            call.push(call.optionalObject(1, record)?.member.id == call.optionalObject(2, record)?.member.id)
            return 1
        }
    }

    private func defineQuery() {
        let queryType = self.queryType, record = self.record
        queryType.describe = { _ in "members query" }
        queryType.method("count") { [unowned self] box, call in
            call.push(try context.snapshot.countMembers(box.query)); return 1
        }
        queryType.method("count_by") { [unowned self] box, call in
            let field = try Self.field(call, 2)
            var table = LuaTable()
            for group in try context.snapshot.countMembers(box.query, by: field) {
                let key: LuaValue = field == .town || field == .community ? .init(group.label) : Self.lua(group.key)
                table[key] = .integer(Int64(group.count))
            }
            try call.push(.table(table)); return 1
        }
        queryType.method("sum") { [unowned self] box, call in
            let field = try Self.field(call, 2)
            guard field.isSummable else { throw LuaScriptError("cannot sum '\(field.rawValue)': only hours and income add up") }
            try call.push(Self.lua(try context.snapshot.sumMembers(box.query, of: field))); return 1
        }
        queryType.method("order_by") { box, call in
            var q = box.query
            q.order = []
            for i in 2...max(2, call.count) where !call.isNil(i) {
                var name = try call.string(i)
                var descending = false
                if name.hasPrefix("-") { descending = true; name.removeFirst() }
                if name.hasSuffix(" desc") { descending = true; name.removeLast(5) }
                guard let field = MemberField(name: name) else { throw Self.unknownField(name) }
                q.order.append(MemberOrder(field, descending: descending))
            }
            call.push(MemberQueryBox(q), as: queryType); return 1
        }
        queryType.method("limit") { box, call in
            var q = box.query
            let n = try call.integer(2)
            guard n >= 0 else { throw call.argumentError(2, "limit must not be negative") }
            q.limit = Int(n)
            call.push(MemberQueryBox(q), as: queryType); return 1
        }
        queryType.method("where") { [unowned self] box, call in
            var q = box.query
            try applyFilters(try call.table(2), to: &q, call: call)
            call.push(MemberQueryBox(q), as: queryType); return 1
        }
        queryType.method("first") { [unowned self] box, call in
            var q = box.query
            q.limit = 1
            if let m = try context.snapshot.members(q).first { call.push(MemberBox(m), as: record) } else { call.pushNil() }
            return 1
        }
        queryType.method("list") { [unowned self] box, call in
            // A bounded list: large sets are for each() (streaming) or count/sum (SQL).
            var q = box.query
            let cap = 10_000
            q.limit = min(q.limit ?? cap + 1, cap + 1)
            let rows = try context.snapshot.members(q)
            guard rows.count <= cap else {
                throw LuaScriptError("list() returns at most \(cap) members; use :each() to go through more, or :limit(n)")
            }
            lua_createtable_(call, rows.count)
            for (i, m) in rows.enumerated() {
                call.push(MemberBox(m), as: record)
                lua_rawseti_(call, Int64(i + 1))
            }
            return 1
        }
        queryType.method("each") { [unowned self] box, call in
            // Each member's box is made by the cursor: on its read-ahead thread, for a long query.
            let cursor = try context.snapshot.memberCursor(box.query, tags: false) { MemberBox($0, tagsRead: false) }
            context.track(cursor)
            let generation = context.snapshotGeneration
            call.state.pushFunction(name: "each") { [unowned self] inner in
                // The cursor reads through the snapshot it was made in; in the REPL a later
                // evaluation has another one.
                guard context.snapshotGeneration == generation else {
                    throw LuaScriptError("this each() iterator belongs to an earlier evaluation; call :each() again")
                }
                if let member = try cursor.next() { inner.push(member, as: record) } else { inner.pushNil() }
                return 1
            }
            return 1
        }
    }

    static func field(_ call: LuaCall, _ i: Int32) throws -> MemberField {
        let name = try call.string(i)
        guard let field = MemberField(name: name) else { throw unknownField(name) }
        return field
    }

    static func unknownField(_ name: String) -> LuaScriptError {
        LuaScriptError("unknown member field '\(name)' (fields: \(MemberField.allCases.map(\.rawValue).joined(separator: ", ")))")
    }

    static func lua(_ value: FieldValue) -> LuaValue {
        switch value {
        case .null: return .nil
        case .bool(let b): return .boolean(b)
        case .integer(let i): return .integer(i)
        case .money(let m): return .integer(m.fen)
        case .date(let d): return .init(d.iso)
        case .text(let s): return .init(s)
        }
    }
}

// Small stack helpers for building result arrays without copying through LuaValue.
import CLua
func lua_createtable_(_ call: LuaCall, _ n: Int) { lua_createtable(call.L, Int32(clamping: n), 0) }
func lua_rawseti_(_ call: LuaCall, _ i: Int64) { lua_rawseti(call.L, -2, i) }
