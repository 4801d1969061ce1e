import GRDB
import StewardCore

extension StoreSnapshot {
    /// Matching facilities with their inspections, in the query's order.
    public func facilities(_ query: FacilityQuery) throws -> [Facility] {
        let compiled = try FacilitySQL.select(query, places: placeIndex())
        let rows = try Row.fetchAll(db, sql: compiled.sql, arguments: compiled.arguments)
        var inspections: [Int64: [Inspection]] = [:]
        // One query for all inspections of the facilities found, rather than one per facility.
        let ids = rows.map { $0["id"] as Int64 }
        if !ids.isEmpty {
            let sql = "SELECT * FROM facility_inspections WHERE facility_id IN ("
                + ids.map { _ in "?" }.joined(separator: ",") + ") ORDER BY inspected_on, id"
            for row in try Row.fetchAll(db, sql: sql, arguments: StatementArguments(ids)) {
                inspections[row["facility_id"], default: []].append(try FacilityRow.inspection(row))
            }
        }
        return try rows.map { try FacilityRow.facility($0, inspections: inspections[$0["id"]] ?? []) }
    }

    /// The facility with this code, or nil.
    public func facility(code: String) throws -> Facility? {
        var query = FacilityQuery()
        query.codes = [code]
        return try facilities(query).first
    }

    /// How many facilities match.
    public func countFacilities(_ query: FacilityQuery) throws -> Int {
        let compiled = try FacilitySQL.whereClause(query, places: placeIndex())
        let count = try Int.fetchOne(db, sql: "SELECT COUNT(*) \(FacilitySQL.from) WHERE \(compiled.sql)",
                                     arguments: compiled.arguments) ?? 0
        return query.limit.map { min(count, max(0, $0)) } ?? count
    }

    /// Matching facilities counted per value of `field`.
    public func countFacilities(_ query: FacilityQuery, by field: FacilityField) throws -> [GroupCount] {
        let compiled = try FacilitySQL.whereClause(query, places: placeIndex())
        let sql = """
            SELECT \(field.sql) AS key, \(field.labelSQL) AS label, COUNT(*) AS n \(FacilitySQL.from)
            WHERE \(compiled.sql) GROUP BY \(field.sql) ORDER BY (\(field.sql) IS NULL), \(field.sql)
            """
        return try Row.fetchAll(db, sql: sql, arguments: compiled.arguments).map { row in
            GroupCount(key: Self.fieldValue(row["key"], money: false), label: Self.labelText(row["label"]),
                       count: row["n"])
        }
    }
}
