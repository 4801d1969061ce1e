import CLua
import CLuaHost
import Testing
@testable import LuaRuntime

/// Scalar properties (`LuaType.property(_:scalar:)`): integers, booleans and nil read by C
/// through one plain call into Swift. They must read, cache, promote, fail and free exactly as
/// the other properties do, and share one numbering with them.
@Suite("Scalar properties of host objects")
struct LuaScalarPropertyTests {
    final class Person {
        let id: Int64
        let grade: Int?
        let poor: Bool
        let name: String
        let counter: Counts
        init(_ id: Int64, grade: Int?, poor: Bool, name: String, _ counter: Counts) {
            self.id = id; self.grade = grade; self.poor = poor; self.name = name; self.counter = counter
            counter.alive += 1
        }
        deinit { counter.alive -= 1 }
    }

    final class Counts {
        var alive = 0
        var reads: [String: Int] = [:]
    }

    /// Names chosen so scalar and ordinary properties interleave in sorted order (age, grade,
    /// id, name, poor, title): a numbering slip would read the wrong one.
    func state(_ counts: Counts, sandboxed: Bool = true) throws -> (LuaState, LuaType<Person>) {
        let type = LuaType<Person>("person")
        type.property("id", scalar: { counts.reads["id", default: 0] += 1; return .integer($0.id) })
        type.property("grade", scalar: { p in counts.reads["grade", default: 0] += 1; return p.grade.map { .integer(Int64($0)) } })
        type.property("poor", scalar: { counts.reads["poor", default: 0] += 1; return .boolean($0.poor) })
        type.property("age", scalar: { _ in .integer(61) })
        type.property("name") { counts.reads["name", default: 0] += 1; return LuaValue($0.name) }
        type.property("title", cached: false) { LuaValue("member " + $0.name) }
        type.method("greet") { p, call in call.push("你好，" + p.name); return 1 }
        let state = try LuaState(sandboxed: sandboxed)
        state.registerType(type)
        state.register("person") { call in
            let id = try call.integer(1)
            let grade = try call.optionalInteger(2).map(Int.init)
            call.push(Person(id, grade: grade, poor: id % 2 == 0, name: "王芳\(id)", counts), as: type)
            return 1
        }
        let ref = state.typeRegistrations[ObjectIdentifier(type)]!
        state.register("promoted") { call in
            let L = call.L
            guard lua_getmetatable(L, 1) != 0 else { throw LuaScriptError("not an object") }
            lua_rawgeti(L, clua_registryindex(), Int64(ref))
            let shared = lua_rawequal(L, -1, -2) != 0
            clua_pop(L, 2)
            call.push(!shared)
            return 1
        }
        return (state, type)
    }

    @Test("integers, booleans and nil, beside ordinary properties and methods")
    func values() throws {
        let counts = Counts()
        let (s, _) = try state(counts)
        let r = try s.run("""
            local a, b = person(7, 2), person(8)
            return a.id, a.grade, a.poor, a.age, a.name, a.title, a:greet(), b.id, b.grade, b.poor, math.type(a.id)
            """, name: "v.lua")
        #expect(r == [7, 2, false, 61, "王芳7", "member 王芳7", "你好，王芳7", 8, nil, true, "integer"])
    }

    @Test("read, cached from the second read, served by Lua and promoting from the third")
    func cachedAndPromoted() throws {
        let counts = Counts()
        let (s, _) = try state(counts)
        let r = try s.run("""
            local p = person(7, 3)
            local g1, p1 = p.grade, promoted(p)
            local g2, p2 = p.grade, promoted(p)
            local g3, p3 = p.grade, promoted(p)
            local sum = 0
            for i = 1, 100 do sum = sum + p.grade end
            return g1, g2, g3, p1, p2, p3, sum
            """, name: "c.lua")
        #expect(r == [3, 3, 3, false, false, true, 300])
        #expect(counts.reads["grade"] == 2)
    }

    @Test("a promoted object still reads scalar properties it never read, through its cache's __index")
    func promotedReadsTheRest() throws {
        let counts = Counts()
        let (s, _) = try state(counts)
        let r = try s.run("""
            local p = person(10, 1)
            local _ = p.name; _ = p.name; _ = p.name
            return promoted(p), p.id, p.poor, p.grade, p.age, p.id, p.id, p:greet()
            """, name: "p.lua")
        #expect(r == [true, 10, true, 1, 61, 10, 10, "你好，王芳10"])
        #expect(counts.reads["id"] == 2)
    }

    @Test("a nil value is remembered as read, and read again")
    func nilValues() throws {
        let counts = Counts()
        let (s, _) = try state(counts)
        let r = try s.run("""
            local p = person(3)
            return p.grade, p.grade, p.grade, p.grade
            """, name: "n.lua")
        #expect(r == [nil, nil, nil, nil])
        // A nil cannot be stored in the cache table, so every read after the first asks again.
        #expect(counts.reads["grade"] == 4)
    }

    @Test("read once, no cache table is made")
    func readOnceMakesNoTable() throws {
        let counts = Counts()
        let (s, _) = try state(counts, sandboxed: false)
        let r = try s.run("""
            collectgarbage('stop')
            local p = person(4, 2)
            local before = collectgarbage('count')
            local g = p.grade
            local same = collectgarbage('count') == before
            local _ = p.grade
            return g, same, collectgarbage('count') > before
            """, name: "m.lua")
        #expect(r == [2, true, true])
    }

    @Test("unknown fields and assignments fail as before; names are listed")
    func errors() throws {
        let counts = Counts()
        let (s, type) = try state(counts)
        #expect(throws: LuaError.self) { try s.run("return person(1).grde", name: "e.lua") }
        do {
            _ = try s.run("return person(1).grde", name: "e.lua")
        } catch {
            #expect("\(error)".contains("e.lua:1: person has no field or method 'grde'"))
        }
        do {
            _ = try s.run("local p = person(1); p.grade = 3", name: "a.lua")
            Issue.record("assignment succeeded")
        } catch {
            #expect("\(error)".contains("cannot set 'grade': person fields are read-only"))
        }
        #expect(type.memberNames == ["age", "grade", "greet", "id", "name", "poor", "title"])
    }

    @Test("objects read through C are still released by the collector and at close")
    func released() throws {
        let counts = Counts()
        let (s, _) = try state(counts, sandboxed: false)
        _ = try s.run("""
            local keep = person(1, 1)
            for i = 1, 1000 do local p = person(i, 2); local _ = p.id + p.grade; _ = p.id; _ = p.id end
            collectgarbage(); collectgarbage()
            KEEP = keep
            """, name: "r.lua")
        #expect(counts.alive == 1)
        s.close()
        #expect(counts.alive == 0)
    }

    @Test("a name defined again as an ordinary property is no longer scalar")
    func redefined() throws {
        let counts = Counts()
        let (s, type) = try state(counts)
        type.property("id") { _ in LuaValue("replaced") }
        let s2 = try LuaState()
        s2.registerType(type)
        s2.register("person") { call in call.push(Person(5, grade: nil, poor: false, name: "李", counts), as: type); return 1 }
        #expect(try s2.run("return person().id", name: "d.lua") == ["replaced"])
        s2.close()
        s.close()
    }
}
