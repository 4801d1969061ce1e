import StewardCore

/// Who may see identity and phone numbers in full. The one place that decides it, so the
/// access-control work can tighten it without touching the exporters.
public enum Unmasking {
    /// Whether an export asked to be unmasked (`--unmask`) may be. For now any request is
    /// honoured; a user, when known, must also hold `canUnmask`.
    public static func allowed(requested: Bool, user: User?) -> Bool {
        guard requested else { return false }
        if let user { return user.canUnmask && !user.disabled }
        return true
    }
}
