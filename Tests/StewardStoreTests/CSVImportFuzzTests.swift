import Foundation
import GRDB
import StewardCore
import Testing
@testable import StewardStore
import TestRandom

/// Bad input everywhere, for `steward import members`: generated member files, written out in
/// every layout people's tools produce and then damaged — truncated, bytes flipped, invalid
/// UTF-8, GB18030, byte-order marks, stray quotes, huge fields, columns missing or extra, rows
/// duplicated. Each case must end in a clear outcome:
///
/// - the file is refused as a whole (not text, or malformed CSV with a line number), or
/// - a plan with every bad row named by line, in English and Chinese, or
/// - a clean plan that commits exactly its additions, in one transaction.
///
/// Planning never writes; a commit that fails leaves the database as it was. Layouts that only
/// change how the same table is written (quoting, line endings, BOM, GB18030, padding) must
/// give the same plan as the plain file, and an undamaged file imports exactly its people.
@Suite("Fuzz: member CSV import")
struct CSVImportFuzzTests {
    static let today = try! CivilDate(parsing: "2025-06-15")
    static let now = Date(timeIntervalSince1970: 1_749_945_600)

    /// A database with Jintan's places, an admin and two members, built once and copied.
    static let template: String = {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("steward-csv-fuzz-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent("template.db").path
        do {
            let store = try Store.open(at: path, mode: .create)
            _ = try store.installDistrict(.jintan)
            _ = try store.ensureAdmin(osAccount: "admin", at: now)
            let birth = try CivilDate(parsing: "1990-01-01")
            var member = Member(id: 0, identityNumber: try IdentityNumber.make(region: "320482", birthDate: birth, sequence: 2),
                                name: "王芳", placeCode: "320482100")
            member.unionCard = UnionCard(cardNumber: "JT000002", issued: birth, modelWorker: .none, newFormWorker: nil)
            try store.addMembers([member])
            try store.database.writeWithoutTransaction { try $0.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
        } catch {
            fatalError("could not build the CSV fuzz template: \(error)")
        }
        atexit { try? FileManager.default.removeItem(at: URL(fileURLWithPath: CSVImportFuzzTests.template).deletingLastPathComponent()) }
        return path
    }()

    /// A private copy of the template; the file goes when the value does.
    struct Copy {
        let directory = TemporaryDirectory()
        let store: Store

        init() throws {
            let target = directory.path("import.db")
            try FileManager.default.copyItem(atPath: CSVImportFuzzTests.template, toPath: target)
            store = try Store.open(at: target, mode: .readWrite)
        }
    }

    static let places: MemberSheet.Places = {
        // Read from a copy: opening the template itself read-write (a probe write, then a
        // checkpoint on close) raced with tests copying it, which then and again copied a torn
        // file ("not a Steward database").
        let copy = try! Copy()
        return MemberSheet.Places(try! copy.store.read { try $0.places() })
    }()

    /// Every table's rows, to compare a database before and after.
    static func contents(_ store: Store) throws -> [String: [String]] {
        var result: [String: [String]] = [:]
        for table in ["members", "member_tags", "audit"] { result[table] = try dump(store, table) }
        return result
    }

    /// The outcome of importing `data`, checked against the rules in the suite's description.
    /// Returns the plan (nil if the file was refused as a whole) and a description of the first
    /// rule broken, if any.
    static func importChecked(_ data: Data, store: Store, commit: Bool) -> (plan: ImportPlan<ImportedMember>?, problem: String?) {
        let lineCount = data.reduce(1) { $0 + ($1 == 0x0A || $1 == 0x0D ? 1 : 0) }
        let before: [String: [String]]
        do { before = try contents(store) } catch { return (nil, "cannot read the database: \(error)") }
        let plan: ImportPlan<ImportedMember>
        do {
            plan = try MemberImporter(language: .english, today: today).plan(data, store: store)
        } catch let error as TextDecodingError {
            return error.description.isEmpty ? (nil, "an empty decoding error") : (nil, nil)
        } catch let error as CSVError {
            if !(1...lineCount).contains(error.line) { return (nil, "CSV error at line \(error.line) of \(lineCount): \(error)") }
            return error.reason.isEmpty ? (nil, "a CSV error without a reason") : (nil, nil)
        } catch {
            return (nil, "the file was refused with an unexpected error: \(type(of: error)): \(error)")
        }
        if (try? contents(store)) != before { return (plan, "planning changed the database") }

        for error in plan.errors {
            guard (1...lineCount).contains(error.line) else { return (plan, "row error at line \(error.line) of \(lineCount)") }
            let english = error.message(.english), chinese = error.message(.chinese)
            guard english.hasPrefix("line \(error.line): "), chinese.hasPrefix("第\(error.line)行："),
                  english.count > "line \(error.line): ".count + 3 else {
                return (plan, "an unclear row error: '\(english)' / '\(chinese)'")
            }
        }
        let lines = plan.additions.map(\.line)
        guard lines == lines.sorted(), Set(lines).count == lines.count else { return (plan, "additions out of order: \(lines)") }
        for (line, imported) in plan.additions where !imported.member.isValid {
            return (plan, "line \(line) was planned as an invalid member: \(imported.member.validationErrors())")
        }
        guard commit, plan.isClean else { return (plan, nil) }

        // A clean plan commits exactly its additions, or nothing at all.
        let count = (try? store.read { try Int.fetchOne($0.db, sql: "SELECT COUNT(*) FROM members") ?? 0 }) ?? -1
        do {
            let added = try store.commitMembers(plan, actor: "admin", source: "fuzz.csv", at: now)
            guard added == plan.additions.count else { return (plan, "committed \(added) of \(plan.additions.count) additions") }
            for (line, imported) in plan.additions {
                let stored = try store.read { snapshot in
                    try Row.fetchOne(snapshot.db, sql: """
                        SELECT m.name, t.code FROM members m JOIN places t ON t.id = m.town_id WHERE m.id_number = ?
                        """, arguments: [imported.member.identityNumber.value])
                }
                guard let stored, stored[0] as String == imported.member.name, stored[1] as String == imported.member.placeCode else {
                    return (plan, "line \(line) was not stored as planned")
                }
            }
            let after = try store.read { try Int.fetchOne($0.db, sql: "SELECT COUNT(*) FROM members") ?? 0 }
            if after != count + added { return (plan, "\(after - count) members were added, not \(added)") }
            return (plan, nil)
        } catch {
            let unchanged = (try? contents(store)) == before
            return (plan, "a clean plan failed to commit (\(unchanged ? "nothing written" : "THE DATABASE CHANGED")): \(error)")
        }
    }

    // MARK: - Damage

    /// One way of damaging a file, applied to the table or to its bytes.
    enum Damage: CaseIterable {
        case truncate, flipBytes, insertInvalidUTF8, insertQuote, insertNUL, deleteRange, doubleBOM, utf16
        case dropField, extraField, dropHeaderColumn, duplicateRow, sameCardNewPerson, hugeField, garbageCell
        case emptyRequired, swapCells, semicolons, blankFile
    }

    static func damage(_ sheet: inout MemberSheet, _ data: inout Data, _ kind: Damage, _ random: inout SplitMix64) {
        func anyRow() -> Int? {
            let filled = sheet.rows.indices.filter { !sheet.rows[$0].isEmpty }
            return filled.isEmpty ? nil : random.pick(filled)
        }
        func anyColumn() -> Int { random.int(0...(sheet.header.count - 1)) }
        func anyOffset() -> Int { random.int(0...data.count) }
        switch kind {
        case .truncate: data = data.prefix(anyOffset())
        case .flipBytes:
            for _ in 0..<random.int(1...5) where !data.isEmpty {
                let offset = random.int(0...(data.count - 1))
                data[data.startIndex + offset] ^= UInt8(1 << random.int(0...7))
            }
        case .insertInvalidUTF8:
            data.insert(contentsOf: random.pick([[0xFF], [0xC0, 0x80], [0x80], [0xE4, 0xB8], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80]]),
                        at: data.startIndex + anyOffset())
        case .insertQuote: data.insert(UInt8(ascii: "\""), at: data.startIndex + anyOffset())
        case .insertNUL: data.insert(0, at: data.startIndex + anyOffset())
        case .deleteRange:
            let start = anyOffset()
            let end = min(data.count, start + random.int(1...40))
            data.removeSubrange((data.startIndex + start)..<(data.startIndex + end))
        case .doubleBOM: data.insert(contentsOf: [0xEF, 0xBB, 0xBF, 0xEF, 0xBB, 0xBF], at: data.startIndex)
        case .utf16:
            let text = String(decoding: data, as: UTF8.self)
            data = Data([0xFF, 0xFE]) + (text.data(using: .utf16LittleEndian) ?? Data())
        case .dropField:
            if let r = anyRow(), !sheet.rows[r].isEmpty { sheet.rows[r].remove(at: random.int(0...(sheet.rows[r].count - 1))) }
        case .extraField:
            if let r = anyRow() { sheet.rows[r].append(random.pick(["x", "多余", " ", ""])) }
        case .dropHeaderColumn: sheet.header.remove(at: anyColumn())
        case .duplicateRow:
            if let r = anyRow() { sheet.rows.insert(sheet.rows[r], at: random.int(0...sheet.rows.count)) }
        case .sameCardNewPerson:
            // Another person with a union card number already used, in the file or the database.
            guard let r = anyRow(), let idColumn = sheet.header.firstIndex(where: { MemberColumn.matching($0) == .idNumber }),
                  let cardColumn = sheet.header.firstIndex(where: { MemberColumn.matching($0) == .unionCard }) else { return }
            var copy = sheet.rows[r]
            guard copy.count == sheet.header.count else { return }
            let birth = try! CivilDate(year: 1970, month: 1, day: random.int(1...28))
            copy[idColumn] = try! IdentityNumber.make(region: "320482", birthDate: birth, sequence: 900 + random.int(0...50)).value
            if let sex = sheet.header.firstIndex(where: { MemberColumn.matching($0) == .sex }) { copy[sex] = "" }
            if let date = sheet.header.firstIndex(where: { MemberColumn.matching($0) == .birthDate }) { copy[date] = "" }
            copy[cardColumn] = random.chance(50) && !copy[cardColumn].isEmpty ? copy[cardColumn] : "JT000002"
            if let issued = sheet.header.firstIndex(where: { MemberColumn.matching($0) == .unionCardIssued }) { copy[issued] = "" }
            sheet.rows.append(copy)
        case .hugeField:
            if let r = anyRow() {
                let c = random.int(0...(sheet.rows[r].count - 1))
                sheet.rows[r][c] = String(repeating: random.pick(["王", "a", "\"", ",", "\n"]), count: random.int(10_000...200_000))
            }
        case .garbageCell:
            if let r = anyRow() {
                let c = random.int(0...(sheet.rows[r].count - 1))
                let alphabet: [Character] = Array("\"',;\r\n\t =+-@0123456789xX年月日是否\u{0}\u{7}\u{1B}\u{200B}\u{FEFF}\u{3000}") + ["é", "👨‍👩‍👧"]
                sheet.rows[r][c] = String((0..<random.int(0...20)).map { _ in random.pick(alphabet) })
            }
        case .emptyRequired:
            if let r = anyRow() { sheet.rows[r][random.int(0...2) % sheet.rows[r].count] = "" }
        case .swapCells:
            if let r = anyRow(), sheet.rows[r].count > 1 { sheet.rows[r].swapAt(0, random.int(1...(sheet.rows[r].count - 1))) }
        case .semicolons:
            data = Data(data.map { $0 == UInt8(ascii: ",") ? UInt8(ascii: ";") : $0 })
        case .blankFile:
            data = random.pick([Data(), Data([0xEF, 0xBB, 0xBF]), Data("\n\n".utf8), Data("\r\n".utf8)])
        }
    }

    static func isByteDamage(_ kind: Damage) -> Bool {
        switch kind {
        case .truncate, .flipBytes, .insertInvalidUTF8, .insertQuote, .insertNUL, .deleteRange, .doubleBOM, .utf16, .semicolons, .blankFile:
            return true
        default:
            return false
        }
    }

    // MARK: - Tests

    @Test("undamaged files in any layout import exactly their people; the layout changes nothing")
    func layoutsImportTheSamePeople() throws {
        let shared = try Copy()
        let store = shared.store
        for seed in Fuzz.seeds(base: 0xC5F0_0000, short: 40, long: 800) {
            var random = SplitMix64(seed: seed)
            let sheet = MemberSheet.random(&random, places: Self.places, count: random.int(0...(Fuzz.long ? 60 : 12)))
            let layout = MemberSheet.Layout.random(&random)
            let context = "\(Fuzz.name(seed)), layout \(layout), header \(sheet.header)"
            let (plain, plainProblem) = Self.importChecked(sheet.bytes(), store: store, commit: false)
            if let plainProblem { Issue.record("\(context): plain file: \(plainProblem)"); continue }
            guard let plain else { Issue.record("\(context): a valid file was refused"); continue }
            #expect(plain.errors.isEmpty, "\(context): \(plain.errors.map { $0.message(.english) })")
            #expect(plain.additions.map { MemberSheet.Person($0.record.member) } == sheet.people, "\(context)")
            #expect(plain.additions.map(\.line) == Array(2..<(2 + sheet.people.count)), "\(context)")

            let committing = try Copy()
            let (laidOut, problem) = Self.importChecked(sheet.bytes(layout), store: committing.store, commit: true)
            if let problem { Issue.record("\(context): \(problem)"); continue }
            #expect(laidOut?.errors == plain.errors, "\(context)")
            #expect(laidOut?.additions.map(\.line) == plain.additions.map(\.line), "\(context)")
            #expect(laidOut?.additions.map(\.record) == plain.additions.map(\.record), "\(context)")
            #expect(laidOut?.encoding == (layout.gb18030 ? .gb18030 : layout.bom ? .utf8WithBOM : .utf8), "\(context)")
        }
    }

    @Test("damaged files end in a clear error or a correct result, and a failed commit writes nothing")
    func damagedFilesEndClearly() throws {
        let shared = try Copy()
        let store = shared.store
        let before = try Self.contents(store)
        var outcomes: [String: Int] = [:]
        for seed in Fuzz.seeds(base: 0xC5F1_0000, short: 200, long: 3_000) {
            var random = SplitMix64(seed: seed)
            var sheet = MemberSheet.random(&random, places: Self.places, count: random.int(1...8))
            let layout = MemberSheet.Layout.random(&random)
            let damages = (0..<random.int(1...3)).map { _ in random.pick(Damage.allCases) }
            // Table damage first, then write the bytes, then byte damage.
            var data = Data()
            for kind in damages where !Self.isByteDamage(kind) { Self.damage(&sheet, &data, kind, &random) }
            data = sheet.bytes(layout)
            for kind in damages where Self.isByteDamage(kind) { Self.damage(&sheet, &data, kind, &random) }

            let clean = (try? MemberImporter(language: .english, today: Self.today).plan(data, store: store))?.isClean == true
            let committing = clean ? try Copy() : nil
            let (plan, problem) = Self.importChecked(data, store: committing?.store ?? store, commit: clean)
            outcomes[plan == nil ? "refused" : plan!.isClean ? "clean" : "row errors", default: 0] += 1
            if let problem {
                let preview = data.prefix(300).map { String(format: "%02x", $0) }.joined()
                Issue.record("\(Fuzz.name(seed)): \(problem). Damage \(damages), layout \(layout), \(data.count) bytes: \(preview)")
            }
        }
        #expect(try Self.contents(store) == before, "planning changed the shared database")
        for outcome in ["refused", "clean", "row errors"] {
            #expect(outcomes[outcome, default: 0] > 0, "no case ended \(outcome): \(outcomes)")
        }
    }

    /// A file cut short has no checksum to tell on it: the last row may lose the end of its
    /// last value. Every other row must import exactly as written — in particular a UTF-8 file
    /// cut inside a character must not be taken for GB18030, which turned its Chinese into
    /// mojibake that a clean plan then imported (found by this test: seeds 0xc5f20005, 0xc5f2004c, …).
    @Test("a file cut short anywhere is refused, or imports its whole rows exactly as written")
    func truncatedFiles() throws {
        let shared = try Copy()
        var refusedAsCut = 0
        for seed in Fuzz.seeds(base: 0xC5F2_0000, short: 150, long: 3_000) {
            var random = SplitMix64(seed: seed)
            let sheet = MemberSheet.random(&random, places: Self.places, count: random.int(1...6))
            var layout = MemberSheet.Layout.random(&random)
            let gb18030 = layout.gb18030 && random.chance(30)
            layout.gb18030 = gb18030
            let data = sheet.bytes(layout)
            let cut = data.prefix(random.int(0...data.count))
            let context = "\(Fuzz.name(seed)), layout \(layout), cut at \(cut.count) of \(data.count) bytes"
            let (plan, problem) = Self.importChecked(cut, store: shared.store, commit: false)
            if let problem { Issue.record("\(context): \(problem)"); continue }
            guard let plan else {
                refusedAsCut += 1
                continue
            }
            if String(validating: cut, as: UTF8.self) != nil {
                // An ASCII prefix of a GB18030 file is UTF-8 too; an empty file is UTF-8.
                #expect(plan.encoding == (cut.starts(with: [0xEF, 0xBB, 0xBF]) ? .utf8WithBOM : .utf8),
                        "\(context): read as \(plan.encoding.rawValue)")
            } else if gb18030 {
                #expect(plan.encoding == .gb18030, "\(context): read as \(plan.encoding.rawValue)")
            } else {
                // UTF-8 cut inside a character. Read as GB18030 only when nothing before the cut
                // was multi-byte (then only the cut character itself can come out wrong).
                #expect(plan.encoding != .gb18030 || !cut.dropLast(3).contains { $0 >= 0x80 },
                        "\(context): read as \(plan.encoding.rawValue)")
            }
            // Rows before the last one that survived are whole.
            let lastLine = plan.additions.map(\.line).max() ?? 0
            for (line, imported) in plan.additions where line < lastLine {
                #expect(MemberSheet.Person(imported.member) == sheet.people[line - 2], "\(context): line \(line)")
            }
        }
        #expect(refusedAsCut > 0, "no cut file was refused as a whole")
    }

    /// The files in `Corpus/csv-import/`: cases found or kept by the fuzzer, each replayed with
    /// the same rules (and committed when clean).
    @Test("the corpus of kept cases still ends clearly")
    func corpus() throws {
        let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Corpus/csv-import", isDirectory: true)
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".csv") }.sorted()
        #expect(names.count >= 10, "corpus files in \(directory.path)")
        for name in names {
            let data = try Data(contentsOf: directory.appendingPathComponent(name))
            let copy = try Copy()
            let (plan, problem) = Self.importChecked(data, store: copy.store, commit: true)
            if let problem { Issue.record("\(name): \(problem)") }
            // Files named `clean-*` must import; `refused-*` fail as a whole; `rows-*` have row errors.
            if name.hasPrefix("clean-") { #expect(plan?.isClean == true, "\(name): \(plan?.errors.map { $0.message(.english) } ?? [])") }
            if name.hasPrefix("refused-") { #expect(plan == nil, "\(name)") }
            if name.hasPrefix("rows-") { #expect(plan.map { !$0.isClean } == true, "\(name)") }
        }
    }

    // MARK: - Regressions found by `damagedFilesEndClearly`

    static func identity(_ birth: String, _ sequence: Int) -> String {
        try! IdentityNumber.make(region: "320482", birthDate: try! CivilDate(parsing: birth), sequence: sequence).value
    }

    /// Seed 0xc5f1002d (a NUL byte inserted into a name): the plan showed "王\0芳", the dry run
    /// said it would add her, and the commit stored "王" — SQLite binds text as a C string.
    @Test("regression: a control character in a value is a row error naming the field, in both languages")
    func controlCharactersAreRefused() throws {
        let copy = try Copy()
        let before = try Self.contents(copy.store)
        let text = """
            name,id_number,town,employer
            王\u{0}芳,\(Self.identity("1980-01-01", 12)),金城镇,
            李强,\(Self.identity("1980-01-02", 13)),金城镇,金坛\u{1B}[31m公司
            陈静,\(Self.identity("1980-01-03", 14)),金城镇,"第一行\r\n第二行\t"

            """
        let english = try MemberImporter(language: .english, today: Self.today).plan(Data(text.utf8), store: copy.store)
        #expect(english.errors.map { $0.message(.english) } == [
            "line 2: name contains the control character U+0000, which cannot be stored",
            "line 3: employer contains the control character U+001B, which cannot be stored",
        ])
        #expect(english.additions.map(\.line) == [4])  // line breaks and tabs inside a quoted cell are text
        let chinese = try MemberImporter(language: .chinese, today: Self.today).plan(Data(text.utf8), store: copy.store)
        #expect(chinese.errors.map { $0.message(.chinese) } == ["第2行：姓名含有控制字符U+0000，无法保存", "第3行：工作单位含有控制字符U+001B，无法保存"])
        #expect(try Self.contents(copy.store) == before)
    }

    /// Seeds 0xc5f1013b, 0xc5f10189 and more in the long run: two rows (or a row and a stored
    /// member) with one union card number made a clean plan whose commit then failed with
    /// "SQLite error 19: UNIQUE constraint failed: members.union_card". Nothing was written,
    /// but the dry run had promised an import the commit could never do.
    @Test("regression: a union card number used twice is a row error, not a failed commit")
    func unionCardNumbersAreUnique() throws {
        let copy = try Copy()
        let text = """
            name,id_number,town,union_card
            赵丽,\(Self.identity("1980-04-01", 12)),金城镇,JT777
            钱伟,\(Self.identity("1958-11-30", 31)),儒林镇,JT777
            孙娜,\(Self.identity("2001-01-01", 42)),金城镇,JT000002
            王芳,\(Self.identity("1990-01-01", 2)),金城镇,
            周杰,\(Self.identity("1970-05-05", 51)),金城镇,JT888

            """
        let plan = try MemberImporter(language: .english, today: Self.today).plan(Data(text.utf8), store: copy.store)
        #expect(plan.errors.map { $0.message(.english) } == [
            "line 3: union card number 'JT777' is already used on line 2",
            "line 4: union card number 'JT000002' already belongs to 王芳 in the database",
        ])
        #expect(plan.errors.map { $0.message(.chinese) } == [
            "第3行：工会卡号“JT777”与第2行重复",
            "第4行：工会卡号“JT000002”已属于数据库中的王芳",
        ])
        #expect(plan.unchanged == 1)  // 王芳 herself
        #expect(plan.additions.map(\.line) == [2, 6])

        // Without the bad rows the file commits.
        let fixed = text.split(separator: "\n").enumerated().filter { ![2, 3].contains($0.offset) }.map(\.element)
            .joined(separator: "\n")
        let clean = try MemberImporter(language: .english, today: Self.today).plan(Data(fixed.utf8), store: copy.store)
        #expect(clean.isClean, "\(clean.errors.map { $0.message(.english) })")
        #expect(try copy.store.commitMembers(clean, actor: "admin", at: Self.now) == 2)
    }
}
