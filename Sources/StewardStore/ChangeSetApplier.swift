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
    @discardableResult
    public func apply(
        _ changeSet: ChangeSet, run: RunSubmission, actor: ActorScope, at now: Date = Date(), pendingRunID: Int64? = nil
    ) throws -> AppliedChangeSet {
        try writeImmediate { db in
            var applier = ChangeSetApplier(db: db, now: now)
            return try applier.apply(changeSet, run: run, actor: actor, pendingRunID: pendingRunID)
        }
    }
}

/// The work of ``Store/apply(_:run:actor:at:pendingRunID:)`` inside its transaction.
struct ChangeSetApplier {
    let db: Database
    let now: Date
    var timestamp: String { Timestamp.text(now) }
    var ids = IDCache()

    init(db: Database, now: Date) {
        self.db = db
        self.now = now
    }

    mutating func apply(
        _ changeSet: ChangeSet, run: RunSubmission, actor: ActorScope, pendingRunID: Int64?
    ) throws -> AppliedChangeSet {
        // Fields scripts may not change are refused like any other invariant.
        var violations: [InvariantViolation] = []
        for (index, effect) in changeSet.effects.enumerated() {
            if case .recordUpdate(let update) = effect, UpdatableField.lookup(update.field) == nil {
                violations.append(InvariantViolation(effectIndex: index, reason: .invalidEffect(
                    "\(update.field) cannot be changed by a script")))
            }
        }
        let snapshot = try BalanceReader.read(changeSet.requirements, db)
        let validation = changeSet.validate(against: snapshot, actorScope: actor)
        violations += validation.violations
        if !violations.isEmpty {
            throw ChangeSetRefused(violations: violations.sorted { $0.effectIndex < $1.effectIndex })
        }

        let userID = try ids.user(run.userName, db)
        let runID = try writeRunRecord(changeSet, run: run, userID: userID, pendingRunID: pendingRunID)
        let skipped = Set(validation.skippedIndices)
        var applied: [Int] = []
        var ledgerIDs: [Int: Int64] = [:]
        for (index, effect) in changeSet.effects.enumerated() where !skipped.contains(index) {
            if let ledgerID = try write(effect, runID: runID) { ledgerIDs[index] = ledgerID }
            applied.append(index)
        }
        try writeAudit(changeSet, run: run, runID: runID, userID: userID, applied: applied,
                       skipped: validation.skippedIndices)
        return AppliedChangeSet(runID: runID, appliedIndices: applied, alreadyAppliedIndices: validation.skippedIndices,
                                warnings: validation.warnings, ledgerEntryIDs: ledgerIDs)
    }

    private func writeRunRecord(_ changeSet: ChangeSet, run: RunSubmission, userID: Int64, pendingRunID: Int64?) throws -> Int64 {
        if let pendingRunID {
            try db.execute(sql: """
                UPDATE runs SET status = 'committed', committed_at = ? WHERE id = ? AND status = 'pending_approval'
                """, arguments: [timestamp, pendingRunID])
            guard db.changesCount == 1 else { throw StoreError.notFound(kind: "run pending approval", key: String(pendingRunID)) }
            return pendingRunID
        }
        return try RunWriter.insert(run, status: .committed, mode: .commit, effects: changeSet, error: nil,
                                    userID: userID, committedAt: timestamp, db)
    }

    private mutating func writeAudit(
        _ changeSet: ChangeSet, run: RunSubmission, runID: Int64, userID: Int64, applied: [Int], skipped: [Int]
    ) throws {
        let totals = (try? changeSet.budgetTotals(skipping: Set(skipped))) ?? [:]
        var details: [String: String] = [
            "applied": String(applied.count),
            "already_applied": String(skipped.count),
            "script": run.scriptName,
        ]
        for (budget, total) in totals { details["budget:" + budget] = String(total.net.fen) }
        if let admin = run.actingAdminName { details["acting_admin"] = admin }
        try AuditWriter.append(action: "run.commit", actor: run.actingAdminName ?? run.userName, userID: userID,
                               objectType: "run", objectID: String(runID), runID: runID,
                               scriptHash: run.scriptSHA256, details: details, at: now, db)
    }
}
