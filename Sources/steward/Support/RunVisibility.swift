import Foundation
import StewardCore
import StewardStore

/// Which stored runs a user may see, and how their recorded output is shown: `runs list` and
/// `runs show` apply the same scope and masking rules as scripts and exports. A town-scoped
/// user sees the runs of users scoped to their town; a run's output (what its script printed,
/// perhaps for a user allowed to see numbers unmasked) has identity and phone numbers masked
/// unless the viewer may unmask.
struct RunVisibility {
    let viewer: ActorResolver.Resolved
    /// Users whose runs the viewer may see; nil: everyone's (a district-scoped viewer).
    let users: Set<String>?

    /// Resolves the acting user (`--as` is audited) and what they may see.
    static func resolve(_ store: Store, asName: String?, command: String) throws -> RunVisibility {
        let viewer = try ActorResolver.resolve(store, asName: asName, command: command)
        try AccessFailure.reporting { try viewer.user.require(.read) }
        guard !viewer.isDistrictScope else { return RunVisibility(viewer: viewer, users: nil) }
        let users = try store.read { snapshot in
            let directory = try snapshot.placeDirectory()
            return Set(try snapshot.users().filter { directory.isWithin($0.scopePlaceCode, scope: viewer.user.scopePlaceCode) }
                .map(\.name))
        }
        return RunVisibility(viewer: viewer, users: users)
    }

    /// Whether a run made as `userName` is visible.
    func canSee(runBy userName: String?) -> Bool {
        guard let users else { return true }
        return userName.map(users.contains) ?? false
    }

    /// Recorded text as the viewer may read it.
    func text(_ recorded: String) -> String {
        viewer.user.canUnmask ? recorded : Masking.redactNumbers(in: recorded)
    }
}
