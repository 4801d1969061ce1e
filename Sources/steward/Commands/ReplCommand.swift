import ArgumentParser
import Foundation
import LuaRuntime
import StewardCore
import StewardScripting
import StewardStore

/// `steward repl`: explore a district's data in Lua, interactively, on the same sandbox, API,
/// limits and scope as `steward run` by the same user. The Lua state lives in a worker process
/// kept for the session (see Sources/steward/Repl), so a crash of liblua or a call stuck in C
/// costs the session's globals, never the terminal.
struct ReplCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "repl",
        abstract: "Explore the district's data in Lua, interactively (read-only until \\commit).",
        discussion: "Expressions print their values (`1 + 1`, `=expr`), statements run, `_` is the last result; "
            + "an unfinished chunk continues on a `>>` line. Records and query results print as tables "
            + "(`members{ town = \"儒林镇\" }`). Effects stay pending until \\commit, which applies them with the "
            + "same checks as `steward run --commit`. \\help lists the commands.\n\n"
            + "On a terminal: line editing (libedit), Tab completion, history in $XDG_STATE_HOME/steward/history "
            + "(else ~/.local/state/steward/history), Ctrl-C interrupts running code.\n\n"
            + "From a pipe (`printf '1+1\\n' | steward repl`) only values, printed output and errors appear; the "
            + "exit code is 1 if any chunk failed, else 0. Pending effects left at the end of piped input are "
            + "dropped (and said so on stderr).\n\n" + StewardExit.helpText
    )

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var limitOptions: LimitOptions

    @Option(name: .customShort("i"), help: ArgumentHelp("Run this script first, then continue with its globals.", valueName: "FILE"))
    var initialScript: String?

    @Option(name: .customLong("as"), help: ArgumentHelp("Act as another Steward user (admins only; audited).", valueName: "NAME"))
    var asUser: String?

    @Option(help: "The date the session treats as today (YYYY-MM-DD; default: the database's clock.today, else today in Asia/Shanghai).")
    var today: String?

    func run() throws {
        // A REPL started with signals blocked (some launchers do that) would ignore the
        // terminal's hang-up and the window's resizing.
        var signals = sigset_t()
        sigemptyset(&signals)
        for s in [SIGHUP, SIGINT, SIGTERM, SIGQUIT, SIGWINCH, SIGCONT, SIGTSTP] { sigaddset(&signals, s) }
        pthread_sigmask(SIG_UNBLOCK, &signals, nil)
        let limits = try limitOptions.limits()
        let script = try initialScript.map { try ScriptFile.read($0) }
        let opened = try database.openForRun(commit: false)
        let (actor, admin) = try opened.map { try ActorResolver.resolve($0.store, asName: asUser) }
            ?? (RunActor(userName: "nobody", role: .viewer, scopePlaceCode: "-", isDistrictScope: true, canUnmask: false), nil)
        let date = try RunClock.today(explicit: today, store: opened?.store)
        let store = try opened ?? DatabaseOptions.scratch()
        let interactive = isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1
        let settings = ReplSession.Settings(
            store: store.store, scratch: store.scratch, actor: actor, actingAdmin: admin, today: date, limits: limits,
            interactive: interactive, colour: interactive && colourAllowed(STDOUT_FILENO))
        let session: ReplSession
        do {
            session = try ReplSession(settings: settings)
        } catch {
            throw fail("error: cannot start the REPL's evaluator: \(error)")
        }
        let code = session.run(initialScript: script)
        if code != 0 { throw ExitCode(code) }
    }
}
