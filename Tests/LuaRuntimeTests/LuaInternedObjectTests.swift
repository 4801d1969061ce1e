import Testing
@testable import LuaRuntime

/// `LuaCall.push(interned:as:_:)`: one userdata per key while a script holds it, made again
/// once collected, and never a finalized one handed out.
@Suite("Interned objects")
struct LuaInternedObjectTests {
    final class Day {
        let number: Int64
        let counter: Counter
        init(_ number: Int64, _ counter: Counter) {
            self.number = number
            self.counter = counter
            counter.made += 1
            counter.alive += 1
        }
        deinit { counter.alive -= 1 }
    }

    final class Counter {
        var made = 0
        var alive = 0
    }

    /// `day(n)` pushes day n interned; days have a `number` property.
    func state(_ counter: Counter) throws -> LuaState {
        let type = LuaType<Day>("day")
        type.property("number") { .integer($0.number) }
        let s = try LuaState()
        s.registerType(type)
        s.register("day") { call in
            let n = try call.integer(1)
            call.push(interned: n, as: type) { Day(n, counter) }
            return 1
        }
        return s
    }

    @Test("the same key gives the same userdata; another key another")
    func oneUserdataPerKey() throws {
        let counter = Counter()
        let s = try state(counter)
        let r = try s.run("""
            local a, b, c = day(7), day(7), day(8)
            local seen = {}
            seen[a] = true
            return rawequal(a, b), rawequal(a, c), seen[b] == true, a.number, c.number
            """, name: "i.lua")
        #expect(r == [.boolean(true), .boolean(false), .boolean(true), 7, 8])
        #expect(counter.made == 2)
    }

    @Test("an object no script holds is collected and made again, never handed out finalized")
    func collectedThenMadeAgain() throws {
        let counter = Counter()
        let s = try state(counter)
        _ = try s.run("for i = 1, 3 do local _ = day(i) end", name: "a.lua")
        #expect(counter.made == 3)
        s.collectGarbage()
        #expect(counter.alive == 0)
        // Made again: the table's entries went with their objects.
        #expect(try s.run("return day(2).number, day(2).number", name: "b.lua") == [2, 2])
        #expect(counter.made == 4)
        // Held in a global across collections: still the one object.
        _ = try s.run("held = day(5)", name: "c.lua")
        s.collectGarbage()
        #expect(try s.run("return rawequal(held, day(5)), held.number", name: "d.lua") == [.boolean(true), 5])
        #expect(counter.made == 5)
    }

    @Test("many keys, most let go: only the held ones stay")
    func manyKeys() throws {
        let counter = Counter()
        let s = try state(counter)
        let r = try s.run("""
            keep = {}
            for i = 1, 20000 do
              local d = day(i % 5000)
              if i % 1000 == 0 then keep[#keep + 1] = d end
            end
            local sum = 0
            for _, d in ipairs(keep) do sum = sum + d.number end
            return #keep, sum
            """, name: "m.lua")
        // i = 1000, 2000, …, 20000: i % 5000 is 1000, 2000, 3000, 4000, 0, four times over.
        #expect(r == [20, .integer(4 * (1000 + 2000 + 3000 + 4000))])
        s.collectGarbage()
        #expect(counter.alive == 5)
    }
}
