import Testing
@testable import StewardScripting

/// The scope-aware scan that tells globals from locals for `steward check`.
@Suite("Scope scanner")
struct CheckScannerTests {
    func reads(_ source: String) throws -> [String] {
        try LuaScopeScanner.scan(source).reads.map(\.name)
    }

    @Test func localsShadowGlobals() throws {
        let source = """
            local total = 0
            local a, b <const> = 1, 2
            local f <close> = nil
            total = total + a + b + missing
            """
        #expect(try reads(source) == ["missing"])
    }

    @Test func localValueSeesTheOuterName() throws {
        // `local x = x` reads the global x: the new local starts after the statement.
        #expect(try reads("local x = x") == ["x"])
    }

    @Test func localFunctionIsVisibleInItsOwnBody() throws {
        #expect(try reads("local function fact(n) if n < 2 then return 1 end return n * fact(n - 1) end") == [])
        // a plain `local f = function` is not: `f` inside is a global
        #expect(try reads("local f = function() return f end") == ["f"])
    }

    @Test func parametersVarargsAndSelf() throws {
        let source = """
            local t = {}
            function t:total(extra, ...)
              local n = select("#", ...)
              return self.base + extra + n
            end
            function t.plain(x) return self end
            """
        #expect(try reads(source) == ["select", "self"])
    }

    @Test func forVariablesAreScopedToTheLoop() throws {
        let source = """
            for i = 1, 10 do print(i) end
            for k, v in pairs({}) do print(k, v) end
            print(i, k)
            """
        #expect(try reads(source) == ["print", "pairs", "print", "print", "i", "k"])
    }

    @Test func nestedBlocksEndTheirLocals() throws {
        let source = """
            do local inner = 1 end
            if true then local a = 1 elseif false then local b = a else local c = 2 end
            while false do local w = 1 end
            return inner, w
            """
        #expect(try reads(source) == ["a", "inner", "w"])
    }

    @Test func repeatConditionSeesTheBlocksLocals() throws {
        #expect(try reads("repeat local done = true until done") == [])
    }

    @Test func tableKeysAndFieldsAreNotNames() throws {
        let source = """
            local t = { name = "x", [key] = 1, value, nested = { deep = other }, x == y }
            print(t.name, t:upper(), t["name"])
            """
        #expect(try reads(source) == ["key", "value", "other", "x", "y", "print"])
    }

    @Test func gotoLabelsAreNotVariables() throws {
        let source = """
            for i = 1, 3 do
              if i == 2 then goto continue end
              print(i)
              ::continue::
            end
            """
        #expect(try reads(source) == ["print"])
    }

    @Test func globalDefinitionsAnywhere() throws {
        let scan = try LuaScopeScanner.scan("""
            function helper() return counter end
            counter = 0
            local function f() later = 1 end
            local m = {}
            function m.method() end
            a, b.c, d[1] = 1, 2, 3
            """)
        #expect(scan.definedGlobals == ["helper", "counter", "later", "a"])
        #expect(scan.reads.map(\.name) == ["counter", "b", "d"])
    }

    @Test func fieldsOfGlobalTablesAreRecorded() throws {
        let scan = try LuaScopeScanner.scan("""
            local shares = allocate.largest_remainder(10, {})
            report.tabel(shares)
            money.extra = 1
            function report.mine() end
            string:format()
            local money = {}
            print(money.anything)
            """)
        let uses = scan.fields.map { "\($0.table).\($0.field)\($0.isWrite ? "=" : "")@\($0.line)" }
        #expect(uses == ["allocate.largest_remainder@1", "report.tabel@2", "money.extra=@3", "report.mine=@4",
                         "string.format@5"])
    }

    @Test func callsAreRecorded() throws {
        let scan = try LuaScopeScanner.scan("""
            script { name = "x" }
            local y = yuan(5) + fen "7"
            """)
        #expect(scan.calls.map { "\($0.name)@\($0.line)" } == ["script@1", "yuan@2", "fen@2"])
    }

    @Test func longStringsAndCommentsDoNotHideCode() throws {
        let source = """
            local s = [==[ not_a_name ]] still ]==] --[[ nor
            this ]] print(s .. undefined_one)
            """
        #expect(try reads(source) == ["print", "undefined_one"])
    }

    @Test func visibleLocalsAreKeptForSuggestions() throws {
        let scan = try LuaScopeScanner.scan("local amount = 1\nlocal function f(total) return ammount + total end")
        #expect(scan.reads.first?.visibleLocals.isSuperset(of: ["amount", "total", "f"]) == true)
    }

    @Test func operatorsAndMethodChains() throws {
        let source = """
            local q = members{ town = "儒林镇" }:order_by("-age"):limit(#list + 1)
            local v = not a and -b or ~c // d ^ e .. f
            """
        #expect(try reads(source) == ["members", "list", "a", "b", "c", "d", "e", "f"])
    }
}
