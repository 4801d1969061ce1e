import ArgumentParser
import Foundation
import StewardScripting

/// `steward reference`: the script API reference (Markdown) or the editor definitions
/// (LuaLS), generated from the one API catalogue the bindings are tested against.
struct ReferenceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reference",
        abstract: "Print or write the script API reference (Markdown) or editor definitions (LuaLS).",
        discussion: """
            Both documents come from the API catalogue (Sources/StewardScripting/API/), which a test keeps
            equal to what scripts can really use. The repository keeps the generated files:
                steward reference --output \(APIReference.markdownPath)
                steward reference --output \(APIReference.luaLSPath)
            (or dev/gen-reference). Without --format, the format follows the output file's extension
            (.lua: luals), else markdown.

            """ + StewardExit.helpText
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case markdown, luals
    }

    @Option(help: "markdown (the reference page) or luals (---@meta definitions for editors).")
    var format: Format?

    @Option(help: "Write to this file instead of printing.")
    var output: String?

    func run() throws {
        let chosen = format ?? (output?.hasSuffix(".lua") == true ? .luals : .markdown)
        let text = chosen == .markdown ? APIReference.markdown() : APIReference.luaLS()
        guard let output else {
            writeOut(text)
            return
        }
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
        } catch {
            throw fail("error: \(output): cannot be written (\(error.localizedDescription))")
        }
    }
}
