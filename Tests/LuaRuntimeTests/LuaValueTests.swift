import Testing
@testable import LuaRuntime

@Suite("Values cross the bridge both ways")
struct LuaValueTests {
    @Test func scalarsKeepTheirTypes() throws {
        let state = try LuaState()
        let r = try state.run("return nil, true, 42, 4.5, 'héllo 你好', 2^53, math.maxinteger", name: "v.lua")
        #expect(r == [.nil, .boolean(true), .integer(42), .number(4.5), "héllo 你好", .number(9007199254740992),
                      .integer(Int64.max)])
    }

    @Test func stringsAreBytesIncludingNUL() throws {
        let state = try LuaState()
        let r = try state.run(#"return "a\0b\255""#, name: "b.lua")
        #expect(r == [.string(LuaBytes([0x61, 0, 0x62, 0xFF]))])
        #expect(r[0].stringValue == nil)  // not valid UTF-8
    }

    @Test func tablesToArraysAndDictionaries() throws {
        let state = try LuaState()
        let r = try state.run("return {10, 20, 30}, {name = '王芳', grade = 2}", name: "t.lua")
        #expect(r[0].tableValue?.array == [10, 20, 30])
        #expect(r[1].tableValue?.dictionary == ["name": "王芳", "grade": 2])
    }

    @Test func swiftValuesRoundTrip() throws {
        let state = try LuaState()
        state.register("echo") { call in
            try call.push(call.value(1))
            return 1
        }
        let value: LuaValue = ["list": [1, 2.5, "三"], "flag": false, "nested": ["deep": ["x": 1]]]
        let r = try state.run("local v = ... return echo(v)", name: "e.lua")
        _ = r
        try state.load("return echo(...)", name: "e.lua")
        let back = try state.callTop(arguments: [value])
        #expect(back == [value])
    }

    @Test func cyclicResultIsAnError() throws {
        let state = try LuaState()
        #expect(throws: LuaError.conversion("table contains a cycle")) {
            try state.run("local t = {} t.self = t return t", name: "c.lua")
        }
    }

    @Test func sharedSubtableIsNotACycle() throws {
        let state = try LuaState()
        let r = try state.run("local s = {1} return {a = s, b = s}", name: "s.lua")
        #expect(r[0].tableValue?["a"] == [1])
        #expect(r[0].tableValue?["b"] == [1])
    }

    @Test func deepNestingIsAnError() throws {
        let state = try LuaState()
        #expect(throws: LuaError.conversion("table nested deeper than 64 levels")) {
            try state.run("local t = {} for i = 1, 200 do t = {t} end return t", name: "d.lua")
        }
    }

    @Test func nanAndHugeNumbersArriveAsTheyAre() throws {
        let state = try LuaState()
        let r = try state.run("return 0/0, 1/0, math.mininteger", name: "n.lua")
        #expect(r[0].doubleValue?.isNaN == true)
        #expect(r[1] == .number(.infinity))
        #expect(r[2] == .integer(Int64.min))
        #expect(r[0].intValue == nil && r[1].intValue == nil)
    }
}
