import ArgumentParser

/// Every subcommand, in the order `steward --help` lists them.
enum StewardCommands {
    static let all: [ParsableCommand.Type] = [
        InitCommand.self,
        DemoCommand.self,
        RunCommand.self,
        CheckCommand.self,
        ImportCommand.self,
        ExportCommand.self,
        ScriptsCommand.self,
        ScheduleCommand.self,
        RunnerCommand.self,
        RunsCommand.self,
        RemindersCommand.self,
        UsersCommand.self,
        SettingsCommand.self,
        AuditCommand.self,
        ReferenceCommand.self,
        WorkerCommand.self,
        ReplCommand.self,
        ReplWorkerCommand.self,
    ]
}
