import ArgumentParser
import Foundation
import StewardCore
import StewardStore

/// `steward users add 王芳 --role operator --scope 儒林镇 [--account wangfang] [--unmask]`.
struct UsersAddCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Add a user with a role and a scope (admins only; audited).")

    @Argument(help: "The user's name, e.g. 王芳 or wang.fang.")
    var name: String

    @Option(help: "viewer, operator, approver or admin (or 查看员, 经办员, 审核员, 管理员).")
    var role: String

    @Option(help: "The district or one town, by code or name (儒林镇).")
    var scope: String

    @Option(help: "The operating-system account that acts as this user.")
    var account: String?

    @Flag(help: "May see identity and phone numbers in full.")
    var unmask = false

    @OptionGroup var acting: ActingOptions
    @OptionGroup var database: DatabaseOptions

    func run() throws {
        let store = try database.open(.readWrite)
        try AccessFailure.reporting {
            let role = try UserRole(parsing: role)
            let me = try ActorResolver.resolve(store, asName: acting.asUser, command: "users add")
            let place = try store.read { try $0.scopePlace(scope) }
            let user = User(name: name, role: role, scopePlaceCode: place.code, canUnmask: unmask)
            try store.addUser(user, osAccount: account, by: me.user, actingAdmin: me.actingAdmin)
            print("added \(name): \(role.rawValue) (\(role.chineseName)) for \(place.name) (\(place.code))"
                + (unmask ? ", may unmask" : "") + (account.map { ", account \($0)" } ?? ""))
        }
    }
}
