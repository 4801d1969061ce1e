import ArgumentParser
import Foundation
import StewardCore
import StewardScripting
import StewardStore

/// Who is acting: the operating-system account mapped to a Steward user, or with `--as NAME`
/// (admins only, audited) another user. An unknown or disabled account is refused: there is
/// no default identity.
enum ActorResolver {
    /// The acting user, as the store's permission checks take it and as scripts see it.
    struct Resolved {
        /// The Steward user acted as.
        let user: User
        /// The admin who used `--as`, if any.
        let actingAdmin: String?
        let isDistrictScope: Bool

        var actor: RunActor {
            RunActor(userName: user.name, role: user.role, scopePlaceCode: user.scopePlaceCode,
                     isDistrictScope: isDistrictScope, canUnmask: user.canUnmask)
        }

        /// Maker or checker, for ``FourEyes``.
        var participant: FourEyes.Participant { .init(user: user.name, actingAdmin: actingAdmin) }
    }

    /// As ``resolve(_:asName:command:)``, in the shape `run` and `repl` use.
    static func resolve(_ store: Store, asName: String?) throws -> (actor: RunActor, actingAdmin: String?) {
        let resolved = try resolve(store, asName: asName, command: "run")
        return (resolved.actor, resolved.actingAdmin)
    }

    /// The acting user. A use of `--as` is audited (`act_as`, with the command it was used
    /// for) before the command does anything else.
    static func resolve(_ store: Store, asName: String?, command: String) throws -> Resolved {
        let account = currentOSAccount()
        let (me, target, district): (User?, User?, String?) = try store.read { snapshot in
            let me = try snapshot.user(osAccount: account)
            let target = try asName.map { try snapshot.user(named: $0) } ?? nil
            let district = try snapshot.places().first { $0.kind == .district }?.code
            return (me, target, district)
        }
        guard let me else {
            throw fail("error: the account '\(account)' is not a Steward user of \(store.path); an admin can add it with: steward users add NAME --account \(account) --role ROLE --scope PLACE")
        }
        guard !me.disabled else { throw fail("error: Steward user '\(me.name)' (account '\(account)') is disabled", .refused) }
        var acting = me
        var admin: String?
        if let asName {
            guard me.role == .admin else {
                throw fail("refused: --as is only for admins; '\(me.name)' is \(me.role == .viewer ? "a" : "an") \(me.role.rawValue)", .refused)
            }
            guard let target else { throw fail("error: --as \(asName): no such Steward user") }
            guard !target.disabled else { throw fail("refused: --as \(asName): that user is disabled", .refused) }
            acting = target
            admin = me.name
            do {
                try store.audit(action: "act_as", actor: me.name, user: target.name, objectType: "user",
                                objectID: target.name, details: ["command": command])
            } catch let error as StoreError {
                throw fail("error: --as must be audited, and the audit could not be written: \(error)")
            }
        }
        return Resolved(user: acting, actingAdmin: admin, isDistrictScope: acting.scopePlaceCode == district)
    }
}

/// How the access-control commands report what the store refused: a refusal by role, scope
/// or maker ≠ checker exits 4 (`refused: ...`), bad input exits 2 (`error: ...`). Nothing was
/// changed in either case.
enum AccessFailure {
    static func exit(_ error: any Error) -> ExitCode {
        switch error {
        case let denied as AccessDenied:
            return fail("refused: \(denied.message); nothing was changed", .refused)
        case let refused as ChangeSetRefused:
            for violation in refused.violations { printError("refused: effect #\(violation.effectIndex + 1): \(violation)") }
            return fail("refused: the change set no longer fits; nothing was changed", .refused)
        case let held as ChangeSetHeldForApproval:
            return fail(held.description, .pending)
        case let bad as UserAdminError:
            return fail("error: \(bad.message)")
        case let bad as RunDecisionError:
            return fail("error: \(bad.message)")
        case let store as StoreError:
            return fail("error: \(store.description)")
        case let code as ExitCode:
            return code
        default:
            return fail("error: \(error)")
        }
    }

    /// Runs `body`, turning the store's refusals into one line and an exit code.
    static func reporting<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch { throw exit(error) }
    }
}
