import GRDB
import StewardCore

/// A place as queries need it: its row id and whether it is the district, a town or a
/// community, which decides which member column a place filter tests.
struct ResolvedPlace: Sendable {
    let id: Int64
    let level: Int
}

/// A compiled query: SQL text built only from fixed fragments, with every value a parameter.
struct CompiledQuery {
    var sql: String
    var arguments: StatementArguments
}

/// Compiles a ``MemberQuery`` to SQL. Values never enter the SQL text: they are bound as
/// arguments; field names come only from ``MemberField``'s fixed expressions.
enum MemberSQL {
    /// The joins every member read uses: town and community places, the rehabilitation centre.
    static let from = """
        FROM members m
        JOIN places t ON t.id = m.town_id
        LEFT JOIN places c ON c.id = m.community_id
        """

    /// The columns ``MemberRow`` decodes.
    static let columns = """
        m.*, t.code AS town_code, c.code AS community_code,
        (SELECT code FROM facilities r WHERE r.id = m.rehab_centre_id) AS rehab_code,
        (SELECT group_concat(tag, ';') FROM (SELECT tag FROM member_tags g WHERE g.member_id = m.id ORDER BY tag)) AS tags
        """

    /// The WHERE clause (without the keyword; `1` when nothing narrows) and its arguments.
    static func whereClause(_ query: MemberQuery, places: [String: ResolvedPlace]) throws -> CompiledQuery {
        var conditions: [String] = []
        var arguments = StatementArguments()

        func placeCondition(_ code: String) throws -> String? {
            guard let place = places[code] else { throw StoreError.notFound(kind: "place", key: code) }
            switch place.level {
            case 0: return nil
            case 1:
                _ = arguments.append(contentsOf: [place.id])
                return "m.town_id = ?"
            default:
                _ = arguments.append(contentsOf: [place.id])
                return "m.community_id = ?"
            }
        }
        func flag(_ column: String, _ value: Bool?) {
            guard let value else { return }
            conditions.append("m.\(column) = \(value ? 1 : 0)")
        }
        func present(_ column: String, _ value: Bool?) {
            guard let value else { return }
            conditions.append("m.\(column) IS \(value ? "NOT NULL" : "NULL")")
        }

        if let scope = query.scopePlaceCode, let condition = try placeCondition(scope) {
            conditions.append(condition)
        }
        if !query.placeCodes.isEmpty {
            var any: [String] = []
            var everywhere = false
            for code in query.placeCodes {
                if let condition = try placeCondition(code) { any.append(condition) } else { everywhere = true }
            }
            if !everywhere { conditions.append("(" + any.joined(separator: " OR ") + ")") }
        }
        for tag in query.tags {
            conditions.append("m.id IN (SELECT member_id FROM member_tags WHERE tag = ?)")
            _ = arguments.append(contentsOf: [tag])
        }
        if let ids = query.ids {
            conditions.append(ids.isEmpty ? "0" : "m.id IN (" + ids.map { _ in "?" }.joined(separator: ",") + ")")
            _ = arguments.append(contentsOf: StatementArguments(ids))
        }
        if let sex = query.sex {
            conditions.append("m.sex = ?")
            _ = arguments.append(contentsOf: [sex.rawValue])
        }
        present("disability_category", query.hasDisabilityCertificate)
        if !query.disabilityCategories.isEmpty {
            conditions.append("m.disability_category IN (" + query.disabilityCategories.map { _ in "?" }.joined(separator: ",") + ")")
            _ = arguments.append(contentsOf: StatementArguments(query.disabilityCategories.map(\.rawValue)))
        }
        if let grades = query.disabilityGrades {
            conditions.append("m.disability_grade BETWEEN ? AND ?")
            _ = arguments.append(contentsOf: [grades.lowerBound, grades.upperBound])
        }
        if let expiring = query.certificateExpiring {
            conditions.append("m.disability_cert_expiry BETWEEN ? AND ?")
            _ = arguments.append(contentsOf: [expiring.lowerBound.iso, expiring.upperBound.iso])
        }
        present("union_card", query.hasUnionCard)
        if let modelWorker = query.modelWorker {
            conditions.append(modelWorker ? "m.model_worker <> 'none'" : "(m.union_card IS NOT NULL AND m.model_worker = 'none')")
        }
        present("new_form_worker", query.newFormWorker)
        if !query.newFormWorkerKinds.isEmpty {
            conditions.append("m.new_form_worker IN (" + query.newFormWorkerKinds.map { _ in "?" }.joined(separator: ",") + ")")
            _ = arguments.append(contentsOf: StatementArguments(query.newFormWorkerKinds.map(\.rawValue)))
        }
        if let born = query.bornBetween {
            conditions.append("m.birth_date BETWEEN ? AND ?")
            _ = arguments.append(contentsOf: [born.lowerBound.iso, born.upperBound.iso])
        }
        flag("minimum_living", query.minimumLivingAllowance)
        flag("extreme_hardship", query.extremeHardship)
        flag("registered_poor", query.registeredPoor)
        if let hardship = query.inHardship {
            let any = "(m.minimum_living = 1 OR m.extreme_hardship = 1 OR m.registered_poor = 1)"
            conditions.append(hardship ? any : "NOT " + any)
        }
        flag("elderly", query.elderly)
        flag("elderly_empty_nest", query.emptyNest)
        flag("elderly_living_alone", query.livingAlone)
        flag("elderly_dependent", query.dependent)
        present("student_university", query.student)
        present("rehab_centre_id", query.rehabChild)

        return CompiledQuery(sql: conditions.isEmpty ? "1" : conditions.joined(separator: " AND "), arguments: arguments)
    }

    /// ORDER BY with NULLs last in both directions (a member without a grade sorts after
    /// every grade), and `m.id` last so that equal keys keep a stable, total order.
    static func orderClause(_ order: [MemberOrder]) -> String {
        var keys: [String] = []
        for key in order {
            if !key.field.isAlwaysPresent { keys.append("(\(key.field.sql) IS NULL)") }
            keys.append(key.field.sql + (key.descending ? " DESC" : ""))
            // Ids are unique: nothing after one can change the order.
            if key.field == .id { return keys.joined(separator: ", ") }
        }
        keys.append("m.id")
        return keys.joined(separator: ", ")
    }

    /// The full SELECT for a query: filters, order, limit.
    static func select(_ query: MemberQuery, places: [String: ResolvedPlace]) throws -> CompiledQuery {
        var compiled = try whereClause(query, places: places)
        let order = orderClause(query.order)
        if let limit = query.limit {
            // Choose the ids first, then read whole rows for those alone: SQLite computes the
            // result columns (tags, rehab centre: subqueries) before it sorts, so `:limit(3)`
            // over thousands of matches sorted them all whole (20 ms a query at 1M members).
            // The filters use members' own columns only; the places are joined in the inner
            // query only when the order needs their codes. Without them an index can answer
            // the inner query alone, never reading a table row it will not return.
            let needsPlaces = query.order.contains { $0.field == .town || $0.field == .community }
            compiled.sql = """
                SELECT \(columns) \(from) WHERE m.id IN (
                    SELECT m.id \(needsPlaces ? from : "FROM members m") WHERE \(compiled.sql) ORDER BY \(order) LIMIT ?)
                ORDER BY \(order)
                """
            _ = compiled.arguments.append(contentsOf: [max(0, limit)])
        } else {
            compiled.sql = "SELECT \(columns) \(from) WHERE \(compiled.sql) ORDER BY \(order)"
        }
        return compiled
    }
}
