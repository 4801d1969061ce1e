import GRDB
import StewardCore

/// Compiles a ``FacilityQuery``: fixed SQL fragments, values as arguments.
enum FacilitySQL {
    static let from = "FROM facilities f JOIN places t ON t.id = f.town_id JOIN places p ON p.id = f.place_id"

    static func whereClause(_ query: FacilityQuery, places: [String: ResolvedPlace]) throws -> CompiledQuery {
        var conditions: [String] = []
        var arguments = StatementArguments()
        func placeCondition(_ code: String) throws -> String? {
            guard let place = places[code] else { throw StoreError.notFound(kind: "place", key: code) }
            switch place.level {
            case 0: return nil
            case 1:
                _ = arguments.append(contentsOf: [place.id])
                return "f.town_id = ?"
            default:
                _ = arguments.append(contentsOf: [place.id])
                return "f.place_id = ?"
            }
        }
        if let scope = query.scopePlaceCode, let condition = try placeCondition(scope) { conditions.append(condition) }
        if !query.placeCodes.isEmpty {
            var any: [String] = []
            var everywhere = false
            for code in query.placeCodes {
                if let condition = try placeCondition(code) { any.append(condition) } else { everywhere = true }
            }
            if !everywhere { conditions.append("(" + any.joined(separator: " OR ") + ")") }
        }
        if !query.kinds.isEmpty {
            conditions.append("f.kind IN (" + query.kinds.map { _ in "?" }.joined(separator: ",") + ")")
            _ = arguments.append(contentsOf: StatementArguments(query.kinds.map(\.rawValue)))
        }
        if let codes = query.codes {
            conditions.append(codes.isEmpty ? "0" : "f.code IN (" + codes.map { _ in "?" }.joined(separator: ",") + ")")
            _ = arguments.append(contentsOf: StatementArguments(codes))
        }
        if let stars = query.starRatings {
            conditions.append("f.star_rating BETWEEN ? AND ?")
            _ = arguments.append(contentsOf: [stars.lowerBound, stars.upperBound])
        }
        if let certification = query.certification {
            // certifications is ';'-separated; match a whole item.
            conditions.append("(';' || f.certifications || ';') LIKE ? ESCAPE '\\'")
            let escaped = certification.replacingOccurrences(of: "\\", with: "\\\\")
                .replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
            _ = arguments.append(contentsOf: ["%;" + escaped + ";%"])
        }
        if let free = query.hasFreePlaces {
            conditions.append(free ? "f.occupancy < f.capacity" : "f.occupancy >= f.capacity")
        }
        if let percent = query.occupancyBelowPercent {
            conditions.append("f.occupancy * 100 < f.capacity * ?")
            _ = arguments.append(contentsOf: [percent])
        }
        if let kind = query.overdueKind {
            conditions.append("""
                NOT EXISTS (SELECT 1 FROM facility_inspections i
                            WHERE i.facility_id = f.id AND i.kind = ? AND i.passed = 1 AND i.inspected_on >= ?)
                """)
            _ = arguments.append(contentsOf: [kind.rawValue, (query.overdueSince ?? CivilDate.earliest).iso])
        }
        return CompiledQuery(sql: conditions.isEmpty ? "1" : conditions.joined(separator: " AND "), arguments: arguments)
    }

    static func select(_ query: FacilityQuery, places: [String: ResolvedPlace]) throws -> CompiledQuery {
        var compiled = try whereClause(query, places: places)
        var keys: [String] = []
        for key in query.order {
            keys.append("(\(key.field.sql) IS NULL)")
            keys.append(key.field.sql + (key.descending ? " DESC" : ""))
        }
        keys.append("f.code")
        compiled.sql = "SELECT f.*, p.code AS place_code \(from) WHERE \(compiled.sql) ORDER BY " + keys.joined(separator: ", ")
        if let limit = query.limit {
            compiled.sql += " LIMIT ?"
            _ = compiled.arguments.append(contentsOf: [max(0, limit)])
        }
        return compiled
    }
}
