import Testing
@testable import StewardCore
import TestRandom

/// Generated sequences of grants, allocations, refunds and adjustments against one budget,
/// checked by `InvariantChecker` one at a time (as the scripting host does) and by
/// `ChangeSet.validate` as a whole (as the store does): no sequence overspends, each refused
/// step is refused for the documented reason, and the balance is the budget minus the net of
/// the accepted steps.
@Suite("Properties: grants and refunds never overspend")
struct LedgerPropertyTests {
    static let budget = "fuzz-budget"

    /// What the rules in `InvariantChecker`'s documentation say one step does.
    enum Expected: Equatable {
        case accepted
        case skipped
        case refused(InvariantViolation.Reason)
    }

    /// A plain model of those rules for ledger effects, written from the documentation.
    struct Model {
        var balance: Int64
        var budgets: Set<String>
        var appliedKeys: Set<String>
        var allowTownDraw: Bool
        var scope: ActorScope
        var keysSeen: [String: Int] = [:]

        mutating func step(_ effect: LedgerEffect, index: Int) -> Expected {
            if let problem = Effect.ledger(effect).validationErrors().first {
                return .refused(.invalidEffect(problem.message))
            }
            if let key = effect.idempotencyKey {
                if appliedKeys.contains(key) { return .skipped }
                if let first = keysSeen[key] { return .refused(.duplicateKey(EffectKey(.ledger, key), firstIndex: first)) }
                keysSeen[key] = index
            }
            guard budgets.contains(effect.budgetCode) else { return .refused(.unknownBudget(effect.budgetCode)) }
            if case .town(let town) = scope, !allowTownDraw {
                return .refused(.budgetClosedToTown(budget: effect.budgetCode, town: town))
            }
            let takesOut = effect.kind == .allocation || effect.kind == .disbursement
            let delta = takesOut ? -effect.amount.fen : effect.amount.fen
            let (after, overflow) = balance.addingReportingOverflow(delta)
            if overflow { return .refused(.overflow("")) }
            if delta < 0 && after < 0 {
                // Naming what is needed negates the delta; −Int64.min does not fit.
                if delta == Int64.min { return .refused(.overflow("")) }
                return .refused(.budgetOverdrawn(budget: effect.budgetCode, available: Money(fen: balance),
                                                 needed: Money(fen: -delta), entryKind: effect.kind))
            }
            balance = after
            return .accepted
        }
    }

    struct Case: CustomStringConvertible {
        var available: Int64
        var allowTownDraw: Bool
        var scope: ActorScope
        var appliedKeys: Set<String>
        var effects: [LedgerEffect]

        var description: String {
            let steps = effects.map { e in
                "\(e.kind.rawValue) \(e.amount.fen)" + (e.budgetCode == LedgerPropertyTests.budget ? "" : " on \(e.budgetCode)")
                    + (e.idempotencyKey.map { " key \($0)" } ?? "")
            }
            return "available \(available), scope \(scope), town draw \(allowTownDraw), applied keys \(appliedKeys.sorted()), "
                + "steps [\(steps.joined(separator: "; "))]"
        }
    }

    static func randomCase(_ random: inout SplitMix64) -> Case {
        let huge = random.chance(10)
        let available: Int64 = huge ? random.int64(0...Int64.max) : random.pick([0, random.int64(0...1_000_000), random.int64(0...10_000_000_000)])
        var c = Case(available: available, allowTownDraw: random.chance(50),
                     scope: random.chance(80) ? .district : .town("320482100"),
                     appliedKeys: random.chance(30) ? ["k0"] : [], effects: [])
        var balance = available  // a rough running balance, so amounts hover around what is left
        for _ in 0..<random.int(1...(Fuzz.long ? 200 : 40)) {
            let kind = random.pick([LedgerEntryKind.disbursement, .disbursement, .disbursement, .allocation, .refund, .refund, .adjustment])
            var amount: Int64
            switch random.int(0...19) {
            case 0: amount = 0
            case 1: amount = -random.int64(1...1000)
            case 2: amount = balance                                       // exactly what is left
            case 3: amount = balance &+ 1                                  // one fen too many
            case 4: amount = random.pick([Int64.max, Int64.min, Int64.max - balance, Int64.max / 2])
            default: amount = random.int64(1...max(1, balance / 2 + 1000))
            }
            if kind == .adjustment && random.chance(50) && amount != Int64.min { amount = -amount }
            balance = max(0, balance &- (kind == .refund ? 0 &- amount : amount))
            let code = random.chance(3) ? "no-such-budget" : Self.budget
            let key: String? = random.chance(25) ? "k\(random.int(0...5))" : nil
            c.effects.append(LedgerEffect(budgetCode: code, kind: kind, amount: Money(fen: amount), idempotencyKey: key))
        }
        return c
    }

    static func snapshot(_ c: Case) -> BalanceSnapshot {
        BalanceSnapshot(budgets: [budget: BudgetState(available: Money(fen: c.available), allowTownDraw: c.allowTownDraw)],
                        appliedKeys: Set(c.appliedKeys.map { EffectKey(.ledger, $0) }))
    }

    /// An overflow's message quotes the operands; the reason's kind is what the rules fix.
    static func sameReason(_ a: InvariantViolation.Reason, _ b: InvariantViolation.Reason) -> Bool {
        if case .overflow = a, case .overflow = b { return true }
        return a == b
    }

    @Test("each step is accepted, skipped or refused as the rules say; the balance never goes below zero")
    func checkerFollowsTheRules() {
        var outcomes: [String: Int] = [:]
        for seed in Fuzz.seeds(base: 0x1ED6_0000, short: 800, long: 30_000) {
            var random = SplitMix64(seed: seed)
            let c = Self.randomCase(&random)
            var model = Model(balance: c.available, budgets: [Self.budget], appliedKeys: c.appliedKeys,
                              allowTownDraw: c.allowTownDraw, scope: c.scope)
            var checker = InvariantChecker(snapshot: Self.snapshot(c), actorScope: c.scope)
            var failed = false
            for (index, effect) in c.effects.enumerated() {
                let expected = model.step(effect, index: index)
                let outcome = checker.check(.ledger(effect))
                let matches: Bool
                switch expected {
                case .accepted: matches = outcome.status == .accepted && outcome.violations.isEmpty
                case .skipped: matches = outcome.status == .alreadyApplied && outcome.violations.isEmpty
                case .refused(let reason):
                    matches = outcome.status == .refused && outcome.violations.count == 1
                        && outcome.violations[0].effectIndex == index && Self.sameReason(outcome.violations[0].reason, reason)
                }
                outcomes["\(expected)".prefix(while: { $0 != "(" }).description, default: 0] += 1
                let available = checker.available(Self.budget)?.fen
                if !matches || available != model.balance || (available ?? -1) < 0 {
                    Issue.record("""
                        \(Fuzz.name(seed)), step \(index) (\(effect.kind.rawValue) \(effect.amount.fen)): expected \(expected), \
                        got \(outcome.status) \(outcome.violations.map(\.description)); available \(available.map(String.init) ?? "nil"), \
                        model \(model.balance). Case: \(c)
                        """)
                    failed = true
                    break
                }
            }
            if failed { continue }

            // The whole change set at once (what the store runs) agrees with the steps.
            let changes = ChangeSet(c.effects.map(Effect.ledger))
            let validation = changes.validate(against: Self.snapshot(c), actorScope: c.scope)
            #expect(validation.violations == checker.violations, "\(Fuzz.name(seed)): \(c)")
            #expect(validation.skippedIndices == checker.skippedIndices, "\(Fuzz.name(seed)): \(c)")
            #expect(validation.projected.budgets[Self.budget]?.available.fen == model.balance, "\(Fuzz.name(seed)): \(c)")

            // Budget minus the net of what was accepted.
            let notApplied = Set(validation.violations.map(\.effectIndex)).union(validation.skippedIndices)
            do {
                let totals = try changes.budgetTotals(skipping: notApplied)
                let net = totals[Self.budget]?.net.fen ?? 0
                #expect(c.available &+ net == model.balance, "\(Fuzz.name(seed)): net \(net): \(c)")
                #expect(totals["no-such-budget"] == nil, "\(Fuzz.name(seed)): an unknown budget's step counted")
            } catch {
                // Accepted steps that individually fit can still sum past Int64 by kind (a
                // refund of Int64.max after a grant of it); that is the only reason to throw.
                #expect(c.effects.contains { $0.amount.fen > Int64.max / 4 }, "\(Fuzz.name(seed)): \(error): \(c)")
            }
        }
        for kind in ["accepted", "skipped", "refused"] {
            #expect(outcomes[kind, default: 0] > 0, "the generator never produced a step that is \(kind): \(outcomes)")
        }
    }

    @Test("grants up to the balance in any order leave exactly zero; one fen more is refused")
    func spendingDownToZero() {
        for seed in Fuzz.seeds(base: 0x1ED6_1000, short: 300, long: 10_000) {
            var random = SplitMix64(seed: seed)
            let total = random.int64(1...10_000_000)
            // Split the budget into random grants with the allocator itself, then shuffle.
            let parts = random.int(1...20)
            let weights = (0..<parts).map { (key: $0, weight: random.int64(1...100)) }
            guard let shares = try? Allocation.largestRemainder(total: total, weights: weights) else {
                Issue.record("\(Fuzz.name(seed)): could not split \(total)")
                continue
            }
            var effects = shares.filter { $0.amount > 0 }.map {
                Effect.ledger(LedgerEffect(budgetCode: Self.budget, kind: .disbursement, amount: Money(fen: $0.amount)))
            }
            effects.shuffle(using: &random)
            effects.append(.ledger(LedgerEffect(budgetCode: Self.budget, kind: .disbursement, amount: Money(fen: 1))))
            let snapshot = BalanceSnapshot(budgets: [Self.budget: BudgetState(available: Money(fen: total))])
            let validation = ChangeSet(effects).validate(against: snapshot)
            #expect(validation.violations == [InvariantViolation(effectIndex: effects.count - 1, reason: .budgetOverdrawn(
                budget: Self.budget, available: .zero, needed: Money(fen: 1), entryKind: .disbursement))],
                    "\(Fuzz.name(seed)): total \(total), grants \(shares.map(\.amount))")
            #expect(validation.projected.budgets[Self.budget]?.available == .zero, "\(Fuzz.name(seed))")
        }
    }
}
