import GRDB
import StewardCore

extension Store {
    /// Lays down a district's place tree; places already present (by code) are kept as they
    /// are, so running it twice adds nothing.
    /// - Returns: how many places were added.
    @discardableResult
    public func installDistrict(_ template: DistrictTemplate) throws -> Int {
        try writeImmediate { db in try PlaceWriter.install(template, db) }
    }
}

/// Inserts places with their materialised `path`.
enum PlaceWriter {
    static func install(_ template: DistrictTemplate, _ db: Database) throws -> Int {
        var added = 0
        let districtID = try insert(code: template.regionCode, name: template.name, kind: .district,
                                    parentID: nil, db, added: &added)
        for town in template.towns {
            let townID = try insert(code: town.code, name: town.name,
                                    kind: town.isSubdistrict ? .subdistrict : .town,
                                    parentID: districtID, db, added: &added)
            for locality in town.localities {
                _ = try insert(code: locality.code, name: locality.name,
                               kind: locality.isVillage ? .village : .community,
                               parentID: townID, db, added: &added)
            }
        }
        return added
    }

    /// Inserts one place unless its code exists; returns its row id either way.
    static func insert(
        code: String, name: String, kind: PlaceKind, parentID: Int64?, _ db: Database, added: inout Int
    ) throws -> Int64 {
        if let existing = try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM places WHERE code = ?"), arguments: [code]) {
            return existing
        }
        let parentPath = try parentID.map {
            try String.fetchOne(db.cachedStatement(sql: "SELECT path FROM places WHERE id = ?"), arguments: [$0]) ?? "/"
        } ?? "/"
        try db.cachedStatement(sql: "INSERT INTO places (code, name, kind, parent_id, path) VALUES (?, ?, ?, ?, '')")
            .execute(arguments: [code, name, kind.rawValue, parentID])
        let id = db.lastInsertedRowID
        try db.cachedStatement(sql: "UPDATE places SET path = ? WHERE id = ?").execute(arguments: [parentPath + "\(id)/", id])
        added += 1
        return id
    }
}

extension StoreSnapshot {
    /// Every place, parents before children.
    public func places() throws -> [Place] {
        try Row.fetchAll(db.cachedStatement(sql: """
            SELECT p.id, p.code, p.name, p.kind, parent.code AS parent_code
            FROM places p LEFT JOIN places parent ON parent.id = p.parent_id
            ORDER BY length(p.path) - length(replace(p.path, '/', '')), p.code
            """)).map { row in
            // A kind read as community would move the place, and everyone in it, in scope checks.
            Place(code: row["code"], name: row["name"], kind: try StoredValues(row, table: "places").choice("kind", "place kind"),
                  parentCode: row["parent_code"])
        }
    }

    /// The place tree, for scope checks and for resolving names to places.
    public func placeDirectory() throws -> PlaceDirectory {
        try PlaceDirectory(places())
    }
}
