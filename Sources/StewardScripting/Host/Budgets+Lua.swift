import CLua
import Foundation
import LuaRuntime
import StewardCore
import StewardStore

/// A budget in a script: `budget "relief-2025"`. Its `available()` counts this run's own
/// proposed entries; `grant`, `allocate` and `refund` propose ledger entries.
final class BudgetBox {
    let budget: Budget
    init(_ budget: Budget) { self.budget = budget }
}

final class BudgetBindings {
    let type = LuaType<BudgetBox>("budget")
    unowned let context: HostContext
    let members: MemberBindings
    let dates: DateTypes
    let programmes: ProgrammeBindings

    init(context: HostContext, members: MemberBindings, dates: DateTypes, programmes: ProgrammeBindings) {
        self.context = context
        self.members = members
        self.dates = dates
        self.programmes = programmes
        define()
    }

    func install(_ state: LuaState) {
        state.registerType(type)
        state.register("budget") { [unowned self] call in
            let code = try call.string(1)
            guard let balance = try context.snapshot.budgetBalance(code: code) else {
                let known = (try? context.snapshot.budgetBalances().map(\.budget.code).joined(separator: ", ")) ?? ""
                throw LuaScriptError("no budget '\(code)' (budgets: \(known))")
            }
            call.push(BudgetBox(balance.budget), as: type)
            return 1
        }
    }

    private func define() {
        let type = self.type
        type.describe = { "budget \($0.budget.code)" }
        type.property("code") { .init($0.budget.code) }
        type.property("name") { .init($0.budget.name) }
        type.property("office") { .init($0.budget.office.rawValue) }
        type.property("year") { .integer(Int64($0.budget.year)) }
        type.property("total") { .integer($0.budget.total.fen) }
        type.method("available") { [unowned self] box, call in
            call.push(try context.available(budget: box.budget.code)?.fen ?? 0)
            return 1
        }
        for (name, kind) in [("grant", LedgerEntryKind.disbursement), ("allocate", .allocation), ("refund", .refund)] {
            type.method(name) { [unowned self] box, call in
                call.push(try ledger(box, call, kind: kind, verb: name))
                return 1
            }
        }
        type.method("adjust") { [unowned self] box, call in
            call.push(try ledger(box, call, kind: .adjustment, verb: "adjust"))
            return 1
        }
    }

    /// The key template of the last member grant, and the parts it was made for. A run pays
    /// one programme for one period over and over: while the parts repeat (strings that share
    /// their storage compare at once), each key is made from the template, not composed. A
    /// class, so that comparing its parts copies (and retains) none of them.
    private final class LastKeyTemplate {
        let verb: String, budget: String, programme: String, period: Period, kind: String
        let template: IdempotencyKey.Template
        init(verb: String, budget: String, programme: String, period: Period, kind: String, template: IdempotencyKey.Template) {
            self.verb = verb; self.budget = budget; self.programme = programme; self.period = period; self.kind = kind
            self.template = template
        }
    }
    private var lastKeyTemplate: LastKeyTemplate?

    /// `verb|budget|programme|m<id>|period|kind`, as `IdempotencyKey.compose` makes it.
    func memberKey(verb: String, budget: String, programme: String, member: MemberID, period: Period, kind: String) -> String {
        if let last = lastKeyTemplate, last.verb == verb, last.budget == budget, last.programme == programme,
           last.period == period, last.kind == kind {
            return last.template.key(member: member)
        }
        let template = IdempotencyKey.Template(head: [verb, budget, programme], tail: [dates.text(of: period), kind])
        lastKeyTemplate = LastKeyTemplate(verb: verb, budget: budget, programme: programme, period: period, kind: kind,
                                          template: template)
        return template.key(member: member)
    }

    /// `fund:grant(member, amount, { programme =, kind =, period =, key =, memo = })`.
    /// Returns true when the entry was proposed, false when an earlier run already made it.
    private func ledger(_ box: BudgetBox, _ call: LuaCall, kind: LedgerEntryKind, verb: String) throws -> Bool {
        // The subject: a member, or nil for entries not tied to a person (a town's share).
        var memberID: MemberID?
        var placeCode: String?
        if let m = call.optionalObject(2, members.record) {
            try context.requireInScope(m, verb)
            memberID = m.member.id
            placeCode = m.member.placeCode
        } else if !call.isNil(2) {
            throw call.argumentError(2, "member expected, got \(call.typeName(2))")
        }
        let amount = try MoneyBindings.amount(call, 3)
        let options = try Options(call, 4, dates: dates, programmes: programmes, texts: context.texts, function: verb)
        if let town = options.town {
            guard let code = context.placeCode(named: town) else { throw LuaScriptError("\(verb): no place named '\(town)'") }
            placeCode = code
        }
        if let placeCode { try context.requireInScope(place: placeCode, verb) }
        // A town's entry without a member or place is the town's.
        if placeCode == nil { placeCode = context.townScope }
        var key = options.key
        if key == nil, let programme = options.programme, let period = options.period {
            // Programme + member (or place) + period + kind: a re-run for the same period
            // proposes nothing new.
            if let memberID {
                key = memberKey(verb: verb, budget: box.budget.code, programme: programme, member: memberID, period: period,
                                kind: options.kind ?? "")
            } else {
                key = IdempotencyKey.compose([verb, box.budget.code, programme, placeCode ?? "-", dates.text(of: period),
                                              options.kind ?? ""])
            }
        }
        let effect = Effect.ledger(LedgerEffect(
            budgetCode: box.budget.code, kind: kind, amount: Money(fen: amount), memberID: memberID,
            placeCode: placeCode, programmeCode: options.programme, benefitKind: options.kind, period: options.period,
            memo: options.memo ?? "", idempotencyKey: key))
        return try context.propose(effect)
    }
}

/// The options table most effect functions take.
struct Options {
    var programme: String?
    var kind: String?
    var period: Period?
    var key: String?
    var memo: String?
    var town: String?
    var raw: LuaTable

    static let known = Set(OptionName.allCases.map { "\($0)" })
}

// In an extension, so that Swift synthesises the memberwise initialiser this one ends with:
// a struct initialiser written out, which assigns its `var` properties one by one, copied the
// whole value out once more (Swift 6.3; see `LedgerEffect`), once per grant.
extension Options {
    init(_ call: LuaCall, _ i: Int32, dates: DateTypes, programmes: ProgrammeBindings, texts: LuaTextMemo,
         function: String, extra: Set<String> = []) throws {
        guard !call.isNil(i) else {
            self.init(programme: nil, kind: nil, period: nil, key: nil, memo: nil, town: nil, raw: LuaTable())
            return
        }
        guard lua_istable_(call.L, i) else { throw call.argumentError(i, "options table expected, got \(call.typeName(i))") }
        // Read the options raw from the stack: programme and period may be host objects.
        let L = call.L
        let t = lua_absindex_(L, i)
        var table = LuaTable()
        var programme, kind, key, memo, town: String?
        var period: Period?
        lua_pushnil_(L)
        while lua_next_(L, t) {
            let top = lua_gettop_(L)
            switch OptionName(L, -2) {
            case .programme:
                if let p = call.optionalObject(top, programmes.type) { programme = p.programme.code } else {
                    guard let s = texts.string(L, top) else { lua_pop_(L, 2); throw LuaScriptError("\(function): programme must be a code or a programme") }
                    programme = s
                }
            case .period:
                do { period = try DateTypes.period(call, top, dates) } catch { lua_pop_(L, 2); throw error }
            case let option? :
                guard let s = texts.string(L, top) else { lua_pop_(L, 2); throw LuaScriptError("\(function): '\(option)' must be a string") }
                switch option {
                case .kind: kind = s
                case .key: key = s
                case .memo: memo = s
                default: town = s
                }
            case nil:
                guard let name = LuaStackText.string(L, -2) else { lua_pop_(L, 2); throw LuaScriptError("\(function): option names are strings") }
                // Known names are matched on their bytes (once per option of every grant), so
                // only a name outside `known` is made a String and reaches the set of extras.
                guard extra.contains(name) else {
                    lua_pop_(L, 2)
                    throw LuaScriptError("\(function): unknown option '\(name)' (options: \((Options.known.union(extra)).sorted().joined(separator: ", ")))")
                }
                do { table[name] = try call.value(top) } catch {
                    lua_pop_(L, 2)
                    throw LuaScriptError("\(function): option '\(name)': \(error)")
                }
            }
            lua_pop_(L, 1)
        }
        self.init(programme: programme, kind: kind, period: period, key: key, memo: memo, town: town, raw: table)
    }
}

/// The option names ``Options`` knows, recognised on a Lua string's bytes without making a
/// String of it (each case's name is the option's).
enum OptionName: CaseIterable {
    case programme, kind, period, key, memo, town

    /// The option named by the string at `i`; nil for any other value or name.
    init?(_ L: OpaquePointer, _ i: Int32) {
        // The type first: `lua_tolstring` would turn a number key into a string in place,
        // which breaks `lua_next`.
        guard lua_type(L, i) == LUA_TSTRING else { return nil }
        var count = 0
        guard let start = lua_tolstring(L, i, &count) else { return nil }
        // By length, then one comparison with a literal: once per option of every grant, so
        // no table of spellings to reach (a lazily made static is a guarded access per use).
        func named(_ name: StaticString) -> Bool { memcmp(name.utf8Start, start, count) == 0 }
        switch count {
        case 3 where named("key"): self = .key
        case 4 where named("kind"): self = .kind
        case 4 where named("memo"): self = .memo
        case 4 where named("town"): self = .town
        case 6 where named("period"): self = .period
        case 9 where named("programme"): self = .programme
        default: return nil
        }
    }
}
