import ArgumentParser
import Foundation
import StewardCore
import StewardStore

/// `steward export members|facilities|ledger|budgets`: CSV for Excel (UTF-8 with BOM, CRLF)
/// or JSON, with identity and phone numbers masked unless `--unmask`.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export members, facilities, the ledger or budgets as CSV or JSON.",
        discussion: "CSV is UTF-8 with a byte-order mark and CRLF line ends, so Excel opens it directly; "
            + "headers are Chinese when LANG is zh_CN. Identity and phone numbers are masked "
            + "(320482********123X) unless --unmask, which only users granted unmask may use (it is audited). "
            + "A town-scoped user exports only their town: its members, facilities and ledger entries.")

    enum Kind: String, ExpressibleByArgument, CaseIterable {
        case members, facilities, ledger, budgets
    }

    @Argument(help: "members, facilities, ledger or budgets")
    var kind: Kind

    @Option(help: "csv or json")
    var format: ExportFormat = .csv

    @Flag(help: "Show identity and phone numbers in full (users granted unmask only; audited).")
    var unmask = false

    @OptionGroup var acting: ActingOptions

    @Option(name: .shortAndLong, help: "Write to this file instead of standard output.")
    var output: String?

    @OptionGroup var database: DatabaseOptions

    func run() throws {
        // Reading needs no write, but --as and an unmasked export are audited.
        let store = try database.open(acting.asUser != nil || unmask ? .readWrite : .readOnly)
        let me = try AccessFailure.reporting {
            let me = try ActorResolver.resolve(store, asName: acting.asUser, command: "export \(kind.rawValue)")
            try me.user.require(.read)
            if unmask {
                guard Unmasking.allowed(requested: true, user: me.user) else {
                    throw AccessDenied("\(me.user.name) may not see identity and phone numbers unmasked (an admin can grant it: steward users set \(me.user.name) --unmask)")
                }
                try store.audit(action: "export.unmasked", actor: me.actingAdmin ?? me.user.name, user: me.user.name,
                                objectType: "export", objectID: kind.rawValue, details: ["scope": me.user.scopePlaceCode])
            }
            return me
        }
        let exporter = Exporter(format: format, unmask: unmask, chineseHeaders: messageLanguage == .chinese,
                                scopePlaceCode: me.isDistrictScope ? nil : me.user.scopePlaceCode)
        var handle = FileHandle.standardOutput
        if let output {
            guard FileManager.default.createFile(atPath: output, contents: nil),
                  let file = FileHandle(forWritingAtPath: output) else { throw fail("cannot write \(output)") }
            handle = file
        }
        let sink: (String) throws -> Void = { handle.write(Data($0.utf8)) }
        do {
            // Each exporter returns how many rows it wrote; the file itself is the output.
            _ = try store.read { snapshot in
                switch kind {
                case .members: try exporter.members(snapshot, to: sink)
                case .facilities: try exporter.facilities(snapshot, to: sink)
                case .ledger: try exporter.ledger(snapshot, to: sink)
                case .budgets: try exporter.budgets(snapshot, to: sink)
                }
            }
        } catch let error as StoreError {
            throw fail(error.description)
        }
        if output != nil { try handle.close() }
    }
}

extension ExportFormat: ExpressibleByArgument {}
