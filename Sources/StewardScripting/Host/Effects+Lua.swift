import LuaRuntime
import StewardCore
import StewardStore

/// Effects that are not money: reminders, waitlists, enrolments, record updates, warnings.
final class EffectBindings {
    unowned let context: HostContext
    let members: MemberBindings
    let programmes: ProgrammeBindings
    let facilities: FacilityBindings
    let dates: DateTypes
    /// Set after construction: lets `update()` change a waitlist entry's status.
    var holdings: HoldingBindings?

    init(context: HostContext, members: MemberBindings, programmes: ProgrammeBindings, facilities: FacilityBindings,
         dates: DateTypes) {
        self.context = context
        self.members = members
        self.programmes = programmes
        self.facilities = facilities
        self.dates = dates
    }

    func install(_ state: LuaState) {
        // remind{ subject = member_or_facility, kind =, due = date, text =, key = }
        state.register("remind") { [unowned self] call in
            guard call.isTable(1) else { throw call.argumentError(1, "table expected: remind{ subject =, kind =, due =, text = }") }
            let L = call.L
            func field(_ name: String) -> Int32 {
                lua_pushstring_(L, name)
                lua_rawget_(L, 1)
                return lua_gettop_(L)
            }
            var subjectKind = EntityKind.member
            var subjectID = ""
            let s = field("subject")
            if let m = call.optionalObject(s, members.record) {
                try context.requireInScope(m, "remind")
                subjectID = String(m.member.id)
            } else if let f = call.optionalObject(s, facilities.record) {
                try context.requireInScope(f.facility, "remind")
                subjectKind = .facility
                subjectID = f.facility.code
            } else {
                throw LuaScriptError("remind: subject must be a member or a facility")
            }
            // The memo: a loop of reminders names one kind over and over.
            guard let kind = context.texts.string(L, field("kind")), !kind.isEmpty else { throw LuaScriptError("remind: kind must be a name, e.g. \"certificate_expiry\"") }
            guard let due = call.optionalObject(field("due"), dates.date)?.date else { throw LuaScriptError("remind: due must be a date") }
            guard let text = LuaStackText.string(L, field("text")), !text.isEmpty else { throw LuaScriptError("remind: text is needed") }
            let key = LuaStackText.string(L, field("key"))
                ?? IdempotencyKey.compose([kind, subjectKind.rawValue, subjectID, due.iso])
            call.push(try context.propose(.reminder(ReminderEffect(subjectKind: subjectKind, subjectID: subjectID, kind: kind,
                                                                     dueDate: due, text: text, dedupKey: key))))
            return 1
        }
        // waitlist(member, programme, reason[, { facility = }])
        state.register("waitlist") { [unowned self] call in
            let m = try call.object(1, members.record)
            try context.requireInScope(m, "waitlist")
            let programme = try programmeCode(call, 2)
            let reason = try call.string(3)
            var facility: String?
            if !call.isNil(4) {
                let f = try call.object(4, facilities.record).facility
                try context.requireInScope(f, "waitlist")
                facility = f.code
            }
            call.push(try context.propose(.waitlist(WaitlistEffect(memberID: m.member.id, programmeCode: programme,
                                                                     facilityCode: facility, reason: reason))))
            return 1
        }
        // enrol(member, programme, { start = date, facility = f, key = })
        state.register("enrol") { [unowned self] call in
            let m = try call.object(1, members.record)
            try context.requireInScope(m, "enrol")
            let programme = try programmeCode(call, 2)
            var start = context.today
            var facility: String?
            var key: String?
            if !call.isNil(3) {
                let L = call.L
                guard call.isTable(3) else { throw call.argumentError(3, "options table expected") }
                lua_pushstring_(L, "start"); lua_rawget_(L, 3)
                if let d = call.optionalObject(lua_gettop_(L), dates.date) { start = d.date }
                lua_pushstring_(L, "facility"); lua_rawget_(L, 3)
                if let f = call.optionalObject(lua_gettop_(L), facilities.record) {
                    try context.requireInScope(f.facility, "enrol")
                    facility = f.facility.code
                }
                lua_pushstring_(L, "key"); lua_rawget_(L, 3)
                key = LuaStackText.string(L, lua_gettop_(L))
            }
            let effectiveKey = key ?? IdempotencyKey.compose(["enrol", programme, "m\(m.member.id)", facility ?? "-"])
            call.push(try context.propose(.enrolment(EnrolmentEffect(memberID: m.member.id, programmeCode: programme,
                                                                       facilityCode: facility, startDate: start,
                                                                       idempotencyKey: effectiveKey))))
            return 1
        }
        // update(record, field, value): a change to one field the host allows scripts to make.
        state.register("update") { [unowned self] call in
            let entity: EntityKind
            let id: String
            if let m = call.optionalObject(1, members.record) {
                try context.requireInScope(m, "update")
                entity = .member; id = String(m.member.id)
            } else if let f = call.optionalObject(1, facilities.record) {
                try context.requireInScope(f.facility, "update")
                entity = .facility; id = f.facility.code
            } else if let e = holdings.flatMap({ call.optionalObject(1, $0.entry) }) {
                // A waitlist entry: only its status, e.g. update(entry, "status", "placed").
                guard context.inScope(placeCode: e.member.placeCode) else { throw context.outsideScope("update", "waitlist entry \(e.entry.id)") }
                guard (try? call.string(2)) == "status", let s = try? call.string(3), WaitlistStatus(rawValue: s) != nil else {
                    throw LuaScriptError("update: a waitlist entry's only field is status: \"placed\", \"withdrawn\" or \"waiting\"")
                }
                entity = .waitlistEntry; id = String(e.entry.id)
            } else {
                throw call.argumentError(1, "member, facility or waitlist entry expected, got \(call.typeName(1))")
            }
            let field = try call.string(2)
            let value: FieldValue
            if let d = call.optionalObject(3, dates.date) { value = .date(d.date) }
            else if let p = call.optionalObject(3, dates.period) { value = .text(p.period.description) }
            else {
                switch try call.value(3) {
                case .boolean(let b): value = .bool(b)
                case .integer(let i): value = .integer(i)
                case .string(let s): value = .text(s.description)
                case .nil: value = .null
                default: throw call.argumentError(3, "a number, boolean, string, date or period expected")
                }
            }
            let current = try? context.snapshot.balanceSnapshot(for: SnapshotRequirements(fields: [FieldRef(entity: entity, id: id, field: field)]))
            let old = current?.fieldValues[FieldRef(entity: entity, id: id, field: field)]
            call.push(try context.propose(.recordUpdate(RecordUpdate(entity: entity, id: id, field: field, old: old, new: value))))
            return 1
        }
        state.register("warn") { [unowned self] call in
            let n = call.count
            var parts: [String] = []
            for i in 1...max(1, n) where i <= n { parts.append((try? call.string(i)) ?? LuaValueText.describe((try? call.value(i)) ?? .nil)) }
            let text = parts.joined(separator: " ")
            // Warnings are output too: they count toward the output limit.
            guard call.state.chargeOutput(text.utf8.count + 10) else { return 0 }
            context.warn(text)
            return 0
        }
    }

    func programmeCode(_ call: LuaCall, _ i: Int32) throws -> String {
        if let p = call.optionalObject(i, programmes.type) { return p.programme.code }
        let code = try call.string(i)
        guard try context.snapshot.programme(code: code) != nil else { throw LuaScriptError("no programme '\(code)'") }
        return code
    }
}
