import ArgumentParser
import Foundation
import StewardScripting
import StewardStore

/// `steward runner status`: is a runner alive? Exits 1 when no runner has ticked within
/// twice its interval (for monitoring).
struct RunnerStatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show each runner's last tick; exit 1 if no runner ticked within twice its interval.",
        discussion: "Also lists slots running now and failed slots waiting for a retry.")

    @Option(help: "Output format: text or json.")
    var format: OutputFormat = .text

    /// Not `--now`: `runner` has a `--now` of its own, and the parent's option would take it.
    @Option(help: ArgumentHelp("The moment to judge ticks against (tests).", visibility: .hidden))
    var at: String?

    @OptionGroup var database: DatabaseOptions

    struct Item: Encodable {
        var runner: String
        var host: String
        var pid: Int32
        var startedAt: Date
        var lastTick: Date
        var intervalSeconds: Int
        var alive: Bool
    }

    struct Status: Encodable {
        var alive: Bool
        var runners: [Item]
        var running: [String]
        var retries: [String]
    }

    func run() throws {
        let instant = try CommandTime.now(at, flag: "--at")
        let store = try database.open(.readOnly)
        let (beats, running, retries) = try store.read { s in
            (try s.runnerHeartbeats(), try s.scheduleSlots(status: "running", limit: 100),
             try s.scheduleSlots(status: "claimed", limit: 100).filter { $0.runnerID.isEmpty })
        }
        let items = beats.map { b in
            Item(runner: b.runnerID, host: b.host, pid: b.pid, startedAt: b.startedAt, lastTick: b.lastTickAt,
                 intervalSeconds: b.intervalSeconds,
                 alive: instant.timeIntervalSince(b.lastTickAt) <= 2 * Double(b.intervalSeconds))
        }
        let alive = items.contains(where: \.alive)
        // Every instant here is required: one that does not parse made the store throw (exit 2,
        // naming the row) rather than show "?" for a slot or a tick.
        let runningText = running.map { "\($0.scheduleName) slot \(CommandTime.utc($0.slotAt)) on \($0.runnerID) since \(CommandTime.utc($0.claimedAt))" }
        let retryText = retries.map { "\($0.scheduleName) slot \(CommandTime.utc($0.slotAt)): attempt \($0.attempt) at \(CommandTime.utc($0.claimedAt))" }
        if format == .json {
            try printJSON(Status(alive: alive, runners: items, running: runningText, retries: retryText))
        } else {
            if items.isEmpty {
                writeOut("no runner has ever ticked on \(store.path): start one with `steward runner` (or `steward runner --once` from cron)\n")
            } else {
                let rows = items.map { i -> [String] in
                    [i.runner, i.host, String(i.pid), CommandTime.utc(i.lastTick), Self.ago(instant.timeIntervalSince(i.lastTick)),
                     "\(i.intervalSeconds)s", i.alive ? "alive" : "silent"]
                }
                writeOut(TextTable(headers: ["runner", "host", "pid", "last tick (UTC)", "ago", "interval", "state"],
                                   rows: rows, rightAligned: [2]).render() + "\n")
            }
            for line in runningText { writeOut("running: \(line)\n") }
            for line in retryText { writeOut("retry: \(line)\n") }
            if !alive, let last = items.map(\.lastTick).max() {
                printError("no runner has ticked within twice its interval (last tick \(CommandTime.utc(last)))")
            }
        }
        if !alive { throw ExitCode(1) }
    }

    static func ago(_ seconds: TimeInterval) -> String {
        if seconds < 0 { return "in the future" }
        if seconds < 120 { return "\(Int(seconds))s ago" }
        if seconds < 7200 { return "\(Int(seconds / 60))m ago" }
        if seconds < 172_800 { return "\(Int(seconds / 3600))h ago" }
        return "\(Int(seconds / 86_400))d ago"
    }
}
