import Foundation
import LuaRuntime
import StewardCore
import StewardStore

/// The whole host API for one run: every binding, sharing one ``HostContext``. Keep it alive
/// for as long as the state runs (bindings are referenced unowned from Lua closures).
public final class DomainHost {
    public let context: HostContext
    let dates = DateTypes()
    let members: MemberBindings
    let facilities: FacilityBindings
    let programmes: ProgrammeBindings
    let budgets: BudgetBindings
    let effects: EffectBindings
    let holdings: HoldingBindings
    let header: HeaderBindings
    let dryRun: Bool

    public init(context: HostContext, parameters: [String: String], dryRun: Bool, headerOnly: Bool = false) {
        self.context = context
        self.dryRun = dryRun
        members = MemberBindings(context: context, dates: dates)
        facilities = FacilityBindings(context: context, dates: dates)
        programmes = ProgrammeBindings(context: context, dates: dates)
        programmes.members = members
        budgets = BudgetBindings(context: context, members: members, dates: dates, programmes: programmes)
        effects = EffectBindings(context: context, members: members, programmes: programmes, facilities: facilities, dates: dates)
        holdings = HoldingBindings(context: context, members: members, facilities: facilities, programmes: programmes, dates: dates)
        effects.holdings = holdings
        header = HeaderBindings(context: context, dates: dates, given: parameters, headerOnly: headerOnly)
    }

    /// The host types hold closures that push each other's objects (a date's `month_end`
    /// pushes a date; a member's `birth_date` pushes a date), so they form reference cycles
    /// that would keep every binding and the run's context alive after the run. Breaking them
    /// here — the host outlives every state it installed into — is what keeps thousands of
    /// runs in one process (the runner, the REPL's worker) flat in memory.
    deinit {
        dates.date.removeAll()
        dates.span.removeAll()
        dates.period.removeAll()
        members.record.removeAll()
        members.queryType.removeAll()
        facilities.record.removeAll()
        facilities.queryType.removeAll()
        programmes.type.removeAll()
        budgets.type.removeAll()
        holdings.post.removeAll()
        holdings.loan.removeAll()
        holdings.entry.removeAll()
    }

    /// Installs the API and the Lua library into a fresh sandboxed state.
    public func install(_ state: LuaState) throws {
        dates.install(state, today: context.today)
        MoneyBindings.install(state)
        members.install(state)
        facilities.install(state)
        programmes.install(state)
        budgets.install(state)
        effects.install(state)
        holdings.install(state)
        header.install(state, dryRun: dryRun)
        LibraryBindings.installHelpers(state)
        try LibraryBindings.loadStdlib(state)
    }
}
