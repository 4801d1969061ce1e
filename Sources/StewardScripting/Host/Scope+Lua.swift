import LuaRuntime
import StewardCore

/// The scope rule as the host functions apply it: every record an effect touches must lie
/// inside the acting user's scope, and the refusal names the record and the scope. The store
/// checks the same again when it commits (`ScopeGuard`), so this is where the script learns
/// of it — at its own line — not the only guard.
extension HostContext {
    /// The actor's scope as people read it: `儒林镇`, or the district's name.
    var scopeName: String { placeNames[actor.scopePlaceCode] ?? actor.scopePlaceCode }

    /// For a town actor, the town; nil for the district.
    var townScope: String? { actor.isDistrictScope ? nil : actor.scopePlaceCode }

    func outsideScope(_ function: String, _ record: String) -> LuaScriptError {
        LuaScriptError("\(function): \(record) is outside your scope (\(scopeName))")
    }

    /// Takes the box, not its ``Member``: passing the member copied the whole record (a
    /// dozen references retained and released) for every grant.
    func requireInScope(_ box: MemberBox, _ function: String) throws {
        guard inScope(placeCode: box.member.placeCode) else { throw outsideScope(function, "member \(box.member.id)") }
    }

    func requireInScope(_ facility: Facility, _ function: String) throws {
        guard inScope(placeCode: facility.placeCode) else { throw outsideScope(function, "facility '\(facility.code)'") }
    }

    func requireInScope(place code: String, _ function: String) throws {
        guard inScope(placeCode: code) else { throw outsideScope(function, "\(placeNames[code] ?? code) (\(code))") }
    }
}
