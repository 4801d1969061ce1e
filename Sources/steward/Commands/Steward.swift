import ArgumentParser

/// The root command.
struct Steward: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "steward",
        abstract: "Run district administrators' Lua scripts safely, as previewable, audited changes.",
        discussion: StewardExit.helpText,
        version: "0.1.0",
        subcommands: StewardCommands.all
    )
}
