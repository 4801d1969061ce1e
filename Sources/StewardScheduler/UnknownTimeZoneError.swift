import Foundation

/// A time zone identifier that names no zone.
public struct UnknownTimeZoneError: Error, Sendable, Hashable, CustomStringConvertible, LocalizedError {
    public let identifier: String

    public init(identifier: String) {
        self.identifier = identifier
    }

    /// E.g. `unknown time zone 'Mars/Olympus'`.
    public var description: String { "unknown time zone '\(identifier)'" }
    public var errorDescription: String? { description }
}
