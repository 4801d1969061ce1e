import Foundation
import Testing
@testable import LuaRuntime

@Suite("Limits end the run, name themselves, and cannot be swallowed")
struct LuaLimitTests {
    func state(memory: Int? = 8 << 20, instructions: Int? = nil, timeout: Duration? = .seconds(5),
               output: Int? = 1 << 20) throws -> LuaState {
        var limits = LuaLimits()
        limits.memoryBytes = memory
        limits.instructions = instructions
        limits.timeout = timeout
        limits.outputBytes = output
        let s = try LuaState(limits: limits)
        s.hardDeadline = .none
        return s
    }

    @Test func memoryLimitEndsTheRun() throws {
        let s = try state()
        #expect(throws: LuaError.limit(.memory, message: "memory limit of 8MB exceeded")) {
            try s.run("local t = {} for i = 1, 1e8 do t[i] = i end", name: "m.lua")
        }
    }

    @Test func memoryLimitCannotBeSwallowedByPcall() throws {
        let s = try state()
        #expect(throws: LuaError.limit(.memory, message: "memory limit of 8MB exceeded")) {
            try s.run("""
                for i = 1, 10 do
                  pcall(function() local t = {} for j = 1, 1e8 do t[j] = j end end)
                end
                return 'swallowed'
                """, name: "m.lua")
        }
    }

    @Test func instructionLimit() throws {
        let s = try state(instructions: 100_000)
        #expect(throws: LuaError.limit(.instructions, message: "instruction limit of 100000 exceeded")) {
            try s.run("while true do end", name: "i.lua")
        }
    }

    @Test func instructionLimitCannotBeSwallowedByPcallOrXpcall() throws {
        let s = try state(instructions: 100_000)
        #expect(throws: LuaError.limit(.instructions, message: "instruction limit of 100000 exceeded")) {
            try s.run("""
                while true do
                  pcall(function() while true do end end)
                  xpcall(function() while true do end end, function(e) return e end)
                end
                """, name: "i.lua")
        }
    }

    @Test func timeLimitWithoutInstructionLimit() throws {
        let s = try state(timeout: .milliseconds(200))
        let start = Date()
        #expect(throws: LuaError.limit(.time, message: "time limit of 200ms exceeded")) {
            try s.run("while true do pcall(function() while true do end end) end", name: "t.lua")
        }
        #expect(Date().timeIntervalSince(start) < 2)
    }

    @Test func outputLimit() throws {
        let s = try state(output: 100)
        #expect(throws: LuaError.limit(.output, message: "output limit of 100 bytes exceeded")) {
            try s.run("for i = 1, 1000 do pcall(print, 'line', i) end", name: "o.lua")
        }
        #expect(s.output.bytes.count == 100)
    }

    @Test func anotherThreadCanCancel() throws {
        let s = try state(timeout: .seconds(30))
        let canceller = s.canceller
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.1) { canceller.cancel() }
        #expect(throws: LuaError.cancelled) {
            try s.run("while true do end", name: "c.lua")
        }
    }

    @Test func hostLimitCannotBeSwallowed() throws {
        let s = try state()
        s.register("effect") { _ in throw LuaHostLimitError("effect limit of 3 per run exceeded") }
        #expect(throws: LuaError.limit(.host, message: "effect limit of 3 per run exceeded")) {
            try s.run("for i = 1, 5 do pcall(effect) end return 'swallowed'", name: "h.lua")
        }
    }

    @Test func closeHandlersCannotSwallowALimit() throws {
        let s = try state(instructions: 50_000)
        #expect(throws: LuaError.limit(.instructions, message: "instruction limit of 50000 exceeded")) {
            try s.run("""
                local ok = pcall(function() while true do end end)
                return 'swallowed'
                """, name: "c.lua")
        }
    }

    @Test func limitKeepsFiringUntilTheStateIsGone() throws {
        let s = try state(instructions: 10_000)
        #expect(throws: LuaError.self) { try s.run("while true do end", name: "a.lua") }
        #expect(throws: LuaError.limit(.instructions, message: "instruction limit of 10000 exceeded")) {
            try s.run("return 1", name: "b.lua")
        }
    }

    /// Counts its live instances; used only by the leak test, so parallel suites cannot
    /// disturb the count.
    final class LeakProbe {
        nonisolated(unsafe) static var alive = 0
        init() { LeakProbe.alive += 1 }
        deinit { LeakProbe.alive -= 1 }
    }

    @Test func tenThousandRunsLeakNothing() throws {
        // Runs that succeed, fail and hit limits, each in a fresh state. Every state must be
        // released, and with it every Swift closure registered in it (each closure holds a
        // probe).
        func once(_ i: Int) throws -> (state: Weak<LuaState>, probes: Int) {
            var limits = LuaLimits()
            limits.memoryBytes = 1 << 20
            limits.instructions = i % 3 == 2 ? 1000 : nil
            limits.timeout = nil
            let s = try LuaState(limits: limits)
            let probe = LeakProbe()
            s.register("f") { call in _ = probe; call.push(try call.integer(1) + 1); return 1 }
            switch i % 3 {
            case 0: _ = try s.run("return f(\(i))", name: "ok.lua")
            case 1: _ = try? s.run("f('x')", name: "err.lua")
            default: _ = try? s.run("while true do f(1) end", name: "loop.lua")
            }
            return (Weak(s), LeakProbe.alive)
        }
        var maxAlive = 0
        for i in 0..<10_000 {
            let (weakState, alive) = try once(i)
            #expect(weakState.value == nil)
            maxAlive = max(maxAlive, alive)
        }
        #expect(LeakProbe.alive == 0)
        #expect(maxAlive == 1)
    }

    final class Weak<T: AnyObject> {
        weak var value: T?
        init(_ value: T) { self.value = value }
    }

    @Test func registryStaysFlatInALongLivedState() throws {
        let s = try state()
        s.register("f") { call in call.push(try call.integer(1)); return 1 }
        for i in 0..<100 { _ = try? s.run(i % 2 == 0 ? "return f(1)" : "error('x')", name: "r.lua") }
        let before = s.registryCount
        for i in 0..<10_000 { _ = try? s.run(i % 2 == 0 ? "return f(1)" : "error('x')", name: "r.lua") }
        #expect(s.registryCount == before)
    }

    func residentBytes() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8),
              let pages = Int(text.split(separator: " ")[1]) else { return 0 }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }
}
