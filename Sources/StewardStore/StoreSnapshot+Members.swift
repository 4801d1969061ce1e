import GRDB
import StewardCore

/// A group and its size, from ``StoreSnapshot/countMembers(_:by:)``.
public struct GroupCount: Sendable, Hashable {
    /// The grouped value: a place code for `town`/`community`, else the field's value.
    public let key: FieldValue
    /// What to show: a place's Chinese name, else the key as text.
    public let label: String
    public let count: Int
}

/// Members one at a time, straight from SQLite: memory stays flat however many rows match.
/// Valid only inside the ``Store/read(_:)`` call that made it.
public final class MemberCursor {
    private let rows: RowCursor

    init(rows: RowCursor) {
        self.rows = rows
    }

    /// The next member, or nil at the end.
    public func next() throws -> Member? {
        guard let row = try rows.next() else { return nil }
        return try MemberRow.member(row)
    }
}

extension StoreSnapshot {
    /// Place codes to row ids and levels; small (one row per place), read per query.
    func placeIndex() throws -> [String: ResolvedPlace] {
        var index: [String: ResolvedPlace] = [:]
        let rows = try Row.fetchCursor(db, sql: "SELECT id, code, kind FROM places")
        while let row = try rows.next() {
            let kind = PlaceKind(rawValue: row["kind"]) ?? .community
            index[row["code"]] = ResolvedPlace(id: row["id"], level: kind.level)
        }
        return index
    }

    /// The member with this id, or nil.
    public func member(id: MemberID) throws -> Member? {
        try Row.fetchOne(db, sql: "SELECT \(MemberSQL.columns) \(MemberSQL.from) WHERE m.id = ?", arguments: [id])
            .map(MemberRow.member)
    }

    /// The member with this identity number, or nil.
    public func member(identityNumber: IdentityNumber) throws -> Member? {
        try Row.fetchOne(db, sql: "SELECT \(MemberSQL.columns) \(MemberSQL.from) WHERE m.id_number = ?",
                         arguments: [identityNumber.value])
            .map(MemberRow.member)
    }

    /// Every matching member in the query's order. For large results prefer
    /// ``memberCursor(_:)`` or ``forEachMember(_:_:)``.
    public func members(_ query: MemberQuery) throws -> [Member] {
        var result: [Member] = []
        try forEachMember(query) { result.append($0); return true }
        return result
    }

    /// Streams matching members to `body` until it returns false.
    public func forEachMember(_ query: MemberQuery, _ body: (Member) throws -> Bool) throws {
        let cursor = try memberCursor(query)
        while let member = try cursor.next() {
            if try !body(member) { return }
        }
    }

    /// A cursor over matching members, in the query's order.
    public func memberCursor(_ query: MemberQuery) throws -> MemberCursor {
        let compiled = try MemberSQL.select(query, places: placeIndex())
        return MemberCursor(rows: try Row.fetchCursor(db, sql: compiled.sql, arguments: compiled.arguments))
    }

    /// How many members match (the query's order is ignored; its limit caps the count).
    public func countMembers(_ query: MemberQuery) throws -> Int {
        let compiled = try MemberSQL.whereClause(query, places: placeIndex())
        let count = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM members m WHERE \(compiled.sql)",
                                     arguments: compiled.arguments) ?? 0
        return query.limit.map { min(count, max(0, $0)) } ?? count
    }

    /// Matching members counted per value of `field`, ordered by key; members without a value
    /// (no community, no grade) form a group whose key is `.null`.
    public func countMembers(_ query: MemberQuery, by field: MemberField) throws -> [GroupCount] {
        let compiled = try MemberSQL.whereClause(query, places: placeIndex())
        // Filters use members' own columns only (MemberSQL.whereClause), so the places are
        // joined only to label a place grouping.
        let sql = """
            SELECT \(field.sql) AS key, \(field.labelSQL) AS label, COUNT(*) AS n \(field.groupFrom)
            WHERE \(compiled.sql) GROUP BY \(field.groupSQL) ORDER BY (key IS NULL), key
            """
        return try Row.fetchAll(db, sql: sql, arguments: compiled.arguments).map { row in
            let key = Self.fieldValue(row["key"], money: field.isMoney)
            return GroupCount(key: key, label: Self.labelText(row["label"]), count: row["n"])
        }
    }

    /// The exact integer sum of a summable field (hours, or money in fen) over matching members.
    public func sumMembers(_ query: MemberQuery, of field: MemberField) throws -> FieldValue {
        guard field.isSummable else { throw StoreError.notFound(kind: "summable member field", key: field.rawValue) }
        let compiled = try MemberSQL.whereClause(query, places: placeIndex())
        // SUM over integers is exact in SQLite and fails on overflow rather than wrapping.
        let total = try Int64.fetchOne(db, sql: "SELECT COALESCE(SUM(\(field.sql)), 0) FROM members m WHERE \(compiled.sql)",
                                       arguments: compiled.arguments) ?? 0
        return field.isMoney ? .money(Money(fen: total)) : .integer(total)
    }

    /// Fields of one member that Core's ``Member`` does not carry (employer, hours used this
    /// quarter, ...), or that a report wants as plain values.
    public func fieldValues(memberID: MemberID, _ fields: [MemberField]) throws -> [FieldValue] {
        guard !fields.isEmpty else { return [] }
        let sql = "SELECT " + fields.map(\.sql).joined(separator: ", ") + " \(MemberSQL.from) WHERE m.id = ?"
        guard let row = try Row.fetchOne(db, sql: sql, arguments: [memberID]) else {
            throw StoreError.notFound(kind: "member", key: String(memberID))
        }
        return fields.indices.map { Self.fieldValue(row[$0], money: fields[$0].isMoney) }
    }

    /// The quarter whose home-visit hours `home_visit_hours_used` counts, if any.
    public func homeVisitQuarter(memberID: MemberID) throws -> Period? {
        try String.fetchOne(db, sql: "SELECT home_visit_quarter FROM members WHERE id = ?", arguments: [memberID])
            .flatMap(Period.init)
    }

    /// A group label as text, whatever its SQLite type.
    static func labelText(_ value: DatabaseValue) -> String {
        switch value.storage {
        case .null, .blob: ""
        case .int64(let number): String(number)
        case .double(let number): String(number)
        case .string(let text): text
        }
    }

    static func fieldValue(_ value: DatabaseValue, money: Bool) -> FieldValue {
        switch value.storage {
        case .null: return .null
        case .int64(let number): return money ? .money(Money(fen: number)) : .integer(number)
        case .double(let number): return .integer(Int64(number))
        case .string(let text):
            if text.utf8.count == 10, let date = try? CivilDate(parsing: text) { return .date(date) }
            return .text(text)
        case .blob: return .null
        }
    }
}
