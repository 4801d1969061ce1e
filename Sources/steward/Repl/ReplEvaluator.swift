import CLua
import CLuaHost
import Foundation
import LuaRuntime
import StewardCore
import StewardScripting
import StewardStore

/// The worker side of a REPL session: one sandboxed Lua state with the domain API, kept for
/// the whole session, evaluating one chunk at a time under the limits of `steward run`.
///
/// The database is opened read-only. Each request runs inside its own `store.read`, and the
/// host context is given that snapshot (``HostContext/snapshot``): a snapshot is only valid
/// inside the read that lent it. The pending effects live in the context and persist across
/// evaluations; only the parent commits them (`\commit`), the worker never writes.
final class ReplEvaluator {
    let store: Store
    let actor: RunActor
    let today: CivilDate
    let limits: LuaLimits
    private(set) var state: LuaState!
    private(set) var host: DomainHost!
    private(set) var context: HostContext!
    private var globalsStashed = false
    /// Effects already reported to the parent.
    private var reportedEffects = 0
    private var reportedWarnings = 0
    /// Set while Lua runs for a request, so a late Ctrl-C cannot cancel the next one.
    let interrupts = InterruptGate()

    init(hello: ReplHello) throws {
        store = try Store.open(at: hello.databasePath, mode: .readOnly)
        guard let role = UserRole(rawValue: hello.role) else { throw ReplIO.Failure("unknown role \(hello.role)") }
        actor = RunActor(userName: hello.userName, role: role, scopePlaceCode: hello.scopePlaceCode,
                         isDistrictScope: hello.isDistrictScope, canUnmask: hello.canUnmask)
        today = try CivilDate(parsing: hello.today)
        var limits = LuaLimits()
        limits.memoryBytes = hello.memoryBytes
        limits.instructions = hello.instructions
        limits.timeout = .milliseconds(hello.timeoutMs)
        limits.hardGrace = .milliseconds(hello.hardGraceMs)
        limits.outputBytes = hello.outputBytes
        self.limits = limits
        try store.read { snapshot in
            let context = HostContext(snapshot: snapshot, actor: actor, today: today)
            let host = DomainHost(context: context, parameters: [:], dryRun: true)
            let state = try LuaState(limits: limits)
            // Stuck inside one C call past the deadline: end this process with a message; the
            // parent reports it and starts a fresh session (it also kills us if we linger).
            state.hardDeadline = .exitProcess(code: 3)
            try host.install(state)
            state.registerTrusted("__repl_typename") { call in
                let L = call.L
                var name: String?
                if lua_type(L, 1) == LUA_TUSERDATA, lua_getmetatable(L, 1) != 0 {
                    lua_pushstring(L, "__name")
                    if lua_rawget(L, -2) == LUA_TSTRING, let p = clua_tostring(L, -1) { name = String(cString: p) }
                    clua_pop(L, 2)
                }
                if let name { call.push(name) } else { call.pushNil() }
                return 1
            }
            try state.runTrusted(ReplLuaHelpers.source, name: "repl")
            try Self.installSchema(state)
            self.context = context
            self.host = host
            self.state = state
        }
        let gate = interrupts, canceller = state.canceller
        gate.onInterrupt = { canceller.cancel() }
    }

    /// Hands the renderer each host type's fields as the API reference declares them, and
    /// which hold money ("…, in fen"), so records and lists of any type print as tables.
    static func installSchema(_ state: LuaState) throws {
        var schema = LuaTable()
        for (name, type) in APICatalogue.types where type.origin == .host {
            var money = LuaTable()
            for field in type.fields where field.summary.contains("in fen") { money[field.name] = true }
            schema[name] = ["fields": .table(LuaTable(array: type.fields.map { LuaValue($0.name) })),
                            "money": .table(money)]
        }
        let L = state.L
        let control = clua_control_of(L)!
        control.pointee.in_host += 1
        _ = lua_getglobal(L, "__repl_set_schema")
        control.pointee.in_host -= 1
        _ = try state.callTop(arguments: [.table(schema)])
    }

    /// Runs `body` with the context reading a fresh snapshot. The member cursors it opened end
    /// with it: an iterator left part way (kept in a variable, or dropped after a `break`)
    /// would otherwise hold a read transaction until Lua collected it, and keep checkpoints
    /// from finishing while the REPL sat idle.
    func withSnapshot<T>(_ body: () throws -> T) throws -> T {
        try store.read { snapshot in
            context.snapshot = snapshot
            defer { context.closeCursors() }
            return try body()
        }
    }

    /// Allocations in raw stack work must never fail (a refusal would longjmp through Swift).
    func hostFrame<T>(_ body: (OpaquePointer) throws -> T) rethrows -> T {
        let L = state.L
        let control = clua_control_of(L)!
        control.pointee.in_host += 1
        defer { control.pointee.in_host -= 1 }
        return try body(L)
    }

    // MARK: evaluation

    enum Compiled {
        case ready
        case incomplete
        case failed(LuaError)
    }

    /// Compiles a chunk, leaving the function on the stack. Expressions first (`1 + 1` is
    /// `return 1 + 1`), then the text as a statement; a syntax error at `<eof>` means the
    /// chunk goes on.
    func compile(_ source: String, name: String, expression: Bool, allowIncomplete: Bool) -> Compiled {
        var text = source
        var asExpression = expression
        if expression, text.hasPrefix("=") {
            text = "return " + text.dropFirst()
            asExpression = false
        }
        if asExpression {
            do {
                try state.load("return " + text, name: name)
                return .ready
            } catch {}
        }
        do {
            try state.load(text, name: name)
            return .ready
        } catch let error as LuaError {
            if allowIncomplete, case .syntax(let message) = error, message.hasSuffix("<eof>") { return .incomplete }
            return .failed(error)
        } catch {
            return .failed(.api("\(error)"))
        }
    }

    /// Evaluates one chunk; `send` streams output lines and the phase change.
    func evaluate(_ source: String, name: String, expression: Bool, allowIncomplete: Bool, maxRows: Int,
                  send: @escaping (ReplReply) -> Void) -> ReplReply {
        recoverState()
        state.output.clear()
        state.output.onLine = { line in
            var reply = ReplReply(.output)
            reply.line = line
            send(reply)
        }
        defer { state.output.onLine = nil }
        let clock = ContinuousClock()
        let start = clock.now
        var reply = ReplReply(.done)
        do {
            try withSnapshot {
                switch compile(source, name: name, expression: expression, allowIncomplete: allowIncomplete) {
                case .incomplete:
                    reply = ReplReply(.incomplete)
                    return
                case .failed(let error):
                    fill(&reply, error)
                    return
                case .ready:
                    break
                }
                hostFrame { L in
                    if !globalsStashed {
                        _ = lua_getupvalue(L, -1, 1)  // the chunk's _ENV: the script globals
                        lua_setglobal(L, "__repl_globals")
                        globalsStashed = true
                    }
                    lua_setglobal(L, "__repl_chunk")
                    lua_getglobal(L, "__repl_eval")
                }
                do {
                    interrupts.begin()
                    defer { interrupts.end() }
                    _ = try state.callTop(arguments: [])
                    send(ReplReply(.phase))
                    hostFrame { L in _ = lua_getglobal(L, "__repl_render") }
                    let docs = try state.callTop(arguments: [.integer(Int64(maxRows))])
                    reply.values = (docs.first?.tableValue?.array ?? []).map(ReplDocument.init(lua:))
                } catch let error as LuaError {
                    fill(&reply, error)
                }
            }
        } catch {
            reply.error = "\(error)"
            reply.errorKind = "store"
        }
        recoverState()
        hostFrame { L in
            lua_pushnil(L)
            lua_setglobal(L, "__repl_last")
            lua_pushnil(L)
            lua_setglobal(L, "__repl_chunk")
        }
        let elapsed = clock.now - start
        reply.durationMs = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        attachEffects(&reply)
        return reply
    }

    /// Clears a tripped limit so the session goes on (the REPL's use of ``LuaState/recover()``);
    /// after the memory limit, also collects what the failed chunk left behind.
    private func recoverState() {
        guard let tripped = state.trippedLimit else { return }
        state.recover()
        if case .limit(.memory, _) = tripped {
            hostFrame { L in _ = lua_getglobal(L, "__repl_collect") }
            _ = try? state.callTop(arguments: [])
            if state.trippedLimit != nil { state.recover() }
        }
    }

    private func fill(_ reply: inout ReplReply, _ error: LuaError) {
        switch error {
        case .syntax(let m): reply.error = m; reply.errorKind = "syntax"
        case .runtime(let m, _): reply.error = m; reply.errorKind = "runtime"
        case .limit(let kind, let m): reply.error = m; reply.errorKind = "limit.\(kind.rawValue)"
        case .cancelled: reply.error = "interrupted"; reply.errorKind = "cancelled"
        case .conversion(let m): reply.error = m; reply.errorKind = "result"
        case .api(let m): reply.error = "internal error: \(m)"; reply.errorKind = "internal"
        }
    }

    private func attachEffects(_ reply: inout ReplReply) {
        let effects = context.changeSet.effects
        if effects.count > reportedEffects {
            reply.newEffects = Array(effects[reportedEffects...])
        }
        reportedEffects = effects.count
        reply.pendingCount = effects.count
        if context.warnings.count > reportedWarnings { reply.warnings = Array(context.warnings[reportedWarnings...]) }
        reportedWarnings = context.warnings.count
    }

    // MARK: pending effects

    /// The pending change set as a report: effects, budgets before → after, counts.
    func pending() throws -> RunReport {
        try withSnapshot {
            var report = RunReport(script: "repl", status: .ok)
            let changeSet = context.changeSet
            report.effects = changeSet.effects
            report.alreadyApplied = context.alreadyApplied.count
            report.effectCounts = changeSet.countsByKind
            report.warnings = context.warnings
            report.budgets = try DomainRunner.budgetChanges(changeSet, context.snapshot)
            return report
        }
    }

    func discardPending() {
        context.discardPending()
        reportedEffects = 0
        reportedWarnings = 0
    }

    // MARK: \run FILE

    /// A whole script as a dry run in a fresh state of its own: the session is untouched.
    func runScript(_ source: String, name: String) -> RunReport {
        let runner = DomainRunner(store: store, actor: actor, today: today, limits: limits,
                                  hardDeadline: .exitProcess(code: 3), trigger: .repl)
        interrupts.begin()
        defer { interrupts.end() }
        return runner.run(source: source, name: name, commit: false)
    }

    // MARK: completion and description

    /// Values a dotted path names (`report`, `allocate`, `fund` for a global budget).
    func lookup(_ path: [String]) -> ReplLookup? {
        guard !path.isEmpty else { return nil }
        guard let value = try? withSnapshot({ () -> LuaValue? in
            hostFrame { L in _ = lua_getglobal(L, "__repl_lookup") }
            return try state.callTop(arguments: [.table(LuaTable(array: path.map { LuaValue($0) }))]).first
        }), let t = value.tableValue else {
            if state.trippedLimit != nil { state.recover() }
            return nil
        }
        if let object = t["object"].stringValue { return .object(object) }
        let keys: [LuaValue] = t["keys"].tableValue?.array ?? []
        return .keys(Array(Set(keys.compactMap { $0.stringValue })).sorted())
    }

    var globalNames: [String] { Array(Set(state.baseNames + state.scriptGlobalNames)).sorted() }
}

/// What a completion path names.
enum ReplLookup {
    case keys([String])
    case object(String)
}

/// Lets SIGINT cancel only the Lua that runs for the current request.
final class InterruptGate: @unchecked Sendable {
    private let lock = NSLock()
    private var active = false
    var onInterrupt: (() -> Void)?

    func begin() { lock.withLock { active = true } }
    func end() { lock.withLock { active = false } }

    func interrupt() {
        lock.withLock { if active { onInterrupt?() } }
    }
}
