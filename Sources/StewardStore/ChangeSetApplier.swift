import Foundation
import GRDB
import StewardCore

extension Store {
    /// Applies a change set atomically: in one `BEGIN IMMEDIATE` transaction it re-reads the
    /// balances, quotas, capacities and applied keys the change set touches, re-checks every
    /// invariant with Core's `ChangeSet.validate`, and writes the effects, the run record and
    /// an audit row — or, on any violation or error, nothing at all.
    ///
    /// Effects whose key an earlier run applied are skipped and reported in
    /// ``AppliedChangeSet/alreadyAppliedIndices``; they are never applied twice, so re-running
    /// a month pays nobody twice.
    ///
    /// - Parameters:
    ///   - pendingRunID: the id of a run stored as pending approval that this commit completes
    ///     (its record is updated rather than a new one written).
    /// - Throws: ``ChangeSetRefused`` naming every violation; ``StoreError/busy(path:seconds:)``
    ///   when another writer held the lock past the busy timeout; ``StoreError/notFound(kind:key:)``
    ///   for an unknown user, programme, member, place or facility.
    ///
    /// A change set that takes more than the approval threshold out of any one budget
    /// (``ApprovalPolicy``, setting `approval.threshold`) is not applied: it is stored as a run
    /// *pending approval* and ``ChangeSetHeldForApproval`` is thrown, naming the run and who may
    /// approve it (``approveRun(_:by:actingAdmin:at:)``). Every record an effect touches must lie
    /// inside `actor`'s scope (``InvariantViolation/Reason/outsideScope(record:scope:)``).
    ///
    /// With `pendingRunID`, `run.userName` (and `run.actingAdminName`) are the *checker*: they
    /// must pass ``FourEyes`` against the pending run's maker, and are recorded as its decider.
    @discardableResult
    public func apply(
        _ changeSet: ChangeSet, run: RunSubmission, actor: ActorScope, at now: Date = Date(), pendingRunID: Int64? = nil
    ) throws -> AppliedChangeSet {
        // A new run record's JSON is encoded while the transaction checks (see EncodedEffects).
        let encoded = pendingRunID == nil ? EncodedEffects.inBackground(changeSet) : nil
        let outcome = try namingMissingParents(of: { changeSet }) {
            try writeImmediate { db in
                var applier = ChangeSetApplier(db: db, now: now, encodedEffects: encoded)
                return try applier.applyOrHold(changeSet, run: run, actor: actor, pendingRunID: pendingRunID)
            }
        }
        switch outcome {
        case .applied(let applied): return applied
        case .held(let held): throw held
        }
    }
}

/// What ``ChangeSetApplier/applyOrHold(_:run:actor:pendingRunID:)`` did inside its transaction.
enum ApplyOutcome {
    case applied(AppliedChangeSet)
    /// Stored as pending; thrown once the transaction has committed.
    case held(ChangeSetHeldForApproval)
}

/// The work of ``Store/apply(_:run:actor:at:pendingRunID:)`` inside its transaction.
struct ChangeSetApplier {
    let db: Database
    let now: Date
    /// `now` as stored, formatted once: every row a change set writes carries it.
    let timestamp: String
    var ids = IDCache()
    /// The statements a change set runs by the thousand, prepared once for it (see ``prepared(_:_:)``).
    var statements = PreparedStatements()
    /// Ledger rows and reminders queued for their multi-row INSERTs (ChangeSetApplier+Batches.swift).
    var bulk = BulkRows()
    /// The texts of the row being bound, read by SQLite in place (one statement's row at a time).
    let boundTexts = BoundTexts()

    /// The change set's effects for its run record, when ``Store/apply(_:run:actor:at:pendingRunID:)``
    /// started encoding them before the transaction.
    let encodedEffects: EncodedEffects?

    init(db: Database, now: Date, encodedEffects: EncodedEffects? = nil) {
        self.db = db
        self.now = now
        self.encodedEffects = encodedEffects
        timestamp = Timestamp.text(now)
    }

    /// The effects of `changeSet` for its run record: the ones encoded in the background,
    /// else encoded now.
    func encoded(_ changeSet: ChangeSet) -> EncodedEffects {
        encodedEffects ?? EncodedEffects(changeSet)
    }

    /// Checks `changeSet`, then applies it — or, when it is new (no `pendingRunID`) and above
    /// the approval threshold, stores it as pending instead.
    mutating func applyOrHold(
        _ changeSet: ChangeSet, run: RunSubmission, actor: ActorScope, pendingRunID: Int64?
    ) throws -> ApplyOutcome {
        let validation = try check(changeSet, actor: actor)
        if pendingRunID == nil {
            let policy = try ApprovalSettings.policy(db)
            let held = policy.budgetsAboveThreshold(changeSet, skipping: Set(validation.skippedIndices))
            if !held.isEmpty {
                return .held(try hold(changeSet, run: run, budgets: held, policy: policy))
            }
        }
        return .applied(try write(changeSet, validation: validation, run: run, pendingRunID: pendingRunID))
    }

    /// Every invariant and the scope, against the data as it is inside this transaction.
    /// Throws ``ChangeSetRefused`` naming every violation.
    mutating func check(_ changeSet: ChangeSet, actor: ActorScope) throws -> ChangeSetValidation {
        // Fields scripts may not change are refused like any other invariant.
        var violations: [InvariantViolation] = []
        for (index, effect) in changeSet.effects.enumerated() {
            if case .recordUpdate(let update) = effect, UpdatableField.lookup(update.field) == nil {
                violations.append(InvariantViolation(effectIndex: index, reason: .invalidEffect(
                    "\(update.field) cannot be changed by a script")))
            }
        }
        if var scope = try ScopeGuard(actor, db) {
            violations += try scope.violations(changeSet)
        }
        let snapshot = try BalanceReader.read(changeSet.requirements, db)
        let validation = changeSet.validate(against: snapshot, actorScope: actor)
        violations += validation.violations
        if !violations.isEmpty {
            throw ChangeSetRefused(violations: violations.sorted { $0.effectIndex < $1.effectIndex })
        }
        return validation
    }

    /// Writes a checked change set, its run record and its audit row.
    mutating func write(
        _ changeSet: ChangeSet, validation: ChangeSetValidation, run: RunSubmission, pendingRunID: Int64?
    ) throws -> AppliedChangeSet {
        let userID = try ids.user(run.userName, db)
        let (runID, effectsLater) = try writeRunRecord(changeSet, run: run, userID: userID, pendingRunID: pendingRunID)
        let skipped = Set(validation.skippedIndices)
        var applied: [Int] = []
        applied.reserveCapacity(changeSet.effects.count - skipped.count)
        // Sized once: growing from empty rehashed every entry at each doubling (16 times in a
        // 26,707-grant commit).
        var ledgerIDs: [Int: Int64] = [:]
        ledgerIDs.reserveCapacity(changeSet.effects.count - skipped.count)
        for (index, effect) in changeSet.effects.enumerated() where skipped.isEmpty || !skipped.contains(index) {
            if let ledgerID = try write(effect, runID: runID) { ledgerIDs[index] = ledgerID }
            applied.append(index)
        }
        try flushBulkRows()
        try bulk.ledgerSums.fold(db)
        if let effectsLater { try RunWriter.fillEffects(runID, effectsLater, db) }
        try writeAudit(changeSet, run: run, runID: runID, userID: userID, applied: applied,
                       skipped: validation.skippedIndices)
        return AppliedChangeSet(runID: runID, appliedIndices: applied, alreadyAppliedIndices: validation.skippedIndices,
                                warnings: validation.warnings, ledgerEntryIDs: ledgerIDs)
    }

    /// The run's id, and the effects its record still needs written (``RunWriter/fillEffects(_:_:_:)``)
    /// once the ledger rows, which need the id, are in: those still being encoded on a thread
    /// of their own, so that the encoding runs alongside the inserts.
    private func writeRunRecord(
        _ changeSet: ChangeSet, run: RunSubmission, userID: Int64, pendingRunID: Int64?
    ) throws -> (id: Int64, effectsLater: EncodedEffects?) {
        if let pendingRunID {
            try completePending(pendingRunID, checker: run, checkerID: userID)
            return (pendingRunID, nil)
        }
        let later = encodedEffects?.isBackground == true ? encodedEffects : nil
        let id = try RunWriter.insert(run, status: .committed, mode: .commit, effects: later == nil ? encoded(changeSet) : nil,
                                      error: nil, userID: userID, committedAt: timestamp, db)
        return (id, later)
    }

    private mutating func writeAudit(
        _ changeSet: ChangeSet, run: RunSubmission, runID: Int64, userID: Int64, applied: [Int], skipped: [Int]
    ) throws {
        var details: [String: String] = [
            "applied": String(applied.count),
            "already_applied": String(skipped.count),
            "script": run.scriptName,
        ]
        // Per-budget net changes. Totals too large to add up do not stop a commit the
        // invariants accepted entry by entry, but the audit says they are missing and why.
        do {
            for (budget, total) in try changeSet.budgetTotals(skipping: Set(skipped)) {
                details["budget:" + budget] = String(total.net.fen)
            }
        } catch {
            details["budget_totals"] = "not recorded: \(error)"
        }
        if let admin = run.actingAdminName { details["acting_admin"] = admin }
        try AuditWriter.append(action: "run.commit", actor: run.actingAdminName ?? run.userName, userID: userID,
                               objectType: "run", objectID: String(runID), runID: runID,
                               scriptHash: run.scriptSHA256, details: details, at: now, db)
    }
}
