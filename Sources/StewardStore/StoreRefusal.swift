/// The store said no to a request that is well-formed but not allowed or not possible now
/// ("a script named 'payroll' already exists", "赵敏 wrote version 2 and cannot approve it").
/// Nothing was written. The message is one line for the CLI to print.
public struct StoreRefusal: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
