import Testing
@testable import LuaRuntime

/// Trusted host Lua compiled once and loaded into many states as bytecode behaves as its
/// source did: what it publishes reaches scripts, its errors name its file and line, and a
/// source that does not compile is refused when it is compiled.
@Suite("Trusted host chunks, compiled once per process")
struct LuaTrustedChunkTests {
    static let library = """
        local function double(x)
          if type(x) ~= "number" then
            error("double: a number, please", 2)
          end
          return 2 * x
        end
        sandbox.double = double
        sandbox.fail = function() error("library broke") end
        """

    @Test("one compilation runs in several states, each with its own copy of what it defines")
    func oneCompilationManyStates() throws {
        let chunk = try LuaTrustedChunk(Self.library, name: "lib.lua")
        #expect(chunk.name == "lib.lua")
        for input in [21, 50] {
            let state = try LuaState()
            try state.runTrusted(chunk)
            #expect(try state.run("return double(\(input))", name: "use.lua") == [.integer(Int64(2 * input))])
        }
        // Each state has its own: a state that did not run the chunk does not see it.
        #expect(throws: LuaError.runtime(message: "x.lua:1: undefined global 'double'", traceback: "")) {
            try LuaState().run("return double(1)", name: "x.lua")
        }
    }

    @Test("errors keep the file and line, for the library and for the script that misused it")
    func errorsKeepLines() throws {
        let chunk = try LuaTrustedChunk(Self.library, name: "lib.lua")
        let state = try LuaState()
        try state.runTrusted(chunk)
        #expect(throws: LuaError.runtime(message: "use.lua:2: double: a number, please", traceback: "")) {
            try state.run("local x = 1\nlocal y = double('two')\nreturn y", name: "use.lua")
        }
        #expect(throws: LuaError.runtime(message: "lib.lua:8: library broke", traceback: "")) {
            try state.run("fail()", name: "use.lua")
        }
    }

    @Test("a source that does not compile is refused with its name and line")
    func syntaxErrorAtCompile() {
        #expect(throws: LuaError.syntax(message: "bad.lua:2: unexpected symbol near '='")) {
            try LuaTrustedChunk("local x = 1\nx = = 2", name: "bad.lua")
        }
    }

    @Test("the same results as running the source each time")
    func sameAsSource() throws {
        let compiled = try LuaState()
        try compiled.runTrusted(try LuaTrustedChunk(Self.library, name: "lib.lua"))
        let parsed = try LuaState()
        try parsed.runTrusted(Self.library, name: "lib.lua")
        for script in ["return double(4)", "return pcall(double, {})", "return select(2, pcall(fail))"] {
            #expect(try compiled.run(script, name: "s.lua") == parsed.run(script, name: "s.lua"), "\(script)")
        }
    }
}
