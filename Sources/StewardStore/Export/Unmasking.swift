import StewardCore

/// Who may see identity and phone numbers in full. The one place that decides it for
/// exports; scripts and the REPL read the same grant through `RunActor.canUnmask`.
public enum Unmasking {
    /// Whether an export asked to be unmasked (`--unmask`) may be: only for a known, enabled
    /// user who holds the unmask grant (`steward users set NAME --unmask`). Without a user
    /// nothing is unmasked.
    public static func allowed(requested: Bool, user: User?) -> Bool {
        guard requested, let user else { return false }
        return user.canUnmask && !user.disabled
    }
}
