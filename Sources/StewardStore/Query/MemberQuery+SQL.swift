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
    /// For a member WHERE clause: true when choosing the matching ids before reading their rows
    /// pays (see ``MemberSQL/select(_:places:)``): a condition is answered by an index that
    /// lists members in another order than id, and none lets SQLite find the rows in id order.
    var idsFirstPays = false
    /// Set by ``MemberSQL/select(_:places:tags:)`` when `sql` selects only the matching ids,
    /// to be put in order and read one by one (see ``IDLookup``).
    var idLookup: IDLookup?
    /// Set by ``MemberSQL/select(_:places:tags:)``: the rows hold place ids where a member's
    /// town and community codes go, to be read with these codes.
    var placeCodes: PlaceCodes?
}

/// How to read the rows of a query whose `sql` selects only ids: sort the ids (descending or
/// not), then read the rows with `rowSQL`, which takes them as one JSON array, in that order.
struct IDLookup {
    let rowSQL: String
    let descending: Bool
}

/// Compiles a ``MemberQuery`` to SQL. Values never enter the SQL text: they are bound as
/// arguments; field names come only from ``MemberField``'s fixed expressions.
enum MemberSQL {
    /// Members with their town and community places joined: for reading one member by id or
    /// identity number (``rowFrom``), and for an order by a place's code.
    static let from = "FROM members m\n" + placeJoins

    /// The joins of ``from`` after `members m`. A left join for the town too, though every
    /// member has one (a foreign key): a town id that names no place (a database changed by
    /// other means) then reads as an error, not as no member at all.
    static let placeJoins = """
        LEFT JOIN places t ON t.id = m.town_id
        LEFT JOIN places c ON c.id = m.community_id
        """

    /// The rehabilitation centre: a join on its primary key costs less than a subquery per member.
    static let centreJoin = "\nLEFT JOIN facilities r ON r.id = m.rehab_centre_id"

    /// ``from`` and the rehabilitation centre, for reading one whole member with ``columns``.
    /// (Queries read place ids instead: see ``select(_:places:tags:)``.)
    static let rowFrom = from + centreJoin

    /// The columns ``MemberRow/member(_:tags:places:)`` decodes, by position, with place codes.
    static let columns = MemberRow.selectList

    /// The WHERE clause (without the keyword; `1` when nothing narrows) and its arguments.
    static func whereClause(_ query: MemberQuery, places: [String: ResolvedPlace]) throws -> CompiledQuery {
        var conditions: [String] = []
        var arguments = StatementArguments()

        // Set by the conditions SQLite answers from an index holding ids in order (a place:
        // `members_town(town_id)` lists a town's members by id; a group of holders: schema 3's
        // partial indexes on `id`, see SchemaV3) or from an id list (tags, ids).
        var findsRowsInIDOrder = false
        // Set by the conditions an index answers in another order (a grade range, a birth
        // date, an expiry date).
        var indexedOutOfIDOrder = false

        func placeCondition(_ code: String) throws -> String? {
            guard let place = places[code] else { throw StoreError.notFound(kind: "place", key: code) }
            switch place.level {
            case 0: return nil
            case 1:
                _ = arguments.append(contentsOf: [place.id])
                findsRowsInIDOrder = true
                return "m.town_id = ?"
            default:
                _ = arguments.append(contentsOf: [place.id])
                findsRowsInIDOrder = true
                return "m.community_id = ?"
            }
        }
        func flag(_ column: String, _ value: Bool?) {
            guard let value else { return }
            conditions.append("m.\(column) = \(value ? 1 : 0)")
        }
        func present(_ column: String, _ value: Bool?, holders: Bool = false) {
            guard let value else { return }
            conditions.append("m.\(column) IS \(value ? "NOT NULL" : "NULL")")
            // The holder indexes list the holders (IS NOT NULL) only, by id.
            if value && holders { findsRowsInIDOrder = true }
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
            findsRowsInIDOrder = true
        }
        if let ids = query.ids {
            conditions.append(ids.isEmpty ? "0" : "m.id IN (" + ids.map { _ in "?" }.joined(separator: ",") + ")")
            _ = arguments.append(contentsOf: StatementArguments(ids))
            findsRowsInIDOrder = true
        }
        if let sex = query.sex {
            conditions.append("m.sex = ?")
            _ = arguments.append(contentsOf: [sex.rawValue])
        }
        // A certificate has all its columns or none (a CHECK in the schema), so "has one" is
        // tested on the grade: the partial indexes `members_certified` (by id) and
        // `members_disability_grade` (by grade) hold only members with a grade, and find 26,707
        // holders among 1M members without reading the others.
        present("disability_grade", query.hasDisabilityCertificate, holders: true)
        if !query.disabilityCategories.isEmpty {
            conditions.append("m.disability_grade IS NOT NULL")
            conditions.append("m.disability_category IN (" + query.disabilityCategories.map { _ in "?" }.joined(separator: ",") + ")")
            _ = arguments.append(contentsOf: StatementArguments(query.disabilityCategories.map(\.rawValue)))
            findsRowsInIDOrder = true
        }
        if let grades = query.disabilityGrades, grades.lowerBound == grades.upperBound {
            // One grade: `members_disability_grade` lists its members in id order (schema 5),
            // so SQLite walks them in order and a `:limit(3)` stops after three. Written as an
            // equality: SQLite knows a range of one grade no better than any other range,
            // whose members it must sort.
            conditions.append("m.disability_grade = ?")
            _ = arguments.append(contentsOf: [grades.lowerBound])
            findsRowsInIDOrder = true
        } else if let grades = query.disabilityGrades {
            conditions.append("m.disability_grade BETWEEN ? AND ?")
            _ = arguments.append(contentsOf: [grades.lowerBound, grades.upperBound])
            indexedOutOfIDOrder = true
        }
        if let expiring = query.certificateExpiring {
            conditions.append("m.disability_cert_expiry BETWEEN ? AND ?")
            _ = arguments.append(contentsOf: [expiring.lowerBound.iso, expiring.upperBound.iso])
            indexedOutOfIDOrder = true
        }
        present("union_card", query.hasUnionCard, holders: true)
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
            indexedOutOfIDOrder = true
        }
        flag("minimum_living", query.minimumLivingAllowance)
        flag("extreme_hardship", query.extremeHardship)
        flag("registered_poor", query.registeredPoor)
        if let hardship = query.inHardship {
            let any = "(m.minimum_living = 1 OR m.extreme_hardship = 1 OR m.registered_poor = 1)"
            conditions.append(hardship ? any : "NOT " + any)
        }
        flag("elderly", query.elderly)
        if query.elderly == true { findsRowsInIDOrder = true }
        flag("elderly_empty_nest", query.emptyNest)
        flag("elderly_living_alone", query.livingAlone)
        flag("elderly_dependent", query.dependent)
        present("student_university", query.student, holders: true)
        present("rehab_centre_id", query.rehabChild)

        return CompiledQuery(sql: conditions.isEmpty ? "1" : conditions.joined(separator: " AND "), arguments: arguments,
                             idsFirstPays: indexedOutOfIDOrder && !findsRowsInIDOrder)
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

    /// The full SELECT for a query: filters, order, limit; the tags column only with `tags`.
    ///
    /// The rows hold the town's and community's ids, read with the codes of `places`
    /// (``CompiledQuery/placeCodes``): `places` are joined only for an order by their codes.
    static func select(_ query: MemberQuery, places: [String: ResolvedPlace], tags: Bool = true) throws -> CompiledQuery {
        let columns = tags ? MemberRow.selectListByPlaceID : MemberRow.selectListByPlaceIDWithoutTags
        var compiled = try whereClause(query, places: places)
        compiled.placeCodes = PlaceCodes(places)
        let order = orderClause(query.order)
        // The filters use members' own columns only; the places are joined only when the
        // order needs their codes.
        let needsPlaces = query.order.contains { $0.field == .town || $0.field == .community }
        // Not ``rowFrom``: its places are joined for their codes, which these rows do not select.
        let rowsFrom = (needsPlaces ? from : "FROM members m") + centreJoin
        if let limit = query.limit {
            // Choose the ids first, then read whole rows for those alone: SQLite computes the
            // result columns (tags: a subquery) before it sorts, so `:limit(3)` over thousands
            // of matches sorted them all whole (20 ms a query at 1M members). Without the
            // places an index can answer the inner query alone, never reading a table row it
            // will not return.
            compiled.sql = """
                SELECT \(columns) \(rowsFrom) WHERE m.id IN (
                    SELECT m.id \(needsPlaces ? from : "FROM members m") WHERE \(compiled.sql) ORDER BY \(order) LIMIT ?)
                ORDER BY \(order)
                """
            _ = compiled.arguments.append(contentsOf: [max(0, limit)])
        } else if compiled.idsFirstPays, query.order.first.map({ $0.field == .id }) ?? true {
            // Ids first, when an index answers the filter in another order than id. Asked for
            // rows in id order (the default), SQLite would rather scan the whole table than use
            // such an index and sort, even where the index lists a few members (certificates
            // expiring within a year; born after a date, 17%: 1.19 → 0.53 s). Not otherwise: with no index to use, or one that lists members by id
            // already (a place) or an id list (tags, ids), choosing ids first only adds work
            // (town: 380 → 490 ms; sex, a scan: +5%).
            //
            // The ids come from the index and are sorted here; SQLite then reads each member by
            // its primary key, walking the sorted list (`json_each`, one JSON array parameter).
            // SQLite's own way, `m.id IN (subquery) ORDER BY m.id`, first put the ids in a
            // temporary B-tree: 2.5k instructions an id, half the SQL of the read. (A statement
            // stepped once per id costs more still: each reset frees what the next step grows.)
            compiled.sql = "SELECT m.id FROM members m WHERE \(compiled.sql)"
            compiled.idLookup = IDLookup(
                rowSQL: "SELECT \(columns) FROM json_each(?) ids CROSS JOIN members m ON m.id = ids.value\(centreJoin)",
                descending: query.order.first?.descending ?? false)
        } else if compiled.idsFirstPays {
            // Ids first too, for an order by another field (a grade, a name): SQLite reads the
            // ids from the index, then sorts the rows it reads for them.
            compiled.sql = """
                SELECT \(columns) \(rowsFrom) WHERE m.id IN (SELECT m.id FROM members m WHERE \(compiled.sql))
                ORDER BY \(order)
                """
        } else {
            compiled.sql = "SELECT \(columns) \(rowsFrom) WHERE \(compiled.sql) ORDER BY \(order)"
        }
        return compiled
    }
}
