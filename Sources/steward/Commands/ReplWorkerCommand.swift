import ArgumentParser
import Foundation
import LuaRuntime
import StewardScripting

/// `steward repl-worker`: the child side of a REPL session (see Sources/steward/Repl). It
/// holds the session's Lua state and answers framed requests on stdin/stdout; the parent does
/// the line editing, the printing and the commits. Started only by `steward repl`.
///
/// Running it by hand gains nothing: it opens the database read-only, so it can only show
/// what its user could already read from the file, and it never writes.
struct ReplWorkerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "repl-worker",
        abstract: "Evaluate REPL requests from stdin (started by `steward repl`).",
        shouldDisplay: false
    )

    func run() throws {
        signal(SIGPIPE, SIG_IGN)
        let channel = ReplChannel(input: STDIN_FILENO, output: STDOUT_FILENO)
        guard let first = try channel.receive(ReplRequest.self), first.kind == .hello, let hello = first.hello else {
            throw fail("error: repl-worker expects a hello frame first")
        }
        // Address space: the Lua heap limit plus room for the Swift runtime and SQLite. No CPU
        // limit: the session is long-lived and each evaluation has its own deadline.
        LuaWorkerProcess.applyChildLimits(memoryBytes: hello.memoryBytes.map { $0 + (512 << 20) }, cpuSeconds: nil)

        let evaluator: ReplEvaluator
        do {
            evaluator = try ReplEvaluator(hello: hello)
        } catch {
            var reply = ReplReply(.failed)
            reply.error = "\(error)"
            try channel.send(reply)
            return
        }
        // Ctrl-C reaches us from the parent as SIGINT (we are in our own process group) and
        // cancels only the Lua running for the current request.
        let gate = evaluator.interrupts
        ReplInterrupts.shared.install()
        ReplInterrupts.shared.forward { gate.interrupt() }
        try channel.send(ReplReply(.ready))

        let hooks = ProcessInfo.processInfo.environment[ReplTestHooks.variable] == "1"
        let send: (ReplReply) -> Void = { try? channel.send($0) }
        while let request = try channel.receive(ReplRequest.self) {
            var reply: ReplReply
            switch request.kind {
            case .hello:
                reply = ReplReply(.failed)
                reply.error = "the session is already set up"
            case .eval:
                reply = evaluator.evaluate(request.source ?? "", name: request.name ?? "stdin",
                                           expression: request.expression ?? true,
                                           allowIncomplete: request.allowIncomplete ?? true,
                                           maxRows: request.maxRows ?? 20, send: send)
            case .complete:
                let (candidates, replace) = ReplCompletion.complete(request.text ?? "", evaluator: evaluator)
                reply = ReplReply(.completions)
                reply.completions = candidates
                reply.replace = replace
            case .describe:
                reply = ReplReply(.documents)
                do {
                    if let name = request.text, !name.isEmpty {
                        reply.values = try evaluator.describe(name)
                    } else {
                        reply.values = try evaluator.describeDistrict()
                    }
                } catch {
                    reply = ReplReply(.failed)
                    reply.error = "\(error)"
                }
            case .help:
                reply = ReplReply(.documents)
                let name = request.text ?? ""
                if let global = evaluator.describeGlobal(name) {
                    reply.values = [evaluator.describeDocument(name, global)]
                } else if let members = evaluator.state.registeredTypeMembers[name] {
                    reply.values = [.record(kind: "type", title: "\(name) (host type)",
                                            fields: members.map { .init(name: $0, value: .empty) })]
                } else {
                    reply.values = []
                }
            case .pending:
                do {
                    reply = ReplReply(.pending)
                    reply.report = try evaluator.pending()
                } catch {
                    reply = ReplReply(.failed)
                    reply.error = "\(error)"
                }
            case .discard:
                evaluator.discardPending()
                reply = ReplReply(.done)
                reply.pendingCount = 0
            case .runScript:
                reply = ReplReply(.report)
                reply.report = evaluator.runScript(request.source ?? "", name: request.name ?? "script.lua")
            case .testCrash:
                guard hooks else {
                    reply = ReplReply(.failed)
                    reply.error = "test hooks are off"
                    break
                }
                // As Debian's liblua does on some inputs: a real invalid memory access.
                let address = UnsafeMutablePointer<Int>(bitPattern: 8)
                address?.pointee = 1
                reply = ReplReply(.failed)
            case .testHang:
                guard hooks else {
                    reply = ReplReply(.failed)
                    reply.error = "test hooks are off"
                    break
                }
                // Stuck where no hook and no Ctrl-C reaches: only the parent's kill ends it.
                while getppid() != 1 { sleep(1) }
                Foundation.exit(0)
            }
            try channel.send(reply)
        }
    }
}

/// Test-only switches of the REPL. With `STEWARD_REPL_TEST_HOOKS=1` in the environment of
/// `steward repl` (and so of its worker), the hidden meta-commands `\test-crash` (the worker
/// raises SIGSEGV, as Debian's liblua does on some inputs) and `\test-hang` (the worker blocks
/// outside Lua until the parent kills it) exist. Scripts cannot reach them: meta-commands are
/// read by the parent from the user's input, never from Lua, and the worker honours the
/// requests only when the variable is set.
enum ReplTestHooks {
    static let variable = "STEWARD_REPL_TEST_HOOKS"
    static var enabled: Bool { ProcessInfo.processInfo.environment[variable] == "1" }
}
