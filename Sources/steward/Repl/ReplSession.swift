import Foundation
import LuaRuntime
import StewardCore
import StewardScripting
import StewardStore

/// The parent side of `steward repl`: reads lines (libedit on a terminal, plain lines from a
/// pipe), hands chunks to the worker, prints what comes back, and alone commits.
final class ReplSession {
    struct Settings {
        var store: Store
        /// The store is a throwaway (no database was given): nothing can be committed.
        var scratch: Bool
        var actor: RunActor
        var actingAdmin: String?
        var today: CivilDate
        var limits: LuaLimits
        var interactive: Bool
        var colour: Bool
    }

    let settings: Settings
    var client: ReplWorkerClient
    var formatter = ReplFormatter()
    var timing = false
    /// Rows of a query shown as a table; CSV and JSON give up to ``maxExportRows``.
    let maxRows = 20
    static let maxExportRows = 10_000
    /// A copy of the worker's pending effects, to name them if the worker dies.
    var pending: [Effect] = []
    /// Source of the chunks evaluated since the last commit or rollback (hashed into the run
    /// record of a commit).
    var transcript: [String] = []
    var printed: [String] = []
    /// When the effects pending now began to accumulate (the run record's start).
    var sessionStarted = Date()
    var editor: LineEditor?
    var history: ReplHistory?
    /// Whether any evaluation failed (the exit code of a piped session).
    var failures = 0
    /// Set when the worker died outside an evaluation (during completion): reported before the
    /// next prompt.
    var lostWorker: String?

    init(settings: Settings) throws {
        self.settings = settings
        client = ReplWorkerClient(hello: Self.hello(settings))
        try client.start()
    }

    static func hello(_ s: Settings) -> ReplHello {
        ReplHello(databasePath: s.store.path, userName: s.actor.userName, role: s.actor.role.rawValue,
                  scopePlaceCode: s.actor.scopePlaceCode, isDistrictScope: s.actor.isDistrictScope,
                  canUnmask: s.actor.canUnmask, today: s.today.iso, memoryBytes: s.limits.memoryBytes,
                  instructions: s.limits.instructions,
                  timeoutMs: Int64((s.limits.timeout ?? .seconds(3600)).seconds * 1000),
                  hardGraceMs: Int64(s.limits.hardGrace.seconds * 1000), outputBytes: s.limits.outputBytes)
    }

    /// How long the parent waits for one evaluation before killing the worker: the time limit,
    /// the grace the worker's own watchdog gives, and a second more.
    var evaluationDeadline: Duration {
        (settings.limits.timeout ?? .seconds(3600)) + settings.limits.hardGrace + .seconds(1)
    }

    // MARK: output

    func out(_ text: String) { writeOut(text) }

    func err(_ text: String) {
        if settings.colour { printError("\u{1b}[31m" + text + "\u{1b}[0m") } else { printError(text) }
    }

    func note(_ text: String) {
        if settings.colour { writeOut("\u{1b}[2m" + text + "\u{1b}[0m\n") } else { writeOut(text + "\n") }
    }

    // MARK: the loop

    /// Runs the session until `\q`, Ctrl-D or the end of input. Returns the exit code.
    func run(initialScript: ScriptFile?) -> Int32 {
        ReplInterrupts.shared.install()
        if settings.interactive {
            LineEditor.prepareLocale()
            editor = LineEditor(program: "steward")
            editor?.completer = { [unowned self] in complete($0) }
            if let path = ReplHistory.defaultPath() {
                var h = ReplHistory(path: path)
                for line in h.load() { editor?.remember(line) }
                history = h
            }
            banner()
        } else {
            // Ctrl-C with nothing running ends a piped session, as it would end a shell's.
            ReplInterrupts.shared.exitWhenIdle = true
        }
        if let script = initialScript {
            evaluate(script.text, name: script.name, expression: false, allowIncomplete: false)
        }
        var chunk: [String] = []
        while true {
            if let reason = lostWorker {
                lostWorker = nil
                recover(reason)
            }
            let input = readInput(continuation: !chunk.isEmpty)
            switch input {
            case .endOfInput:
                if !chunk.isEmpty, !settings.interactive {
                    // The input ended inside a chunk: say what is missing.
                    evaluate(chunk.joined(separator: "\n"), name: "stdin", expression: true, allowIncomplete: false)
                }
                if leave() { return exitCode }
                chunk = []
            case .interrupted:
                chunk = []
            case .line(let line):
                if chunk.isEmpty {
                    let trimmed = line.trimmingCharacters(in: .whitespaces)
                    if trimmed.isEmpty { continue }
                    remember(line)
                    if trimmed.hasPrefix("\\") {
                        if meta(trimmed) == .quit, leave() { return exitCode }
                        continue
                    }
                } else {
                    remember(line)
                }
                chunk.append(line)
                let source = chunk.joined(separator: "\n")
                if evaluate(source, name: "stdin", expression: true, allowIncomplete: true) != .incomplete {
                    chunk = []
                }
            }
        }
    }

    var exitCode: Int32 { !settings.interactive && failures > 0 ? 1 : 0 }

    func banner() {
        let who = settings.actor.isDistrictScope ? "district" : settings.actor.scopePlaceCode
        let db = settings.scratch ? "no database (an empty one)" : settings.store.path
        note("Steward REPL — \(db), as \(settings.actor.userName) (\(settings.actor.role.rawValue), \(who)), "
            + "today \(settings.today.iso)")
        note("Read-only until \\commit. \\help for help, Tab completes, Ctrl-C interrupts, \\q or Ctrl-D leaves.")
    }

    func readInput(continuation: Bool) -> LineEditor.Input {
        if let editor {
            let text = continuation ? ">> " : "> "
            let prompt = settings.colour ? "\u{1}\u{1b}[1;32m\u{1}\(text)\u{1}\u{1b}[0m\u{1}" : text
            return editor.read(prompt: prompt)
        }
        guard let line = readLine(strippingNewline: true) else { return .endOfInput }
        return .line(line)
    }

    func remember(_ line: String) {
        guard settings.interactive else { return }
        editor?.remember(line)
        history?.append(line)
    }

    // MARK: evaluation

    enum Evaluated { case done, failed, incomplete, lost }

    @discardableResult
    func evaluate(_ source: String, name: String, expression: Bool, allowIncomplete: Bool) -> Evaluated {
        let request = ReplRequest(.eval, source: source, name: name, expression: expression,
                                  allowIncomplete: allowIncomplete,
                                  maxRows: formatter.format == .table ? maxRows : Self.maxExportRows)
        let outcome = client.request(request, deadline: evaluationDeadline, interruptible: true) { [unowned self] line in
            out(line + "\n")
            printed.append(line)
        }
        switch outcome {
        case .died(let reason):
            failures += 1
            recover(reason)
            return .lost
        case .reply(let reply):
            if reply.kind == .incomplete { return .incomplete }
            transcript.append(source)
            for w in reply.warnings ?? [] { printError("warning: \(LuaOutput.sanitizedLine(w))") }
            if let effects = reply.newEffects { pending += effects }
            if let error = reply.error {
                failures += 1
                if reply.errorKind == "cancelled" {
                    // On a terminal the tty has echoed ^C: write over it.
                    err(settings.interactive ? "\rinterrupted" : "interrupted")
                } else {
                    err(LuaOutput.sanitizedLine(error))
                }
            }
            for doc in reply.values ?? [] { out(formatter.render(doc) + "\n") }
            if let n = reply.newEffects?.count, n > 0, settings.interactive {
                note("(+\(n) pending effect\(n == 1 ? "" : "s"), \(pending.count) in all: \\pending shows them, \\commit applies them)")
            }
            if timing, let ms = reply.durationMs { note(String(format: "time: %.2f ms", ms)) }
            return reply.error == nil ? .done : .failed
        }
    }

    /// The worker is gone: say why, name the pending effects that went with it, start afresh.
    func recover(_ reason: String) {
        err("error: \(reason).")
        if !pending.isEmpty {
            err("dropped \(pending.count) pending effect\(pending.count == 1 ? "" : "s") of the lost session (nothing was written):")
            for effect in pending.prefix(20) { printError("  " + EffectsText.line(effect)) }
            if pending.count > 20 { printError("  … and \(pending.count - 20) more") }
        }
        pending = []
        transcript = []
        client = ReplWorkerClient(hello: Self.hello(settings))
        do {
            try client.start()
            err("started a fresh session: globals from before are gone.")
        } catch {
            err("error: cannot start a fresh evaluator: \(error)")
        }
    }

    // MARK: completion

    func complete(_ before: String) -> (candidates: [String], replace: Int) {
        let trimmed = before.trimmingCharacters(in: .whitespaces)
        if trimmed.hasPrefix("\\") && !trimmed.contains(" ") {
            let names = ReplMeta.commands.map { "\\" + $0.name }.filter { $0.hasPrefix(trimmed) }
            return (names, trimmed.count)
        }
        guard client.alive else { return ([], 0) }
        switch client.request(ReplRequest(.complete, text: before), deadline: .seconds(5), interruptible: false) {
        case .reply(let r): return (r.completions ?? [], r.replace ?? 0)
        case .died(let reason):
            lostWorker = reason
            return ([], 0)
        }
    }

    // MARK: leaving

    /// Whether the session may end: with pending effects, asks on a terminal; without one,
    /// drops them and says so.
    func leave() -> Bool {
        guard !pending.isEmpty else { client.stop(); return true }
        let n = pending.count
        let what = "\(n) pending effect\(n == 1 ? "" : "s")"
        if settings.interactive {
            out("There \(n == 1 ? "is" : "are") \(what) that \(n == 1 ? "was" : "were") not committed. Leave and drop \(n == 1 ? "it" : "them")? [y/N] ")
            let answer = readLine()?.trimmingCharacters(in: .whitespaces).lowercased() ?? "y"
            guard answer == "y" || answer == "yes" else {
                note("Staying. \\commit applies them, \\rollback drops them.")
                return false
            }
        } else {
            printError("steward repl: dropped \(what) that \(n == 1 ? "was" : "were") not committed (\\commit applies them)")
        }
        client.stop()
        return true
    }
}
