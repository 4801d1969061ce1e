import Foundation
import GRDB
import StewardCore
import Testing
@testable import StewardStore
import TestRandom

/// Generated interleavings of grants, allocations, refunds and adjustments, committed change
/// set by change set through `Store.apply` on a real database: a change set the rules accept is
/// written whole, one they refuse is refused naming every offending effect and writes nothing,
/// and the stored balance is always the budget minus the net of what was committed, never
/// below zero.
@Suite("Properties: committed grants and refunds never overspend")
struct LedgerApplyPropertyTests {
    static let budget = "fuzz-2025"
    static let now = Date(timeIntervalSince1970: 1_749_945_600)

    /// The invariant checker's ledger rules, as documented, over a run of change sets.
    struct Model {
        var balance: Int64
        var appliedKeys: Set<String> = []
        /// Per-kind totals of what was committed, nil once one no longer fits in Int64.
        var allocated: Int64? = 0, disbursed: Int64? = 0, refunded: Int64? = 0, adjusted: Int64? = 0
        var entries = 0

        /// The violations `effects` must be refused with, or [] if the change set applies.
        func violations(_ effects: [LedgerEffect]) -> [(index: Int, reason: InvariantViolation.Reason)] {
            var balance = self.balance
            var seen: [String: Int] = [:]
            var found: [(Int, InvariantViolation.Reason)] = []
            for (index, effect) in effects.enumerated() {
                if let problem = Effect.ledger(effect).validationErrors().first {
                    found.append((index, .invalidEffect(problem.message)))
                    continue
                }
                if let key = effect.idempotencyKey {
                    if appliedKeys.contains(key) { continue }
                    if let first = seen[key] {
                        found.append((index, .duplicateKey(EffectKey(.ledger, key), firstIndex: first)))
                        continue
                    }
                    seen[key] = index
                }
                let out = effect.kind == .allocation || effect.kind == .disbursement
                let delta = out ? -effect.amount.fen : effect.amount.fen
                let (after, overflow) = balance.addingReportingOverflow(delta)
                if overflow || (delta < 0 && after < 0 && delta == Int64.min) {
                    found.append((index, .overflow("")))
                } else if delta < 0 && after < 0 {
                    found.append((index, .budgetOverdrawn(budget: effect.budgetCode, available: Money(fen: balance),
                                                          needed: Money(fen: -delta), entryKind: effect.kind)))
                } else {
                    balance = after
                }
            }
            return found
        }

        /// True when the money an acceptable change set takes out cannot be added up in
        /// Int64: `ApprovalPolicy` treats that as above any threshold and holds it.
        func outflowOverflows(_ effects: [LedgerEffect]) -> Bool {
            var outflow: Int64 = 0
            for effect in effects {
                if let key = effect.idempotencyKey, appliedKeys.contains(key) { continue }
                let out = effect.kind == .allocation || effect.kind == .disbursement ? effect.amount.fen
                    : effect.kind == .adjustment && effect.amount.fen < 0 ? -effect.amount.fen : 0
                let (sum, overflow) = outflow.addingReportingOverflow(out)
                if overflow { return true }
                outflow = sum
            }
            return false
        }

        /// Commits an accepted change set.
        mutating func commit(_ effects: [LedgerEffect]) {
            for effect in effects {
                if let key = effect.idempotencyKey {
                    if appliedKeys.contains(key) { continue }
                    appliedKeys.insert(key)
                }
                let amount = effect.amount.fen
                func add(_ total: inout Int64?) {
                    total = total.flatMap { value in
                        let (sum, overflow) = value.addingReportingOverflow(amount)
                        return overflow ? nil : sum
                    }
                }
                switch effect.kind {
                case .allocation: add(&allocated); balance -= amount
                case .disbursement: add(&disbursed); balance -= amount
                case .refund: add(&refunded); balance += amount
                case .adjustment: add(&adjusted); balance += amount
                }
                entries += 1
            }
        }
    }

    static func sameReasons(_ got: [InvariantViolation], _ want: [(index: Int, reason: InvariantViolation.Reason)]) -> Bool {
        guard got.count == want.count else { return false }
        return zip(got, want).allSatisfy { violation, expected in
            guard violation.effectIndex == expected.index else { return false }
            if case .overflow = violation.reason, case .overflow = expected.reason { return true }
            return violation.reason == expected.reason
        }
    }

    /// A new database with one budget of `total` fen and no approval threshold in the way.
    static func makeBudgetStore(_ directory: TemporaryDirectory, total: Int64) throws -> Store {
        let store = try makeStore(directory)
        _ = try store.ensureAdmin(osAccount: "admin", at: now)
        try store.addBudget(Budget(code: budget, name: "随机测试资金", office: .civilAffairs, year: 2025, total: Money(fen: total)))
        try store.setSetting("approval.threshold", String(Int64.max))
        return store
    }

    static func run() -> RunSubmission {
        RunSubmission(userName: "admin", scriptName: "fuzz.lua", scriptSHA256: String(repeating: "b", count: 64),
                      startedAt: now, finishedAt: now)
    }

    /// A random step; in `huge` mode amounts fill the budget to Int64.max and empty it again,
    /// so that the totals per kind of entry outgrow what the balance ever holds.
    static func randomEffect(_ random: inout SplitMix64, balance: Int64, huge: Bool) -> LedgerEffect {
        let kind = random.pick([LedgerEntryKind.disbursement, .disbursement, .allocation, .refund, .refund, .adjustment])
        var amount: Int64
        if huge {
            amount = random.pick([balance, Int64.max - balance, Int64.max, max(1, balance / 2)])
        } else {
            switch random.int(0...9) {
            case 0: amount = random.pick([0, -random.int64(1...100)])
            case 1: amount = balance
            case 2: amount = balance &+ 1
            default: amount = random.int64(1...max(1, balance / 2 + 500))
            }
        }
        if kind == .adjustment && random.chance(50) { amount = 0 &- amount }
        if amount == 0 && kind != .adjustment && random.chance(50) { amount = 1 }
        let key: String? = random.chance(20) ? "key-\(random.int(0...6))" : nil
        return LedgerEffect(budgetCode: budget, kind: kind, amount: Money(fen: amount), idempotencyKey: key)
    }

    @Test("each change set is written whole or refused with its violations; the balance is the budget minus the net")
    func applyFollowsTheRules() throws {
        var outcomes: [String: Int] = [:]
        for seed in Fuzz.seeds(base: 0x5702_0000, short: 6, long: 120) {
            var random = SplitMix64(seed: seed)
            let huge = seed % 3 == 2  // every third case moves amounts near Int64.max
            let total = huge ? random.int64(0...Int64.max) : random.int64(0...50_000_000)
            let directory = TemporaryDirectory()
            let store = try Self.makeBudgetStore(directory, total: total)
            var model = Model(balance: total)
            var history: [String] = []
            changeSets: for step in 0..<(Fuzz.long ? 60 : 25) {
                let effects = (0..<random.int(1...4)).map { _ in
                    Self.randomEffect(&random, balance: model.balance, huge: huge)
                }
                history.append(effects.map { "\($0.kind.rawValue) \($0.amount.fen)" + ($0.idempotencyKey.map { " [\($0)]" } ?? "") }
                    .joined(separator: ", "))
                let context = "\(Fuzz.name(seed)), budget \(total), change set \(step): \(history.last!); history: \(history)"
                let expected = model.violations(effects)
                let ledgerBefore = try dump(store, "ledger")
                do {
                    try store.apply(ChangeSet(effects.map(Effect.ledger)), run: Self.run(), actor: .district, at: Self.now)
                    outcomes["applied", default: 0] += 1
                    if !expected.isEmpty || model.outflowOverflows(effects) {
                        Issue.record("\(context): applied, but expected refusal for \(expected.map { "#\($0.index) \($0.reason)" })")
                        break changeSets
                    }
                    model.commit(effects)
                } catch let held as ChangeSetHeldForApproval {
                    outcomes["held", default: 0] += 1
                    if !expected.isEmpty || !model.outflowOverflows(effects) {
                        Issue.record("\(context): held for approval (\(held)), expected \(expected.isEmpty ? "it applied" : "refusal")")
                        break changeSets
                    }
                    #expect(try dump(store, "ledger") == ledgerBefore, "\(context): a held change set wrote to the ledger")
                } catch let refused as ChangeSetRefused {
                    outcomes["refused", default: 0] += 1
                    if !Self.sameReasons(refused.violations, expected) {
                        Issue.record("\(context): refused with \(refused.violations.map(\.description)), expected \(expected)")
                        break changeSets
                    }
                    #expect(try dump(store, "ledger") == ledgerBefore, "\(context): a refused change set wrote to the ledger")
                } catch {
                    Issue.record("\(context): unexpected error \(error)")
                    break changeSets
                }

                // What the applier reads (BalanceReader) and what people are shown (budgetBalance).
                let checked: Int64?
                do {
                    let snapshot = try store.read { try $0.balanceSnapshot(for: SnapshotRequirements(budgetCodes: [Self.budget])) }
                    checked = snapshot.budgets[Self.budget]?.available.fen
                } catch {
                    Issue.record("\(context): the applier cannot read the balance: \(error); ledger \(try rows(store, "SELECT kind, amount_fen FROM ledger ORDER BY id"))")
                    break changeSets
                }
                #expect(checked == model.balance, "\(context): the applier sees \(String(describing: checked)), model \(model.balance)")
                #expect(model.balance >= 0, "\(context): the model went below zero")
                do {
                    let shown = try store.read { try $0.budgetBalance(code: Self.budget) }
                    #expect(shown?.available.fen == model.balance, "\(context): shown \(String(describing: shown?.available))")
                    #expect(shown?.entryCount == model.entries, "\(context): \(String(describing: shown?.entryCount)) entries")
                    #expect(shown.map { [$0.allocated.fen, $0.disbursed.fen, $0.refunded.fen, $0.adjusted.fen] }
                            == [model.allocated, model.disbursed, model.refunded, model.adjusted].map { $0 ?? -1 },
                            "\(context): totals by kind")
                } catch {
                    // Totals per kind that no longer fit in 64 bits cannot be shown; nothing else may fail.
                    let fits = [model.allocated, model.disbursed, model.refunded, model.adjusted].allSatisfy { $0 != nil }
                    #expect(!fits, "\(context): the balance could not be read: \(error)")
                }
            }
        }
        #expect(outcomes["applied", default: 0] > 0 && outcomes["refused", default: 0] > 0, "outcomes: \(outcomes)")
    }

    /// Found by `applyFollowsTheRules` in its long run (seeds 0x57020008, 0x5702000e): a budget
    /// whose entries by kind outgrow Int64 while its balance never leaves [0, Int64.max].
    /// Summed in index order (by kind), the applier's balance query overflowed, so every later
    /// change set on the budget failed with "SQLite error 1: integer overflow"; and the balance
    /// shown to scripts and exports, added up in Swift, trapped and killed the process.
    @Test("regression: a balance whose entries by kind outgrow Int64 is still read exactly")
    func hugeEntriesByKind() throws {
        func apply(_ store: Store, _ kind: LedgerEntryKind, _ fen: Int64) throws {
            try store.apply(ChangeSet([.ledger(LedgerEffect(budgetCode: Self.budget, kind: kind, amount: Money(fen: fen)))]),
                            run: Self.run(), actor: .district, at: Self.now)
        }
        func available(_ store: Store) throws -> (checked: Int64?, shown: Int64?) {
            let checked = try store.read {
                try $0.balanceSnapshot(for: SnapshotRequirements(budgetCodes: [Self.budget])).budgets[Self.budget]?.available.fen
            }
            let shown = try store.read { try $0.budgetBalance(code: Self.budget)?.available.fen }
            return (checked, shown)
        }
        // Allocations and disbursements add up to 2·Int64.max; each kind alone fits.
        let first = TemporaryDirectory()
        let store = try Self.makeBudgetStore(first, total: 0)
        try apply(store, .refund, .max)
        try apply(store, .allocation, .max)
        try apply(store, .adjustment, .max)
        try apply(store, .disbursement, .max)
        #expect(try available(store) == (0, 0))
        #expect(throws: ChangeSetRefused.self) { try apply(store, .disbursement, 1) }
        #expect(try available(store) == (0, 0))

        // Refunds alone add up past Int64.max: the applier still reads the balance exactly
        // and keeps accepting and refusing as it should. (Totals by kind cannot be shown.)
        let second = TemporaryDirectory()
        let other = try Self.makeBudgetStore(second, total: 7)
        try apply(other, .refund, .max - 7)
        try apply(other, .disbursement, .max)
        try apply(other, .refund, .max)
        try apply(other, .allocation, .max - 1)
        let checked = try other.read {
            try $0.balanceSnapshot(for: SnapshotRequirements(budgetCodes: [Self.budget])).budgets[Self.budget]?.available.fen
        }
        #expect(checked == 1)
        #expect(throws: ChangeSetRefused.self) { try apply(other, .disbursement, 2) }
        try apply(other, .disbursement, 1)
    }

    /// Found while fuzzing the CSV importer (a NUL cut a name short when stored): the same
    /// happened to script-made keys. `k\0x` was stored as `k`, so a later grant keyed `k\0y`
    /// to another member was skipped as already applied and never paid.
    @Test("regression: a key with a NUL is refused, not cut short into another key")
    func nulInKeyIsRefused() throws {
        let directory = TemporaryDirectory()
        let store = try Self.makeBudgetStore(directory, total: 1_000)
        let grant = { (key: String) in
            ChangeSet([.ledger(LedgerEffect(budgetCode: Self.budget, kind: .disbursement, amount: Money(fen: 100), idempotencyKey: key))])
        }
        let before = try dump(store, "ledger")
        #expect(throws: ChangeSetRefused(violations: [InvariantViolation(effectIndex: 0, reason: .invalidEffect(
            "The ledger effect idempotency_key must not contain a NUL character (U+0000), which cannot be stored."))])) {
            try store.apply(grant("k\u{0}x"), run: Self.run(), actor: .district, at: Self.now)
        }
        #expect(try dump(store, "ledger") == before)
        try store.apply(grant("k"), run: Self.run(), actor: .district, at: Self.now)
        let again = try store.apply(grant("k"), run: Self.run(), actor: .district, at: Self.now)
        #expect(again.alreadyAppliedIndices == [0])
    }

    @Test("regression: a memo or kind with a NUL is refused, not stored cut short")
    func nulInMemoIsRefused() throws {
        let directory = TemporaryDirectory()
        let store = try Self.makeBudgetStore(directory, total: 1_000)
        let before = try dump(store, "ledger")
        #expect(throws: ChangeSetRefused(violations: [InvariantViolation(effectIndex: 0, reason: .invalidEffect(
            "The ledger effect memo must not contain a NUL character (U+0000), which cannot be stored."))])) {
            try store.apply(ChangeSet([.ledger(LedgerEffect(budgetCode: Self.budget, kind: .disbursement, amount: Money(fen: 100),
                                                            memo: "医药费\u{0}补贴"))]), run: Self.run(), actor: .district, at: Self.now)
        }
        #expect(throws: ChangeSetRefused(violations: [InvariantViolation(effectIndex: 0, reason: .invalidEffect(
            "The ledger effect kind must not contain a NUL character (U+0000), which cannot be stored."))])) {
            try store.apply(ChangeSet([.ledger(LedgerEffect(budgetCode: Self.budget, kind: .disbursement, amount: Money(fen: 100),
                                                            benefitKind: "living\u{0}x"))]), run: Self.run(), actor: .district, at: Self.now)
        }
        #expect(try dump(store, "ledger") == before)
    }
}
