import CLua
import CLuaHost
import Foundation

/// One Lua 5.4 state with Steward's limits, owned by one thread at a time.
///
/// A state is cheap (tens of microseconds): make a fresh one per run, so runs are isolated
/// by construction. Sandboxed states (the default) give scripts only the allow-listed
/// environment described in `LuaState+Sandbox.swift`.
///
/// ```swift
/// let state = try LuaState()
/// let results = try state.run("return 6 * 7", name: "answer.lua")   // [.integer(42)]
/// print(state.output.text)                                          // what the script printed
/// ```
///
/// Swift is entered from Lua only through the C trampoline (CLuaHost's `trampoline.c`), and Lua
/// is entered from Swift only under `lua_pcall`, so no `longjmp` ever crosses a Swift frame.
public final class LuaState {
    /// The raw `lua_State *`. Exposed for the bridge's own extensions; do not use it to call
    /// Lua API functions that may raise errors outside a protected call.
    public let L: OpaquePointer
    let control: UnsafeMutablePointer<clua_control>
    /// The limits this state enforces.
    public let limits: LuaLimits
    /// What the scripts printed, sanitised and capped by `limits.outputBytes`.
    public let output: LuaOutput
    /// Lets another thread stop the running script (Ctrl-C, shutdown, a deadline).
    public let canceller: LuaCanceller
    /// What to do when a script is still running `hardGrace` after its deadline (stuck in C).
    public var hardDeadline: LuaHardDeadline = .exitProcess(code: 3)
    var hostLimitMessage: String?
    var baseRef: Int32 = LUA_NOREF
    var globalsRef: Int32 = LUA_NOREF
    var callDepth = 0
    var registeredTypes: [AnyLuaType] = []
    /// Each registered type's scalar getters: C holds them unretained (`clua_scalars`), so the
    /// state keeps them until it is gone.
    var scalarTables: [ScalarGetters] = []
    /// Objects of types released elsewhere, on their way to a background release.
    let deferredReleases = LuaDeferredReleases()
    /// Registry reference of each registered type's shared metatable, by type.
    var typeRegistrations: [ObjectIdentifier: Int32] = [:]
    /// Registry reference of each type's weak table of interned objects, once it has one.
    var internedTables: [ObjectIdentifier: Int32] = [:]
    private var closed = false

    /// Creates a state. With `sandboxed: true` (the default) the standard libraries are opened
    /// one by one and scripts see only the allow-listed environment.
    public init(limits: LuaLimits = LuaLimits(), sandboxed: Bool = true) throws {
        self.limits = limits
        control = UnsafeMutablePointer<clua_control>.allocate(capacity: 1)
        control.initialize(to: clua_control())
        control.pointee.mem_limit = limits.memoryBytes.map { size_t($0) } ?? 0
        control.pointee.instr_budget = -1
        control.pointee.dispatch = luaSwiftDispatch
        guard let L = clua_newstate(control) else {
            clua_release_free_blocks(control)
            control.deallocate()
            throw LuaError.api("lua_newstate failed (out of memory)")
        }
        self.L = L
        output = LuaOutput(limit: limits.outputBytes)
        canceller = LuaCanceller(L)
        control.pointee.owner = Unmanaged.passUnretained(self).toOpaque()
        LuaDiagnostics.stateOpened()
        lua_atpanic(L, luaPanic)
        if sandboxed {
            try installSandbox()
        } else {
            try openAllLibraries()
        }
        if let n = limits.instructions {
            clua_set_instruction_limit(L, Int64(n), Int32(max(1, limits.instructionCheckInterval)))
        }
    }

    deinit { close() }

    /// Closes the state: runs pending finalizers and frees everything. Idempotent.
    public func close() {
        guard !closed else { return }
        closed = true
        for type in registeredTypes { type.forget(L) }
        canceller.invalidate()
        control.pointee.in_host += 1  // finalizers must never see an allocation refusal
        lua_close(L)
        deferredReleases.flush()
        clua_release_free_blocks(control)
        control.deallocate()
        LuaDiagnostics.stateClosed()
    }

    /// Peak bytes the Lua heap held so far.
    public var peakMemory: Int { Int(control.pointee.mem_peak) }
    /// Bytes the Lua heap holds now.
    public var memoryInUse: Int { Int(control.pointee.mem_used) }

    /// Number of references held in the registry (for leak tests: it must stay flat).
    public var registryCount: Int {
        withHostFrame {
            var n = 0
            lua_pushnil(L)
            while lua_next(L, clua_registryindex()) != 0 {
                // luaL_ref's free list links unused slots with integers: not references.
                if lua_type(L, -1) != LUA_TNUMBER { n += 1 }
                clua_pop(L, 1)
            }
            return n
        }
    }

    /// Runs a full garbage collection (scripts cannot: `collectgarbage` is not in the sandbox).
    /// For leak checks: after it, ``memoryInUse`` is what is still reachable.
    public func collectGarbage() {
        _ = withHostFrame { clua_gc_collect(L) }
    }

    /// The limit that stopped the state, if any. Once set it keeps firing until ``recover()``.
    public var trippedLimit: LuaError? {
        let trip = control.pointee.tripped
        return trip == CLUA_TRIP_NONE.rawValue ? nil : limitError(trip)
    }

    /// Clears a tripped limit so the same state can run again (the REPL after Ctrl-C). A
    /// script's own run never does this: its limits stay fatal.
    public func recover() {
        control.pointee.tripped = Int32(CLUA_TRIP_NONE.rawValue)
        hostLimitMessage = nil
        lua_sethook(L, nil, 0, 0)
        if let n = limits.instructions {
            clua_set_instruction_limit(L, Int64(n), Int32(max(1, limits.instructionCheckInterval)))
        }
    }

    /// Runs `body` with allocation refusals postponed: Swift code that pushes values must
    /// never be unwound by a memory error. A refusal trips the limit; the next Lua
    /// instruction raises it.
    @inline(__always)
    func withHostFrame<T>(_ body: () throws -> T) rethrows -> T {
        control.pointee.in_host += 1
        defer { control.pointee.in_host -= 1 }
        return try body()
    }

    func limitError(_ trip: Int32) -> LuaError {
        switch UInt32(trip) {
        case CLUA_TRIP_MEMORY.rawValue:
            let limit = limits.memoryBytes.map(LuaByteCount.format) ?? "?"
            return .limit(.memory, message: "memory limit of \(limit) exceeded")
        case CLUA_TRIP_INSTRUCTIONS.rawValue:
            let n = limits.instructions.map { "\($0)" } ?? "?"
            return .limit(.instructions, message: "instruction limit of \(n) exceeded")
        case CLUA_TRIP_TIMEOUT.rawValue:
            let t = limits.timeout.map(LuaDurationText.format) ?? "?"
            return .limit(.time, message: "time limit of \(t) exceeded")
        case CLUA_TRIP_OUTPUT.rawValue:
            let n = limits.outputBytes.map(LuaByteCount.format) ?? "?"
            return .limit(.output, message: "output limit of \(n) exceeded")
        case CLUA_TRIP_CANCELLED.rawValue:
            return .cancelled
        default:
            return .limit(.host, message: hostLimitMessage ?? "host limit exceeded")
        }
    }

    /// Trips a limit from Swift on the state's own thread (output, host limits).
    func trip(_ why: clua_trip, message: String? = nil) {
        if control.pointee.tripped == Int32(CLUA_TRIP_NONE.rawValue) {
            if let message { hostLimitMessage = message }
        }
        clua_trip(L, Int32(why.rawValue))
    }

    private func openAllLibraries() throws {
        try protectedOpen("_G", clua_luaopen_base())
        for (name, open) in [("string", clua_luaopen_string()), ("table", clua_luaopen_table()),
                             ("math", clua_luaopen_math()), ("utf8", clua_luaopen_utf8()),
                             ("os", clua_luaopen_os())] {
            try protectedOpen(name, open)
            withHostFrame {
                lua_setglobal(L, name)  // globals table has no metatable here: cannot raise
            }
        }
    }

    /// Opens one standard library under `lua_pcall`, leaving it on the stack.
    func protectedOpen(_ name: String, _ open: lua_CFunction?) throws {
        let status = clua_open_library(L, name, open)
        if status != LUA_OK {
            let message = popErrorMessage()
            throw LuaError.api("opening library \(name) failed: \(message)")
        }
        if name == "_G" { clua_pop(L, 1) }
    }
}

/// The C entry point for every Swift closure (see CLuaHost's `trampoline.c`). `block` is
/// the block of the closure's box: an unmanaged `LuaCallable`.
let luaSwiftDispatch: clua_dispatch_fn = { L, block in
    guard let L, let block else { return CLUA_RAISE }
    // The box keeps the callable alive while Lua can call it: no retain/release per call.
    return Unmanaged<LuaCallable>.fromOpaque(block.load(as: UnsafeRawPointer.self))
        ._withUnsafeGuaranteedRef { $0.invoke(L) }
}

/// Reached only if Lua raises outside any protected call: a bug in the bridge. Better a clear
/// abort than undefined behaviour.
let luaPanic: lua_CFunction = { L in
    let message = L.flatMap { clua_tostring($0, -1) }.map { String(cString: $0) } ?? "?"
    FileHandle.standardError.write(Data("steward: unprotected Lua error: \(message)\n".utf8))
    abort()
}
