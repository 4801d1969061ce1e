import Foundation
import Testing

/// `steward reference`: prints or writes the reference page and the LuaLS definitions, the
/// same text as the committed files.
@Suite("steward reference")
struct ReferenceCommandTests {
    func committed(_ path: String) throws -> String {
        try String(contentsOf: StewardBinary.packageRoot.appendingPathComponent(path), encoding: .utf8)
    }

    @Test func printsTheMarkdownReferenceByDefault() throws {
        let r = try StewardBinary.run(["reference"])
        #expect(r.exitCode == 0, "\(r.summary)")
        #expect(r.stdoutText == (try committed("docs/REFERENCE.md")),
                "docs/REFERENCE.md is out of date: run dev/gen-reference")
    }

    @Test func printsLuaLSDefinitions() throws {
        let r = try StewardBinary.run(["reference", "--format", "luals"])
        #expect(r.exitCode == 0, "\(r.summary)")
        #expect(r.stdoutText.hasPrefix("---@meta"))
        #expect(r.stdoutText == (try committed("Stdlib/steward.d.lua")),
                "Stdlib/steward.d.lua is out of date: run dev/gen-reference")
    }

    @Test func writesFilesChoosingTheFormatByExtension() throws {
        let scratch = try ScratchDirectory("steward-reference")
        let r1 = try StewardBinary.run(["reference", "--output", "out.md"], in: scratch.url)
        let r2 = try StewardBinary.run(["reference", "--output", "steward.d.lua"], in: scratch.url)
        #expect(r1.exitCode == 0 && r2.exitCode == 0, "\(r1.summary)\n\(r2.summary)")
        #expect(r1.stdoutText == "" && r2.stdoutText == "")
        let md = try String(contentsOf: scratch.url.appendingPathComponent("out.md"), encoding: .utf8)
        let lua = try String(contentsOf: scratch.url.appendingPathComponent("steward.d.lua"), encoding: .utf8)
        #expect(md.hasPrefix("# Steward script reference"))
        #expect(lua.hasPrefix("---@meta"))
    }

    @Test func unwritableOutputIsAUsageError() throws {
        let r = try StewardBinary.run(["reference", "--output", "/nonexistent-dir/x.md"])
        #expect(r.exitCode == 2, "\(r.summary)")
        #expect(r.stderrText.hasPrefix("error: /nonexistent-dir/x.md: cannot be written"))
    }

    @Test func badFormatIsRejected() throws {
        let r = try StewardBinary.run(["reference", "--format", "html"])
        #expect(r.exitCode == 2, "\(r.summary)")
    }
}
