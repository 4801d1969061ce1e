import Foundation
import LuaRuntime
import StewardCore
import StewardScripting
import StewardStore

/// The REPL's backslash commands.
enum ReplMeta {
    struct Command {
        let name: String
        let arguments: String
        let help: String
    }

    static let commands: [Command] = [
        .init(name: "help", arguments: "[NAME]", help: "this list; with NAME, what a function, table or type is"),
        .init(name: "d", arguments: "[NAME]", help: "programmes, budgets, facility kinds and towns; with NAME, one of them (or a global)"),
        .init(name: "pending", arguments: "", help: "the effects proposed so far (nothing is written until \\commit)"),
        .init(name: "commit", arguments: "", help: "apply the pending effects, with the same checks as `steward run --commit`"),
        .init(name: "rollback", arguments: "", help: "drop the pending effects"),
        .init(name: "run", arguments: "FILE", help: "run a script as a dry run, apart from this session"),
        .init(name: "format", arguments: "table|csv|json", help: "how values and query results print"),
        .init(name: "timing", arguments: "[on|off]", help: "show how long each evaluation took"),
        .init(name: "q", arguments: "", help: "leave (asks first if effects are pending)"),
    ]

    enum Result { case proceed, quit }
}

extension ReplSession {
    func meta(_ line: String) -> ReplMeta.Result {
        var parts = line.dropFirst().split(separator: " ", maxSplits: 1).map(String.init)
        let name = parts.isEmpty ? "" : parts.removeFirst()
        let argument = parts.first?.trimmingCharacters(in: .whitespaces) ?? ""
        switch name {
        case "q", "quit", "exit": return .quit
        case "help", "h", "?": help(argument)
        case "d": describe(argument)
        case "timing":
            switch argument {
            case "on": timing = true
            case "off": timing = false
            case "": timing.toggle()
            default: err("\\timing: say on or off"); return .proceed
            }
            note("timing is \(timing ? "on" : "off")")
        case "format":
            if argument.isEmpty {
                note("format: \(formatter.format.rawValue)")
            } else if let format = ReplFormat(rawValue: argument) {
                formatter.format = format
                note("format: \(format.rawValue)")
            } else {
                err("\\format: choose table, csv or json")
            }
        case "run": runScript(argument)
        case "pending": showPending()
        case "commit": commit()
        case "rollback": rollback()
        case "test-crash" where ReplTestHooks.enabled: testHook(.testCrash)
        case "test-hang" where ReplTestHooks.enabled: testHook(.testHang)
        default:
            err("unknown command \\\(name): \\help lists them")
            failures += 1
        }
        return .proceed
    }

    // MARK: \help

    func help(_ name: String) {
        guard name.isEmpty else {
            if let text = ReplHelp.entry(name) {
                out(text + "\n")
                return
            }
            // Not in the API: perhaps a global of this session.
            let outcome = client.request(ReplRequest(.help, text: name), deadline: .seconds(10), interruptible: true)
            switch outcome {
            case .died(let reason): recover(reason)
            case .reply(let r):
                let docs = r.values ?? []
                if docs.isEmpty {
                    err("\\help: no function, table or type named '\(LuaOutput.sanitizedLine(name))'")
                    failures += 1
                } else {
                    for doc in docs { out(formatter.text(doc) + "\n") }
                }
            }
            return
        }
        var lines = ["Type Lua and press Enter: expressions print their values (`1 + 1`, `=expr`), statements run,",
                     "`_` is the last result. An unfinished chunk continues on a `>>` line. Locals last one chunk:",
                     "keep values in globals (`m = member(12)`). Effects (grants, bookings, reminders...) stay",
                     "pending until \\commit.", "", "Commands:"]
        let width = ReplMeta.commands.map { $0.name.count + $0.arguments.count + 2 }.max() ?? 0
        for c in ReplMeta.commands {
            let head = "\\" + c.name + (c.arguments.isEmpty ? "" : " " + c.arguments)
            lines.append("  " + head.padding(toLength: width + 1, withPad: " ", startingAt: 0) + "  " + c.help)
        }
        lines += ["", "Keys: Tab completes names and fields after . and :, Ctrl-C interrupts running code or drops",
                  "the line, Ctrl-D on an empty line leaves, Up/Down walk the history.", "",
                  ReplHelp.overview(width: settings.interactive ? LineEditor.terminalWidth() : 100)]
        out(lines.joined(separator: "\n") + "\n")
    }

    // MARK: \d

    func describe(_ name: String) {
        let request = ReplRequest(.describe, text: name)
        switch client.request(request, deadline: .seconds(30), interruptible: true) {
        case .died(let reason): recover(reason)
        case .reply(let r):
            if r.kind == .failed { err("\\d: \(r.error ?? "failed")"); return }
            let docs = r.values ?? []
            if docs.isEmpty {
                err("\\d: nothing named '\(LuaOutput.sanitizedLine(name))' (a programme, budget, facility kind, town, type or global)")
                return
            }
            out(docs.map { formatter.render($0) }.joined(separator: "\n\n") + "\n")
        }
    }

    // MARK: \run

    func runScript(_ path: String) {
        guard !path.isEmpty else { err("\\run: give a script file"); return }
        // ScriptFile.read prints its own one-line reason.
        guard let file = try? ScriptFile.read(path) else { failures += 1; return }
        let request = ReplRequest(.runScript, source: file.text, name: file.name)
        switch client.request(request, deadline: evaluationDeadline, interruptible: true) {
        case .died(let reason): recover(reason)
        case .reply(let r):
            guard let report = r.report else { err("\\run: \(r.error ?? "failed")"); return }
            try? ReportPrinter(format: .text).print(report)
            if report.status != .ok { failures += 1 }
        }
    }

    // MARK: pending, commit, rollback

    func fetchPending() -> RunReport? {
        switch client.request(ReplRequest(.pending), deadline: .seconds(30), interruptible: false) {
        case .died(let reason):
            recover(reason)
            return nil
        case .reply(let r):
            if let report = r.report { return report }
            err("error: \(r.error ?? "the pending effects could not be read")")
            return nil
        }
    }

    func showPending() {
        guard let report = fetchPending() else { return }
        guard !report.effects.isEmpty else { note("No pending effects."); return }
        out(ReplPendingText.render(report))
    }

    func commit() {
        guard let report = fetchPending() else { return }
        guard !report.effects.isEmpty else { note("Nothing to commit."); return }
        guard !settings.scratch else {
            err("\\commit: this session has no database (start it with --db PATH); nothing was written")
            failures += 1
            return
        }
        let actor = settings.actor
        guard actor.role.allows(.commit) else {
            err("refused: \(actor.userName) is a \(actor.role.rawValue) and may not commit runs (operators and above may); nothing was written")
            failures += 1
            return
        }
        let now = Date()
        let submission = RunSubmission(
            userName: actor.userName, actingAdminName: settings.actingAdmin, scriptName: "repl",
            scriptSHA256: SHA256.hex(transcript.joined(separator: "\n")), trigger: .repl,
            output: printed.joined(separator: "\n"), startedAt: sessionStarted, finishedAt: now)
        do {
            let applied = try settings.store.apply(ChangeSet(report.effects), run: submission, actor: actor.actorScope)
            let n = applied.appliedIndices.count
            out("Committed \(n) effect\(n == 1 ? "" : "s") as run \(applied.runID).\n")
            if !applied.alreadyAppliedIndices.isEmpty {
                note("\(applied.alreadyAppliedIndices.count) effect(s) were already applied by an earlier run and were skipped.")
            }
            discardPending()
        } catch let held as ChangeSetHeldForApproval {
            // As `run --commit`: above the approval threshold the change set is stored as a
            // run awaiting a second approver. It leaves the session: committing again would
            // store it twice.
            out("Held for approval: \(held.description).\n")
            discardPending()
        } catch let denied as AccessDenied {
            err("refused: \(denied.message); nothing was written")
            failures += 1
        } catch let refused as ChangeSetRefused {
            for v in refused.violations { err("refused: effect #\(v.effectIndex + 1): \(v)") }
            err("the commit was refused; nothing was written. The effects stay pending (\\rollback drops them).")
            failures += 1
        } catch {
            err("error: \(error); nothing was written")
            failures += 1
        }
    }

    func rollback() {
        let n = pending.count
        discardPending()
        note(n == 0 ? "No pending effects." : "Dropped \(n) pending effect\(n == 1 ? "" : "s"); nothing was written.")
    }

    func discardPending() {
        if case .died(let reason) = client.request(ReplRequest(.discard), deadline: .seconds(10), interruptible: false) {
            recover(reason)
        }
        pending = []
        transcript = []
        printed = []
        sessionStarted = Date()
    }

    func testHook(_ kind: ReplRequest.Kind) {
        let deadline: Duration = kind == .testHang ? .seconds(2) : .seconds(10)
        if case .died(let reason) = client.request(ReplRequest(kind), deadline: deadline, interruptible: true) {
            recover(reason)
        }
    }
}

/// `\pending`: the change set as `steward run` shows a dry run, worded for the REPL.
enum ReplPendingText {
    static func render(_ report: RunReport) -> String {
        var text = EffectsText.render(report, listLimit: 20)
        let runLine = "Dry run: nothing was written. Run again with --commit to apply these \(report.effects.count) effect(s).\n"
        text = text.replacingOccurrences(of: runLine,
            with: "Pending: nothing is written until \\commit (\\rollback drops them). \(report.effects.count) effect(s):\n")
        if text.hasPrefix("\n") { text.removeFirst() }
        for w in report.warnings { text += "warning: \(LuaOutput.sanitizedLine(w))\n" }
        return text
    }
}
