import ArgumentParser

/// Every subcommand, in the order `steward --help` lists them.
enum StewardCommands {
    static let all: [ParsableCommand.Type] = [
        RunCommand.self,
        WorkerCommand.self,
    ]
}
