import CLua
import Foundation
import Testing
@testable import LuaRuntime
import TestRandom

/// Bad input everywhere, at the value bridge: random Swift values (nested tables, every kind
/// of key, huge and invalid-UTF-8 strings, NaN, ±inf, Int64's ends, host values that cannot
/// cross) pushed into Lua and read back, and random Lua values (cycles, shared tables, deep
/// nesting, functions) read into Swift. Every case gives the same value back — as Lua sees it:
/// a float key with an integer value *is* that integer key — or a clear `LuaError.conversion`,
/// never a crash, and the state stays usable with its stack as it was.
@Suite("Fuzz: Lua value bridge")
struct LuaValueBridgeFuzzTests {
    // MARK: - Values and what must come back

    /// The value Lua holds after pushing `v`: float keys with integral values become integer
    /// keys (Lua's own rule), nil values vanish. Nil when `v` cannot cross.
    static func asLuaSeesIt(_ v: LuaValue) -> LuaValue {
        guard case .table(let t) = v else { return v }
        var out = LuaTable()
        for (key, value) in t.entries where value != .nil {
            var k = asLuaSeesIt(key)
            if case .number(let d) = k, let i = Int64(exactly: d) { k = .integer(i) }
            out.entries[k] = asLuaSeesIt(value)
        }
        return .table(out)
    }

    /// Why pushing `v` must fail (any of these messages may be the one reported, as a table's
    /// entries are visited in no fixed order), or [] if it must succeed.
    static func pushErrors(_ v: LuaValue, depth: Int = 0) -> Set<String> {
        switch v {
        case .opaque(let name): return ["a \(name) cannot be copied into Lua"]
        case .table(let t):
            if depth >= LuaStack.maxDepth { return ["table nested deeper than \(LuaStack.maxDepth) levels"] }
            var errors: Set<String> = []
            // An entry with a nil value is no entry: nothing of it is pushed.
            for (key, value) in t.entries where value != .nil {
                if case .number(let d) = key, d.isNaN { errors.insert("table key is NaN") }
                if key == .nil { errors.insert("table key is nil") }
                errors.formUnion(pushErrors(key, depth: depth + 1))
                errors.formUnion(pushErrors(value, depth: depth + 1))
                if case .number(let d) = key, let i = Int64(exactly: d), value != .nil,
                   let twin = t.entries[.integer(i)], twin != .nil {
                    errors.insert("table has two keys that are the same key in Lua: \(i) and \(d)")
                }
            }
            return errors
        default: return []
        }
    }

    /// Equality that treats any NaN as equal to any NaN (Lua's 0/0 has the sign bit set) and
    /// tells -0.0 from 0.0: a NaN must come back a NaN, a -0.0 a -0.0.
    static func same(_ a: LuaValue, _ b: LuaValue) -> Bool {
        switch (a, b) {
        case (.number(let x), .number(let y)): return x.isNaN && y.isNaN || x.bitPattern == y.bitPattern
        case (.table(let s), .table(let t)):
            guard s.entries.count == t.entries.count else { return false }
            // Pairwise, not by lookup: a table key holding a NaN is not == to itself in Swift.
            var unmatched = Array(t.entries)
            for (key, value) in s.entries {
                guard let index = unmatched.firstIndex(where: { same($0.key, key) && same($0.value, value) }) else { return false }
                unmatched.remove(at: index)
            }
            return true
        default: return a == b
        }
    }

    /// A random value of bounded size; `budget` caps the entries of the whole tree.
    static func randomValue(_ random: inout SplitMix64, depth: Int, budget: inout Int, deep: Bool) -> LuaValue {
        let tableChance = depth < (deep ? 80 : 6) && budget > 0 ? (deep ? 85 : 35) : 0
        if random.chance(tableChance) {
            var t = LuaTable()
            let count = deep ? random.int(1...2) : random.int(0...6)
            for _ in 0..<count where budget > 0 {
                budget -= 1
                let key: LuaValue = random.chance(70) && !deep
                    ? randomScalarKey(&random) : randomValue(&random, depth: depth + 1, budget: &budget, deep: deep)
                t.entries[key] = randomValue(&random, depth: depth + 1, budget: &budget, deep: deep)
            }
            if random.chance(20) { t = LuaTable(array: (0..<random.int(1...8)).map { _ in randomScalar(&random) }) }
            return .table(t)
        }
        return randomScalar(&random)
    }

    static func randomScalarKey(_ random: inout SplitMix64) -> LuaValue {
        switch random.int(0...9) {
        case 0: return .integer(Int64(random.int(1...5)))
        case 1: return .number(Double(random.int(1...5)))           // the same key as an integer, in Lua
        case 2: return .number(random.pick([0.5, -0.0, 1e300, -Double.infinity, .infinity, .nan, Double.leastNormalMagnitude / 100]))
        case 3: return random.chance(10) ? .nil : .boolean(random.chance(50))
        default: return randomScalar(&random)
        }
    }

    static func randomScalar(_ random: inout SplitMix64) -> LuaValue {
        switch random.int(0...11) {
        case 0: return .nil
        case 1: return .boolean(random.chance(50))
        case 2: return .integer(random.pick([Int64.min, Int64.max, 0, -1, 1 << 53, (1 << 53) + 1]))
        case 3: return .integer(Int64.random(in: .min ... .max, using: &random))
        case 4: return .number(random.pick([.nan, -.nan, .infinity, -.infinity, -0.0, .leastNonzeroMagnitude,
                                            .greatestFiniteMagnitude, 0.1, 9007199254740993.0, Double(Int64.max)]))
        case 5: return .number(Double(bitPattern: random.next()))   // any double, NaN payloads included
        case 6:
            let bytes = (0..<random.int(0...40)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            return .string(LuaBytes(bytes))                          // mostly invalid UTF-8, NULs
        case 7: return .string(LuaBytes([0xED, 0xA0, 0x80, 0x00, 0xC0, 0xAF, 0xF4, 0x90, 0x80, 0x80]))
        case 8:
            // A big string now and then (up to 2 MB): copied exactly, both ways.
            let size = random.chance(4) ? random.int(100_000...2_000_000) : random.int(0...1000)
            return .string(LuaBytes([UInt8](repeating: UInt8(random.int(0...255)), count: size)))
        case 9: return .opaque(random.pick(["function", "userdata", "thread"]))
        default: return LuaValue(random.pick(["王芳", "", "a\u{0}b", "👨‍👩‍👧", "__index", "1", "1.0"]))
        }
    }

    static func describe(_ v: LuaValue, limit: Int = 600) -> String {
        let text: String
        switch v {
        case .string(let s) where s.bytes.count > 64: text = "<\(s.bytes.count) bytes>"
        case .table(let t):
            text = "{" + t.entries.map { "[\(describe($0.key, limit: 80))]=\(describe($0.value, limit: 200))" }
                .joined(separator: ", ") + "}"
        default: text = "\(v)"
        }
        return text.count > limit ? String(text.prefix(limit)) + "…" : text
    }

    // MARK: - Swift → Lua → Swift

    /// Pushes `value` as an argument of `return ...` and reads it back; checks the outcome and
    /// that the state is still usable. Returns the first broken rule, if any.
    static func roundTrip(_ value: LuaValue, _ state: LuaState) -> String? {
        let expectedErrors = pushErrors(value)
        let top = lua_gettop(state.L)
        var outcome: String?
        do {
            try state.load("return ...", name: "echo.lua")
            let back = try state.callTop(arguments: [value])
            if !expectedErrors.isEmpty {
                outcome = "crossed, but expected one of \(expectedErrors.sorted())"
            } else if back.count != 1 || !same(back[0], asLuaSeesIt(value)) {
                outcome = "came back as \(back.map { describe($0) })"
            }
        } catch LuaError.conversion(let message) {
            if !expectedErrors.contains(message) {
                outcome = expectedErrors.isEmpty ? "refused: \(message)" : "refused with '\(message)', expected one of \(expectedErrors.sorted())"
            }
        } catch {
            outcome = "unexpected error \(error)"
        }
        if lua_gettop(state.L) != top { outcome = (outcome ?? "") + " (stack top \(lua_gettop(state.L)), was \(top))" }
        // As a global too, and the state still runs.
        do {
            try state.setGlobal("fuzzed", value)
            if !expectedErrors.isEmpty { outcome = outcome ?? "setGlobal accepted a value that cannot cross" }
            // A nil global is no global: reading it is the sandbox's "undefined global" error.
            guard value != .nil else { throw CancellationError() }
            let back = try state.run("return fuzzed", name: "global.lua")
            if back.count != 1 || !same(back[0], asLuaSeesIt(value)) { outcome = outcome ?? "the global came back different" }
        } catch LuaError.conversion(let message) {
            if !expectedErrors.contains(message) { outcome = outcome ?? "setGlobal refused: \(message)" }
        } catch is CancellationError {
        } catch {
            outcome = outcome ?? "setGlobal: unexpected error \(error)"
        }
        if lua_gettop(state.L) != top { outcome = (outcome ?? "") + " (stack top \(lua_gettop(state.L)) after setGlobal, was \(top))" }
        if (try? state.run("return 6 * 7", name: "after.lua")) != [.integer(42)] { outcome = (outcome ?? "") + "; the state no longer runs" }
        return outcome
    }

    @Test("random Swift values come back as Lua sees them, or with a clear conversion error")
    func swiftValuesRoundTrip() throws {
        var outcomes: [String: Int] = [:]
        let state = try LuaState()
        for seed in Fuzz.seeds(base: 0x1BA0_0000, short: 700, long: 15_000) {
            var random = SplitMix64(seed: seed)
            var budget = random.int(0...60)
            let value = Self.randomValue(&random, depth: 0, budget: &budget, deep: random.chance(5))
            outcomes[Self.pushErrors(value).isEmpty ? "crossed" : "refused", default: 0] += 1
            if let problem = Self.roundTrip(value, state) {
                Issue.record("\(Fuzz.name(seed)): \(problem). Value: \(Self.describe(value))")
            }
        }
        #expect(outcomes["crossed", default: 0] > 0 && outcomes["refused", default: 0] > 0, "\(outcomes)")
    }

    @Test("nesting right at the depth limit crosses; one level more is refused, both ways")
    func depthLimit() throws {
        let state = try LuaState()
        func nested(_ levels: Int) -> LuaValue {
            var v: LuaValue = .integer(1)
            for _ in 0..<levels { v = .table(LuaTable(array: [v])) }
            return v
        }
        #expect(Self.roundTrip(nested(LuaStack.maxDepth), state) == nil)
        #expect(Self.pushErrors(nested(LuaStack.maxDepth + 1)) == ["table nested deeper than 64 levels"])
        #expect(Self.roundTrip(nested(LuaStack.maxDepth + 1), state) == nil)
        #expect(try state.run("local t = 1 for i = 1, 64 do t = {t} end return t", name: "d.lua") == [nested(64)])
        #expect(throws: LuaError.conversion("table nested deeper than 64 levels")) {
            try state.run("local t = 1 for i = 1, 65 do t = {t} end return t", name: "d.lua")
        }
    }

    /// Regression cases, inline. Each crashed the process or lost data before the fix in
    /// `LuaStack.push` (found by `swiftValuesRoundTrip`).
    @Test("regression: nil keys, keys that collide in Lua, and a failed push leave a usable state")
    func regressions() throws {
        let state = try LuaState()
        var nilKey = LuaTable()
        nilKey.entries[.nil] = 1
        // lua_rawset raised "index is nil" outside any protected call: Lua panicked, the process aborted.
        #expect(Self.roundTrip(.table(nilKey), state) == nil)
        #expect(throws: LuaError.conversion("table key is nil")) { try state.setGlobal("x", .table(nilKey)) }

        // 1 and 1.0 are one key in Lua: which value won depended on Swift's hash order.
        var twins = LuaTable()
        twins.entries[.integer(1)] = "integer"
        twins.entries[.number(1.0)] = "float"
        #expect(throws: LuaError.conversion("table has two keys that are the same key in Lua: 1 and 1.0")) {
            try state.setGlobal("x", .table(twins))
        }
        // Seed 0x1ba02d68 (long run): 2.0 → "two" and 2 → nil. Pushed in the wrong hash order,
        // the nil deleted the entry the float key had just made.
        var nilTwin = LuaTable()
        nilTwin.entries[.number(2.0)] = "two"
        nilTwin.entries[.integer(2)] = .nil
        try state.setGlobal("x", .table(nilTwin))
        #expect(try state.run("return x[2]", name: "n.lua") == ["two"])

        // A float key alone is Lua's integer key, as Lua itself would have it.
        var float = LuaTable()
        float.entries[.number(2.0)] = "two"
        try state.setGlobal("x", .table(float))
        #expect(try state.run("return math.type(next(x)), x[2]", name: "k.lua") == ["integer", "two"])

        // A push that fails half-way leaves nothing behind on the stack.
        let top = lua_gettop(state.L)
        let bad: LuaValue = ["a": ["b": .opaque("function")], "c": 1]
        #expect(throws: LuaError.conversion("a function cannot be copied into Lua")) { try state.setGlobal("y", bad) }
        try state.load("return ...", name: "echo.lua")
        #expect(throws: LuaError.conversion("a function cannot be copied into Lua")) { try state.callTop(arguments: [1, bad]) }
        #expect(lua_gettop(state.L) == top)
        #expect(try state.run("return 1 + 1", name: "ok.lua") == [.integer(2)])
    }

    // MARK: - Lua → Swift

    /// Random Lua source that builds a value, and what Swift must read from it: the value, or
    /// the conversion error (a cycle, too deep). Tables shared by two branches are not cycles.
    struct LuaCase {
        var source: String
        var expected: Result<LuaValue, LuaError>
    }

    static func randomLuaCase(_ random: inout SplitMix64) -> LuaCase {
        var lines: [String] = []
        var counter = 0
        func fresh() -> String { counter += 1; return "t\(counter)" }
        // Builds a table in Lua and its Swift twin.
        func table(depth: Int) -> (name: String, value: LuaValue) {
            let name = fresh()
            lines.append("local \(name) = {}")
            var t = LuaTable()
            for _ in 0..<random.int(0...(depth > 3 ? 1 : 4)) {
                let key: (String, LuaValue)
                switch random.int(0...5) {
                case 0: let i = Int64(random.int(-3...5)); key = ("\(i)", .integer(i))
                case 1: key = ("2.5", .number(2.5))
                case 2: key = ("3.0", .integer(3))                           // Lua makes it an integer key
                case 3: key = ("true", .boolean(true))
                case 4: key = ("'\\xff\\0k'", .string(LuaBytes([0xFF, 0, 0x6B])))
                default: key = ("'名'", LuaValue("名"))
                }
                let value: (String, LuaValue)
                switch random.int(0...9) {
                case 0: value = ("0/0", .number(.nan))
                case 1: value = ("-math.huge", .number(-.infinity))
                case 2: value = ("math.mininteger", .integer(.min))
                case 3: value = ("2^63", .number(9223372036854775808.0))
                case 4: value = ("string.rep('ab', 50000)", .string(LuaBytes(Array(String(repeating: "ab", count: 50000).utf8))))
                case 5: value = ("'\\xc0\\xaf'", .string(LuaBytes([0xC0, 0xAF])))
                case 6: value = ("print", .opaque("function"))
                case 7 where depth < 6:
                    let inner = table(depth: depth + 1)
                    value = (inner.name, inner.value)
                default: value = ("-0.0", .number(-0.0))
                }
                lines.append("\(name)[\(key.0)] = \(value.0)")
                t.entries[key.1] = value.1
            }
            return (name, .table(t))
        }
        let root = table(depth: 0)
        switch random.int(0...5) {
        case 0:
            // A cycle through the root.
            lines.append("\(root.name).back = { inner = \(root.name) }")
            return LuaCase(source: lines.joined(separator: "\n") + "\nreturn \(root.name)",
                           expected: .failure(.conversion("table contains a cycle")))
        case 1:
            // Shared, not cyclic: copied twice.
            lines.append("local shared = {1, 2} \(root.name).a = shared \(root.name).b = { shared }")
            guard case .table(var t) = root.value else { fatalError() }
            t["a"] = [1, 2]
            t["b"] = [[1, 2]]
            return LuaCase(source: lines.joined(separator: "\n") + "\nreturn \(root.name)", expected: .success(.table(t)))
        case 2:
            // Deeper than the limit, inside a key.
            lines.append("local deep = {} for i = 1, 70 do deep = { [deep] = i } end \(root.name).deep = deep")
            return LuaCase(source: lines.joined(separator: "\n") + "\nreturn \(root.name)",
                           expected: .failure(.conversion("table nested deeper than 64 levels")))
        default:
            return LuaCase(source: lines.joined(separator: "\n") + "\nreturn \(root.name)", expected: .success(root.value))
        }
    }

    @Test("random Lua values are read into Swift exactly, or with a clear error for cycles and depth")
    func luaValuesAreRead() throws {
        let state = try LuaState()
        for seed in Fuzz.seeds(base: 0x1BA1_0000, short: 600, long: 10_000) {
            var random = SplitMix64(seed: seed)
            let c = Self.randomLuaCase(&random)
            let top = lua_gettop(state.L)
            do {
                let back = try state.run(c.source, name: "fuzz.lua")
                switch c.expected {
                case .success(let value):
                    #expect(back.count == 1 && Self.same(back[0], value),
                            "\(Fuzz.name(seed)): got \(back.map { Self.describe($0) }), expected \(Self.describe(value))\n\(c.source)")
                case .failure(let error):
                    Issue.record("\(Fuzz.name(seed)): read a value, expected \(error)\n\(c.source)")
                }
            } catch let error as LuaError {
                if case .failure(let expected) = c.expected {
                    #expect(error == expected, "\(Fuzz.name(seed))\n\(c.source)")
                } else {
                    Issue.record("\(Fuzz.name(seed)): \(error)\n\(c.source)")
                }
            }
            #expect(lua_gettop(state.L) == top, "\(Fuzz.name(seed)): stack top moved")
        }
    }
}
