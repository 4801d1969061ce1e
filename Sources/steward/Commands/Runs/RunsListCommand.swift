import ArgumentParser
import Foundation
import StewardCore
import StewardScripting
import StewardStore

/// `steward runs list`: recorded runs, newest first.
struct RunsListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List recorded runs, newest first.",
        discussion: """
            Statuses: committed, previewed (a dry run), pending_approval, rejected, refused (an invariant
            said no), failed (a script error or limit), timed_out, crashed (the worker died), abandoned
            (the runner stopped before the run finished; nothing was written).
            """)

    @Option(help: "Only runs of this script.")
    var script: String?

    @Option(help: "Only runs with this status.")
    var status: String?

    @Option(help: "Only runs started since: an instant or date (2026-03-01), or a duration back from now (7d, 12h).")
    var since: String?

    @Option(help: "Only runs of this schedule.")
    var schedule: String?

    @Option(help: "At most this many runs.")
    var limit: Int = 50

    @Option(help: "Output format: text or json.")
    var format: OutputFormat = .text

    @Option(help: ArgumentHelp("The time --since durations count back from (tests).", visibility: .hidden))
    var now: String?

    @OptionGroup var acting: ActingOptions
    @OptionGroup var database: DatabaseOptions

    func validate() throws {
        if let status, StoredRunStatus(rawValue: status) == nil {
            throw ValidationError("--status \(status): one of \(StoredRunStatus.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard limit >= 1 else { throw ValidationError("--limit must be at least 1") }
    }

    struct Item: Encodable {
        var id: Int64
        var script: String
        var version: Int?
        var sha256: String
        var status: String
        var trigger: String
        var user: String?
        var schedule: String?
        var slot: Date?
        var attempt: Int?
        var runner: String?
        var startedAt: Date?
        var durationMs: Int?
        var effects: Int
        var error: String?
    }

    func run() throws {
        var sinceDate: Date?
        if let since {
            if let instant = CommandTime.instant(since) {
                sinceDate = instant
            } else if let back = CommandTime.duration(since) {
                sinceDate = try CommandTime.now(now) - back
            } else {
                throw fail("error: --since \(since): give an instant (2026-03-01T00:00:00Z), a date (2026-03-01) or a duration (7d)")
            }
        }
        let store = try database.open(acting.asUser == nil ? .readOnly : .readWrite)
        // A town user sees their town's runs only; recorded errors are masked like output.
        let visibility = try RunVisibility.resolve(store, asName: acting.asUser, command: "runs list")
        let runs = try store.read {
            try $0.runHistory(RunHistoryFilter(script: script, status: status, since: sinceDate, schedule: schedule, limit: limit))
        }.filter { visibility.canSee(runBy: $0.userName) }
        // The number of effects is the one recorded with them (schema 8): the listing does not
        // read the effects, which are megabytes for a month's subsidy. A record from before
        // schema 8 that was never counted is decoded to count it, and if it does not decode,
        // the store's error naming it stops the listing rather than list it with no effects.
        // `runs show` reads the effects and checks them against the count.
        let items = runs.map {
            Item(id: $0.id, script: $0.scriptName, version: $0.scriptVersion, sha256: $0.scriptSHA256, status: $0.status,
                 trigger: $0.trigger, user: $0.userName, schedule: $0.scheduleName, slot: $0.slotAt, attempt: $0.attempt,
                 runner: $0.runnerID, startedAt: $0.startedAt, durationMs: $0.durationMs, effects: $0.effectCount,
                 error: $0.error.map(visibility.text))
        }
        if format == .json {
            try printJSON(items)
            return
        }
        guard !items.isEmpty else {
            printError("no runs match")
            return
        }
        let rows = items.map { i -> [String] in
            [String(i.id), i.startedAt.map(CommandTime.utc) ?? "-", i.script + (i.version.map { " v\($0)" } ?? ""),
             i.status, i.trigger + (i.attempt.map { $0 > 1 ? " #\($0)" : "" } ?? ""), i.user ?? "-",
             i.slot.map(CommandTime.utc) ?? "-", i.durationMs.map { CommandTime.elapsed(milliseconds: $0) } ?? "-",
             String(i.effects), i.error.map(ScheduleHistoryCommand.oneLine) ?? ""]
        }
        writeOut(TextTable(headers: ["run", "started (UTC)", "script", "status", "trigger", "user", "slot (UTC)", "took",
                                     "effects", "error"], rows: rows, rightAligned: [0, 7, 8]).render() + "\n")
    }
}
