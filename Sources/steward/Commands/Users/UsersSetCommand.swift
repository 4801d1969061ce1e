import ArgumentParser
import Foundation
import StewardCore
import StewardStore

/// `steward users set NAME [--role R] [--scope P] [--unmask|--no-unmask] [--account A|--no-account]`.
struct UsersSetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set",
        abstract: "Change a user's role, scope, unmask grant or account (admins only; audited).")

    @Argument(help: "The user to change.")
    var name: String

    @Option(help: "viewer, operator, approver or admin.")
    var role: String?

    @Option(help: "The district or one town, by code or name.")
    var scope: String?

    @Flag(inversion: .prefixedNo, help: "Whether the user may see identity and phone numbers in full.")
    var unmask: Bool?

    @Option(help: "Map this operating-system account to the user.")
    var account: String?

    @Flag(help: "Remove the user's operating-system account mapping.")
    var noAccount = false

    @OptionGroup var acting: ActingOptions
    @OptionGroup var database: DatabaseOptions

    func validate() throws {
        if account != nil && noAccount { throw ValidationError("give --account or --no-account, not both") }
    }

    func run() throws {
        let store = try database.open(.readWrite)
        try AccessFailure.reporting {
            let role = try role.map { try UserRole(parsing: $0) }
            let me = try ActorResolver.resolve(store, asName: acting.asUser, command: "users set")
            let place = try scope.map { text in try store.read { try $0.scopePlace(text) } }
            var change = UserChange(role: role, scopePlaceCode: place?.code, canUnmask: unmask)
            if let account { change.osAccount = .some(account) }
            if noAccount { change.osAccount = .some(nil) }
            let user = try store.updateUser(name, change, by: me.user, actingAdmin: me.actingAdmin)
            let scopeName = try store.read { try $0.placeDirectory()[user.scopePlaceCode]?.name } ?? user.scopePlaceCode
            print("\(user.name): \(user.role.rawValue) for \(scopeName) (\(user.scopePlaceCode))"
                + (user.canUnmask ? ", may unmask" : "") + (user.disabled ? ", disabled" : ""))
        }
    }
}
