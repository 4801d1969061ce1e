import Testing
@testable import LuaRuntime

@Suite("The sandbox gives scripts exactly the allow-listed environment")
struct LuaSandboxTests {
    @Test func environmentHoldsExactlyTheAllowedNames() throws {
        let state = try LuaState()
        #expect(state.baseNames == [
            "_VERSION", "assert", "error", "ipairs", "math", "next", "os", "pairs", "pcall", "print",
            "rawequal", "rawget", "rawlen", "select", "string", "table", "tonumber", "tostring", "type",
            "utf8", "xpcall",
        ])
        #expect(state.names(in: "string") == ["byte", "char", "find", "format", "gmatch", "gsub", "len",
                                              "lower", "match", "rep", "reverse", "sub", "upper"])
        #expect(state.names(in: "table") == ["concat", "insert", "pack", "remove", "sort", "unpack"])
        #expect(state.names(in: "utf8") == ["char", "charpattern", "codepoint", "len", "offset"])
        #expect(state.names(in: "os") == ["clock", "date", "difftime", "time"])
        #expect(state.scriptGlobalNames == [])
    }

    @Test(arguments: ["load", "loadstring", "dofile", "loadfile", "require", "package", "io", "debug",
                      "collectgarbage", "setmetatable", "getmetatable", "rawset", "coroutine", "warn", "_G"])
    func removedNamesAreUndefinedGlobals(name: String) throws {
        let state = try LuaState()
        #expect(throws: LuaError.runtime(message: "x.lua:1: undefined global '\(name)'", traceback: "")) {
            try state.run("local f = \(name)", name: "x.lua")
        }
    }

    @Test func undefinedGlobalIsNamed() throws {
        let state = try LuaState()
        #expect(throws: LuaError.runtime(message: "typo.lua:2: undefined global 'bugdet'", traceback: "")) {
            try state.run("local x = 1\nreturn bugdet", name: "typo.lua")
        }
    }

    @Test func scriptsDefineGlobalsButCannotShadowBuiltIns() throws {
        let state = try LuaState()
        #expect(try state.run("total = 5 return total", name: "g.lua") == [5])
        #expect(throws: LuaError.runtime(message: "g.lua:1: cannot assign to 'print': it is a built-in name (use a local variable)", traceback: "")) {
            try state.run("print = nil", name: "g.lua")
        }
    }

    @Test func libraryTablesAreReadOnly() throws {
        let state = try LuaState()
        #expect(throws: LuaError.runtime(message: "m.lua:1: 'math' is read-only", traceback: "")) {
            try state.run("math.floor = function() end", name: "m.lua")
        }
        #expect(throws: LuaError.runtime(message: "m.lua:1: 'string' is read-only", traceback: "")) {
            try state.run("string.rep = nil", name: "m.lua")
        }
    }

    @Test func stringMethodsSeeOnlyAllowedFunctions() throws {
        let state = try LuaState()
        #expect(try state.run("return ('abc'):upper(), ('x'):rep(3, ',')", name: "s.lua") == ["ABC", "x,x,x"])
        let r = try state.run("return ('x').dump, ('x').pack", name: "s.lua")
        #expect(r == [.nil, .nil])
    }

    @Test func printGoesToTheRunOutputSanitised() throws {
        let state = try LuaState()
        try state.run("print('你好', 1, nil, true)\nprint('\\27[31mred\\7')", name: "p.lua")
        #expect(state.output.text == "你好\t1\tnil\ttrue\n\\x1b[31mred\\x07\n")
    }

    @Test func pairsOverLibraryViewsWorks() throws {
        let state = try LuaState()
        let r = try state.run("local n = 0 for k in pairs(os) do n = n + 1 end return n, #table", name: "p.lua")
        #expect(r == [4, 0])
    }

    @Test func stringRepChecksSizeFirstEvenForEmptyStrings() throws {
        var limits = LuaLimits()
        limits.stringBytes = 1000
        let state = try LuaState(limits: limits)
        #expect(throws: LuaError.runtime(message: "r.lua:1: string.rep would build 1001 bytes, more than the limit of 1000 bytes", traceback: "")) {
            try state.run("return string.rep('x', 1001)", name: "r.lua")
        }
        #expect(try state.run("return #string.rep('', math.maxinteger)", name: "r.lua") == [0])
        #expect(throws: LuaError.self) {
            try state.run("return string.rep('', math.maxinteger, 'x')", name: "r.lua")
        }
    }

    @Test func tableConcatChecksSizeFirst() throws {
        var limits = LuaLimits()
        limits.stringBytes = 100
        let state = try LuaState(limits: limits)
        #expect(try state.run("return table.concat({'a','b'}, ',')", name: "c.lua") == ["a,b"])
        #expect(throws: LuaError.runtime(message: "c.lua:1: table.concat would build more than the limit of 100 bytes", traceback: "")) {
            try state.run("local t = {} for i = 1, 60 do t[i] = 'ab' end return table.concat(t)", name: "c.lua")
        }
        #expect(throws: LuaError.self) {
            try state.run("return table.concat({}, '', 1, math.maxinteger)", name: "c.lua")
        }
    }

    @Test func patternSizesAreCapped() throws {
        let state = try LuaState()
        #expect(throws: LuaError.runtime(message: "p.lua:1: string.find: pattern of 2000 bytes is longer than the limit of 1024 bytes", traceback: "")) {
            try state.run("return ('x'):find(('a'):rep(2000))", name: "p.lua")
        }
    }

    @Test func freshStatesDoNotShareGlobals() throws {
        let a = try LuaState()
        try a.run("leaked = 1", name: "a.lua")
        let b = try LuaState()
        #expect(throws: LuaError.runtime(message: "b.lua:1: undefined global 'leaked'", traceback: "")) {
            try b.run("return leaked", name: "b.lua")
        }
    }
}
