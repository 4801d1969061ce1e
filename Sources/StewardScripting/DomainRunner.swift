import Foundation
import LuaRuntime
import StewardCore
import StewardStore

/// A script run against the district's data: read-only while Lua runs, effects buffered and
/// checked as they are proposed; then either shown (dry run) or applied in one transaction
/// after every invariant is checked again (commit). The Lua state is closed before anything
/// is written, so a crash or a hang inside Lua can lose nothing.
public struct DomainRunner {
    public var store: Store
    public var actor: RunActor
    public var today: CivilDate
    public var limits: LuaLimits
    public var hardDeadline: LuaHardDeadline
    public var slot: Date?
    public var trigger: RunTrigger
    public var actingAdmin: String?
    /// What the script sees as `run.slot` (a scheduled run's nominal local time, with its
    /// schedule's zone offset); when nil, `slot` formatted in Asia/Shanghai.
    public var slotText: String?
    /// With `commit`, run as a commit (`run.dry_run` is false) but leave the effects in the
    /// report for the caller to apply: a worker process has the database read-only, and its
    /// parent alone commits (DESIGN.md, "The sandbox"). The report then carries the header.
    public var deferCommit = false

    public init(store: Store, actor: RunActor, today: CivilDate, limits: LuaLimits = LuaLimits(),
                hardDeadline: LuaHardDeadline = .exitProcess(code: 3), slot: Date? = nil,
                trigger: RunTrigger = .manual, actingAdmin: String? = nil) {
        self.store = store
        self.actor = actor
        self.today = today
        self.limits = limits
        self.hardDeadline = hardDeadline
        self.slot = slot
        self.trigger = trigger
        self.actingAdmin = actingAdmin
    }

    /// Runs `source`. With `commit`, applies the effects if the run succeeded. Never throws:
    /// every outcome is a report.
    public func run(source: String, name: String, parameters: [String: String] = [:], commit: Bool,
                    headerOnly: Bool = false) -> RunReport {
        let started = Date()
        var report = RunReport(script: name, status: .ok)
        var changeSet = ChangeSet()
        var header: ScriptHeader?
        do {
            // A run that will commit reads ahead on the store's writer, so that the members it
            // reads are still mapped there when the commit checks them (``Store/read(forCommit:_:)``).
            try store.read(forCommit: commit && !headerOnly && !deferCommit) { snapshot in
                let context = HostContext(snapshot: snapshot, actor: actor, today: today, slot: slot)
                context.slotText = slotText
                let host = DomainHost(context: context, parameters: parameters, dryRun: !commit, headerOnly: headerOnly)
                let runner = ScriptRunner(installers: [host.install], hardDeadline: hardDeadline)
                report = runner.run(source: source, name: name, limits: limits)
                header = context.header
                if headerOnly, report.error?.message == HeaderBindings.headerCheckedMarker {
                    report.status = .ok
                    report.error = nil
                }
                if report.status == .ok, header == nil, !parameters.isEmpty {
                    report.status = .inputError
                    report.error = .init(kind: "params", message: "\(name): --param given, but the script declares no parameters (add script{ params = {...} })")
                }
                if report.error?.kind == "runtime", let message = report.error?.message, message.hasPrefix("--param ")
                    || message.hasPrefix("unknown parameter") || message.hasPrefix("parameter '") {
                    report.status = .inputError
                }
                report.warnings += context.warnings
                changeSet = context.changeSet
                report.effects = changeSet.effects
                report.alreadyApplied = context.alreadyApplied.count
                report.effectCounts = changeSet.countsByKind
                report.budgets = try Self.budgetChanges(changeSet, snapshot)
            }
        } catch {
            report.status = .inputError
            report.error = .init(kind: "store", message: "\(error)")
            return report
        }
        if deferCommit { report.header = header }
        guard commit, report.status == .ok, !headerOnly, !deferCommit else { return report }
        guard actor.role.allows(.commit) else {
            report.status = .refused
            report.violations = ["\(actor.userName) is a \(actor.role.rawValue) and may not commit runs (operators and above may)"]
            report.error = .init(kind: "refused", message: "the commit was refused; nothing was written")
            return report
        }
        let submission = RunSubmission(
            userName: actor.userName, actingAdminName: actingAdmin, scriptName: header?.name ?? name,
            scriptSHA256: SHA256.hex(source), trigger: trigger, parameters: parameters, output: report.output,
            startedAt: started, finishedAt: Date(), slotAt: slot)
        do {
            let applied = try store.apply(changeSet, run: submission, actor: actor.actorScope)
            report.committed = true
            report.runID = applied.runID
            report.alreadyApplied += applied.alreadyAppliedIndices.count
        } catch let held as ChangeSetHeldForApproval {
            report.status = .pendingApproval
            report.runID = held.runID
            report.approval = .init(thresholdFen: held.threshold.fen,
                                    budgets: held.budgets.map { .init(code: $0.budget, outflowFen: $0.outflow.fen) },
                                    approvers: held.approvers, message: held.description)
        } catch let refused as ChangeSetRefused {
            report.status = .refused
            report.violations = refused.violations.map { "effect #\($0.effectIndex + 1): \($0)" }
            report.error = .init(kind: "refused", message: "the commit was refused; nothing was written")
        } catch let denied as AccessDenied {
            report.status = .refused
            report.violations = [denied.message]
            report.error = .init(kind: "refused", message: "the commit was refused; nothing was written")
        } catch {
            // The database failed, not an invariant: locked past the busy timeout, full,
            // read-only, failing I/O (SQLite has rolled the transaction back). Reported as
            // `.refused` this exited 4, "an invariant refused the commit", sending people to
            // look at budgets; it is the same input error (exit 2) as a store error while the
            // script read, and as `import --commit` and `runs approve` report it.
            report.status = .inputError
            report.error = .init(kind: "store", message: "\(error)")
        }
        return report
    }

    /// Each budget a change set draws on, before and after it, in code order: the report's
    /// budget table (a run's and the REPL's pending one).
    public static func budgetChanges(_ changeSet: ChangeSet, _ snapshot: StoreSnapshot) throws -> [RunReport.BudgetChange] {
        let totals = try changeSet.budgetTotals()
        var out: [RunReport.BudgetChange] = []
        for code in totals.keys.sorted() {
            guard let balance = try snapshot.budgetBalance(code: code), let t = totals[code] else { continue }
            out.append(.init(code: code, name: balance.budget.name, beforeFen: balance.available.fen,
                             afterFen: balance.available.fen + t.net.fen, entries: t.entries))
        }
        return out
    }
}
