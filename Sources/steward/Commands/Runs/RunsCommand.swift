import ArgumentParser

/// `steward runs ...`: every run as stored — manual, scheduled and from the REPL — and the
/// decisions on change sets held for a second approver.
struct RunsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs",
        abstract: "Run history (list, show); approve or reject change sets held for a second approver.",
        subcommands: [
            RunsListCommand.self,
            RunsShowCommand.self,
            RunsApproveCommand.self,
            RunsRejectCommand.self,
        ]
    )
}
