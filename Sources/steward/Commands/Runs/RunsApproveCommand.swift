import ArgumentParser
import Foundation
import StewardCore
import StewardStore

/// `steward runs approve RUN`: a second approver commits a change set held above the approval
/// threshold, after every invariant and the maker's scope are checked again against the data
/// as it is now.
struct RunsApproveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approve",
        abstract: "Approve a change set held for a second approver, and commit it (approvers; not your own).",
        discussion: """
            Re-checks every invariant (budgets, quotas, capacities) and the maker's scope against the \
            data as it is now, then commits the stored effects in one transaction — or refuses with \
            the reason and changes nothing (exit 4). Nobody approves their own work, admins included \
            (exit 4). A run that is not pending — already approved, rejected, a dry run — is an error \
            (exit 2). Audited.
            """)

    @Argument(help: ArgumentHelp("The run id (from `steward run --commit` or `steward audit`).", valueName: "run"))
    var runID: Int64

    @OptionGroup var acting: ActingOptions
    @OptionGroup var database: DatabaseOptions

    func run() throws {
        let store = try database.open(.readWrite)
        try AccessFailure.reporting {
            let me = try ActorResolver.resolve(store, asName: acting.asUser, command: "runs approve")
            let approved = try store.approveRun(runID, by: me.user, actingAdmin: me.actingAdmin)
            let stored = try store.read { try $0.run(id: runID) }
            let outflow = try stored.map { ApprovalPolicy.outflow(try $0.effects()) } ?? [:]
            let money = outflow.sorted { $0.key < $1.key }
                .map { "\(ApprovalPolicy.describe($0.value)) out of '\($0.key)'" }.joined(separator: ", ")
            print("approved run \(runID) (\(stored?.scriptName ?? "?"), made by \(approved.maker.description)): "
                + "committed \(approved.applied.appliedIndices.count) effect(s)" + (money.isEmpty ? "" : ", \(money)"))
            if !approved.applied.alreadyAppliedIndices.isEmpty {
                print("\(approved.applied.alreadyAppliedIndices.count) effect(s) were already applied by another run and were skipped")
            }
            for warning in approved.applied.warnings { printError("warning: \(warning)") }
        }
    }
}
