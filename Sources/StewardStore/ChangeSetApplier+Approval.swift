import Foundation
import GRDB
import StewardCore

extension ChangeSetApplier {
    /// Stores a change set above the approval threshold as a run pending approval (with an
    /// audit row), and says who may approve it.
    mutating func hold(
        _ changeSet: ChangeSet, run: RunSubmission, budgets: [ApprovalPolicy.HeldBudget], policy: ApprovalPolicy
    ) throws -> ChangeSetHeldForApproval {
        let userID = try ids.user(run.userName, db)
        let runID = try RunWriter.insert(run, status: .pendingApproval, mode: .commit, effects: encoded(changeSet), error: nil,
                                         userID: userID, committedAt: nil, db)
        var details: [String: String] = [
            "effects": String(changeSet.count),
            "script": run.scriptName,
            "threshold": String(policy.threshold.fen),
        ]
        for held in budgets { details["budget:" + held.budget] = String(held.outflow.fen) }
        if let admin = run.actingAdminName { details["acting_admin"] = admin }
        try AuditWriter.append(action: "run.pending", actor: run.actingAdminName ?? run.userName, userID: userID,
                               objectType: "run", objectID: String(runID), runID: runID,
                               scriptHash: run.scriptSHA256, details: details, at: now, db)
        let maker = FourEyes.Participant(user: run.userName, actingAdmin: run.actingAdminName)
        return ChangeSetHeldForApproval(runID: runID, maker: maker, threshold: policy.threshold, budgets: budgets,
                                        approvers: try ApproverDirectory.eligible(for: maker, db))
    }

    /// Marks pending run `id` committed by `checker`, who must not be its maker.
    func completePending(_ id: Int64, checker: RunSubmission, checkerID: Int64) throws {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT r.status, u.name AS maker, a.name AS acting FROM runs r
            LEFT JOIN users u ON u.id = r.user_id LEFT JOIN users a ON a.id = r.acting_as_user_id WHERE r.id = ?
            """), arguments: [id]), row["status"] as String == StoredRunStatus.pendingApproval.rawValue
        else { throw StoreError.notFound(kind: "run pending approval", key: String(id)) }
        let maker = FourEyes.Participant(user: row["maker"] ?? "", actingAdmin: row["acting"])
        let checkerParticipant = FourEyes.Participant(user: checker.userName, actingAdmin: checker.actingAdminName)
        if let refusal = FourEyes.refusal(maker: maker, checker: checkerParticipant, work: "run \(id)") {
            throw AccessDenied(refusal)
        }
        try db.cachedStatement(sql: """
            UPDATE runs SET status = 'committed', committed_at = ?, decided_by = ?, decided_at = ?
            WHERE id = ? AND status = 'pending_approval'
            """).execute(arguments: [timestamp, checkerID, timestamp, id])
        guard db.changesCount == 1 else { throw StoreError.notFound(kind: "run pending approval", key: String(id)) }
    }
}

/// Who may approve whose work.
enum ApproverDirectory {
    /// Names of the enabled approvers and admins whose scope covers the maker's and who pass
    /// ``FourEyes`` against `maker`, by name.
    static func eligible(for maker: FourEyes.Participant, _ db: Database) throws -> [String] {
        let snapshot = StoreSnapshot(db: db)
        guard let makerUser = try snapshot.user(named: maker.user) else { return [] }
        let directory = try snapshot.placeDirectory()
        return try snapshot.users().filter { user in
            user.may(.approveRun) && directory.isWithin(makerUser.scopePlaceCode, scope: user.scopePlaceCode)
                && FourEyes.permits(maker: maker, checker: .init(user: user.name))
        }.map(\.name)
    }
}
