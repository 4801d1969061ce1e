import Testing
@testable import LuaRuntime

/// Host objects as userdata: methods, read-only properties (cached or not), protected
/// metatables, `tostring` and `==`, and Swift object lifetimes tied to the state.
@Suite("Swift types as userdata")
struct LuaTypeTests {
    /// Counts live objects and property reads, one per test (tests run in parallel).
    final class Counter {
        var alive = 0
        var reads: [String: Int] = [:]
    }

    final class Budget {
        let code: String
        var available: Int64
        let counter: Counter
        init(_ code: String, _ available: Int64, _ counter: Counter) {
            self.code = code
            self.available = available
            self.counter = counter
            counter.alive += 1
        }
        deinit { counter.alive -= 1 }
    }

    final class Member {
        let name: String
        init(_ name: String) { self.name = name }
    }

    static func budgetType(_ counter: Counter) -> LuaType<Budget> {
        let type = LuaType<Budget>("budget")
        type.property("code") { budget in
            counter.reads["code", default: 0] += 1
            return LuaValue(budget.code)
        }
        type.property("available", cached: false) { budget in
            counter.reads["available", default: 0] += 1
            return .integer(budget.available)
        }
        type.method("grant") { budget, call in
            let amount = try call.integer(2)
            guard amount <= budget.available else {
                throw LuaScriptError("budget '\(budget.code)' has \(budget.available) left, the grant needs \(amount)")
            }
            budget.available -= amount
            call.push(budget.available)
            return 1
        }
        type.describe = { "budget \($0.code)" }
        return type
    }

    /// A state with the `budget` type and `budget(code, amount)` making a new object.
    func state(_ counter: Counter, type: LuaType<Budget>? = nil, sandboxed: Bool = true) throws -> LuaState {
        let type = type ?? Self.budgetType(counter)
        let state = try LuaState(sandboxed: sandboxed)
        state.registerType(type)
        state.register("budget") { call in
            let code = try call.optionalString(1) ?? "relief-2025"
            let amount = try call.optionalInteger(2) ?? 100
            call.push(Budget(code, amount, counter), as: type)
            return 1
        }
        return state
    }

    @Test func methodsCallSwiftWithTheObject() throws {
        let counter = Counter()
        let s = try state(counter)
        let r = try s.run("local b = budget('relief', 100)\nreturn b:grant(30), b:grant(20), b.available", name: "m.lua")
        #expect(r == [70, 50, 50])
    }

    @Test func methodErrorsCarryTheScriptPosition() throws {
        let counter = Counter()
        let s = try state(counter)
        #expect(throws: LuaError.runtime(message: "m.lua:2: budget 'relief' has 10 left, the grant needs 30", traceback: "")) {
            try s.run("local b = budget('relief', 10)\nb:grant(30)", name: "m.lua")
        }
        #expect(throws: LuaError.runtime(message: "m.lua:1: bad argument #2 to 'grant' (integer expected, got string)", traceback: "")) {
            try s.run("budget():grant('lots')", name: "m.lua")
        }
    }

    /// The first read is not cached (most objects have each property read once) but kept as
    /// the object's memo, which serves the same property read again next; the third read
    /// fills the cache, and every later read is served from it. One call into Swift.
    @Test func cachedPropertiesReadInARowCallSwiftOncePerObject() throws {
        let counter = Counter()
        let s = try state(counter)
        let r = try s.run("local b = budget('relief')\nreturn b.code, b.code, b.code, b.code", name: "p.lua")
        #expect(r == ["relief", "relief", "relief", "relief"])
        #expect(counter.reads["code"] == 1)
        // Another object has its own memo and cache.
        _ = try s.run("local c = budget('flood') return c.code, c.code, c.code", name: "p.lua")
        #expect(counter.reads["code"] == 2)
    }

    /// The memo has two slots, taken in turn. Two properties read in turn reach Swift once
    /// each; with a third between, the first one's slot is taken, and its second read calls
    /// Swift and fills the cache table, as every second read did before the memo. The values
    /// stay right throughout.
    @Test func theMemoKeepsTheLastTwoProperties() throws {
        let counter = Counter()
        let type = LuaType<Budget>("three")
        type.property("code") { budget in counter.reads["code", default: 0] += 1; return LuaValue(budget.code) }
        type.property("name") { budget in counter.reads["name", default: 0] += 1; return LuaValue("名" + budget.code) }
        type.property("town") { budget in counter.reads["town", default: 0] += 1; return LuaValue("镇" + budget.code) }
        let s = try state(counter, type: type)
        let two = try s.run("""
            local b = budget('relief')
            return b.code, b.name, b.code, b.name, b.code, b.name, b.code, b.name
            """, name: "p.lua")
        #expect(two == ["relief", "名relief", "relief", "名relief", "relief", "名relief", "relief", "名relief"])
        #expect(counter.reads == ["code": 1, "name": 1])
        counter.reads = [:]
        let three = try s.run("""
            local b = budget('flood')
            return b.code, b.name, b.town, b.code, b.name, b.town, b.code, b.name, b.town
            """, name: "p.lua")
        #expect(three == ["flood", "名flood", "镇flood", "flood", "名flood", "镇flood", "flood", "名flood", "镇flood"])
        // code: slot 0 until town takes it, so its second read calls Swift and makes the
        // cache table, and its third promotes the object. name (slot 1) and town (slot 0):
        // second reads from their slots, third reads through the promoted object's cache,
        // which takes them from the slots.
        #expect(counter.reads == ["code": 2, "name": 1, "town": 1])
    }

    /// The block remembers first reads for the first 64 properties by number (names sorted):
    /// past them, the first read fills the cache at once. Scalar and other properties alike,
    /// the values stay right and the counts are exactly these.
    @Test func propertiesPastTheSixtyFourthAreCachedAtTheirFirstRead() throws {
        let counter = Counter()
        let type = LuaType<Budget>("wide")
        for number in 1...70 {
            let name = String(format: "p%02d", number)
            if number % 2 == 0 {
                type.property(name, scalar: { _ in counter.reads[name, default: 0] += 1; return .integer(Int64(number)) })
            } else {
                type.property(name) { _ in counter.reads[name, default: 0] += 1; return .integer(Int64(number)) }
            }
        }
        let s = try state(counter, type: type)
        // A fresh object for each property: the third read of p03 promotes its object, and a
        // promoted object reads through its cache table, not through the block's bits. p03's
        // second read is its memo's (a Swift property's first read); p04 is scalar, read in C
        // and never kept as the memo.
        let r = try s.run("""
            local v = {}
            for _, name in ipairs({ "p03", "p04", "p65", "p66", "p70" }) do
              local b = budget()
              for _ = 1, 3 do v[#v + 1] = b[name] end
            end
            return table.concat(v, " ")
            """, name: "p.lua")
        #expect(r == ["3 3 3 4 4 4 65 65 65 66 66 66 70 70 70"])
        #expect(counter.reads == ["p03": 1, "p04": 2, "p65": 1, "p66": 1, "p70": 1])
    }

    /// A method and a property of the same name: the method is what scripts get.
    @Test func aMethodShadowsAPropertyOfTheSameName() throws {
        let counter = Counter()
        let type = Self.budgetType(counter)
        type.property("grant", scalar: { _ in .integer(1) })
        let s = try state(counter, type: type)
        #expect(try s.run("local b = budget('relief', 100) return type(b.grant), b:grant(30), type(b.grant)", name: "p.lua")
                == ["function", 70, "function"])
    }

    @Test func uncachedPropertiesCallSwiftEveryTimeAndSeeChanges() throws {
        let counter = Counter()
        let s = try state(counter)
        let r = try s.run("local b = budget('relief', 100)\nlocal before = b.available\nb:grant(40)\nreturn before, b.available, b.available",
                          name: "p.lua")
        #expect(r == [100, 60, 60])
        #expect(counter.reads["available"] == 3)
    }

    @Test func unknownFieldIsAnErrorNamingTypeAndField() throws {
        let counter = Counter()
        let s = try state(counter)
        #expect(throws: LuaError.runtime(message: "u.lua:2: budget has no field or method 'nope'", traceback: "")) {
            try s.run("local b = budget()\nreturn b.nope", name: "u.lua")
        }
        // An unknown method is found missing when it is looked up, before the call.
        #expect(throws: LuaError.runtime(message: "u.lua:1: budget has no field or method 'nope'", traceback: "")) {
            try s.run("budget():nope()", name: "u.lua")
        }
    }

    @Test func fieldsAreReadOnly() throws {
        let counter = Counter()
        let s = try state(counter)
        #expect(throws: LuaError.runtime(message: "r.lua:2: cannot set 'code': budget fields are read-only", traceback: "")) {
            try s.run("local b = budget()\nb.code = 'mine'", name: "r.lua")
        }
        #expect(throws: LuaError.runtime(message: "r.lua:1: cannot set 'extra': budget fields are read-only", traceback: "")) {
            try s.run("budget().extra = 1", name: "r.lua")
        }
        #expect(throws: LuaError.runtime(message: "r.lua:1: cannot set 'grant': budget fields are read-only", traceback: "")) {
            try s.run("budget().grant = print", name: "r.lua")
        }
    }

    @Test func tostringAndPrintDescribeTheObject() throws {
        let counter = Counter()
        let s = try state(counter)
        let r = try s.run("local b = budget('relief')\nprint(b)\nreturn tostring(b)", name: "t.lua")
        #expect(r == ["budget relief"])
        #expect(s.output.text == "budget relief\n")
    }

    @Test func tostringWithoutADescriptionIsTheTypeName() throws {
        let counter = Counter()
        let type = Self.budgetType(counter)
        type.describe = nil
        let s = try state(counter, type: type)
        #expect(try s.run("return tostring(budget())", name: "t.lua") == ["budget"])
    }

    @Test func equalityIsSwiftIdentity() throws {
        let counter = Counter()
        let type = Self.budgetType(counter)
        let s = try state(counter, type: type)
        let shared = Budget("shared", 1, counter)
        s.register("shared") { call in call.push(shared, as: type); return 1 }
        let r = try s.run("""
            local a, b = shared(), shared()
            local c, d = budget('x'), budget('x')
            return a == b, rawequal(a, b), c == d, a == c, a == 'shared', a ~= b
            """, name: "e.lua")
        #expect(r == [true, false, false, false, false, false])
    }

    @Test func wrongSelfIsAClearError() throws {
        let counter = Counter()
        let s = try state(counter)
        #expect(throws: LuaError.runtime(message: "w.lua:2: bad self for 'grant': call it as budget:grant(...)", traceback: "")) {
            try s.run("local b = budget()\nreturn b.grant(5)", name: "w.lua")
        }
        #expect(throws: LuaError.runtime(message: "w.lua:1: bad self for 'grant': call it as budget:grant(...)", traceback: "")) {
            try s.run("local b = budget() return b.grant({}, 5)", name: "w.lua")
        }
    }

    @Test func anObjectOfAnotherTypeIsNotAccepted() throws {
        let counter = Counter()
        let budgetType = Self.budgetType(counter)
        let memberType = LuaType<Member>("member")
        memberType.property("name") { .init($0.name) }
        let s = try state(counter, type: budgetType)
        s.registerType(memberType)
        s.register("member") { call in call.push(Member("王芳"), as: memberType); return 1 }
        s.register("spend") { call in
            let budget = try call.object(1, budgetType)
            call.push(budget.available)
            return 1
        }
        #expect(try s.run("return member().name, spend(budget())", name: "o.lua") == ["王芳", 100])
        #expect(throws: LuaError.runtime(message: "o.lua:1: bad argument #1 to 'spend' (budget expected, got userdata)", traceback: "")) {
            try s.run("return spend(member())", name: "o.lua")
        }
        // A method of one type called on an object of the other.
        #expect(throws: LuaError.runtime(message: "o.lua:1: bad self for 'grant': call it as budget:grant(...)", traceback: "")) {
            try s.run("local b = budget() return b.grant(member(), 1)", name: "o.lua")
        }
    }

    @Test func scriptsCannotReachTheMetatable() throws {
        let counter = Counter()
        // Even with the full standard library (trusted code), the metatable is protected.
        let s = try state(counter, sandboxed: false)
        #expect(try s.run("return getmetatable(budget())", name: "g.lua") == [false])
        #expect(throws: LuaError.self) {
            try s.run("setmetatable(budget(), {})", name: "g.lua")
        }
    }

    @Test func aUserdataResultCrossesAsOpaque() throws {
        let counter = Counter()
        let s = try state(counter)
        #expect(try s.run("return budget(), {b = budget()}", name: "r.lua")
                == [.opaque("budget"), .table(LuaTable(dictionary: ["b": .opaque("budget")]))])
    }

    @Test func objectsAreReleasedWhenTheStateCloses() throws {
        let counter = Counter()
        do {
            let s = try state(counter)
            try s.run("kept = budget() local t = {} for i = 1, 100 do t[i] = budget() end", name: "d.lua")
            #expect(counter.alive > 0)
            s.close()
            #expect(counter.alive == 0)
        }
        #expect(counter.alive == 0)
    }

    @Test func objectsAreReleasedWhenTheStateIsDropped() throws {
        let counter = Counter()
        do {
            let s = try state(counter)
            try s.run("kept = budget()", name: "d.lua")
        }
        #expect(counter.alive == 0)
    }

    @Test func objectsDroppedByTheScriptAreCollectedDuringTheRun() throws {
        let counter = Counter()
        let s = try state(counter)
        try s.run("for i = 1, 20000 do local b = budget() end", name: "g.lua")
        #expect(counter.alive < 20000, "the collector released none of 20000 dropped objects")
        s.close()
        #expect(counter.alive == 0)
    }

    @Test func oneTypeServesTwoSuccessiveStates() throws {
        let counter = Counter()
        let type = Self.budgetType(counter)
        let first = try state(counter, type: type)
        #expect(try first.run("local b = budget('a', 10) return b:grant(1), b.code", name: "1.lua") == [9, "a"])
        first.close()
        #expect(counter.alive == 0)

        let second = try state(counter, type: type)
        #expect(try second.run("local b = budget('b', 20) return b:grant(2), b.code, tostring(b)", name: "2.lua")
                == [18, "b", "budget b"])
        #expect(throws: LuaError.runtime(message: "2.lua:1: budget has no field or method 'x'", traceback: "")) {
            try second.run("return budget().x", name: "2.lua")
        }
        second.close()
        #expect(counter.alive == 0)
    }

    @Test func oneTypeServesTwoLiveStatesInTurn() throws {
        let counter = Counter()
        let type = Self.budgetType(counter)
        let a = try state(counter, type: type)
        let b = try state(counter, type: type)
        for i in 0..<3 {
            #expect(try a.run("return budget('a'):grant(\(i))", name: "a.lua") == [.integer(100 - Int64(i))])
            #expect(try b.run("return budget('b').code", name: "b.lua") == ["b"])
        }
    }
}
