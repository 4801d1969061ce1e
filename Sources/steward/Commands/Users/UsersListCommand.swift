import ArgumentParser
import Foundation
import StewardCore
import StewardScripting
import StewardStore

/// `steward users list [--format json]`.
struct UsersListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List users with their role, scope and account (admins only).")

    @Option(help: "text or json")
    var format: OutputFormat = .text

    @OptionGroup var acting: ActingOptions
    @OptionGroup var database: DatabaseOptions

    struct Row: Encodable {
        let name: String
        let role: String
        let scope: String
        let scopeName: String
        let account: String?
        let unmask: Bool
        let disabled: Bool
    }

    func run() throws {
        let store = try database.open(acting.asUser == nil ? .readOnly : .readWrite)
        try AccessFailure.reporting {
            let me = try ActorResolver.resolve(store, asName: acting.asUser, command: "users list")
            try me.user.require(.manageUsers)
            let rows: [Row] = try store.read { snapshot in
                let directory = try snapshot.placeDirectory()
                let accounts = try snapshot.userAccounts()
                return try snapshot.users().filter { directory.isWithin($0.scopePlaceCode, scope: me.user.scopePlaceCode) }.map {
                    Row(name: $0.name, role: $0.role.rawValue, scope: $0.scopePlaceCode,
                        scopeName: directory[$0.scopePlaceCode]?.name ?? $0.scopePlaceCode, account: accounts[$0.name],
                        unmask: $0.canUnmask, disabled: $0.disabled)
                }
            }
            switch format {
            case .json:
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                encoder.keyEncodingStrategy = .convertToSnakeCase
                writeOut(String(decoding: try encoder.encode(rows), as: UTF8.self) + "\n")
            case .text:
                let table = TextTable(headers: ["name", "role", "scope", "account", "unmask", "status"], rows: rows.map {
                    [$0.name, $0.role, "\($0.scopeName) (\($0.scope))", $0.account ?? "-", $0.unmask ? "yes" : "no",
                     $0.disabled ? "disabled" : "enabled"]
                })
                writeOut(table.render() + "\n")
            }
        }
    }
}
