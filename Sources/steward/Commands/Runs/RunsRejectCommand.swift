import ArgumentParser
import Foundation
import StewardStore

/// `steward runs reject RUN --reason TEXT`: a change set held for approval is never applied.
struct RunsRejectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reject",
        abstract: "Reject a change set held for a second approver (approvers; audited).",
        discussion: """
            Nothing of the run is applied, now or later; to propose it again, run the script again. \
            Only pending runs can be rejected: a committed one is corrected with a refund or an \
            adjustment (exit 2). An approver may reject — withdraw — their own pending run.
            """)

    @Argument(help: ArgumentHelp("The run id.", valueName: "run"))
    var runID: Int64

    @Option(help: "Why: kept with the run and in the audit trail.")
    var reason: String

    @OptionGroup var acting: ActingOptions
    @OptionGroup var database: DatabaseOptions

    func run() throws {
        let store = try database.open(.readWrite)
        try AccessFailure.reporting {
            let me = try ActorResolver.resolve(store, asName: acting.asUser, command: "runs reject")
            try store.rejectRun(runID, by: me.user, actingAdmin: me.actingAdmin, reason: reason)
            print("rejected run \(runID): nothing of it was applied")
        }
    }
}
