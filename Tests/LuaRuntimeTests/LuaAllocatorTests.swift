import Testing
@testable import LuaRuntime

/// The state's allocator keeps freed small blocks for reuse by size class (`clua_alloc` in
/// CLuaHost's allocator.c). These check what a script can observe of that: every value
/// survives blocks moving between the classes and malloc, and the memory counted is what Lua
/// holds, not what is kept.
@Suite("The allocator reuses small blocks without losing a value or a byte of accounting")
struct LuaAllocatorTests {
    func state(memory: Int? = 8 << 20) throws -> LuaState {
        var limits = LuaLimits()
        limits.memoryBytes = memory
        return try LuaState(limits: limits)
    }

    @Test("tables grown past the small sizes and shrunk back keep every value")
    func tablesGrowAndShrinkAcrossTheClasses() throws {
        let s = try state()
        // Array parts of 3 to 600 entries (16 bytes each) cross the 256-byte largest small
        // block on the way up; deleting all but 3 and adding 40 keys rehashes each table, and
        // its array part shrinks back below it.
        let result = try s.run("""
            local total = 0
            for n = 3, 600 do
              local t = {}
              for i = 1, n do t[i] = i * 3 end
              for i = 1, n do total = total + t[i] end
              for i = 4, n do t[i] = nil end
              for k = 1, 40 do t["k" .. k] = k end
              total = total + t[1] + t[2] + t[3] + t.k40 + #t
            end
            return total
            """, name: "grow.lua")
        var expected: Int64 = 0
        for n in 3...600 { expected += Int64(3 * n * (n + 1) / 2) + (3 + 6 + 9) + 40 + 3 }
        #expect(result == [.integer(expected)])
    }

    @Test("strings and tables of every small size keep their bytes through reuse")
    func everySmallSizeKeepsItsBytes() throws {
        let s = try state()
        // Strings of 1 to 300 bytes (blocks of every class and past them), freed by the
        // collector and allocated again from the kept blocks, compared byte for byte.
        let result = try s.run("""
            local bad = 0
            for round = 1, 20 do
              local kept = {}
              for n = 1, 300 do kept[n] = string.rep(string.char(65 + (n + round) % 26), n) end
              for n = 1, 300 do
                local want = string.char(65 + (n + round) % 26)
                if #kept[n] ~= n or kept[n]:sub(1, 1) ~= want or kept[n]:sub(-1) ~= want then bad = bad + 1 end
              end
              for i = 1, 2000 do local _ = { i, tostring(i) } end
            end
            return bad
            """, name: "bytes.lua")
        #expect(result == [.integer(0)])
    }

    @Test("memory in use is back where it was once the garbage is collected")
    func accountingCountsWhatLuaHolds() throws {
        let s = try state()
        _ = try s.run("return 1", name: "warm.lua")
        s.collectGarbage()
        let before = s.memoryInUse
        _ = try s.run("for i = 1, 100000 do local _ = { i, { i } } end", name: "churn.lua")
        s.collectGarbage()
        // The chunk's own function and its constants may stay: a few hundred bytes.
        #expect(s.memoryInUse - before < 2048, "\(s.memoryInUse - before) bytes more than before")
        #expect(s.peakMemory > before)
    }

    @Test("blocks kept for reuse do not count against the limit")
    func keptBlocksAreNotCounted() throws {
        // Each round holds about 3 MB of small tables, then lets them go: 20 rounds would
        // exceed the 8 MB limit many times over if freed blocks still counted.
        let s = try state()
        let result = try s.run("""
            for round = 1, 20 do
              local t = {}
              for i = 1, 40000 do t[i] = { i } end
              t = nil
              for i = 1, 40000 do local _ = { i } end
            end
            return 'done'
            """, name: "rounds.lua")
        #expect(result == ["done"])
    }
}
