import Foundation

/// One immutable text of a stored script. A version runs on a schedule only once approved by
/// a user other than its author (maker ≠ checker); a new version needs a new approval.
public struct ScriptVersion: Sendable, Hashable, Codable {
    public var scriptName: String
    /// 1, 2, 3, … per script.
    public var version: Int
    public var source: String
    /// SHA-256 of `source` (UTF-8), 64 hex digits: recorded with every run.
    public var sha256: String
    public var author: String
    public var createdAt: Date
    public var approvedBy: String?
    public var approvedAt: Date?

    /// A new, unapproved version; the hash is computed from `source`.
    public init(scriptName: String, version: Int, source: String, author: String, createdAt: Date,
                approvedBy: String? = nil, approvedAt: Date? = nil) {
        self.scriptName = scriptName
        self.version = version
        self.source = source
        self.sha256 = SHA256.hex(source)
        self.author = author
        self.createdAt = createdAt
        self.approvedBy = approvedBy
        self.approvedAt = approvedAt
    }

    /// True when approved by someone other than the author.
    public var isApproved: Bool {
        guard let approvedBy else { return false }
        return approvedBy != author
    }

    /// This version approved by `approver` at `date`, or an error when the approver is the
    /// author: the four-eyes rule (``FourEyes``, the same one change sets use) is the point of
    /// approval. `actingAdmin` is the admin who used `--as` to act as `approver`, if any.
    public func approved(by approver: String, actingAdmin: String? = nil, at date: Date) throws(ValidationError) -> ScriptVersion {
        if let refusal = FourEyes.refusal(maker: .init(user: author), checker: .init(user: approver, actingAdmin: actingAdmin),
                                          work: "version \(version) of '\(scriptName)'") {
            throw Check.error("script version", "approved_by", refusal)
        }
        var copy = self
        copy.approvedBy = approver
        copy.approvedAt = date
        return copy
    }
}

extension ScriptVersion: Validatable {
    public func validationErrors() -> [ValidationError] {
        var errors = Check.code(scriptName, record: "script version", field: "script_name")
        if version < 1 {
            errors.append(Check.error("script version", "version", "Script versions start at 1, not \(version)."))
        }
        if sha256 != SHA256.hex(source) {
            errors.append(Check.error("script version", "sha256",
                "The recorded hash of version \(version) of '\(scriptName)' does not match its source."))
        }
        if let approvedBy, approvedBy == author {
            errors.append(Check.error("script version", "approved_by",
                "Version \(version) of '\(scriptName)' is approved by its own author '\(author)'."))
        }
        return errors
    }
}
