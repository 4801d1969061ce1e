import ArgumentParser
import Foundation
import StewardCore
import StewardScripting
import StewardStore

/// `steward scripts`: administrators' scripts stored in the database, in versions. A version
/// runs on a schedule only once a user other than its author has approved that exact text.
struct ScriptsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scripts",
        abstract: "Store scripts in versions, compare them, and approve them for scheduled runs.",
        discussion: """
            A stored script runs on a schedule (steward schedule set) only when its latest version is
            approved, by a user other than the one who wrote it (maker ≠ checker, admins included).
            `scripts update` stores a new version: the schedule stops running the script until the new
            version is approved. Approval is of one exact text: its SHA-256 is recorded with every run.
            """,
        subcommands: [ScriptsAddCommand.self, ScriptsUpdateCommand.self, ScriptsListCommand.self,
                      ScriptsShowCommand.self, ScriptsDiffCommand.self, ScriptsApproveCommand.self]
    )
}

/// Checks a script before it is stored: a script that does not compile, or uses names the
/// API does not have, would only fail later at its first scheduled run.
enum StoredScriptCheck {
    static func check(_ file: ScriptFile, path: String, skip: Bool) throws {
        guard !skip else { return }
        let checker: ScriptChecker
        do { checker = try ScriptChecker() } catch { throw fail("error: cannot check the script: \(error)") }
        let findings = checker.check(file.text)
        guard !findings.isEmpty else { return }
        for finding in findings { printError("\(path):\(finding.line): \(finding.message)") }
        printError("error: \(path) was not stored: fix the problems above (or give --skip-check)")
        throw StewardExit.scriptError.code
    }

    static func hash(_ sha: String) -> String { String(sha.prefix(12)) }
}

struct ScriptsAddCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add", abstract: "Store a script file as version 1 of a new stored script.")

    @Argument(help: "The script file.")
    var file: String

    @Option(help: "The stored script's name (letters, digits, - and _), e.g. monthly-relief.")
    var name: String

    @Option(help: "One line saying what it does.")
    var title: String = ""

    @Flag(help: "Store it even if `steward check` finds problems.")
    var skipCheck = false

    @Option(name: .customLong("as"), help: "Act as another Steward user (admins only; audited).")
    var asUser: String?

    @OptionGroup var database: DatabaseOptions

    func run() throws {
        let script = try ScriptFile.read(file)
        try StoredScriptCheck.check(script, path: file, skip: skipCheck)
        let session = try ActingSession(database, asName: asUser)
        do {
            let version = try session.store.addScript(name: name, title: title, source: script.text,
                                                      author: session.actor.userName, actingAdmin: session.actingAdmin)
            writeOut("stored '\(name)' version 1 (sha256 \(StoredScriptCheck.hash(version.sha256))), written by \(version.author)\n")
            writeOut("not yet approved: another user approves it with `steward scripts approve \(name) --version 1`\n")
        } catch {
            throw storeFailure(error)
        }
    }
}

struct ScriptsUpdateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "update",
        abstract: "Store a file as the next version of a stored script (its approval is withdrawn).")

    @Argument(help: "The stored script's name.")
    var name: String

    @Argument(help: "The script file.")
    var file: String

    @Option(help: "A new title.")
    var title: String?

    @Flag(help: "Store it even if `steward check` finds problems.")
    var skipCheck = false

    @Option(name: .customLong("as"), help: "Act as another Steward user (admins only; audited).")
    var asUser: String?

    @OptionGroup var database: DatabaseOptions

    func run() throws {
        let script = try ScriptFile.read(file)
        try StoredScriptCheck.check(script, path: file, skip: skipCheck)
        let session = try ActingSession(database, asName: asUser)
        do {
            let version = try session.store.updateScript(name: name, source: script.text, author: session.actor.userName,
                                                         actingAdmin: session.actingAdmin, title: title)
            writeOut("stored '\(name)' version \(version.version) (sha256 \(StoredScriptCheck.hash(version.sha256))), written by \(version.author)\n")
            let schedule = try session.store.read { try $0.schedule(named: name) }
            if let schedule, schedule.enabled {
                writeOut("its schedule will not run it until version \(version.version) is approved: `steward scripts approve \(name) --version \(version.version)`\n")
            } else {
                writeOut("not yet approved: another user approves it with `steward scripts approve \(name) --version \(version.version)`\n")
            }
        } catch {
            throw storeFailure(error)
        }
    }
}

struct ScriptsApproveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approve",
        abstract: "Approve one version of a stored script for scheduled runs (not your own).",
        discussion: """
            Approvers and admins may approve; nobody approves a version they wrote, admins included,
            and an admin cannot approve through --as what they wrote. --hash makes sure the version
            approved is the text you reviewed (`steward scripts show NAME` prints its hash).
            """)

    @Argument(help: "The stored script's name.")
    var name: String

    @Option(help: "The version to approve (default: the latest).")
    var version: Int?

    @Option(help: "The start of the version's SHA-256, as `scripts show` prints it.")
    var hash: String?

    @Option(name: .customLong("as"), help: "Act as another Steward user (admins only; audited).")
    var asUser: String?

    @OptionGroup var database: DatabaseOptions

    func run() throws {
        let session = try ActingSession(database, asName: asUser)
        do {
            let approved = try session.store.approveScript(name: name, version: version, expectedSHA256: hash,
                                                           approver: session.actor.userName, actingAdmin: session.actingAdmin)
            writeOut("approved '\(name)' version \(approved.version) (sha256 \(StoredScriptCheck.hash(approved.sha256))), written by \(approved.author), approved by \(session.actor.userName)\n")
        } catch {
            throw storeFailure(error)
        }
    }
}
