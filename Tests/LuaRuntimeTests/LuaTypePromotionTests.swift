import CLua
import CLuaHost
import Testing
@testable import LuaRuntime

/// Objects promoted to a metatable of their own (CLuaHost's properties.c: the third read of a
/// cached property on an object, the first served from its cache, gives it one whose `__index`
/// is its cache table). Promotion is a speed-up only: everything a script or the host can
/// observe is the same before and after it.
@Suite("Userdata promoted to their own metatable")
struct LuaTypePromotionTests {
    typealias Budget = LuaTypeTests.Budget
    typealias Counter = LuaTypeTests.Counter

    /// The test type plus what promotion must keep: a method taking another object of the
    /// type, and custom metamethods.
    static func budgetType(_ counter: Counter) -> LuaType<Budget> {
        let type = LuaTypeTests.budgetType(counter)
        type.method("transfer") { budget, call in
            let to = try call.object(2, type)
            let amount = try call.integer(3)
            budget.available -= amount
            to.available += amount
            call.push(to.available)
            return 1
        }
        type.method("same") { budget, call in
            call.push(call.optionalObject(2, type) === budget)
            return 1
        }
        type.metamethod("__lt") { call in
            guard let a = call.optionalObject(1, type), let b = call.optionalObject(2, type) else {
                throw LuaScriptError("budgets compare only with budgets")
            }
            call.push(a.available < b.available)
            return 1
        }
        type.metamethod("__len") { call in
            call.push(try call.object(1, type).available)
            return 1
        }
        type.metamethod("__concat") { call in
            let a = try call.optionalObject(1, type)?.code ?? call.string(1)
            let b = try call.optionalObject(2, type)?.code ?? call.string(2)
            call.push(a + b)
            return 1
        }
        return type
    }

    /// A state with `budget(code, amount)`, `shared()` (always the same Swift object),
    /// `spend(b)` (a host function taking an object) and `promoted(b)`, which says whether `b`
    /// has left the type's shared metatable.
    func state(_ counter: Counter, sandboxed: Bool = true, limits: LuaLimits = LuaLimits(),
               shared: Budget? = nil) throws -> LuaState {
        let type = Self.budgetType(counter)
        let state = try LuaState(limits: limits, sandboxed: sandboxed)
        state.registerType(type)
        state.register("budget") { call in
            let code = try call.optionalString(1) ?? "relief-2025"
            let amount = try call.optionalInteger(2) ?? 100
            call.push(Budget(code, amount, counter), as: type)
            return 1
        }
        if let shared {
            state.register("shared") { call in call.push(shared, as: type); return 1 }
        }
        state.register("spend") { call in
            let budget = try call.object(1, type)
            call.push(budget.available)
            return 1
        }
        let ref = state.typeRegistrations[ObjectIdentifier(type)]!
        state.register("promoted") { call in
            let L = call.L
            guard lua_type(L, 1) == LUA_TUSERDATA, lua_getmetatable(L, 1) != 0 else {
                throw LuaScriptError("not an object")
            }
            lua_rawgeti(L, clua_registryindex(), Int64(ref))
            let shared = lua_rawequal(L, -1, -2) != 0
            clua_pop(L, 2)
            call.push(!shared)
            return 1
        }
        return state
    }

    @Test func theThirdReadOfACachedPropertyPromotesTheObject() throws {
        let counter = Counter()
        let s = try state(counter)
        let r = try s.run("""
            local b = budget('relief')
            local p0 = promoted(b)
            local a1 = b.available
            local c1 = b.code
            local p1 = promoted(b)
            local g = b.grant
            local a2 = b.available
            local p2 = promoted(b)
            local c2 = b.code
            local p3 = promoted(b)
            local c3 = b.code
            local p4 = promoted(b)
            return p0, p1, p2, p3, c1, c2, c3, p4
            """, name: "p.lua")
        // Uncached reads, method look-ups, first reads (not cached: kept as the memo) and
        // second reads (served by the memo) never promote; the third read, which caches the
        // value, does. Uncached reads in between leave the memo as it was.
        #expect(r == [false, false, false, false, "relief", "relief", "relief", true])
        #expect(counter.reads["code"] == 1)
    }

    /// Objects whose properties are each read once, the common case in a loop over members,
    /// never get a cache table: their memory is the userdata alone. Nor do objects whose
    /// property is read twice in a row: the memo serves the second read.
    @Test func propertiesReadOnceMakeNoCacheTable() throws {
        let counter = Counter()
        let s = try state(counter, sandboxed: false)  // for collectgarbage
        let r = try s.run("""
            collectgarbage('stop')
            local b = budget('relief')
            local c = b.code
            local before = collectgarbage('count')
            local _ = b.code
            local second = collectgarbage('count') > before
            local _ = b.code
            return c, second, collectgarbage('count') > before
            """, name: "p.lua")
        // The third read made the cache (and promoted the object): memory grew only then.
        #expect(r == ["relief", false, true])
        let once = try s.run("""
            collectgarbage('stop')
            local b = budget('relief')
            local before = collectgarbage('count')
            local _ = b.code
            return collectgarbage('count') == before
            """, name: "p.lua")
        #expect(once == [true])
    }

    @Test func repeatedReadsReturnTheSameValuesWithoutCallingSwift() throws {
        let counter = Counter()
        let s = try state(counter)
        let r = try s.run("""
            local b = budget('relief')
            local seen = {}
            for i = 1, 1000 do seen[b.code] = (seen[b.code] or 0) + 1 end
            return promoted(b), b.code, seen.relief
            """, name: "p.lua")
        #expect(r == [true, "relief", 1000])
        #expect(counter.reads["code"] == 1)
    }

    @Test func uncachedPropertiesCallSwiftEveryTimeAfterPromotion() throws {
        let counter = Counter()
        let s = try state(counter)
        let r = try s.run("""
            local b = budget('relief', 100)
            local _ = b.code .. b.code .. b.code
            local before = b.available
            b:grant(40)
            return promoted(b), before, b.available, b.available
            """, name: "p.lua")
        #expect(r == [true, 100, 60, 60])
        #expect(counter.reads["available"] == 3)
        #expect(counter.reads["code"] == 1)
    }

    @Test func methodsWorkBeforeAndAfterPromotion() throws {
        let counter = Counter()
        let s = try state(counter)
        let r = try s.run("""
            local b = budget('relief', 100)
            local before = b:grant(10)
            local _ = b.code .. b.code .. b.code
            return promoted(b), before, b:grant(20), b.grant == budget().grant
            """, name: "m.lua")
        #expect(r == [true, 90, 70, true])
        #expect(throws: LuaError.runtime(message: "m.lua:3: budget 'relief' has 10 left, the grant needs 30", traceback: "")) {
            try s.run("local b = budget('relief', 10)\nlocal _ = b.code .. b.code .. b.code\nb:grant(30)", name: "m.lua")
        }
        #expect(throws: LuaError.runtime(message: "m.lua:3: bad argument #2 to 'grant' (integer expected, got string)", traceback: "")) {
            try s.run("local b = budget()\nlocal _ = b.code .. b.code .. b.code\nb:grant('lots')", name: "m.lua")
        }
        #expect(throws: LuaError.runtime(message: "m.lua:3: budget has no field or method 'nope'", traceback: "")) {
            try s.run("local b = budget()\nlocal _ = b.code .. b.code .. b.code\nb:nope()", name: "m.lua")
        }
    }

    @Test func badSelfIsTheSameErrorAfterPromotion() throws {
        let counter = Counter()
        let s = try state(counter)
        let message = "w.lua:3: bad self for 'grant': call it as budget:grant(...)"
        #expect(throws: LuaError.runtime(message: message, traceback: "")) {
            try s.run("local b = budget()\nlocal _ = b.code .. b.code .. b.code\nreturn b.grant(5)", name: "w.lua")
        }
        #expect(throws: LuaError.runtime(message: message, traceback: "")) {
            try s.run("local b = budget()\nlocal _ = b.code .. b.code .. b.code\nreturn b.grant({}, 5)", name: "w.lua")
        }
    }

    @Test func hostFunctionsIdentifyPromotedObjects() throws {
        let counter = Counter()
        let s = try state(counter)
        let r = try s.run("""
            local a, b, c = budget('a', 100), budget('b', 100), budget('c', 100)
            local _ = a.code .. a.code .. a.code .. b.code .. b.code .. b.code
            return promoted(a), promoted(b), promoted(c),
                   a:transfer(b, 10), b:transfer(c, 5), c:transfer(a, 1),
                   spend(a), spend(b), spend(c),
                   a:same(a), a:same(b), c:same(c), a:same(c)
            """, name: "h.lua")
        #expect(r == [true, true, false, 110, 105, 91, 91, 105, 104, true, false, true, false])
        #expect(throws: LuaError.runtime(message: "h.lua:3: bad argument #2 to 'transfer' (budget expected, got table)", traceback: "")) {
            try s.run("local a = budget()\nlocal _ = a.code .. a.code .. a.code\nreturn a:transfer({}, 1)", name: "h.lua")
        }
    }

    @Test func equalityTostringAndMetamethodsBeforeAndAfterPromotion() throws {
        let counter = Counter()
        let s = try state(counter, shared: Budget("shared", 50, counter))
        // a and b are two userdata for one Swift object; only a is promoted.
        let r = try s.run("""
            local a, b = shared(), shared()
            local c, d = budget('c', 10), budget('d', 20)
            local function look()
              return a == b, b == a, rawequal(a, b), a == c, a ~= b, c < d, d < a, #a, #c, a .. '!', '<' .. c, a .. c,
                     tostring(a), tostring(c)
            end
            local before = table.pack(look())
            local _ = a.code .. a.code .. a.code .. c.code .. c.code .. c.code
            local after = table.pack(look())
            local same = before.n == after.n
            for i = 1, before.n do same = same and before[i] == after[i] end
            return promoted(a), promoted(b), promoted(c), promoted(d), same, look()
            """, name: "e.lua")
        #expect(r == [true, false, true, false, true,
                      true, true, false, false, false, true, true, 50, 10, "shared!", "<c", "sharedc",
                      "budget shared", "budget c"])
        #expect(s.output.text == "")
        let printed = try s.run("local a = budget('p') local _ = a.code .. a.code .. a.code print(a, promoted(a))", name: "e.lua")
        #expect(printed == [])
        #expect(s.output.text == "budget p\ttrue\n")
        #expect(throws: LuaError.runtime(message: "e.lua:2: budgets compare only with budgets", traceback: "")) {
            try s.run("local a = budget() local _ = a.code .. a.code .. a.code\nreturn a < 1", name: "e.lua")
        }
    }

    @Test func assignmentIsTheSameErrorAfterPromotion() throws {
        let counter = Counter()
        let s = try state(counter)
        for key in ["code", "extra", "grant", "available"] {
            #expect(throws: LuaError.runtime(message: "r.lua:3: cannot set '\(key)': budget fields are read-only", traceback: "")) {
                try s.run("local b = budget()\nlocal _ = b.code .. b.code .. b.code\nb.\(key) = 1", name: "r.lua")
            }
        }
        // The failed assignment left the cache as it was.
        #expect(try s.run("local b = budget('x')\nlocal _ = b.code .. b.code .. b.code\npcall(function() b.code = 'y' end)\nreturn b.code",
                          name: "r.lua") == ["x"])
    }

    /// Every way in a script might try: the same results and messages on a fresh object and a
    /// promoted one, and never a table (the cache) or a metatable.
    static let probes = """
        local function probe(o)
          local out = {}
          local function try(f)
            local ok, v = pcall(f)
            out[#out + 1] = tostring(ok) .. ' ' .. (type(v) == 'string' and v or type(v))
          end
          try(function() local v = o.__index return v end)
          try(function() local v = o.__metatable return v end)
          try(function() local v = o.__gc return v end)
          try(function() local v = o.__name return v end)
          try(function() local v = o.__newindex return v end)
          try(function() local v = o[1] return v end)
          try(function() local v = o[0] return v end)
          try(function() local v = o[true] return v end)
          try(function() local v = o[o] return v end)
          try(function() local v = o.nope return v end)
          try(function() local v = rawget(o, 'code') return v end)
          try(function() local v = next(o) return v end)
          try(function() for k in pairs(o) do end end)
          try(function() for k in ipairs(o) do end end)
          try(function() local v = #o return v end)
          try(function() local v = o() return v end)
          try(function() local v = -o return v end)
          try(function() local v = o.grant.x return v end)
          try(function() o.__index = {} end)
          try(function() o[1] = 1 end)
          return table.concat(out, '\\n')
        end
        """

    static let probeResults = [
        "false p.lua:7: budget has no field or method '__index'",
        "false p.lua:8: budget has no field or method '__metatable'",
        "false p.lua:9: budget has no field or method '__gc'",
        "false p.lua:10: budget has no field or method '__name'",
        "false p.lua:11: budget has no field or method '__newindex'",
        "false p.lua:12: budget has no field or method '1'",
        "false p.lua:13: budget has no field or method '0'",
        "false p.lua:14: budget has no field or method '?'",
        "false p.lua:15: budget has no field or method '?'",
        "false p.lua:16: budget has no field or method 'nope'",
        "false p.lua:17: bad argument #1 to 'rawget' (table expected, got budget)",
        "false p.lua:18: bad argument #1 to 'next' (table expected, got budget)",
        "false p.lua:19: bad argument #1 to 'for iterator' (table expected, got budget)",
        // Raised where ipairs's C iterator indexes the object: no script line to name.
        "false budget has no field or method '1'",
        "true number",  // the type's own __len
        "false p.lua:22: attempt to call a budget value (upvalue 'o')",
        "false p.lua:23: attempt to perform arithmetic on a budget value (upvalue 'o')",
        "false p.lua:24: attempt to index a function value (field 'grant')",
        "false p.lua:25: cannot set '__index': budget fields are read-only",
        "false p.lua:26: cannot set '1': budget fields are read-only",
    ].joined(separator: "\n")

    @Test func scriptsSeeNoDifferenceWhenProbingAnObject() throws {
        let counter = Counter()
        let s = try state(counter)
        let r = try s.run(Self.probes + """

            local b = budget('relief')
            local before = probe(b)
            local p0 = promoted(b)
            local _ = b.code .. b.code .. b.code
            return p0, promoted(b), before, probe(b)
            """, name: "p.lua")
        #expect(r.count == 4)
        #expect(r.prefix(2) == [false, true])
        #expect(r[2] == LuaValue(Self.probeResults))
        #expect(r[3] == r[2])
    }

    @Test func trustedCodeCannotReachTheMetatableOrTheCache() throws {
        let counter = Counter()
        // The full standard library (no debug library in any state).
        let s = try state(counter, sandboxed: false)
        let r = try s.run("""
            local b = budget('relief')
            local _ = b.code .. b.code .. b.code
            assert(promoted(b))
            local found = {}
            local function look(v) if type(v) == 'table' then found[#found + 1] = v end end
            look(getmetatable(b))
            for _, key in ipairs { '__index', '__metatable', '__gc', '__name', '__eq', '__tostring', '__newindex', 1, 0 } do
              local ok, v = pcall(function() return b[key] end)
              look(v)
            end
            local ok, v = pcall(setmetatable, b, {})
            look(v)
            for _, name in ipairs { 'grant', 'transfer', 'same' } do
              local ok, v = pcall(function() return b[name](b, b, 0) end)
              look(v)
            end
            return getmetatable(b), #found, ok, v, b.code
            """, name: "g.lua")
        #expect(r == [false, 0, false, "bad argument #1 to 'setmetatable' (table expected, got budget)", "relief"])
    }

    @Test func promotedObjectsCrossAsOpaque() throws {
        let counter = Counter()
        let s = try state(counter)
        #expect(try s.run("local b = budget() local _ = b.code .. b.code .. b.code return b, {b = b}, promoted(b)", name: "r.lua")
                == [.opaque("budget"), .table(LuaTable(dictionary: ["b": .opaque("budget")])), true])
    }

    @Test func promotedObjectsAreReleasedByTheCollector() throws {
        let counter = Counter()
        let s = try state(counter)
        let registry = s.registryCount
        try s.run("""
            for i = 1, 500 do
              local b = budget('b' .. i)
              local _ = b.code .. b.code .. b.code
              assert(promoted(b))
            end
            """, name: "g.lua")
        s.collectGarbage()
        #expect(counter.alive == 0)
        #expect(s.registryCount == registry)
        // Released once each: a second release would have crashed or driven the count below 0.
        s.collectGarbage()
        #expect(counter.alive == 0)
        s.close()
        #expect(counter.alive == 0)
    }

    @Test func promotedObjectsAreReleasedWhenTheStateCloses() throws {
        let counter = Counter()
        do {
            let s = try state(counter)
            try s.run("""
                kept = {}
                for i = 1, 100 do
                  local b = budget()
                  local _ = b.code .. b.code .. b.code
                  kept[i] = b
                end
                assert(promoted(kept[1]) and promoted(kept[100]))
                """, name: "d.lua")
            s.collectGarbage()
            #expect(counter.alive == 100)
            s.close()
            #expect(counter.alive == 0)
        }
        #expect(counter.alive == 0)
    }

    @Test func aPromotedObjectsMemoryIsFreed() throws {
        let counter = Counter()
        let s = try state(counter)
        s.collectGarbage()
        try s.run("local b = budget() local _ = b.code", name: "warm.lua")
        s.collectGarbage()
        let base = s.memoryInUse
        try s.run("for i = 1, 2000 do local b = budget() local _ = b.code .. b.code .. b.code end", name: "m.lua")
        s.collectGarbage()
        s.collectGarbage()
        #expect(counter.alive == 0)
        #expect(s.memoryInUse <= base + 1024, "promoted objects left \(s.memoryInUse - base) bytes behind")
    }

    /// A memory refusal can come in the middle of a promotion (it allocates the object's
    /// metatable): the run ends with the memory limit and every object is still released.
    /// Several limits, so the refusal falls at different allocations of the loop.
    @Test(arguments: Array(stride(from: 0, to: 4096, by: 256)))
    func runningOutOfMemoryWhilePromotingReleasesEverything(extra: Int) throws {
        let counter = Counter()
        var limits = LuaLimits()
        limits.memoryBytes = (1 << 20) + extra
        do {
            let s = try state(counter, limits: limits)
            #expect(throws: LuaError.limit(.memory, message: "memory limit of \(LuaByteCount.format((1 << 20) + extra)) exceeded")) {
                try s.run("""
                    local kept
                    while true do
                      local b = budget()
                      local _ = b.code .. b.code .. b.code
                      kept = { b, kept }
                    end
                    """, name: "o.lua")
            }
            s.close()
        }
        #expect(counter.alive == 0)
    }
}
