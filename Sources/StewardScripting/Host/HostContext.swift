import Foundation
import LuaRuntime
import StewardCore
import StewardStore

/// Who a run acts as, and what that person may see and change.
public struct RunActor: Sendable, Hashable {
    public var userName: String
    public var role: UserRole
    /// The place the user works for: the district code, or one town's code.
    public var scopePlaceCode: String
    /// True when the scope is the whole district.
    public var isDistrictScope: Bool
    /// Whether identity and phone numbers are shown unmasked.
    public var canUnmask: Bool

    public init(userName: String, role: UserRole, scopePlaceCode: String, isDistrictScope: Bool, canUnmask: Bool) {
        self.userName = userName
        self.role = role
        self.scopePlaceCode = scopePlaceCode
        self.isDistrictScope = isDistrictScope
        self.canUnmask = canUnmask
    }

    /// The checker's view of the scope.
    public var actorScope: ActorScope { isDistrictScope ? .district : .town(scopePlaceCode) }
}

/// Everything one run's host functions share: the read-only snapshot, the actor, the date,
/// the parameters, and the effects proposed so far, checked one by one as the script makes
/// them so an error points at the script's line and `available()` counts this run's grants.
public final class HostContext {
    /// Option strings made into Swift Strings once, not once per grant (see ``LuaTextMemo``).
    let texts = LuaTextMemo()
    /// The read-only view the host functions query. It is valid only inside the `store.read`
    /// that lent it: a run keeps one for its whole length; the REPL's evaluator, which lives
    /// across many evaluations, opens a fresh `store.read` per evaluation and sets the new
    /// snapshot here (its pending effects stay). Anything that holds on to a snapshot between
    /// calls (a member cursor) checks ``snapshotGeneration`` first.
    public var snapshot: StoreSnapshot {
        didSet { snapshotGeneration &+= 1 }
    }
    /// Bumped each time ``snapshot`` is replaced.
    public private(set) var snapshotGeneration = 0
    /// The member cursors `each()` opened, held weakly: a run's go with its Lua state, and the
    /// REPL ends an evaluation's with ``closeCursors()``.
    private var cursors: [WeakCursor] = []

    private struct WeakCursor {
        weak var cursor: MemberObjectCursor<MemberBox>?
    }

    /// Remembers a cursor `each()` opened on ``snapshot``, for ``closeCursors()``.
    func track(_ cursor: MemberObjectCursor<MemberBox>) {
        // A script that opens a query per town or per member leaves many finished cursors
        // behind: their slots are dropped whenever the list doubles.
        if cursors.count >= 64, cursors.count.nonzeroBitCount == 1 { cursors.removeAll { $0.cursor == nil } }
        cursors.append(WeakCursor(cursor: cursor))
    }

    /// Ends every cursor `each()` opened that is still alive (``MemberCursor/close()``), so that
    /// none holds a read transaction after its snapshot's `store.read`: the REPL calls it at the
    /// end of each evaluation, inside that evaluation's read. An iterator kept in a variable
    /// already refuses to go on in a later evaluation (``snapshotGeneration``).
    public func closeCursors() {
        for entry in cursors { entry.cursor?.close() }
        cursors.removeAll()
    }
    public let actor: RunActor
    public let today: CivilDate
    /// The nominal time of the scheduled slot, for `run.slot`.
    public let slot: Date?
    /// `run.slot` as the script sees it, when the caller formats it (the scheduled runner
    /// gives the nominal local time in the schedule's zone); nil: `slot` in Asia/Shanghai.
    public var slotText: String?
    /// Effects a run may propose before it is stopped (a host limit).
    public let effectLimit: Int
    public internal(set) var parameters: [String: LuaValue] = [:]
    /// Accepted effects, in the order proposed: what a dry run shows and a commit applies.
    @exclusivity(unchecked) public private(set) var changeSet = ChangeSet()
    /// Effects that a previous run already applied (proposed again, skipped).
    @exclusivity(unchecked) public private(set) var alreadyApplied: [Effect] = []
    public internal(set) var warnings: [String] = []
    /// The script header, once `script{...}` has run.
    public internal(set) var header: ScriptHeader?

    // `@exclusivity(unchecked)` on what every proposed effect touches: a context serves one
    // run on one thread, and Swift's run-time check of each access to a class's stored
    // property cost about 60 instructions, 3 % of a subsidy run's script thread.
    @exclusivity(unchecked) private var checker: InvariantChecker
    private var loaded = SnapshotRequirements()
    /// The budget of the last ledger effect, already in `loaded`: a run pays from one budget
    /// over and over, and comparing with it costs less than hashing the code (``loadState(for:)``).
    private var lastLoadedBudget: String?
    @exclusivity(unchecked) private var proposed = 0

    public init(snapshot: StoreSnapshot, actor: RunActor, today: CivilDate, slot: Date? = nil,
                effectLimit: Int = 200_000) {
        self.snapshot = snapshot
        self.actor = actor
        self.today = today
        self.slot = slot
        self.effectLimit = effectLimit
        checker = InvariantChecker(snapshot: BalanceSnapshot(), actorScope: actor.actorScope)
    }

    /// Drops every pending effect and what the checker has read, so the next proposal is
    /// checked against the committed state afresh (the REPL's `\commit` and `\rollback`).
    public func discardPending() {
        changeSet = ChangeSet()
        alreadyApplied = []
        warnings = []
        checker = InvariantChecker(snapshot: BalanceSnapshot(), actorScope: actor.actorScope)
        loaded = SnapshotRequirements()
        lastLoadedBudget = nil
        proposed = 0
    }

    /// Checks `effect` against the committed state plus this run's accepted effects. Returns
    /// whether it was accepted (false: a previous run already applied it); throws a script
    /// error naming the budget, quota or facility when it breaks an invariant.
    @discardableResult
    public func propose(_ effect: consuming Effect) throws -> Bool {
        proposed += 1
        if proposed > effectLimit {
            throw LuaHostLimitError("effect limit of \(effectLimit) per run exceeded")
        }
        try loadState(for: effect)
        // Keys are looked up as the checker meets them, one indexed probe each.
        let snapshot = self.snapshot
        let outcome = try checker.check(effect) { try snapshot.isApplied($0) }
        for warning in outcome.warnings { warn(warning.description) }
        switch outcome.status {
        case .accepted:
            changeSet.append(effect)
            return true
        case .alreadyApplied:
            alreadyApplied.append(effect)
            return false
        case .refused:
            let reasons = outcome.violations.map(\.description).joined(separator: "; ")
            throw LuaScriptError(reasons)
        }
    }

    /// Most warnings kept for one run, and most characters of each: warnings live outside
    /// the Lua heap, so they get their own bound.
    static let warningLimit = 1_000
    static let warningLength = 1_000
    private var suppressedWarnings = 0

    /// Records a warning for the report: control characters escaped (it reaches a terminal),
    /// cut to a bounded length, and counted past the limit instead of kept.
    func warn(_ text: String) {
        guard warnings.count < Self.warningLimit else {
            suppressedWarnings += 1
            let note = "… and \(suppressedWarnings) more warning(s) not shown"
            if warnings.count == Self.warningLimit { warnings.append(note) } else { warnings[warnings.count - 1] = note }
            return
        }
        var clean = String(decoding: LuaOutput.sanitize(Array(text.utf8)), as: UTF8.self)
        if clean.count > Self.warningLength { clean = String(clean.prefix(Self.warningLength)) + "…" }
        warnings.append(clean)
    }

    /// The projected available balance of a budget (committed minus this run's effects).
    public func available(budget code: String) throws -> Money? {
        var needs = SnapshotRequirements()
        needs.budgetCodes = [code]
        try load(needs)
        return checker.available(code)
    }

    /// Quota used so far for a key, counting this run's bookings.
    public func quotaState(_ key: QuotaKey) throws -> QuotaState? {
        var needs = SnapshotRequirements()
        needs.quotaKeys = [key]
        needs.bookedProgrammeCodes = [key.programmeCode]
        try load(needs)
        return checker.state.quotas[key]
    }

    /// Facility places, counting this run's enrolments.
    public func facilityState(_ code: String) throws -> FacilityState? {
        var needs = SnapshotRequirements()
        needs.facilityCodes = [code]
        try load(needs)
        return checker.state.facilities[code]
    }

    /// Reads what checking `effect` needs and the checker does not have yet, but its key
    /// (the checker asks about keys itself). Called for every effect a run proposes (tens of
    /// thousands in a subsidy run), so the common case, the budget of the effect before,
    /// costs one comparison of strings that share their storage.
    private func loadState(for effect: Effect) throws {
        var needs = SnapshotRequirements()
        switch effect {
        case .ledger(let entry):
            if entry.budgetCode == lastLoadedBudget { return }
            if !loaded.budgetCodes.contains(entry.budgetCode) {
                needs.budgetCodes = [entry.budgetCode]
                try load(needs)
            }
            lastLoadedBudget = entry.budgetCode
            return
        case .reminder, .waitlist:
            break
        case .quotaBooking, .setQuota, .enrolment, .recordUpdate:
            needs = ChangeSet([effect]).requirements
        }
        if needs != SnapshotRequirements() { try load(needs) }
    }

    /// Reads the committed state the checker does not have yet. Effect keys in `needs` are
    /// left out: the checker asks about each key itself (see ``propose(_:)``).
    private func load(_ needs: SnapshotRequirements) throws {
        // Filter the (small) needs against the (growing) loaded sets: cost per effect stays
        // constant however many effects the run has proposed.
        var missing = SnapshotRequirements()
        missing.budgetCodes = needs.budgetCodes.filter { !loaded.budgetCodes.contains($0) }
        missing.bookedProgrammeCodes = needs.bookedProgrammeCodes.filter { !loaded.bookedProgrammeCodes.contains($0) }
        missing.quotaKeys = needs.quotaKeys.filter { !loaded.quotaKeys.contains($0) }
        missing.facilityCodes = needs.facilityCodes.filter { !loaded.facilityCodes.contains($0) }
        missing.fields = needs.fields.filter { !loaded.fields.contains($0) }
        if missing == SnapshotRequirements() { return }
        let more = try snapshot.balanceSnapshot(for: missing)
        checker.include(more)
        loaded.budgetCodes.formUnion(missing.budgetCodes)
        loaded.bookedProgrammeCodes.formUnion(missing.bookedProgrammeCodes)
        loaded.quotaKeys.formUnion(missing.quotaKeys)
        loaded.facilityCodes.formUnion(missing.facilityCodes)
        loaded.fields.formUnion(missing.fields)
    }

    /// Whether a place (town or community code) is inside the actor's scope.
    public func inScope(placeCode: String?) -> Bool {
        if actor.isDistrictScope { return true }
        guard let placeCode else { return false }
        return placeCode == actor.scopePlaceCode || placeParents[placeCode] == actor.scopePlaceCode
    }

    lazy var places: [Place] = (try? snapshot.places()) ?? []
    lazy var placeParents: [String: String] = Dictionary(places.compactMap { p in p.parentCode.map { (p.code, $0) } },
                                                        uniquingKeysWith: { a, _ in a })
    lazy var placeNames: [String: String] = Dictionary(places.map { ($0.code, $0.name) }, uniquingKeysWith: { a, _ in a })

    /// A town or community given by code or Chinese name (`"儒林镇"`), as its code.
    func placeCode(named text: String) -> String? {
        if placeNames[text] != nil { return text }
        return places.first { $0.name == text }?.code
    }
}

/// What `script{...}` declares: a name, a title, typed parameters, and whether re-running the
/// script for the same slot is safe (for the runner's retries).
public struct ScriptHeader: Sendable, Hashable, Codable {
    public var name: String
    public var title: String
    public var idempotent: Bool
    public var parameters: [ParameterSpec]

    public struct ParameterSpec: Sendable, Hashable, Codable {
        public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
            case integer, number, string, boolean, date, period, money
        }
        public var name: String
        public var kind: Kind
        public var defaultText: String?
        public var required: Bool
        public var help: String?
    }
}
