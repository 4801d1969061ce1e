import ArgumentParser
import Foundation
import StewardCore
import StewardStore

/// `steward settings list|set`: database-wide settings. Today one is managed here:
/// `approval.threshold`, the most one change set may take out of one budget before a second
/// approver must approve it.
struct SettingsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "settings",
        abstract: "Show or change database-wide settings (changing them: admins only; audited).",
        subcommands: [SettingsListCommand.self, SettingsSetCommand.self]
    )
}

struct SettingsListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "Show the settings in force.")

    @OptionGroup var acting: ActingOptions
    @OptionGroup var database: DatabaseOptions

    func run() throws {
        let store = try database.open(acting.asUser == nil ? .readOnly : .readWrite)
        try AccessFailure.reporting {
            let me = try ActorResolver.resolve(store, asName: acting.asUser, command: "settings list")
            try me.user.require(.read)
            let (policy, today) = try store.read { (try $0.approvalPolicy(), try $0.setting("clock.today")) }
            print("approval.threshold  \(policy.threshold)  (a change set taking more than this out of one budget waits for a second approver)")
            print("clock.today         \(today ?? "-")  (the date runs treat as today)")
        }
    }
}

struct SettingsSetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set",
        abstract: "Change a setting (admins only; audited).",
        discussion: "steward settings set approval.threshold 50000   (yuan; '¥50,000' and '50000.00' work too)")

    @Argument(help: "The setting: approval.threshold.")
    var key: String

    @Argument(help: "The new value.")
    var value: String

    @OptionGroup var acting: ActingOptions
    @OptionGroup var database: DatabaseOptions

    func run() throws {
        guard key == "approval.threshold" else {
            throw fail("error: unknown setting '\(key)' (settings: approval.threshold)")
        }
        let threshold: Money
        do { threshold = try Money(parsing: value) } catch {
            throw fail("error: approval.threshold \(value): \(error) (write yuan, e.g. 50000 or ¥50,000.00)")
        }
        guard !threshold.isNegative else { throw fail("error: approval.threshold cannot be negative") }
        let store = try database.open(.readWrite)
        try AccessFailure.reporting {
            let me = try ActorResolver.resolve(store, asName: acting.asUser, command: "settings set")
            try store.setApprovalThreshold(threshold, by: me.user, actingAdmin: me.actingAdmin)
            print("approval.threshold = \(threshold)")
        }
    }
}
