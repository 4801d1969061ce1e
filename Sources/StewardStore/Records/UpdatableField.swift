import GRDB
import StewardCore

/// The record fields scripts may change through a ``RecordUpdate``, each mapped to one
/// table, key column and value column. Anything else is refused: scripts change
/// entitlements and places, never identities, and never money outside the ledger.
struct UpdatableField: Sendable {
    enum ValueType: Sendable { case integer, bool, date, text, period }

    let table: String
    let keyColumn: String
    let column: String
    let type: ValueType

    static func lookup(_ ref: FieldRef) -> UpdatableField? {
        switch (ref.entity, ref.field) {
        case (.member, "home_visit_hours"): member("home_visit_hours", .integer)
        case (.member, "home_visit_hours_used"): member("home_visit_hours_used", .integer)
        case (.member, "home_visit_quarter"): member("home_visit_quarter", .period)
        case (.member, "elderly"): member("elderly", .bool)
        case (.member, "empty_nest"): member("elderly_empty_nest", .bool)
        case (.member, "living_alone"): member("elderly_living_alone", .bool)
        case (.member, "dependent"): member("elderly_dependent", .bool)
        case (.member, "certificate_expiry"): member("disability_cert_expiry", .date)
        case (.facility, "capacity"): facility("capacity", .integer)
        case (.facility, "occupancy"): facility("occupancy", .integer)
        case (.facility, "star_rating"): facility("star_rating", .integer)
        case (.facility, "nursing_beds"): facility("nursing_beds", .integer)
        case (.waitlistEntry, "status"): UpdatableField(table: "waitlist", keyColumn: "id", column: "status", type: .text)
        case (.enrolment, "end_date"): UpdatableField(table: "enrolments", keyColumn: "id", column: "ends_on", type: .date)
        default: nil
        }
    }

    private static func member(_ column: String, _ type: ValueType) -> UpdatableField {
        UpdatableField(table: "members", keyColumn: "id", column: column, type: type)
    }

    private static func facility(_ column: String, _ type: ValueType) -> UpdatableField {
        UpdatableField(table: "facilities", keyColumn: "code", column: column, type: type)
    }

    /// The key as the key column stores it (member ids are integers).
    func key(_ ref: FieldRef) -> (any DatabaseValueConvertible)? {
        keyColumn == "id" ? Int64(ref.id) : ref.id
    }

    /// The current value, typed; nil when the record does not exist.
    func current(_ ref: FieldRef, _ db: Database) throws -> FieldValue? {
        guard let key = key(ref) else { return nil }
        guard let row = try Row.fetchOne(db, sql: "SELECT \(column) AS value FROM \(table) WHERE \(keyColumn) = ?",
                                         arguments: [key]) else { return nil }
        let value: DatabaseValue = row["value"]
        if value.isNull { return .null }
        switch type {
        case .integer: return .integer(row["value"])
        case .bool: return .bool(row["value"])
        case .date: return (try? CivilDate(parsing: row["value"] as String)).map(FieldValue.date) ?? .text(row["value"])
        case .text, .period: return .text(row["value"])
        }
    }

    /// The value to store, or nil when `value` does not fit the field's type.
    func databaseValue(_ value: FieldValue) -> DatabaseValue? {
        switch (type, value) {
        case (_, .null): .null
        case (.integer, .integer(let number)): number.databaseValue
        case (.bool, .bool(let flag)): flag.databaseValue
        case (.bool, .integer(let number)) where number == 0 || number == 1: number.databaseValue
        case (.date, .date(let date)): date.iso.databaseValue
        case (.text, .text(let text)): text.databaseValue
        case (.period, .text(let text)): Period(text).map { $0.description.databaseValue }
        default: nil
        }
    }
}
