import Foundation
import GRDB
import StewardCore

/// Inserts programmes, budgets, facilities and quotas: the demo generator, the facility
/// importer and admin commands share these.
enum CatalogWriter {
    static func insertProgramme(_ programme: Programme, description: String = "", _ db: Database) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try db.execute(sql: """
            INSERT INTO programmes (code, name, office, kind, description, quota_rules_json) VALUES (?, ?, ?, ?, ?, ?)
            """, arguments: [programme.code, programme.name, programme.office.rawValue, programme.kind.rawValue, description,
                             String(decoding: try encoder.encode(programme.quotaRules), as: UTF8.self)])
        let id = db.lastInsertedRowID
        for parameter in programme.parameters {
            let (value, unit): (Int64, String) = switch parameter.value {
            case .money(let money): (money.fen, "money")
            case .integer(let number): (number, "integer")
            }
            try db.execute(sql: """
                INSERT INTO benefit_parameters (programme_id, name, value, unit, effective_from, effective_to)
                VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: [id, parameter.name, value, unit, parameter.effectiveFrom.iso, parameter.effectiveTo?.iso])
        }
    }

    static func insertBudget(_ budget: Budget, placeCode: String?, programmeCode: String?, _ db: Database) throws {
        let placeID = try placeCode.map { code in
            guard let id = try Int64.fetchOne(db, sql: "SELECT id FROM places WHERE code = ?", arguments: [code]) else {
                throw StoreError.notFound(kind: "place", key: code)
            }
            return id
        } ?? Int64.fetchOne(db, sql: "SELECT id FROM places WHERE kind = 'district' ORDER BY id LIMIT 1")
        let programmeID = try programmeCode.flatMap {
            try Int64.fetchOne(db, sql: "SELECT id FROM programmes WHERE code = ?", arguments: [$0])
        }
        try db.execute(sql: """
            INSERT INTO budgets (code, name, office, year, total_fen, place_id, programme_id, allow_town_draw)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [budget.code, budget.name, budget.office.rawValue, budget.year, budget.total.fen, placeID,
                             programmeID, budget.allowTownDraw])
    }

    /// Inserts a facility and its inspections; returns its row id.
    @discardableResult
    static func insertFacility(_ facility: Facility, areaM2: Int? = nil, openedOn: CivilDate? = nil,
                               _ db: Database) throws -> Int64 {
        guard let place = try Row.fetchOne(db, sql: "SELECT id, parent_id, kind FROM places WHERE code = ?",
                                           arguments: [facility.placeCode]) else {
            throw StoreError.notFound(kind: "place", key: facility.placeCode)
        }
        // The town a facility counts under follows from its place's kind: not guessed.
        let kind: PlaceKind = try StoredValues(place, table: "places").choice("kind", "place kind")
        let townID: Int64 = kind.level == 2 ? place["parent_id"] : place["id"]
        try db.execute(sql: """
            INSERT INTO facilities (code, name, kind, place_id, town_id, capacity, occupancy, star_rating, certifications,
                                    nursing_beds, area_m2, opened_on)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [facility.code, facility.name, facility.kind.rawValue, place["id"] as Int64, townID,
                             facility.capacity, facility.occupancy, facility.starRating,
                             FacilityRow.certificationsText(facility.certifications), facility.nursingBeds, areaM2,
                             openedOn?.iso])
        let id = db.lastInsertedRowID
        for inspection in facility.inspections {
            try db.execute(sql: """
                INSERT INTO facility_inspections (facility_id, kind, inspected_on, passed, note) VALUES (?, ?, ?, ?, ?)
                """, arguments: [id, inspection.kind.rawValue, inspection.date.iso, inspection.passed, inspection.note])
        }
        return id
    }

    static func insertQuota(_ quota: Quota, _ db: Database) throws {
        let placeSQL = quota.placeCode == nil
            ? "(SELECT id FROM places WHERE kind = 'district' ORDER BY id LIMIT 1)"
            : "(SELECT id FROM places WHERE code = ?)"
        var arguments: StatementArguments = [quota.programmeCode, quota.period.description, quota.period.firstDay.iso,
                                             quota.period.lastDay.iso]
        if let place = quota.placeCode { _ = arguments.append(contentsOf: [place]) }
        _ = arguments.append(contentsOf: [quota.limit, quota.hard])
        try db.execute(sql: """
            INSERT INTO quotas (programme_id, period, period_start, period_end, place_id, quota_limit, hard)
            VALUES ((SELECT id FROM programmes WHERE code = ?), ?, ?, ?, \(placeSQL), ?, ?)
            """, arguments: arguments)
    }
}

extension Store {
    /// Adds a programme with its benefit parameters.
    public func addProgramme(_ programme: Programme, description: String = "") throws {
        try writeImmediate { db in try CatalogWriter.insertProgramme(programme, description: description, db) }
    }

    /// Adds a budget owned by a place (default: the district), optionally tied to a programme.
    public func addBudget(_ budget: Budget, placeCode: String? = nil, programmeCode: String? = nil) throws {
        try writeImmediate { db in try CatalogWriter.insertBudget(budget, placeCode: placeCode, programmeCode: programmeCode, db) }
    }

    /// Adds a facility with its inspections.
    public func addFacility(_ facility: Facility) throws {
        try writeImmediate { db in _ = try CatalogWriter.insertFacility(facility, db) }
    }

    /// Sets a quota directly (admin set-up; scripts set quotas through change sets).
    public func addQuota(_ quota: Quota) throws {
        try writeImmediate { db in try CatalogWriter.insertQuota(quota, db) }
    }
}
