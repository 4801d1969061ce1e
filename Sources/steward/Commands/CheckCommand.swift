import ArgumentParser
import Foundation
import StewardScripting

/// `steward check FILE.lua...`: finds what would go wrong before a script runs — syntax
/// errors, unknown globals, unknown API names, a bad `script{...}` header — without touching
/// any database (the header is validated against an empty scratch one).
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check scripts without running them: syntax, unknown names, the script{} header.",
        discussion: """
            Each problem is printed as FILE:LINE: message. Checked: the script compiles; every global it
            reads is part of the API or defined by the script; fields of API tables exist
            (allocate.largest_remainder, report.table, money.format, run.today) and params.NAME is
            declared in the header; built-in names are not assigned; script{...} declares valid
            parameter types and defaults. Methods of objects (m:has_tag) are not checked: the type of
            the object is only known when the script runs.

            Exit codes: 0 no problems; 1 problems found; 2 a file could not be read.
            """
    )

    @Argument(help: "The scripts to check.")
    var files: [String]

    @Option(help: "Output format: text (FILE:LINE: message) or json.")
    var format: OutputFormat = .text

    struct Problem: Encodable {
        var file: String
        var line: Int
        var message: String
    }

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("give at least one script to check") }
    }

    func run() throws {
        let checker: ScriptChecker
        do { checker = try ScriptChecker() } catch { throw fail("error: cannot create a scratch database: \(error)") }
        var problems: [Problem] = []
        var unreadable = 0
        for path in files {
            guard let source = Self.read(path) else {
                unreadable += 1
                continue
            }
            for finding in checker.check(source) {
                let problem = Problem(file: path, line: finding.line, message: finding.message)
                problems.append(problem)
                if format == .text { writeOut("\(path):\(finding.line): \(finding.message)\n") }
            }
        }
        if format == .json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            writeOut(String(decoding: try encoder.encode(problems), as: UTF8.self) + "\n")
        } else {
            let checked = files.count - unreadable
            let scripts = checked == 1 ? "1 script" : "\(checked) scripts"
            printError(problems.isEmpty ? "checked \(scripts): no problems"
                : "checked \(scripts): \(problems.count) problem\(problems.count == 1 ? "" : "s")")
        }
        if unreadable > 0 { throw StewardExit.usage.code }
        if !problems.isEmpty { throw StewardExit.scriptError.code }
    }

    /// The file's text, or nil after printing why it cannot be read.
    static func read(_ path: String) -> String? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            printError("error: \(path): no such file")
            return nil
        }
        guard !isDirectory.boolValue else {
            printError("error: \(path): is a directory, not a script")
            return nil
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            printError("error: \(path): cannot be read (permission denied?)")
            return nil
        }
        guard let text = String(data: data, encoding: .utf8) else {
            printError("error: \(path): is not UTF-8 text (scripts are UTF-8)")
            return nil
        }
        return text
    }
}
