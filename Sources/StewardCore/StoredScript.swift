import Foundation

/// An administrator's script kept in the database under a name; its text lives in
/// `ScriptVersion`s.
public struct StoredScript: Sendable, Hashable, Codable, Identifiable {
    /// Unique key, `health-check-quota`.
    public var name: String
    /// One line saying what it does, from the script's header.
    public var title: String
    /// The user who created it.
    public var createdBy: String
    public var createdAt: Date

    public var id: String { name }

    public init(name: String, title: String, createdBy: String, createdAt: Date) {
        self.name = name
        self.title = title
        self.createdBy = createdBy
        self.createdAt = createdAt
    }
}

extension StoredScript: Validatable {
    public func validationErrors() -> [ValidationError] {
        Check.code(name, record: "script", field: "name")
    }
}
