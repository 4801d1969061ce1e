import ArgumentParser
import Foundation
import StewardStore

/// `steward export members|facilities|ledger|budgets`: CSV for Excel (UTF-8 with BOM, CRLF)
/// or JSON, with identity and phone numbers masked unless `--unmask`.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export members, facilities, the ledger or budgets as CSV or JSON.",
        discussion: "CSV is UTF-8 with a byte-order mark and CRLF line ends, so Excel opens it directly; "
            + "headers are Chinese when LANG is zh_CN. Identity and phone numbers are masked "
            + "(320482********123X) unless --unmask.")

    enum Kind: String, ExpressibleByArgument, CaseIterable {
        case members, facilities, ledger, budgets
    }

    @Argument(help: "members, facilities, ledger or budgets")
    var kind: Kind

    @Option(help: "csv or json")
    var format: ExportFormat = .csv

    @Flag(help: "Show identity and phone numbers in full.")
    var unmask = false

    @Option(name: .shortAndLong, help: "Write to this file instead of standard output.")
    var output: String?

    @OptionGroup var database: DatabaseOptions

    func run() throws {
        let store = try database.open(.readOnly)
        let exporter = Exporter(format: format, unmask: Unmasking.allowed(requested: unmask, user: nil),
                                chineseHeaders: messageLanguage == .chinese)
        var handle = FileHandle.standardOutput
        if let output {
            guard FileManager.default.createFile(atPath: output, contents: nil),
                  let file = FileHandle(forWritingAtPath: output) else { throw fail("cannot write \(output)") }
            handle = file
        }
        let sink: (String) throws -> Void = { handle.write(Data($0.utf8)) }
        do {
            try store.read { snapshot in
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
