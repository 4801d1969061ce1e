import Foundation
import LuaRuntime
import Testing
@testable import StewardScripting

/// The committed reference page and editor definitions are exactly what the catalogue
/// generates: editing the catalogue without regenerating fails here.
@Suite("Generated reference files are up to date")
struct ReferenceFilesTests {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func committed(_ path: String) -> String? {
        try? String(contentsOf: Self.root.appendingPathComponent(path), encoding: .utf8)
    }

    func check(_ path: String, _ generated: String, format: String) {
        let hint = "\(path) is out of date: run dev/gen-reference (or swift run steward reference --format \(format) --output \(path))"
        guard let text = committed(path) else {
            Issue.record("\(path) is missing: \(hint)")
            return
        }
        if text != generated {
            let a = text.components(separatedBy: "\n"), b = generated.components(separatedBy: "\n")
            let line = (0..<min(a.count, b.count)).first { a[$0] != b[$0] } ?? min(a.count, b.count)
            let have = line < a.count ? a[line] : "<end of file>"
            let want = line < b.count ? b[line] : "<end of file>"
            Issue.record("\(hint). First difference at line \(line + 1):\n  committed: \(have)\n  generated: \(want)")
        }
    }

    @Test func referenceMarkdownIsCurrent() {
        check(APIReference.markdownPath, APIReference.markdown(), format: "markdown")
    }

    @Test func luaLSDefinitionsAreCurrent() {
        check(APIReference.luaLSPath, APIReference.luaLS(), format: "luals")
    }

    /// The definitions are valid Lua (LuaLS reads them as Lua).
    @Test func luaLSDefinitionsCompile() throws {
        let state = try LuaState()
        defer { state.close() }
        try state.load(APIReference.luaLS(), name: "steward.d.lua")
    }

    @Test func markdownListsEveryFunctionWithAnExample() {
        let text = APIReference.markdown()
        for topic in APICatalogue.topics {
            #expect(text.contains("## \(topic.title)"))
            for f in topic.functions { #expect(text.contains("### `\(f.name)("), "\(f.name)") }
            for library in topic.libraries {
                for f in library.functions { #expect(text.contains("### `\(library.name).\(f.name)("), "\(library.name).\(f.name)") }
            }
            for type in topic.types {
                for m in type.methods { #expect(text.contains("#### `\(type.className):\(m.name)("), "\(type.className):\(m.name)") }
            }
        }
        // one example block per function, method, value and type
        let blocks = text.components(separatedBy: "```lua").count - 1
        let size = APICatalogue.entryCount
        #expect(blocks == size.functions + size.values + size.types)
    }

    @Test func luaLSDefinesTheWholeStewardAPI() {
        let text = APIReference.luaLS()
        #expect(text.hasPrefix("---@meta"))
        for topic in APICatalogue.topics where topic.inEditorDefinitions {
            for f in topic.functions { #expect(text.contains("\nfunction \(f.name)("), "\(f.name)") }
            for library in topic.libraries {
                #expect(text.contains("\n\(library.name) = {}"))
                for f in library.functions { #expect(text.contains("\nfunction \(library.name).\(f.name)("), "\(library.name).\(f.name)") }
            }
            for type in topic.types {
                #expect(text.contains("---@class \(type.className)\n"))
                for field in type.fields { #expect(text.contains("---@field \(field.name) \(field.type) "), "\(type.className).\(field.name)") }
                for m in type.methods { #expect(text.contains("\nfunction \(type.className):\(m.name)("), "\(type.className):\(m.name)") }
            }
            for options in topic.optionTables { #expect(text.contains("---@class \(options.className)\n")) }
        }
        // standard Lua is the editor's own
        #expect(!text.contains("function string."))
        // every type used in a signature is defined (a class) or built in
        let builtins: Set<String> = ["any", "boolean", "integer", "number", "string", "table", "nil", "function", "fun"]
        let classes = Set(text.components(separatedBy: "\n").compactMap { line -> String? in
            line.hasPrefix("---@class ") ? String(line.dropFirst("---@class ".count)) : nil
        })
        for line in text.components(separatedBy: "\n") where line.hasPrefix("---@param ") || line.hasPrefix("---@return ") {
            let words = line.split(separator: " ")
            let type = String(words[line.hasPrefix("---@param ") ? 2 : 1])
            for name in Self.typeNames(in: type) where !builtins.contains(name) {
                #expect(classes.contains(name), "\(line): type \(name) is not defined")
            }
        }
    }

    /// The capitalised identifiers of a LuaLS type expression (`Member|Facility` → Member, Facility).
    static func typeNames(in type: String) -> [String] {
        var names: [String] = []
        var current = ""
        var inQuotes = false
        for c in type + " " {
            if c == "\"" { inQuotes.toggle() }
            if !inQuotes && (c.isLetter || c.isNumber || c == "_" || c == ".") {
                current.append(c)
            } else {
                if let first = current.first, first.isUppercase { names.append(current) }
                current = ""
            }
        }
        return names
    }
}
