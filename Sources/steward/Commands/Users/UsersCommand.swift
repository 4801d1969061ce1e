import ArgumentParser

/// `steward users add|list|set|disable|enable`: who may use Steward, with which role and
/// scope. Admins only; every change is audited.
struct UsersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "users",
        abstract: "Add, list, change and disable Steward users (admins only; audited).",
        discussion: """
            Roles, each including the ones before it: viewer (read, dry runs), operator (commit runs, \
            import), approver (approve others' scripts and large change sets, read the audit), admin \
            (users, settings). A scope is the district or one town or sub-district, by code or Chinese \
            name (儒林镇). --unmask lets a user see identity and phone numbers in full.

            Unknown roles and places are errors (exit 2); a change the acting admin may not make — \
            outside their scope, granting unmask they do not hold, disabling themselves or the last \
            district admin — is refused (exit 4). Nothing is changed in either case.
            """,
        subcommands: [UsersAddCommand.self, UsersListCommand.self, UsersSetCommand.self,
                      UsersDisableCommand.self, UsersEnableCommand.self]
    )
}

/// `--as` and `--db`, shared by the access-control commands.
struct ActingOptions: ParsableArguments {
    @Option(name: .customLong("as"), help: "Act as another Steward user (admins only; audited).")
    var asUser: String?
}
