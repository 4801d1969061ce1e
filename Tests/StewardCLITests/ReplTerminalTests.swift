import Foundation
import Testing

/// `steward repl` on a real terminal (tmux, on a private socket): the banner and prompts,
/// Tab completion, Ctrl-C during a long loop and on a continuation line, history across
/// sessions, and editing Chinese text by character.
@Suite("steward repl: on a terminal", .serialized, .enabled(if: TerminalSession.tmuxPath() != nil, "tmux is not installed"))
struct ReplTerminalTests {
    func start(_ scratch: ScratchDirectory, _ extra: [String] = []) throws -> TerminalSession {
        let db = try ReplHarness.demoDatabase(in: scratch)
        let session = try TerminalSession(["--db", db] + extra,
                                          environment: ["XDG_STATE_HOME": scratch.url.appendingPathComponent("state").path,
                                                        "HOME": scratch.url.path],
                                          directory: scratch.url)
        try session.wait(for: "the first prompt") { TerminalSession.lastLine($0) == ">" }
        return session
    }

    @Test func bannerPromptsAndValues() throws {
        let scratch = try ScratchDirectory()
        defer { withExtendedLifetime(scratch) {} }
        let t = try start(scratch)
        let first = try t.screen()
        #expect(first.contains("Steward REPL"))
        #expect(first.contains("\\help"))
        try t.type("for i = 1, 2 do")
        try t.press("Enter")
        try t.wait(for: "a continuation prompt") { TerminalSession.lastLine($0) == ">>" }
        try t.type("print(i * 10)")
        try t.press("Enter")
        try t.wait(for: "a second continuation prompt") {
            TerminalSession.promptCount($0) >= 3 && TerminalSession.lastLine($0) == ">>"
        }
        let screen = try t.enter("end")
        #expect(screen.contains(">> print(i * 10)\n>> end\n10\n20\n>"), "\(screen)")
        try t.press("C-d")
        try t.wait(for: "the REPL to end") { $0.contains("[exited 0]") }
    }

    @Test func tabCompletesGlobalsFieldsAndMethods() throws {
        let scratch = try ScratchDirectory()
        defer { withExtendedLifetime(scratch) {} }
        let t = try start(scratch)
        // A global: `budg` → `budget`.
        try t.type("budg")
        try t.press("Tab")
        try t.wait(for: "budget completed") { TerminalSession.lastLine($0) == "> budget" }
        try t.press("C-c")
        try t.wait(for: "a fresh prompt") { TerminalSession.lastLine($0) == ">" }
        // A method of a host object in a global: `fund:av` → `fund:available`.
        try t.enter(#"fund = budget "relief-2025""#)
        try t.type("fund:av")
        try t.press("Tab")
        try t.wait(for: "available completed") { TerminalSession.lastLine($0) == "> fund:available" }
        try t.type("()")
        var screen = try t.enter("")
        #expect(screen.contains("> fund:available()\n100000000\n"), "\(screen)")
        // Methods of what a call returns: a members query.
        try t.type(#"members{ town = "儒林镇" }:whe"#)
        try t.press("Tab")
        try t.wait(for: "where completed") { TerminalSession.lastLine($0).hasSuffix(":where") }
        try t.press("C-c")
        try t.wait(for: "a fresh prompt") { TerminalSession.lastLine($0) == ">" }
        // Several candidates are listed under the line: the fields of a library table.
        try t.type("money.")
        try t.press("Tab")
        screen = try t.wait(for: "the money functions listed") { $0.contains("format") && $0.contains("parse") }
        #expect(screen.contains("yuan"))
        try t.press("C-c")
        try t.wait(for: "a fresh prompt") { TerminalSession.lastLine($0) == ">" }
        // A field of a member.
        try t.enter("m = member(1)")
        try t.type("m.birth")
        try t.press("Tab")
        try t.wait(for: "birth_date completed") { TerminalSession.lastLine($0) == "> m.birth_date" }
    }

    @Test func ctrlCInterruptsALongLoopAndDropsAContinuation() throws {
        let scratch = try ScratchDirectory()
        defer { withExtendedLifetime(scratch) {} }
        let t = try start(scratch)
        try t.enter("x = 6")
        try t.type("while true do x = x end")
        try t.press("Enter")
        usleep(500_000)
        try t.press("C-c")
        var screen = try t.wait(for: "interrupted") { $0.contains("interrupted") && TerminalSession.lastLine($0) == ">" }
        // The session lives: its globals are still there.
        screen = try t.enter("x * 7")
        #expect(screen.contains("> x * 7\n42\n"), "\(screen)")
        // Ctrl-C on a continuation line drops the unfinished chunk.
        try t.type("if true then")
        try t.press("Enter")
        try t.wait(for: "a continuation prompt") { TerminalSession.lastLine($0) == ">>" }
        try t.type("print('never')")
        try t.press("C-c")
        try t.wait(for: "the primary prompt") { TerminalSession.lastLine($0) == ">" }
        screen = try t.enter("'after'")
        #expect(screen.contains("after"))
        #expect(!screen.contains("never\n"))
    }

    @Test func historyPersistsAcrossSessionsWithMode0600() throws {
        let scratch = try ScratchDirectory()
        defer { withExtendedLifetime(scratch) {} }
        let t = try start(scratch)
        try t.enter("answer = 42")
        try t.enter("answer = 42")  // an adjacent duplicate is stored once
        try t.enter("'第二行'")
        try t.press("C-d")
        try t.wait(for: "the REPL to end") { $0.contains("[exited 0]") }

        let file = scratch.url.appendingPathComponent("state/steward/history")
        let text = try String(contentsOf: file, encoding: .utf8)
        #expect(text == "answer = 42\n'第二行'\n")
        let mode = try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? NSNumber
        #expect(mode?.intValue == 0o600)
        let dirMode = try FileManager.default.attributesOfItem(atPath: file.deletingLastPathComponent().path)[.posixPermissions] as? NSNumber
        #expect(dirMode?.intValue == 0o700)

        let second = try TerminalSession(["--db", scratch.url.appendingPathComponent("demo.db").path],
                                         environment: ["XDG_STATE_HOME": scratch.url.appendingPathComponent("state").path,
                                                       "HOME": scratch.url.path],
                                         directory: scratch.url)
        try second.wait(for: "the first prompt") { TerminalSession.lastLine($0) == ">" }
        try second.press("Up")
        try second.wait(for: "the last line recalled") { TerminalSession.lastLine($0) == "> '第二行'" }
        try second.press("Up")
        try second.wait(for: "the line before recalled") { TerminalSession.lastLine($0) == "> answer = 42" }
        let screen = try second.enter("")
        try second.enter("answer + 1")
        #expect(try second.screen().contains("43"), "\(screen)")
    }

    @Test func chineseTextIsEditedByCharacter() throws {
        let scratch = try ScratchDirectory()
        defer { withExtendedLifetime(scratch) {} }
        let t = try start(scratch)
        // Left moves over one character (three bytes in UTF-8, two cells on screen).
        try t.type(#""你好世界""#)
        try t.press("Left", "Left", "Left")
        try t.type("和")
        var screen = try t.enter("")
        #expect(screen.contains("你好和世界\n"), "\(screen)")
        // Backspace deletes one character; Home/End and a word move work too.
        try t.type(#"s = "儒林镇的老人""#)
        try t.press("Left", "BSpace", "BSpace")
        try t.type("居民")
        try t.enter("")
        screen = try t.enter("s")
        #expect(screen.contains("\n儒林镇的居民\n"), "\(screen)")
        try t.type(#"members{ town = "儒林镇" }:count()"#)
        try t.press("Home")
        try t.type("n = ")
        screen = try t.enter("")
        screen = try t.enter("n > 0")
        #expect(screen.hasSuffix("true\n>\n") || screen.contains("> n > 0\ntrue\n"), "\(screen)")
    }

    @Test func colourOnATerminalUnlessNO_COLOR() throws {
        let scratch = try ScratchDirectory()
        defer { withExtendedLifetime(scratch) {} }
        let coloured = try start(scratch)
        try coloured.enter("error('x')")
        #expect(try coloured.screenWithEscapes().contains("\u{1b}["))
        let plainDirectory = scratch.url.appendingPathComponent("plain")
        try FileManager.default.createDirectory(at: plainDirectory, withIntermediateDirectories: true)
        let plain = try TerminalSession(["--db", scratch.url.appendingPathComponent("demo.db").path],
                                        environment: ["NO_COLOR": "1", "HOME": scratch.url.path,
                                                      "XDG_STATE_HOME": plainDirectory.path],
                                        directory: plainDirectory)
        try plain.wait(for: "the first prompt") { TerminalSession.lastLine($0) == ">" }
        try plain.enter("error('x')")
        let screen = try plain.screenWithEscapes()
        #expect(screen.contains("stdin:1: x"))
        #expect(!screen.contains("\u{1b}["), "\(screen)")
    }

    @Test func leavingWithPendingEffectsAsks() throws {
        let scratch = try ScratchDirectory()
        defer { withExtendedLifetime(scratch) {} }
        let t = try start(scratch)
        try t.enter(#"budget("relief-2025"):grant(member(1), yuan(5), { programme = "temporary-relief", period = period "2025-06" })"#)
        try t.type("\\q")
        try t.press("Enter")
        try t.wait(for: "the question") { $0.contains("Leave and drop it? [y/N]") }
        try t.type("n")
        try t.press("Enter")
        try t.wait(for: "staying") { $0.contains("Staying.") && TerminalSession.lastLine($0) == ">" }
        try t.type("\\q")
        try t.press("Enter")
        try t.wait(for: "the question again") { $0.components(separatedBy: "[y/N]").count == 3 }
        try t.type("y")
        try t.press("Enter")
        try t.wait(for: "the REPL to end") { $0.contains("[exited 0]") }
    }
}
