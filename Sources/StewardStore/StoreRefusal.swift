/// The store said no to a request that is well-formed but not allowed or not possible now
/// ("a script named 'payroll' already exists", "赵敏 wrote version 2 and cannot approve it").
/// Nothing was written. The message is one line for the CLI to print.
public struct StoreRefusal: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    /// True when the refusal is about who is asking — their role, or maker ≠ checker — rather
    /// than about the request itself (the CLI exits 4 for these, 2 for the others).
    public var isAccessDenial: Bool

    public init(_ message: String, accessDenial: Bool = false) {
        self.message = message
        self.isAccessDenial = accessDenial
    }

    /// A refusal by role or by maker ≠ checker.
    public static func denied(_ message: String) -> StoreRefusal {
        StoreRefusal(message, accessDenial: true)
    }

    public var description: String { message }
}
