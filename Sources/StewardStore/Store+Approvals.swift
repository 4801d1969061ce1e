import Foundation
import GRDB
import StewardCore

/// A change set above the approval threshold was stored as a pending run instead of being
/// applied. Nothing but the run record and its audit row was written.
public struct ChangeSetHeldForApproval: Error, Sendable, Hashable, CustomStringConvertible {
    public let runID: Int64
    public let maker: FourEyes.Participant
    public let threshold: Money
    /// The budgets above the threshold, with what the change set takes out of each.
    public let budgets: [ApprovalPolicy.HeldBudget]
    /// Enabled approvers and admins who may approve it (their scope covers the maker's, and
    /// none of them is the maker).
    public let approvers: [String]

    public var description: String {
        let over = budgets.map(\.description).joined(separator: " and ")
        var text = "not committed: this change set takes \(over), above the approval threshold of \(threshold); "
            + "stored as run \(runID), pending approval by an approver other than \(maker.user)"
        if let admin = maker.actingAdmin, admin != maker.user { text += " and \(admin)" }
        if approvers.isEmpty {
            text += " (nobody may approve it yet: an admin must add an approver for this scope)"
        } else {
            let shown = approvers.prefix(5).joined(separator: ", ")
            text += " (\(shown)\(approvers.count > 5 ? ", …" : ""))"
        }
        return text + ": steward runs approve \(runID)"
    }
}

/// A run that cannot be approved or rejected as asked: it is not pending approval, or the
/// request is incomplete. Nothing was changed.
public struct RunDecisionError: Error, Sendable, Hashable, CustomStringConvertible {
    public let message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}

/// What ``Store/approveRun(_:by:actingAdmin:at:)`` did.
public struct ApprovedRun: Sendable, Hashable {
    public let runID: Int64
    public let maker: FourEyes.Participant
    public let applied: AppliedChangeSet
    /// The same admin acted, through `--as`, for both maker and checker (allowed, flagged).
    public let sameActingAdmin: Bool
}

/// The setting behind ``ApprovalPolicy``: `approval.threshold`, in fen.
///
/// Only a missing row means the default (¥100,000): a database nobody has set a threshold
/// in. A row that is there holds what ``Store/setApprovalThreshold(_:by:actingAdmin:at:)``
/// wrote — a non-negative whole number of fen, `String(fen)` — and anything else was written
/// by other means. Read as the default, as it was, a threshold an admin lowered to make
/// smaller sums need a second approver would silently go back up to ¥100,000 once the value
/// was mangled, and public money above the admin's limit would be committed by one person.
/// So it throws ``StoreError/invalidSetting(key:value:problem:fix:)`` instead, and every
/// commit refuses until an admin sets the threshold again.
enum ApprovalSettings {
    static let thresholdKey = "approval.threshold"

    static func policy(_ db: Database) throws -> ApprovalPolicy {
        guard let value = try storedValue(db) else { return ApprovalPolicy() }
        return ApprovalPolicy(threshold: try threshold(value).get())
    }

    /// The stored value, or nil when there is no `approval.threshold` row.
    static func storedValue(_ db: Database) throws -> DatabaseValue? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT value FROM settings WHERE key = ?"), arguments: [thresholdKey])
            .map { $0["value"] as DatabaseValue }
    }

    /// The threshold `value` holds if it is exactly what Steward writes (so `+5` or `007`,
    /// which `Int64` would take, are damage too), or the error naming the setting. A
    /// `Result`, so that setting a new threshold can record a damaged one it replaces.
    static func threshold(_ value: DatabaseValue) -> Result<Money, StoreError> {
        if case .string(let text) = value.storage, let fen = Int64(text), fen >= 0, String(fen) == text {
            return .success(Money(fen: fen))
        }
        return .failure(.invalidSetting(
            key: thresholdKey, value: shown(value),
            problem: "is not an amount in fen as Steward writes one (a whole number, 0 or more: 10000000 is ¥100,000.00)",
            fix: "set it again with `steward settings set \(thresholdKey) AMOUNT` (in yuan, e.g. 100000); until then no run can commit"))
    }

    /// A stored value as the error and the audit show it. The column has TEXT affinity and is
    /// NOT NULL, so the other kinds take a file changed by other means too.
    static func shown(_ value: DatabaseValue) -> String {
        switch value.storage {
        case .string(let text): text
        case .null: "NULL"
        case .int64(let number): String(number)
        case .double(let number): String(number)
        case .blob(let data): "a blob of \(data.count) bytes"
        }
    }
}

extension StoreSnapshot {
    /// The approval threshold in force (default ¥100,000 when none was set).
    /// - Throws: ``StoreError/invalidSetting(key:value:problem:fix:)`` when the stored one is
    ///   not what Steward writes (see ``ApprovalSettings``).
    public func approvalPolicy() throws -> ApprovalPolicy {
        try ApprovalSettings.policy(db)
    }

    /// The maker of a stored run: the user it acted as, and the admin who used `--as`.
    ///
    /// A run's user and acting admin always name users (foreign keys; users are disabled, never
    /// deleted). One that names none was changed by other means, and throws
    /// ``StoreError/invalidStoredValue(table:rowID:column:problem:)``: read as an empty name,
    /// as it was, the maker matched no approver, so the four-eyes rule could not see that the
    /// approver was the maker.
    public func runMaker(id: Int64) throws -> FourEyes.Participant? {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT r.id, r.user_id, r.acting_as_user_id, u.name AS maker, a.name AS acting FROM runs r
            LEFT JOIN users u ON u.id = r.user_id LEFT JOIN users a ON a.id = r.acting_as_user_id WHERE r.id = ?
            """), arguments: [id]) else { return nil }
        let values = StoredValues(row, table: "runs")
        func unknownUser(_ column: String) -> StoreError {
            values.invalid(column, "no user has id \(ApprovalSettings.shown(row[column]))")
        }
        guard let maker: String = row["maker"] else { throw unknownUser("user_id") }
        let acting: String? = row["acting"]
        if acting == nil, !(row["acting_as_user_id"] as DatabaseValue).isNull { throw unknownUser("acting_as_user_id") }
        return FourEyes.Participant(user: maker, actingAdmin: acting)
    }

    /// Who may approve pending run `id`.
    public func eligibleApprovers(runID id: Int64) throws -> [String] {
        guard let maker = try runMaker(id: id) else { return [] }
        return try ApproverDirectory.eligible(for: maker, db)
    }
}

extension Store {
    /// Sets the approval threshold (admins only), audited.
    public func setApprovalThreshold(_ threshold: Money, by user: User, actingAdmin: String? = nil,
                                     at now: Date = Date()) throws {
        try user.require(.manageSettings)
        guard !threshold.isNegative else { throw RunDecisionError("the approval threshold cannot be negative (\(threshold))") }
        try writeImmediate { db in
            // Setting the threshold is how a damaged one is put right, so the value it replaces
            // is not read through `policy`, which would refuse: the audit row keeps it as it
            // was, marked, rather than losing what the file held.
            var details = ["key": ApprovalSettings.thresholdKey, "to": String(threshold.fen)]
            if let stored = try ApprovalSettings.storedValue(db) {
                switch ApprovalSettings.threshold(stored) {
                case .success(let before): details["from"] = String(before.fen)
                case .failure:
                    details["from"] = ApprovalSettings.shown(stored)
                    details["from_invalid"] = "true"
                }
            } else {
                details["from"] = String(ApprovalPolicy.defaultThreshold.fen)
            }
            try db.cachedStatement(sql: """
                INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value
                """).execute(arguments: [ApprovalSettings.thresholdKey, String(threshold.fen)])
            if let actingAdmin { details["acting_admin"] = actingAdmin }
            try AuditWriter.append(action: "setting.set", actor: actingAdmin ?? user.name, userID: try UserWriter.id(user.name, db),
                                   objectType: "setting", objectID: ApprovalSettings.thresholdKey, runID: nil,
                                   scriptHash: nil, details: details, at: now, db)
        }
    }

    /// Approves pending run `id` as `checker`: checks the role, the scope (the checker's must
    /// cover the maker's), maker ≠ checker, then every invariant and the maker's scope again
    /// against the data as it is now, and commits the stored effects — all in one transaction,
    /// or nothing.
    /// - Throws: ``AccessDenied`` (role, scope, maker ≠ checker), ``RunDecisionError`` (not
    ///   pending: already committed, rejected, a dry run), ``ChangeSetRefused`` (no longer fits
    ///   a budget, quota or capacity), ``StoreError/notFound(kind:key:)`` (no such run).
    @discardableResult
    public func approveRun(_ id: Int64, by checker: User, actingAdmin: String? = nil,
                           at now: Date = Date()) throws -> ApprovedRun {
        try checker.require(.approveRun)
        var approving: ChangeSet?
        return try namingMissingParents(of: { approving }) { try writeImmediate { db in
            let (stored, maker) = try Self.pendingRun(id, decision: "approved", db)
            let checkerParticipant = FourEyes.Participant(user: checker.name, actingAdmin: actingAdmin)
            if let refusal = FourEyes.refusal(maker: maker, checker: checkerParticipant, work: "run \(id)") {
                throw AccessDenied(refusal)
            }
            let makerScope = try Self.coveredScope(of: maker.user, checker: checker, runID: id, db)
            var applier = ChangeSetApplier(db: db, now: now)
            let changeSet = try stored.effects()
            approving = changeSet
            let validation = try applier.check(changeSet, actor: makerScope)
            let (startedAt, finishedAt) = try Self.times(of: stored)
            let submission = RunSubmission(
                userName: checker.name, actingAdminName: actingAdmin, scriptName: stored.scriptName,
                scriptSHA256: stored.scriptSHA256, trigger: stored.trigger, output: stored.output,
                startedAt: startedAt, finishedAt: finishedAt)
            let applied = try applier.write(changeSet, validation: validation, run: submission, pendingRunID: id)
            let same = FourEyes.sameActingAdmin(maker: maker, checker: checkerParticipant)
            var details = ["maker": maker.user, "effects": String(changeSet.count),
                           "applied": String(applied.appliedIndices.count)]
            if let admin = maker.actingAdmin { details["maker_acting_admin"] = admin }
            if let actingAdmin { details["acting_admin"] = actingAdmin }
            if same { details["same_acting_admin"] = "true" }
            for (budget, outflow) in ApprovalPolicy.outflow(changeSet, skipping: Set(validation.skippedIndices)) {
                details["budget:" + budget] = outflow.map { String($0.fen) } ?? "more than \(Int64.max)"
            }
            try AuditWriter.append(action: "run.approve", actor: actingAdmin ?? checker.name,
                                   userID: try UserWriter.id(checker.name, db), objectType: "run", objectID: String(id),
                                   runID: id, scriptHash: stored.scriptSHA256, details: details, at: now, db)
            return ApprovedRun(runID: id, maker: maker, applied: applied, sameActingAdmin: same)
        } }
    }

    /// Rejects pending run `id` as `checker` with a reason: nothing of it is applied, ever.
    /// An approver may withdraw their own pending run this way (rejecting moves no money).
    /// - Throws: as ``approveRun(_:by:actingAdmin:at:)``, and ``RunDecisionError`` for an
    ///   empty reason.
    public func rejectRun(_ id: Int64, by checker: User, actingAdmin: String? = nil, reason: String,
                          at now: Date = Date()) throws {
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        try checker.require(.approveRun)
        try writeImmediate { db in
            let (stored, maker) = try Self.pendingRun(id, decision: "rejected", db)
            guard !reason.isEmpty else { throw RunDecisionError("a rejection needs a reason: --reason TEXT") }
            _ = try Self.coveredScope(of: maker.user, checker: checker, runID: id, db)
            guard let checkerID = try UserWriter.id(checker.name, db) else { throw StoreError.notFound(kind: "user", key: checker.name) }
            let stamp = Timestamp.text(now)
            try db.cachedStatement(sql: """
                UPDATE runs SET status = 'rejected', decided_by = ?, decided_at = ?, decision_reason = ?
                WHERE id = ? AND status = 'pending_approval'
                """).execute(arguments: [checkerID, stamp, reason, id])
            var details = ["maker": maker.user, "reason": reason]
            if let admin = maker.actingAdmin { details["maker_acting_admin"] = admin }
            if let actingAdmin { details["acting_admin"] = actingAdmin }
            try AuditWriter.append(action: "run.reject", actor: actingAdmin ?? checker.name, userID: checkerID,
                                   objectType: "run", objectID: String(id), runID: id, scriptHash: stored.scriptSHA256,
                                   details: details, at: now, db)
        }
    }

    /// When the pending run started and finished, as the maker's run recorded them. Every run
    /// held for approval is stored finished, with both times (``ChangeSetApplier/hold(_:run:budgets:policy:)``,
    /// ``recordRun(_:status:effects:error:)``); text that does not parse already throws when
    /// the run is read. One that is missing was removed by other means, and is an error naming
    /// the row — not the approval's `now`, which passed a damaged record for a whole one and
    /// committed its effects.
    private static func times(of run: StoredRun) throws(StoreError) -> (started: Date, finished: Date) {
        func missing(_ column: String) -> StoreError {
            .invalidStoredValue(table: "runs", rowID: run.id, column: column, problem: "NULL where a value is required")
        }
        guard let started = run.startedAt else { throw missing("started_at") }
        guard let finished = run.finishedAt else { throw missing("finished_at") }
        return (started, finished)
    }

    /// The run if it is pending approval, with its maker; otherwise why it cannot be decided.
    private static func pendingRun(_ id: Int64, decision: String, _ db: Database) throws -> (StoredRun, FourEyes.Participant) {
        let snapshot = StoreSnapshot(db: db)
        guard let stored = try snapshot.run(id: id), let maker = try snapshot.runMaker(id: id) else {
            throw StoreError.notFound(kind: "run", key: String(id))
        }
        guard stored.status == .pendingApproval else {
            let row = try Row.fetchOne(db.cachedStatement(sql: """
                SELECT r.id, r.decided_by, d.name AS decider, r.decided_at, r.decision_reason, r.committed_at FROM runs r
                LEFT JOIN users d ON d.id = r.decided_by WHERE r.id = ?
                """), arguments: [id])
            let decider: String? = row?["decider"]
            // A time that does not parse throws rather than drop " at …" from the message.
            let values = row.map { StoredValues($0, table: "runs") }
            let decided = try values?.optionalTimestamp("decided_at") ?? values?.optionalTimestamp("committed_at")
            let when = decided.map { " at \(Self.localTime($0))" } ?? ""
            let message: String
            switch stored.status {
            case .committed:
                message = (decider.map { "run \(id) was already approved by \($0)\(when) and is committed" }
                    ?? "run \(id) is already committed\(when) (it did not need approval)")
                    + (decision == "rejected" ? "; a committed run cannot be rejected: correct it with a refund or adjustment" : "")
            case .rejected:
                let (rejecter, reason) = try Self.rejection(of: id, row, decider: decider)
                message = "run \(id) was already rejected by \(rejecter)\(when) (“\(reason)”)"
                    + (decision == "approved" ? "; run the script again to propose it anew" : "")
            case .previewed:
                message = "run \(id) is a dry run: only change sets held for approval can be \(decision)"
            default:
                message = "run \(id) is \(stored.status.rawValue.replacingOccurrences(of: "_", with: " ")), not pending approval"
            }
            throw RunDecisionError(message + "; nothing was changed")
        }
        return (stored, maker)
    }

    /// Who rejected run `id`, and why. ``rejectRun(_:by:actingAdmin:reason:at:)`` is the only
    /// way a run becomes `rejected`, and it writes the checker (a user, never deleted), the
    /// time and a reason that is not empty, in one statement. `decided_by` is NULL for runs
    /// nobody decided (committed without approval, dry runs) — but not for a rejected one:
    /// there NULL, a user id no user has, or no reason was written by other means, and throws
    /// ``StoreError/invalidStoredValue(table:rowID:column:problem:)``, where the message said
    /// "rejected by ?" and left out the reason, as though nobody had recorded them.
    private static func rejection(of id: Int64, _ row: Row?, decider: String?) throws -> (by: String, reason: String) {
        guard let row else { throw StoreError.notFound(kind: "run", key: String(id)) }
        let values = StoredValues(row, table: "runs")
        if (row["decided_by"] as DatabaseValue).isNull {
            throw values.invalid("decided_by", "NULL for a rejected run, which always records who rejected it")
        }
        guard let decider else {
            let stored: DatabaseValue = row["decided_by"]
            if case .int64(let userID) = stored.storage { throw values.invalid("decided_by", "no user has id \(userID)") }
            throw values.invalid("decided_by", "'\(ApprovalSettings.shown(stored))' is not a user id")
        }
        _ = try values.timestamp("decided_at")
        let reason = try values.text("decision_reason")
        guard !reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw values.invalid("decision_reason", "empty for a rejected run, which always records why")
        }
        return (decider, reason)
    }

    /// `2025-06-15 14:30` in Asia/Shanghai, the district's time.
    static func localTime(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "Asia/Shanghai")
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        return formatter.string(from: date)
    }

    /// The maker's scope as the checker sees it: the checker's scope must cover it.
    private static func coveredScope(of makerName: String, checker: User, runID: Int64, _ db: Database) throws -> ActorScope {
        let snapshot = StoreSnapshot(db: db)
        guard let maker = try snapshot.user(named: makerName) else { throw StoreError.notFound(kind: "user", key: makerName) }
        let directory = try snapshot.placeDirectory()
        guard directory.isWithin(maker.scopePlaceCode, scope: checker.scopePlaceCode) else {
            let scopeName = directory[checker.scopePlaceCode]?.name ?? checker.scopePlaceCode
            throw AccessDenied("run \(runID) was made for \(directory[maker.scopePlaceCode]?.name ?? maker.scopePlaceCode), "
                + "outside \(checker.name)'s scope (\(scopeName)); an approver for that scope or the district must decide it")
        }
        let isDistrict = directory[maker.scopePlaceCode]?.kind == .district
        return isDistrict ? .district : .town(maker.scopePlaceCode)
    }
}
