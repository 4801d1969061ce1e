import Testing
@testable import StewardScripting

/// The Lua 5.4 tokenizer behind `steward check`.
@Suite("Lua tokenizer")
struct TokenizerTests {
    func kinds(_ source: String) throws -> [String] {
        try LuaTokenizer.tokenize(source).dropLast().map { "\($0.kind):\($0.text)" }
    }

    func strings(_ source: String) throws -> [String] {
        try LuaTokenizer.tokenize(source).filter { $0.kind == .string }.map(\.text)
    }

    @Test func namesKeywordsAndNumbers() throws {
        #expect(try kinds("local x_1 = 3.5e-2 + 0x1Fp4 // .5") == [
            "keyword:local", "name:x_1", "symbol:=", "number:3.5e-2", "symbol:+", "number:0x1Fp4", "symbol://", "number:.5",
        ])
        #expect(try kinds("goto continue ::continue::") == ["keyword:goto", "name:continue", "symbol:::", "name:continue", "symbol:::"])
    }

    @Test func longestOperatorsFirst() throws {
        #expect(try kinds("a...b..c~=d<=e>=f<<g>>h==i~j") == [
            "name:a", "symbol:...", "name:b", "symbol:..", "name:c", "symbol:~=", "name:d", "symbol:<=", "name:e",
            "symbol:>=", "name:f", "symbol:<<", "name:g", "symbol:>>", "name:h", "symbol:==", "name:i", "symbol:~", "name:j",
        ])
    }

    @Test func shortStringEscapes() throws {
        #expect(try strings(#"x = "a\tb\n\\\"q\"" y = 'it\'s'"#) == ["a\tb\n\\\"q\"", "it's"])
        #expect(try strings(#"s = "\65\066\x43\u{4E2D}\u{7F}""#) == ["ABC中\u{7F}"])
        // \z skips the following whitespace and newlines; an escaped newline is a newline
        let tokens = try LuaTokenizer.tokenize("s = \"a\\z\n     b\\\nc\"\nnext")
        #expect(tokens[2].text == "ab\nc")
        #expect(tokens[3].text == "next" && tokens[3].line == 4)
    }

    @Test func longBracketsAtAnyLevel() throws {
        #expect(try strings("s = [[one]] t = [==[has ]] and ]=] inside]==]") == ["one", "has ]] and ]=] inside"])
        // the first newline of a long string is skipped; lines are counted through it
        let tokens = try LuaTokenizer.tokenize("s = [[\nline2\nline3]] after")
        #expect(tokens[2].text == "line2\nline3")
        #expect(tokens[3].text == "after" && tokens[3].line == 3)
        // `[` followed by something else is just a bracket
        #expect(try kinds("t[ [=[k]=] ]") == ["name:t", "symbol:[", "string:k", "symbol:]"])
    }

    @Test func commentsAreSkippedAndLinesCounted() throws {
        let source = """
            -- a line comment with "quotes" and [[brackets
            local a = 1 --[[ a long
            comment ]] local b = 2
            --[==[ level two ]] still
            comment ]==] local c = 3
            --[ not long
            return a
            """
        let tokens = try LuaTokenizer.tokenize(source)
        let locals = tokens.filter { $0.kind == .name }.map { "\($0.text)@\($0.line)" }
        #expect(locals == ["a@2", "b@3", "c@5", "a@7"])
    }

    @Test func crLfCountsAsOneLine() throws {
        let tokens = try LuaTokenizer.tokenize("a\r\nb\n\rc\rd")
        #expect(tokens.prefix(4).map(\.line) == [1, 2, 3, 4])
    }

    @Test func chineseTextInStringsAndComments() throws {
        let tokens = try LuaTokenizer.tokenize("-- 儒林镇\nprint(\"你好\", '金坛')")
        #expect(tokens.filter { $0.kind == .string }.map(\.text) == ["你好", "金坛"])
        #expect(tokens[0].line == 2)
    }

    @Test func errorsNameTheLine() {
        #expect(throws: LuaTokenError.self) { try LuaTokenizer.tokenize("x = 'unfinished\n") }
        do {
            _ = try LuaTokenizer.tokenize("a = 1\nb = [==[ never closed ]=]")
            Issue.record("expected an error")
        } catch {
            #expect(error.line == 2)
            #expect(error.message.contains("unfinished long string"))
        }
        #expect(throws: LuaTokenError.self) { try LuaTokenizer.tokenize(#"s = "\q""#) }
        #expect(throws: LuaTokenError.self) { try LuaTokenizer.tokenize("x = 1 @ 2") }
    }
}
