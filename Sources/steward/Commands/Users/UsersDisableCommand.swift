import ArgumentParser
import Foundation
import StewardStore

/// `steward users disable NAME`: the user can do nothing from now on; kept for the audit trail.
struct UsersDisableCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "disable",
        abstract: "Disable a user: they can do nothing, and stay in the audit trail (admins only; audited).")

    @Argument(help: "The user to disable.")
    var name: String

    @OptionGroup var acting: ActingOptions
    @OptionGroup var database: DatabaseOptions

    func run() throws {
        let store = try database.open(.readWrite)
        try AccessFailure.reporting {
            let me = try ActorResolver.resolve(store, asName: acting.asUser, command: "users disable")
            try store.setUserDisabled(name, true, by: me.user, actingAdmin: me.actingAdmin)
            print("disabled \(name)")
        }
    }
}

/// `steward users enable NAME`: undoes `disable`.
struct UsersEnableCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "enable",
        abstract: "Enable a disabled user again (admins only; audited).")

    @Argument(help: "The user to enable.")
    var name: String

    @OptionGroup var acting: ActingOptions
    @OptionGroup var database: DatabaseOptions

    func run() throws {
        let store = try database.open(.readWrite)
        try AccessFailure.reporting {
            let me = try ActorResolver.resolve(store, asName: acting.asUser, command: "users enable")
            try store.setUserDisabled(name, false, by: me.user, actingAdmin: me.actingAdmin)
            print("enabled \(name)")
        }
    }
}
