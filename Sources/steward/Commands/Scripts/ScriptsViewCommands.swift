import ArgumentParser
import Foundation
import StewardCore
import StewardScripting
import StewardStore

struct ScriptsListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the stored scripts.")

    @Option(help: "Output format: text or json.")
    var format: OutputFormat = .text

    @OptionGroup var database: DatabaseOptions

    struct Item: Encodable {
        var name: String
        var title: String
        var latestVersion: Int
        var latestAuthor: String
        var latestSHA256: String
        var latestApproved: Bool
        var newestApprovedVersion: Int?
        var schedule: String?
    }

    func run() throws {
        let store = try database.open(.readOnly)
        let scripts = try store.read { try $0.storedScripts() }
        if format == .json {
            try printJSON(scripts.map {
                Item(name: $0.name, title: $0.title, latestVersion: $0.latestVersion, latestAuthor: $0.latestAuthor,
                     latestSHA256: $0.latestSHA256, latestApproved: $0.latestApproved,
                     newestApprovedVersion: $0.newestApprovedVersion, schedule: $0.schedule)
            })
            return
        }
        guard !scripts.isEmpty else {
            printError("no stored scripts: add one with `steward scripts add FILE --name NAME`")
            return
        }
        let rows = scripts.map { s -> [String] in
            let approval = s.latestApproved ? "approved"
                : s.newestApprovedVersion.map { "awaiting approval (v\($0) approved)" } ?? "awaiting approval"
            return [s.name, "v\(s.latestVersion)", s.latestAuthor, approval, s.schedule ?? "-", s.title]
        }
        writeOut(TextTable(headers: ["script", "latest", "author", "approval", "schedule", "title"], rows: rows).render() + "\n")
    }
}

struct ScriptsShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Show a stored script's version: who wrote and approved it, and its text.")

    @Argument(help: "The stored script's name.")
    var name: String

    @Option(help: "The version (default: the latest).")
    var version: Int?

    @Flag(help: "Print only the script's text.")
    var sourceOnly = false

    @OptionGroup var database: DatabaseOptions

    func run() throws {
        let store = try database.open(.readOnly)
        let (found, versions, title) = try store.read { s in
            (try s.scriptVersion(name, version: version), try s.scriptVersions(name), try s.scriptTitle(name))
        }
        guard let found else {
            throw fail(versions.isEmpty ? "error: no stored script '\(name)'"
                : "error: '\(name)' has no version \(version ?? 0) (versions 1–\(versions.count))")
        }
        if sourceOnly {
            writeOut(found.source)
            return
        }
        var out = "script:   \(name)\(title.map { $0.isEmpty ? "" : " — \($0)" } ?? "")\n"
        out += "version:  \(found.version) of \(versions.count)\n"
        out += "sha256:   \(found.sha256)\n"
        out += "author:   \(found.author), \(CommandTime.utc(found.createdAt))\n"
        if let by = found.approvedBy {
            out += "approved: by \(by)\(found.approvedAt.map { ", \(CommandTime.utc($0))" } ?? "")\n"
        } else {
            out += "approved: no — another user approves it with `steward scripts approve \(name) --version \(found.version)`\n"
        }
        out += "────\n" + found.source
        if !found.source.hasSuffix("\n") { out += "\n" }
        writeOut(out)
    }
}

struct ScriptsDiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff", abstract: "Compare two versions of a stored script (unified diff).",
        discussion: "Exit codes: 0 the versions are the same; 1 they differ; 2 no such script or version.")

    @Argument(help: "The stored script's name.")
    var name: String

    @Argument(help: "The older version.")
    var from: Int

    @Argument(help: "The newer version.")
    var to: Int

    @OptionGroup var database: DatabaseOptions

    func run() throws {
        let store = try database.open(.readOnly)
        let (a, b) = try store.read { s in (try s.scriptVersion(name, version: from), try s.scriptVersion(name, version: to)) }
        guard let a else { throw fail("error: no version \(from) of stored script '\(name)'") }
        guard let b else { throw fail("error: no version \(to) of stored script '\(name)'") }
        let diff = LineDiff.unified(old: a.source, new: b.source,
                                    oldLabel: "\(name) v\(from) (\(StoredScriptCheck.hash(a.sha256)), \(a.author))",
                                    newLabel: "\(name) v\(to) (\(StoredScriptCheck.hash(b.sha256)), \(b.author))")
        guard !diff.isEmpty else { return }
        writeOut(diff)
        throw ExitCode(1)
    }
}

/// Pretty JSON on stdout.
func printJSON<T: Encodable>(_ value: T) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    encoder.dateEncodingStrategy = .iso8601
    writeOut(String(decoding: try encoder.encode(value), as: UTF8.self) + "\n")
}
