import GRDB
import StewardCore

/// Inserts members with prepared statements, reused for every row: the demo generator and
/// the importer write hundreds of thousands of rows in one transaction through it.
struct MemberWriter {
    private let db: Database
    private var insertMember: FastBinding
    private var insertTag: FastBinding
    private var places: [String: (id: Int64, parentID: Int64?, level: Int)] = [:]
    private var facilities: [String: Int64] = [:]

    init(_ db: Database) throws {
        self.db = db
        insertMember = FastBinding(try db.makeStatement(sql: MemberRow.insertSQL))
        insertTag = FastBinding(try db.makeStatement(sql: "INSERT OR IGNORE INTO member_tags (member_id, tag) VALUES (?, ?)"))
        for row in try Row.fetchAll(db.cachedStatement(sql: "SELECT id, code, parent_id, kind FROM places")) {
            // A member's town and community follow from the level: a kind is not guessed.
            let kind: PlaceKind = try StoredValues(row, table: "places").choice("kind", "place kind")
            places[row["code"]] = (row["id"], row["parent_id"], kind.level)
        }
        for row in try Row.fetchAll(db.cachedStatement(sql: "SELECT id, code FROM facilities")) {
            facilities[row["code"]] = row["id"]
        }
    }

    /// Inserts one member (its `id` is ignored: the database assigns one) and its tags.
    /// - Returns: the new member id.
    @discardableResult
    mutating func insert(_ member: Member, employer: String? = nil, hoursUsed: Int = 0, hoursQuarter: String? = nil,
                         registeredOn: String? = nil) throws -> MemberID {
        guard let town = places[member.placeCode], town.level == 1 else {
            throw StoreError.notFound(kind: "town", key: member.placeCode)
        }
        var communityID: Int64?
        if let code = member.communityCode {
            guard let community = places[code], community.parentID == town.id else {
                throw StoreError.notFound(kind: "community in \(member.placeCode)", key: code)
            }
            communityID = community.id
        }
        var rehabID: Int64?
        if let centre = member.rehabChild?.centreCode {
            guard let id = facilities[centre] else { throw StoreError.notFound(kind: "facility", key: centre) }
            rehabID = id
        }
        insertMember.reset()
        MemberRow.bind(member, to: &insertMember, townID: town.id, communityID: communityID, rehabCentreID: rehabID,
                       employer: employer, hoursUsed: hoursUsed, hoursQuarter: hoursQuarter, registeredOn: registeredOn)
        try insertMember.step(db)
        let id = db.lastInsertedRowID
        for tag in member.tags.sorted() {
            insertTag.reset()
            insertTag.bind(id)
            insertTag.bind(tag)
            try insertTag.step(db)
        }
        return id
    }
}

extension Store {
    /// Adds members in one transaction (all or none); returns their new ids in order.
    @discardableResult
    public func addMembers(_ members: [Member]) throws -> [MemberID] {
        try writeImmediate { db in
            var writer = try MemberWriter(db)
            return try members.map { try writer.insert($0) }
        }
    }
}
