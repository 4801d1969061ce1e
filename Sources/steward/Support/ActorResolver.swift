import ArgumentParser
import Foundation
import StewardCore
import StewardScripting
import StewardStore

/// Who is acting: the operating-system account mapped to a Steward user, or with `--as NAME`
/// (admins only, audited) another user. An unknown or disabled account is refused: there is
/// no default identity.
enum ActorResolver {
    static func resolve(_ store: Store, asName: String?) throws -> (actor: RunActor, actingAdmin: String?) {
        let account = currentOSAccount()
        let (me, target): (User?, User?) = try store.read { snapshot in
            let me = try snapshot.user(osAccount: account)
            let target = try asName.map { try snapshot.user(named: $0) } ?? nil
            return (me, target)
        }
        guard let me else {
            throw fail("error: the account '\(account)' is not a Steward user of \(store.path); an admin can add it with: steward users add NAME --account \(account) --role ROLE --scope PLACE")
        }
        guard !me.disabled else { throw fail("error: Steward user '\(me.name)' (account '\(account)') is disabled") }
        var acting = me
        var admin: String?
        if let asName {
            guard me.role == .admin else { throw fail("error: --as is only for admins; '\(me.name)' is a \(me.role.rawValue)") }
            guard let target else { throw fail("error: --as \(asName): no such Steward user") }
            guard !target.disabled else { throw fail("error: --as \(asName): that user is disabled") }
            acting = target
            admin = me.name
            try store.audit(action: "act_as", actor: me.name, objectType: "user", objectID: target.name)
        }
        let district = try store.read { try $0.places().first { $0.kind == .district }?.code }
        return (RunActor(userName: acting.name, role: acting.role, scopePlaceCode: acting.scopePlaceCode,
                         isDistrictScope: acting.scopePlaceCode == district, canUnmask: acting.canUnmask), admin)
    }
}
