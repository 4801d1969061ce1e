import ArgumentParser
import Foundation
import LuaRuntime
import StewardScripting

/// `steward run FILE.lua`: runs a script and prints what it printed and what it returned.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a script (a dry run unless --commit is given).",
        discussion: StewardExit.helpText
    )

    @Argument(help: "The script to run.")
    var file: String

    @OptionGroup var limitOptions: LimitOptions

    @Option(help: "Output format: text or json.")
    var format: OutputFormat = .text

    func run() throws {
        let limits = try limitOptions.limits()
        let source = try ScriptFile.read(file)
        let runner = ScriptRunner()
        let report = runner.run(source: source.text, name: source.name, limits: limits)
        try ReportPrinter(format: format).print(report)
        throw ReportPrinter.exitCode(for: report)
    }
}

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}
