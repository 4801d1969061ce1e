/// Names one field of one record.
public struct FieldRef: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    public var entity: EntityKind
    /// The record's key as text (a member id or a code).
    public var id: String
    /// snake_case field name, `occupancy`.
    public var field: String

    public init(entity: EntityKind, id: String, field: String) {
        self.entity = entity
        self.id = id
        self.field = field
    }

    public static func < (lhs: FieldRef, rhs: FieldRef) -> Bool {
        (lhs.entity.rawValue, lhs.id, lhs.field) < (rhs.entity.rawValue, rhs.id, rhs.field)
    }

    /// `facility 'jt-dph-01' field 'occupancy'`.
    public var description: String { "\(entity.rawValue) '\(id)' field '\(field)'" }
}

/// Changes one field of one record. `old` is what the script read: if the record changed
/// meanwhile the update is refused rather than overwriting someone else's change.
public struct RecordUpdate: Sendable, Hashable, Codable {
    public var field: FieldRef
    /// The value the script saw, or nil to skip the staleness check.
    public var old: FieldValue?
    public var new: FieldValue

    public init(entity: EntityKind, id: String, field: String, old: FieldValue?, new: FieldValue) {
        self.field = FieldRef(entity: entity, id: id, field: field)
        self.old = old
        self.new = new
    }

    public func validationErrors() -> [ValidationError] {
        var errors = Check.name(field.id, record: "record update", field: "id")
            + Check.name(field.field, record: "record update", field: "field")
        // Money in a budget moves only through the ledger, where it is audited and reversible.
        if field.entity == .budget && field.field == "total" {
            errors.append(Check.error("record update", "field",
                "The total of budget '\(field.id)' cannot be edited; add an adjustment entry instead."))
        }
        return errors
    }
}
