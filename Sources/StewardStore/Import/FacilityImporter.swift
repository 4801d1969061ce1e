import Foundation
import GRDB
import StewardCore

/// Reads a facilities CSV into an ``ImportPlan``; the facility code is the natural key.
public struct FacilityImporter {
    let language: ImportLanguage

    public init(language: ImportLanguage) {
        self.language = language
    }

    func field(_ column: FacilityColumn) -> String {
        language == .chinese ? column.chineseHeader : column.rawValue
    }

    public func plan(_ data: Data, store: Store) throws -> ImportPlan<Facility> {
        let (text, encoding) = try TextDecoding.decode(data)
        var plan = ImportPlan<Facility>(encoding: encoding)
        let records = try CSVReader.parse(text)
        guard let headerRecord = records.first else {
            plan.errors.append(ImportRowError(line: 1, problem: .emptyFile))
            return plan
        }
        let header = ImportHeader(headerRecord.fields, match: FacilityColumn.matching)
        for required in [FacilityColumn.code, .name, .kind, .town, .capacity] where !header.has(required) {
            plan.errors.append(ImportRowError(line: headerRecord.line, problem: .missingColumn(field(required))))
        }
        guard plan.errors.isEmpty else { return plan }
        try store.read { snapshot in
            let places = try snapshot.places()
            let existing = Dictionary(uniqueKeysWithValues: try snapshot.facilities(FacilityQuery()).map { ($0.code, $0) })
            var firstLine: [String: Int] = [:]
            for record in records.dropFirst() {
                plan.rowCount += 1
                let (values, extra) = header.values(record)
                if extra {
                    plan.errors.append(ImportRowError(line: record.line, problem: .wrongFieldCount(
                        expected: header.width, found: record.fields.count)))
                    continue
                }
                if let (column, character) = ImportValues.controlCharacter(in: values, order: header.columns) {
                    plan.errors.append(ImportRowError(line: record.line, problem: .controlCharacter(
                        field: field(column), character: character)))
                    continue
                }
                do {
                    let facility = try read(values, places: places)
                    if let first = firstLine[facility.code] {
                        plan.errors.append(ImportRowError(line: record.line, problem: .duplicateInFile(firstLine: first)))
                        continue
                    }
                    firstLine[facility.code] = record.line
                    if let known = existing[facility.code] {
                        if known.name == facility.name { plan.unchanged += 1 } else {
                            plan.errors.append(ImportRowError(line: record.line, problem: .duplicateInDatabase(existingName: known.name)))
                        }
                    } else {
                        plan.additions.append((record.line, facility))
                    }
                } catch let problem as ImportProblem {
                    plan.errors.append(ImportRowError(line: record.line, problem: problem))
                }
            }
        }
        return plan
    }

    private func read(_ values: [FacilityColumn: String], places: [Place]) throws -> Facility {
        func required(_ column: FacilityColumn) throws -> String {
            guard let value = values[column], !value.isEmpty else { throw ImportProblem.missingValue(field: field(column)) }
            return value
        }
        func count(_ column: FacilityColumn) throws -> Int? {
            guard let text = values[column], !text.isEmpty else { return nil }
            guard let number = Int(text), number >= 0 else { throw ImportProblem.badValue(field: field(column), text: text) }
            return number
        }
        let code = try required(.code)
        let name = try required(.name)
        let kindText = try required(.kind)
        guard let kind = FacilityKind(text: kindText) else { throw ImportProblem.badValue(field: field(.kind), text: kindText) }
        let townText = try required(.town)
        guard let town = places.first(where: { $0.kind.level == 1 && ($0.name == townText || $0.code == townText) }) else {
            throw ImportProblem.unknownTown(townText)
        }
        var placeCode = town.code
        if let text = values[.community], !text.isEmpty {
            guard let community = places.first(where: { $0.parentCode == town.code && ($0.name == text || $0.code == text) }) else {
                throw ImportProblem.unknownCommunity(community: text, town: town.name)
            }
            placeCode = community.code
        }
        let capacity = try count(.capacity) ?? 0
        let occupancy = try count(.occupancy) ?? 0
        if occupancy > capacity { throw ImportProblem.occupancyAboveCapacity(occupancy: occupancy, capacity: capacity) }
        let stars = try count(.starRating)
        if let stars, !(1...3).contains(stars) {
            throw ImportProblem.badValue(field: field(.starRating), text: String(stars))
        }
        let facility = Facility(code: code, name: name, kind: kind, placeCode: placeCode, capacity: capacity,
                                occupancy: occupancy, starRating: stars,
                                certifications: Set(ImportValues.tags(values[.certifications] ?? "")),
                                nursingBeds: try count(.nursingBeds))
        if let error = facility.validationErrors().first {
            throw ImportProblem.badValue(field: error.field, text: error.message)
        }
        return facility
    }
}

extension Store {
    /// Writes a clean plan's new facilities in one transaction, with an audit row.
    /// `actor` is who acted (an admin, when `--as` was used), `user` the Steward user acted as.
    @discardableResult
    public func commitFacilities(_ plan: ImportPlan<Facility>, actor: String, user: String? = nil, source: String = "",
                                 at now: Date = Date()) throws -> Int {
        precondition(plan.isClean, "a plan with bad rows is never committed")
        return try writeImmediate { db in
            var added = 0
            for (_, facility) in plan.additions {
                if try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM facilities WHERE code = ?)",
                                     arguments: [facility.code]) == true { continue }
                try CatalogWriter.insertFacility(facility, db)
                added += 1
            }
            try AuditWriter.append(action: "import.facilities", actor: actor, userID: try UserWriter.id(user ?? actor, db),
                                   objectType: "file", objectID: source, runID: nil, scriptHash: nil,
                                   details: ["added": String(added), "unchanged": String(plan.unchanged)], at: now, db)
            return added
        }
    }
}
