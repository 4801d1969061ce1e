import Foundation
import GRDB
import StewardCore

/// A member read from a file, with the columns Core's ``Member`` does not carry.
public struct ImportedMember: Sendable, Hashable {
    public var member: Member
    public var employer: String?
}

/// Reads a members CSV (Chinese or English headers; UTF-8 with or without BOM, or GB18030)
/// into an ``ImportPlan``. Every bad row is reported with its line and reason; identity
/// numbers are the natural key, so re-importing a file adds nothing.
public struct MemberImporter {
    let language: ImportLanguage
    let today: CivilDate

    public init(language: ImportLanguage, today: CivilDate) {
        self.language = language
        self.today = today
    }

    /// Plans the import of `data` against what `store` holds now.
    public func plan(_ data: Data, store: Store) throws -> ImportPlan<ImportedMember> {
        let (text, encoding) = try TextDecoding.decode(data)
        var plan = ImportPlan<ImportedMember>(encoding: encoding)
        let records = try CSVReader.parse(text)
        guard let headerRecord = records.first else {
            plan.errors.append(ImportRowError(line: 1, problem: .emptyFile))
            return plan
        }
        let header = ImportHeader(headerRecord.fields, match: MemberColumn.matching)
        for required in [MemberColumn.name, .idNumber, .town] where !header.has(required) {
            plan.errors.append(ImportRowError(line: headerRecord.line, problem: .missingColumn(field(required))))
        }
        guard plan.errors.isEmpty else { return plan }

        try store.read { snapshot in
            let places = try snapshot.places()
            let facilities = Set(try snapshot.facilities(FacilityQuery()).map(\.code))
            let reader = MemberRowReader(importer: self, places: places, facilities: facilities)
            var firstLine: [String: Int] = [:]
            var firstCardLine: [String: Int] = [:]
            var parsed: [(Int, ImportedMember)] = []
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
                switch reader.member(values) {
                case .failure(let problem):
                    plan.errors.append(ImportRowError(line: record.line, problem: problem))
                case .success(let imported):
                    let member = imported.member
                    if let first = firstLine[member.identityNumber.value] {
                        plan.errors.append(ImportRowError(line: record.line, problem: .duplicateInFile(firstLine: first)))
                    } else if let card = member.unionCard?.cardNumber, let first = firstCardLine[card] {
                        // The database keeps card numbers unique: caught here, not as a failed commit.
                        plan.errors.append(ImportRowError(line: record.line, problem: .unionCardInFile(number: card, firstLine: first)))
                    } else {
                        if let card = member.unionCard?.cardNumber { firstCardLine[card] = record.line }
                        firstLine[member.identityNumber.value] = record.line
                        parsed.append((record.line, imported))
                    }
                }
            }
            let existing = try snapshot.existingMembers(parsed.map(\.1.member.identityNumber.value))
            let cardHolders = try snapshot.unionCardHolders(parsed.compactMap(\.1.member.unionCard?.cardNumber))
            for (line, imported) in parsed {
                let member = imported.member
                if let card = member.unionCard?.cardNumber, let holder = cardHolders[card],
                   holder.identityNumber != member.identityNumber.value {
                    plan.errors.append(ImportRowError(line: line, problem: .unionCardInDatabase(number: card, existingName: holder.name)))
                } else if let known = existing[member.identityNumber.value] {
                    if known.name == member.name && known.town == member.placeCode {
                        plan.unchanged += 1
                    } else {
                        plan.errors.append(ImportRowError(line: line, problem: .duplicateInDatabase(existingName: known.name)))
                    }
                } else {
                    plan.additions.append((line, imported))
                }
            }
        }
        // Rows found in the database are judged after the file is read; report in file order.
        plan.errors.sort { $0.line < $1.line }
        return plan
    }

    /// A column's name in the user's language, for messages.
    func field(_ column: MemberColumn) -> String {
        language == .chinese ? column.chineseHeader : column.rawValue
    }
}

extension StoreSnapshot {
    /// Name and town code of the members among `identityNumbers` already stored.
    func existingMembers(_ identityNumbers: [String]) throws -> [String: (name: String, town: String)] {
        var found: [String: (name: String, town: String)] = [:]
        let select = "SELECT m.id_number, m.name, t.code FROM members m JOIN places t ON t.id = m.town_id WHERE m.id_number"
        for row in try rows(select, in: identityNumbers) { found[row[0]] = (row[1], row[2]) }
        return found
    }

    /// Who holds each of the union card numbers `cards` that are already stored.
    func unionCardHolders(_ cards: [String]) throws -> [String: (identityNumber: String, name: String)] {
        var found: [String: (identityNumber: String, name: String)] = [:]
        for row in try rows("SELECT union_card, id_number, name FROM members WHERE union_card", in: cards) {
            found[row[0]] = (row[1], row[2])
        }
        return found
    }

    /// The rows of `select` (ending in the column to match) `IN` `values`, asked 500 values at
    /// a time: SQLite limits the parameters one statement may bind.
    private func rows(_ select: String, in values: [String]) throws -> [Row] {
        var rows: [Row] = []
        var start = 0
        while start < values.count {
            let chunk = Array(values[start..<min(start + 500, values.count)])
            let sql = select + " IN (" + chunk.map { _ in "?" }.joined(separator: ",") + ")"
            rows += try Row.fetchAll(db, sql: sql, arguments: StatementArguments(chunk))
            start += 500
        }
        return rows
    }
}

extension Store {
    /// Writes a clean plan's new members in one transaction, with an audit row. Members added
    /// by someone else since the plan was made are skipped, not duplicated.
    /// - Returns: how many members were added.
    /// `actor` is who acted (an admin, when `--as` was used), `user` the Steward user acted as.
    @discardableResult
    public func commitMembers(_ plan: ImportPlan<ImportedMember>, actor: String, user: String? = nil, source: String = "",
                              at now: Date = Date()) throws -> Int {
        precondition(plan.isClean, "a plan with bad rows is never committed")
        return try writeImmediate { db in
            var writer = try MemberWriter(db)
            var added = 0
            for (_, imported) in plan.additions {
                let member = imported.member
                if try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM members WHERE id_number = ?)",
                                     arguments: [member.identityNumber.value]) == true { continue }
                try writer.insert(member, employer: imported.employer, registeredOn: CivilDate(now).iso)
                added += 1
            }
            try AuditWriter.append(action: "import.members", actor: actor, userID: try UserWriter.id(user ?? actor, db),
                                   objectType: "file", objectID: source, runID: nil, scriptHash: nil,
                                   details: ["added": String(added), "unchanged": String(plan.unchanged),
                                             "encoding": plan.encoding.rawValue], at: now, db)
            return added
        }
    }
}
