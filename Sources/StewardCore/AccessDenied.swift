/// A user asked for something their role, scope or the maker ≠ checker rule does not allow.
/// Nothing was changed. The message names the user, what was asked and who may.
public struct AccessDenied: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    /// "王芳 is an operator and may not approve or reject change sets (approvers may)".
    public static func role(_ user: User, _ action: UserAction) -> AccessDenied {
        if user.disabled { return AccessDenied("\(user.name) is disabled and may not \(action.phrase)") }
        let article = user.role == .viewer ? "a" : "an"
        return AccessDenied("\(user.name) is \(article) \(user.role.rawValue) and may not \(action.phrase) "
            + "(\(action.minimumRole.rawValue)s\(action.minimumRole == .admin ? "" : " and above") may)")
    }

    public var description: String { message }
}

extension User {
    /// Throws ``AccessDenied`` unless the user is enabled and the role allows `action`.
    public func require(_ action: UserAction) throws(AccessDenied) {
        guard may(action) else { throw AccessDenied.role(self, action) }
    }
}
