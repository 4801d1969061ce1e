import Testing
@testable import LuaRuntime

final class Tracked {
    static nonisolated(unsafe) var alive = 0
    init() { Tracked.alive += 1 }
    deinit { Tracked.alive -= 1 }
}

@Suite("Errors are typed and never unwind Swift frames", .serialized)
struct LuaErrorTests {
    @Test func syntaxErrorNamesChunkAndLine() throws {
        let state = try LuaState()
        #expect(throws: LuaError.syntax(message: "grants.lua:2: unexpected symbol near '='")) {
            try state.run("local a = 1\nx = = 2", name: "grants.lua")
        }
    }

    @Test func runtimeErrorHasPositionAndTraceback() throws {
        let state = try LuaState()
        do {
            try state.run("local x = nil\nreturn x.field", name: "r.lua")
            Issue.record("expected an error")
        } catch let LuaError.runtime(message, traceback) {
            #expect(message == "r.lua:2: attempt to index a nil value (local 'x')")
            #expect(traceback.contains("stack traceback"))
        }
    }

    @Test func errorWithTableValueIsDescribedWithoutMetamethods() throws {
        let state = try LuaState()
        #expect(throws: LuaError.runtime(message: "(error object is a table value)", traceback: "")) {
            try state.run("error({})", name: "t.lua")
        }
    }

    @Test func failingCallbackRunsDeferAndReleasesObjects() throws {
        let state = try LuaState()
        var deferRan = false
        Tracked.alive = 0
        state.register("fail") { _ in
            let object = Tracked()
            defer { deferRan = true; _ = object }
            throw LuaScriptError("budget 'relief-2025' has ¥1,200.00 left, this grant needs ¥2,000.00")
        }
        #expect(throws: LuaError.runtime(
            message: "h.lua:3: budget 'relief-2025' has ¥1,200.00 left, this grant needs ¥2,000.00", traceback: "")) {
            try state.run("local a = 1\nlocal b = 2\nfail()", name: "h.lua")
        }
        #expect(deferRan)
        #expect(Tracked.alive == 0)
    }

    @Test func nestedSwiftLuaSwiftErrorReachesOuterCallerTyped() throws {
        let state = try LuaState()
        state.register("outer") { call in
            _ = try call.call(1, [.integer(7)])
            return 0
        }
        state.register("inner") { call in
            throw LuaScriptError("inner refused \(try call.integer(1))")
        }
        do {
            try state.run("outer(function(n)\n  inner(n)\nend)", name: "n.lua")
            Issue.record("expected an error")
        } catch let LuaError.runtime(message, _) {
            #expect(message == "n.lua:2: inner refused 7")
        }
        // The state is still usable afterwards.
        #expect(try state.run("return 1 + 1", name: "ok.lua") == [2])
    }

    @Test func badArgumentMessagesNameTheFunction() throws {
        let state = try LuaState()
        state.register("grant") { call in call.push(try call.integer(2)); return 1 }
        #expect(throws: LuaError.runtime(message: "a.lua:1: bad argument #2 to 'grant' (integer expected, got string)", traceback: "")) {
            try state.run("grant(1, 'x')", name: "a.lua")
        }
    }

    @Test func pcallInScriptCatchesOrdinaryErrors() throws {
        let state = try LuaState()
        let r = try state.run("local ok, e = pcall(error, 'boom', 0) return ok, e", name: "p.lua")
        #expect(r == [false, "boom"])
    }

    @Test func binaryChunksAreRefused() throws {
        let state = try LuaState()
        #expect(throws: LuaError.self) {
            try state.run("\u{1B}Lua\u{54}\u{00}", name: "bin.lua")
        }
    }
}
