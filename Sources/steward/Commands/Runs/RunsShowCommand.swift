import ArgumentParser
import Foundation
import StewardCore
import StewardScheduler
import StewardScripting
import StewardStore

/// `steward runs show RUN`: everything recorded about one run.
struct RunsShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Show one run: script, status, timing, slot and runner, effects, output, error.")

    @Argument(help: ArgumentHelp("The run id (from `steward runs list`).", valueName: "run"))
    var runID: Int64

    @Option(help: "Output format: text or json.")
    var format: OutputFormat = .text

    @Option(help: "Effects listed per kind before the rest is summarised.")
    var effectLimit: Int = 50

    @OptionGroup var acting: ActingOptions
    @OptionGroup var database: DatabaseOptions

    struct Detail: Encodable {
        var id: Int64
        var script: String
        var version: Int?
        var sha256: String
        var status: String
        var mode: String
        var trigger: String
        var user: String?
        var actingAdmin: String?
        var parameters: [String: String]
        var schedule: String?
        var slot: Date?
        var slotNominal: String?
        var attempt: Int?
        var runner: String?
        var startedAt: Date?
        var finishedAt: Date?
        var durationMs: Int?
        var committedAt: Date?
        var effects: [Effect]
        var output: String
        var error: String?
    }

    func run() throws {
        let store = try database.open(acting.asUser == nil ? .readOnly : .readWrite)
        // Another town's run is not there for a town user; recorded output is masked unless
        // the user may unmask.
        let visibility = try RunVisibility.resolve(store, asName: acting.asUser, command: "runs show")
        let (found, schedules) = try store.read { s in (try s.runHistoryEntry(id: runID), try s.schedules()) }
        guard let run = found, visibility.canSee(runBy: run.userName) else { throw fail("error: no run \(runID)") }
        var nominal: String?
        if let name = run.scheduleName, let at = run.slotAt,
           let record = schedules.first(where: { $0.name == name }), let timetable = ScheduleParsing.stored(record) {
            nominal = timetable.slotText(timetable.slot(at: at))
        }
        // A record whose parameters or effects do not decode stops here with the store's
        // error naming the row (exit 2, as for any damaged stored value): printed as "effects
        // (0)", a damaged committed run would look as if it had changed nothing.
        let detail = Detail(
            id: run.id, script: run.scriptName, version: run.scriptVersion, sha256: run.scriptSHA256, status: run.status,
            mode: run.mode, trigger: run.trigger, user: run.userName, actingAdmin: run.actingAdminName,
            parameters: try run.parameters(), schedule: run.scheduleName, slot: run.slotAt, slotNominal: nominal,
            attempt: run.attempt, runner: run.runnerID, startedAt: run.startedAt, finishedAt: run.finishedAt,
            durationMs: run.durationMs, committedAt: run.committedAt, effects: try run.effects(), output: visibility.text(run.output),
            error: run.error.map(visibility.text))
        if format == .json {
            try printJSON(detail)
            return
        }
        writeOut(Self.text(detail, effectLimit: max(1, effectLimit)))
    }

    static func text(_ d: Detail, effectLimit: Int) -> String {
        var out = "run:       \(d.id)\n"
        out += "script:    \(d.script)\(d.version.map { " v\($0)" } ?? "") (sha256 \(d.sha256.prefix(12)))\n"
        out += "status:    \(d.status) (\(d.mode == "commit" ? "commit" : "dry run"))\n"
        var trigger = d.trigger
        if let schedule = d.schedule { trigger += " '\(schedule)'" }
        out += "trigger:   \(trigger)\n"
        if let slot = d.slot {
            out += "slot:      \(d.slotNominal ?? CommandTime.utc(slot)) (\(CommandTime.utc(slot)))"
                + (d.attempt.map { $0 > 1 ? ", attempt \($0)" : "" } ?? "") + "\n"
        }
        if let runner = d.runner { out += "runner:    \(runner)\n" }
        out += "user:      \(d.user ?? "-")\(d.actingAdmin.map { " (by \($0) via --as)" } ?? "")"
            + (d.trigger == "schedule" ? " (the approved version's author; the run is their delegate)" : "") + "\n"
        if !d.parameters.isEmpty {
            out += "params:    " + d.parameters.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ") + "\n"
        }
        out += "started:   \(d.startedAt.map(CommandTime.utc) ?? "-")\n"
        out += "finished:  \(d.finishedAt.map(CommandTime.utc) ?? "-")"
            + (d.durationMs.map { " (took \(CommandTime.elapsed(milliseconds: $0)))" } ?? "") + "\n"
        if let committed = d.committedAt { out += "committed: \(CommandTime.utc(committed))\n" }
        if let error = d.error {
            let lines = error.split(separator: "\n", omittingEmptySubsequences: false)
            out += "error:     " + lines.joined(separator: "\n           ") + "\n"
        }
        out += "\neffects (\(d.effects.count))\(d.status == "committed" ? ": applied" : d.effects.isEmpty ? "" : ": proposed, not applied")\n"
        for group in EffectsText.groups(d.effects, listing: effectLimit) {
            out += "  \(EffectsText.title(group.kind)) (\(group.count))\n"
            for effect in group.listed { out += "    " + EffectsText.line(effect) + "\n" }
            if group.count > group.listed.count { out += "    … and \(group.count - group.listed.count) more\n" }
        }
        out += "\noutput\(d.output.isEmpty ? ": (none)" : "")\n"
        if !d.output.isEmpty {
            var lines = d.output.split(separator: "\n", omittingEmptySubsequences: false)
            if lines.last == "" { lines.removeLast() }
            out += lines.map { "  \($0)" }.joined(separator: "\n")
            if !out.hasSuffix("\n") { out += "\n" }
        }
        return out
    }
}
