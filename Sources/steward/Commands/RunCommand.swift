import ArgumentParser
import Foundation
import LuaRuntime
import StewardCore
import StewardScripting
import StewardStore

/// `steward run FILE.lua`: a dry run by default (prints what the script would do, writes
/// nothing); `--commit` applies the same effects in one transaction after checking every
/// invariant again.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a script: a dry run that writes nothing, unless --commit is given.",
        discussion: """
            A dry run prints the script's output and what it would do: ledger entries per budget
            (available before → after), quota settings and bookings, reminders, waitlist entries,
            enrolments and record updates, and warnings. --commit applies them in one transaction
            after checking every invariant again; a refusal names the budget, quota or facility and
            writes nothing. Re-running a committed script for the same period proposes nothing new.

            """ + StewardExit.helpText
    )

    @Argument(help: "The script to run.")
    var file: String

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var limitOptions: LimitOptions

    @Flag(help: "Apply the effects (default: a dry run that writes nothing).")
    var commit = false

    @Option(name: .customLong("param"), help: "A script parameter, name=value (repeatable).")
    var params: [String] = []

    @Option(name: .customLong("as"), help: "Act as another Steward user (admins only; audited).")
    var asUser: String?

    @Option(help: "The date the run treats as today (YYYY-MM-DD; default: the database's clock.today, else today in Asia/Shanghai).")
    var today: String?

    @Option(help: "Output format: text or json.")
    var format: OutputFormat = .text

    func run() throws {
        let report = try execute()
        try ReportPrinter(format: format).print(report)
        // The process ends here. Freeing a large report effect by effect (a subsidy run's
        // 26,707 ledger entries: 2 % of the run) is work the exit does at once, so the report
        // is kept to the end. The database was closed when `execute` returned.
        let code = ReportPrinter.exitCode(for: report)
        withExtendedLifetime(report) { Foundation.exit(code.rawValue) }
    }

    /// Runs the script; the store it opened is closed (its WAL checkpointed) on return.
    private func execute() throws -> RunReport {
        let limits = try limitOptions.limits()
        let parameters = try ParameterList.parse(params)
        let source = try ScriptFile.read(file)
        // A committing run reads through a memory map of the database (`Store.read(forCommit:)`).
        if commit { MappedReadFault.install() }
        let store = try database.openForRun(commit: commit)
        let (actor, admin) = try store.map { try ActorResolver.resolve($0.store, asName: asUser) }
            ?? (RunActor(userName: "nobody", role: .viewer, scopePlaceCode: "-", isDistrictScope: true, canUnmask: false), nil)
        let date = try RunClock.today(explicit: today, store: store?.store)
        let opened = try store ?? DatabaseOptions.scratchInMemory()
        let runner = DomainRunner(store: opened.store, actor: actor, today: date, limits: limits, actingAdmin: admin)
        return runner.run(source: source.text, name: source.name, parameters: parameters, commit: commit)
    }
}

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

/// `--param name=value` list → dictionary, or a usage error.
enum ParameterList {
    static func parse(_ list: [String]) throws -> [String: String] {
        var out: [String: String] = [:]
        for item in list {
            guard let eq = item.firstIndex(of: "="), eq != item.startIndex else {
                throw fail("error: --param \(item): write name=value")
            }
            let name = String(item[..<eq])
            guard out[name] == nil else { throw fail("error: --param \(name) is given twice") }
            out[name] = String(item[item.index(after: eq)...])
        }
        return out
    }
}

/// The date a run treats as today.
enum RunClock {
    static func today(explicit: String?, store: Store?) throws -> CivilDate {
        if let explicit {
            do { return try CivilDate(parsing: explicit) } catch { throw fail("error: --today \(explicit): \(error)") }
        }
        if let text = try? store?.setting("clock.today"), let d = try? CivilDate(parsing: text) { return d }
        return CivilDate(Date())
    }
}
