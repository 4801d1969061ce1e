import Foundation
import GRDB
import StewardCore
import Testing
@testable import StewardStore

/// Members are read by column position straight from SQLite (`MemberRow`, `StoredRow`), with
/// ids chosen first for filters an index serves out of id order (`MemberSQL.select`). These
/// tests pin what that must not change — every attribute comes back as written, rows and their
/// order are those of the plain query — and what a value changed outside Steward gives: an
/// error naming the row and column.
@Suite("Reading members")
struct MemberReadingTests {
    /// A member with every attribute set, in a community, with a rehabilitation place and tags.
    static func everything(community: String) throws -> Member {
        let birth = try CivilDate(parsing: "2016-04-30")
        var member = Member(id: 0, identityNumber: try IdentityNumber.make(region: "320482", birthDate: birth, sequence: 7),
                            name: "欧阳小明", placeCode: Fixture.jincheng, communityCode: community,
                            phone: try PhoneNumber("0519-82812345"),
                            household: HouseholdFlags(minimumLivingAllowance: true, registeredPoor: true),
                            tags: ["winter-warmth-2025", "hospital-stay", "a"])
        member.disability = DisabilityCertificate(number: "32048220160430007X42", category: .intellectual, grade: 2,
                                                  issued: try CivilDate(parsing: "2020-01-31"), expiry: try CivilDate(parsing: "2030-01-30"))
        member.unionCard = UnionCard(cardNumber: "JT-0001", issued: try CivilDate(parsing: "2024-12-31"), modelWorker: .provincial,
                                     newFormWorker: .courier)
        member.elderly = ElderlyStatus(emptyNest: true, livingAlone: false, dependent: true, homeVisitHoursPerQuarter: 12)
        member.student = Student(university: "常州大学", admissionYear: 2024, annualHouseholdIncome: Money(fen: 3_456_789),
                                 appliedOn: try CivilDate(parsing: "2025-05-20"))
        member.rehabChild = RehabChild(centreCode: "jt-rehab", programmeStart: try CivilDate(parsing: "2025-03-01"))
        return member
    }

    /// The fixture plus a rehabilitation centre and one member with everything; returns its id.
    static func world() throws -> (Fixture, MemberID, Member) {
        let fixture = try Fixture()
        try fixture.store.addFacility(Facility(code: "jt-rehab", name: "金坛区康复培训中心", kind: .childRehabCentre,
                                               placeCode: Fixture.jincheng, capacity: 20, occupancy: 0))
        let community = try #require(try rows(fixture.store, """
            SELECT code FROM places WHERE parent_id = (SELECT id FROM places WHERE code = ?) ORDER BY code LIMIT 1
            """, [Fixture.jincheng]).first?.first)
        var member = try everything(community: community)
        let id = try #require(try fixture.store.addMembers([member]).first)
        member.id = id
        return (fixture, id, member)
    }

    @Test("every attribute comes back as written, by id, by identity number, in a query and a cursor")
    func roundTrip() throws {
        let (fixture, id, written) = try Self.world()
        defer { withExtendedLifetime(fixture) {} }
        try fixture.store.read { snapshot in
            #expect(try snapshot.member(id: id) == written)
            #expect(try snapshot.member(identityNumber: written.identityNumber) == written)
            #expect(try snapshot.member(id: id + 1000) == nil)
            var query = MemberQuery()
            query.hasDisabilityCertificate = true
            #expect(try snapshot.members(query) == [written])
            query.limit = 1
            #expect(try snapshot.members(query) == [written])
            let cursor = try snapshot.memberCursor(MemberQuery())
            var all: [Member] = []
            while let member = try cursor.next() { all.append(member) }
            #expect(all.map(\.id) == fixture.members + [id])
            #expect(all.last == written)
            // The fixture's plain members: no tags, no groups, no phone.
            #expect(all.first?.tags == [])
            #expect(all.first?.disability == nil && all.first?.phone == nil && all.first?.communityCode == nil)
        }
    }

    @Test("the export reads the employer, which Member does not carry")
    func exportReadsTheEmployer() throws {
        let (fixture, id, _) = try Self.world()
        defer { withExtendedLifetime(fixture) {} }
        try fixture.store.database.write { db in
            try db.execute(sql: "UPDATE members SET employer = '金坛顺丰速运' WHERE id = ?", arguments: [id])
        }
        var text = ""
        _ = try fixture.store.read { snapshot in
            try Exporter(format: .json, unmask: true, chineseHeaders: false).members(snapshot) { text += $0 }
        }
        #expect(text.contains("金坛顺丰速运"))
        #expect(text.contains("jt-rehab"))
    }

    /// Changes one stored value behind Steward's back and reads the member again, three ways.
    func readAfterTampering(_ sql: String) throws -> (MemberID, [StoreError]) {
        let (fixture, id, _) = try Self.world()
        defer { withExtendedLifetime(fixture) {} }
        try fixture.store.database.write { db in try db.execute(sql: sql, arguments: [id]) }
        var errors: [StoreError] = []
        try fixture.store.read { snapshot in
            for read in [{ _ = try snapshot.member(id: id) },
                         { _ = try snapshot.members(MemberQuery()) },
                         { _ = try Exporter(format: .csv, unmask: false, chineseHeaders: false).members(snapshot) { _ in } }] {
                do {
                    try read()
                    Issue.record("reading after `\(sql)` did not fail")
                } catch let error as StoreError {
                    errors.append(error)
                } catch {
                    Issue.record("reading after `\(sql)` failed with \(error), not a StoreError")
                }
            }
        }
        return (id, errors)
    }

    @Test("a value changed outside Steward is an error naming the row, the column and the problem", arguments: [
        ("""
         UPDATE members SET id_number = substr(id_number, 1, 17) || CASE substr(id_number, 18) WHEN '0' THEN '1' ELSE '0' END
         WHERE id = ?
         """, "id_number", "check character"),
        ("UPDATE members SET birth_date = '2016-02-30' WHERE id = ?", "birth_date", "2016-02-30 is not a real calendar date"),
        ("UPDATE members SET disability_cert_expiry = 'soon' WHERE id = ?", "disability_cert_expiry", "'soon' is not a date"),
        ("UPDATE members SET phone = '12345' WHERE id = ?", "phone", "'12345' is not a phone number"),
        ("UPDATE members SET student_admission_year = 'next year' WHERE id = ?", "student_admission_year",
         "the text 'next year' where a whole number is required"),
        ("UPDATE members SET home_visit_hours = 2.5 WHERE id = ?", "home_visit_hours", "the real number 2.5"),
        ("UPDATE members SET name = CAST(X'E6ACFF' AS TEXT) WHERE id = ?", "name", "not valid UTF-8"),
        ("UPDATE members SET name = '欧阳' || char(0) || '小明' WHERE id = ?", "name", "contains a NUL character"),
        ("UPDATE members SET union_card_issued = X'00' WHERE id = ?", "union_card_issued", "a blob of 1 bytes where text is required"),
        ("UPDATE members SET disability_cert_issued = '2020-13-01' WHERE id = ?", "disability_cert_issued", "not a real calendar date"),
        // Words a CHECK constraint keeps out, so only a file changed by other means holds them.
        // They were read as a default (category `multiple`, level `none`, no new form of work).
        ("PRAGMA ignore_check_constraints = ON; UPDATE members SET sex = 'unknown' WHERE id = ?", "sex",
         "the text 'unknown' is not a known sex"),
        ("PRAGMA ignore_check_constraints = ON; UPDATE members SET disability_category = 'Visual' WHERE id = ?",
         "disability_category", "the text 'Visual' is not a known disability category"),
        ("PRAGMA ignore_check_constraints = ON; UPDATE members SET model_worker = 'global' WHERE id = ?", "model_worker",
         "the text 'global' is not a known model worker level"),
        ("UPDATE members SET new_form_worker = 'astronaut' WHERE id = ?", "new_form_worker",
         "the text 'astronaut' is not a known new form of work"),
    ])
    func tamperedValues(sql: String, column: String, problem: String) throws {
        let (id, errors) = try readAfterTampering(sql)
        #expect(errors.count == 3)
        for error in errors {
            guard case let .invalidStoredValue(table, rowID, reported, message) = error else {
                Issue.record("\(error) is not invalidStoredValue")
                continue
            }
            #expect(table == "members" && rowID == id && reported == column)
            #expect(message.contains(problem), "\(message)")
            #expect(error.description.hasPrefix("members row \(id), column \(column): "))
            #expect(error.description.hasSuffix(
                ". Steward does not store such a value, so the database was changed by other means: correct or restore that row"))
            #expect(!error.description.contains(".."), "\(error)")
        }
    }

    /// Before: the town was joined to each member, and a member whose town id named no place
    /// was left out of every read without a word (a community's, read as none). Queries now
    /// read the ids and look the codes up (``PlaceCodes``); one member is still read with its
    /// places joined.
    @Test("a town or community id that names no place is an error naming the row, not a member left out",
          arguments: [("town_id", "town_code"), ("community_id", "community_code")])
    func danglingPlace(column: String, joinedColumn: String) throws {
        let (fixture, id, _) = try Self.world()
        defer { withExtendedLifetime(fixture) {} }
        try fixture.store.database.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA foreign_keys = OFF")
            try db.execute(sql: "UPDATE members SET \(column) = 99999 WHERE id = ?", arguments: [id])
            try db.execute(sql: "PRAGMA foreign_keys = ON")
        }
        try fixture.store.read { snapshot in
            for read in [{ _ = try snapshot.members(MemberQuery()) },
                         { _ = try Exporter(format: .csv, unmask: false, chineseHeaders: false).members(snapshot) { _ in } }] {
                StoredValueTamperingTests.expectInvalid("members", id, column, "no place has id 99999", read)
            }
        }
        // One member is read with its places joined: the same problem, under the joined column.
        StoredValueTamperingTests.expectInvalid("members", id, joinedColumn, "no place has id 99999") {
            _ = try fixture.store.read { try $0.member(id: id) }
        }
    }

    @Test("the error reads as one sentence")
    func errorText() throws {
        let (id, errors) = try readAfterTampering("UPDATE members SET birth_date = '2016-02-30' WHERE id = ?")
        #expect(errors.first?.description == """
            members row \(id), column birth_date: 2016-02-30 is not a real calendar date. Steward does not store such a value, \
            so the database was changed by other means: correct or restore that row
            """)
    }

    @Test("a stored identity number in another accepted spelling is read, as before")
    func identityNumberSpellings() throws {
        // Steward stores the normalised form; a lower-case x (valid, not normalised) still reads.
        let (fixture, id, written) = try Self.world()
        defer { withExtendedLifetime(fixture) {} }
        let lower = written.identityNumber.value.lowercased()
        try fixture.store.database.write { db in
            try db.execute(sql: "UPDATE members SET id_number = ? WHERE id = ?", arguments: [" " + lower, id])
        }
        #expect(try fixture.store.read { try $0.member(id: id)?.identityNumber } == written.identityNumber)
    }
}

/// `MemberSQL.select` chooses ids first for some filters and not others; either way the rows
/// and their order must be those of the plain query over the same WHERE and ORDER BY.
@Suite("Member queries: ids-first and plain SQL agree")
struct MemberQueryShapeTests {
    /// 3,000 demo members: every group attribute, tags, communities.
    static func demo(_ directory: TemporaryDirectory) throws -> Store {
        let store = try Store.open(at: directory.path("demo.db"), mode: .create)
        _ = try store.generateDemo(DemoOptions(members: 3_000, seed: 11, adminAccount: "tester"))
        return store
    }

    static func queries() -> [(String, MemberQuery)] {
        var result: [(String, MemberQuery)] = []
        func add(_ name: String, _ configure: (inout MemberQuery) -> Void) {
            var query = MemberQuery()
            configure(&query)
            result.append((name, query))
        }
        let on = try! CivilDate(parsing: "2025-06-15")
        add("everyone") { _ in }
        add("disability") { $0.hasDisabilityCertificate = true }
        add("no disability") { $0.hasDisabilityCertificate = false }
        add("disability by id desc") { $0.hasDisabilityCertificate = true; $0.order = [MemberOrder(.id, descending: true)] }
        add("disability, limit 5") { $0.hasDisabilityCertificate = true; $0.limit = 5 }
        add("disability by grade desc") { $0.hasDisabilityCertificate = true; $0.order = [MemberOrder(.disabilityGrade, descending: true)] }
        add("disability by town") { $0.hasDisabilityCertificate = true; $0.order = [MemberOrder(.town)] }
        add("categories") { $0.disabilityCategories = [.visual, .mental] }
        add("grades 1–2") { $0.disabilityGrades = 1...2 }
        add("grade 2") { $0.disabilityGrades = 2...2 }
        add("grade 2, limit 3") { $0.disabilityGrades = 2...2; $0.limit = 3 }
        add("grade 3 by id desc, limit 4") { $0.disabilityGrades = 3...3; $0.order = [MemberOrder(.id, descending: true)]; $0.limit = 4 }
        add("grade 3, physical or visual") { $0.disabilityGrades = 3...3; $0.disabilityCategories = [.physical, .visual] }
        add("grade 4 by town") { $0.disabilityGrades = 4...4; $0.order = [MemberOrder(.town)] }
        add("grade 2 by birth date, 60 or older") { $0.disabilityGrades = 2...2; $0.requireAge(atLeast: 60, on: on); $0.order = [MemberOrder(.birthDate)] }
        add("a town") { $0.placeCodes = [Fixture.jincheng] }
        add("a town, disability") { $0.scopePlaceCode = Fixture.jincheng; $0.hasDisabilityCertificate = true }
        add("a town by birth date") { $0.placeCodes = [Fixture.jincheng]; $0.order = [MemberOrder(.birthDate)] }
        add("elderly") { $0.elderly = true }
        add("elderly by community desc") { $0.elderly = true; $0.order = [MemberOrder(.community, descending: true)] }
        add("union card, limit 7") { $0.hasUnionCard = true; $0.limit = 7 }
        add("tag") { $0.tags = ["winter-warmth-2025"] }
        add("hardship, 18 or younger") { $0.inHardship = true; $0.requireAge(atMost: 18, on: on) }
        add("80 or older by birth date") { $0.requireAge(atLeast: 80, on: on); $0.order = [MemberOrder(.birthDate)] }
        add("women") { $0.sex = .female }
        add("minimum living allowance by birth date desc") { $0.minimumLivingAllowance = true; $0.order = [MemberOrder(.birthDate, descending: true)] }
        add("union card") { $0.hasUnionCard = true }
        add("certificate expiring") {
            $0.certificateExpiring = try! CivilDate(parsing: "2025-01-01")...CivilDate(parsing: "2027-12-31")
        }
        add("ids") { $0.ids = [5, 3, 2_999, 1_234, 77] }
        add("everyone, limit 0") { $0.limit = 0 }
        add("everyone by name, limit 20") { $0.order = [MemberOrder(.name)]; $0.limit = 20 }
        return result
    }

    @Test("same rows in the same order as the plain query, for filters, orders and limits")
    func sameRows() throws {
        let directory = TemporaryDirectory()
        let store = try Self.demo(directory)
        try store.read { snapshot in
            let places = try snapshot.placeIndex()
            for (name, query) in Self.queries() {
                let filter = try MemberSQL.whereClause(query, places: places)
                var arguments = filter.arguments
                var plain = "SELECT m.id \(MemberSQL.from) WHERE \(filter.sql) ORDER BY \(MemberSQL.orderClause(query.order))"
                if let limit = query.limit {
                    plain += " LIMIT ?"
                    _ = arguments.append(contentsOf: [limit])
                }
                let expected = try MemberID.fetchAll(snapshot.db, sql: plain, arguments: arguments)
                let members = try snapshot.members(query)
                #expect(members.map(\.id) == expected, "\(name)")
                #expect(query.limit == 0 || expected.count > 1, "\(name): \(expected.count): the demo should have several such members")
                for member in members.prefix(3) {
                    #expect(try snapshot.member(id: member.id) == member, "\(name)")
                }
            }
        }
    }

    /// The plan SQLite makes for a query's SELECT.
    static func plan(_ store: Store, _ configure: (inout MemberQuery) -> Void) throws -> [String] {
        var query = MemberQuery()
        configure(&query)
        return try store.read { snapshot in
            let compiled = try MemberSQL.select(query, places: try snapshot.placeIndex())
            return try Row.fetchAll(snapshot.db, sql: "EXPLAIN QUERY PLAN " + compiled.sql, arguments: compiled.arguments)
                .map { $0["detail"] as String }
        }
    }

    @Test("ids first where an index serves the filter out of id order, and only there")
    func idsFirstWhereItPays() throws {
        let directory = TemporaryDirectory()
        let store = try Self.demo(directory)
        // Certificate holders (schema 3): their own index lists them in id order, so SQLite
        // walks it and reads each row as it goes: no scan of every member, no sort, no id list.
        let disability = try Self.plan(store) { $0.hasDisabilityCertificate = true; $0.order = [MemberOrder(.id)] }
        #expect(disability.contains { $0.contains("members_certified") }, "\(disability)")
        #expect(!disability.contains { $0 == "SCAN m" }, "\(disability)")
        #expect(!disability.contains { $0.contains("TEMP B-TREE") }, "\(disability)")
        for (name, holders): (String, (inout MemberQuery) -> Void) in [
            ("members_union_card_holders", { $0.hasUnionCard = true }),
            ("members_students", { $0.student = true }),
            ("members_elderly_people", { $0.elderly = true }),
        ] {
            let plan = try Self.plan(store, holders)
            #expect(plan.contains { $0.contains(name) } && !plan.contains { $0.contains("TEMP B-TREE") }, "\(plan)")
        }
        // A grade range comes from the grade index, out of id order: in id order the ids are
        // sorted in Swift and each row read by its key, SQLite builds no temporary B-tree of
        // ids (`LIST SUBQUERY`) either. In another order it sorts.
        func lookup(_ configure: (inout MemberQuery) -> Void) throws -> IDLookup? {
            var query = MemberQuery()
            configure(&query)
            return try store.read { try MemberSQL.select(query, places: try $0.placeIndex()).idLookup }
        }
        #expect(try lookup { $0.hasDisabilityCertificate = true } == nil)
        #expect(try lookup { $0.disabilityGrades = 1...2 }?.descending == false)
        #expect(try lookup { $0.disabilityGrades = 1...2; $0.order = [MemberOrder(.id, descending: true)] }?.descending == true)
        #expect(try lookup { $0.disabilityGrades = 1...2; $0.order = [MemberOrder(.disabilityGrade)] } == nil)
        #expect(try lookup { $0.placeCodes = [Fixture.jincheng] } == nil)
        // One grade (schema 5): the grade index lists it in id order, so SQLite walks it, with
        // or without a limit, and sorts nothing.
        #expect(try lookup { $0.disabilityGrades = 2...2 } == nil)
        for limit in [nil, 3] as [Int?] {
            let one = try Self.plan(store) { $0.disabilityGrades = 2...2; $0.limit = limit }
            #expect(one.contains { $0.contains("members_disability_grade (disability_grade=?)") }, "\(one)")
            #expect(!one.contains { $0.contains("TEMP B-TREE") || $0 == "SCAN m" }, "\(one)")
        }
        let grades = try Self.plan(store) { $0.disabilityGrades = 1...2 }
        #expect(grades.contains { $0.contains("members_disability_grade") }, "\(grades)")
        #expect(!grades.contains { $0 == "SCAN m" || $0.contains("LIST SUBQUERY") }, "\(grades)")
        // A town's members come from its index in id order: no id list in front.
        let town = try Self.plan(store) { $0.placeCodes = [Fixture.jincheng] }
        #expect(town.contains { $0.contains("members_town") }, "\(town)")
        #expect(!town.contains { $0.contains("LIST SUBQUERY") }, "\(town)")
        // No index for sex: one scan in id order, no id list either.
        let women = try Self.plan(store) { $0.sex = .female }
        #expect(women.contains { $0.hasPrefix("SCAN m") }, "\(women)")
        #expect(!women.contains { $0.contains("LIST SUBQUERY") }, "\(women)")
    }
}

@Suite("The id list a member query passes to SQLite")
struct MemberIDListTests {
    @Test func writtenAsAJSONArray() {
        #expect(MemberRows.jsonArray([]) == "[]")
        #expect(MemberRows.jsonArray([7]) == "[7]")
        #expect(MemberRows.jsonArray([0, 10, 999_999, -3]) == "[0,10,999999,-3]")
        #expect(MemberRows.jsonArray([Int64.max, Int64.min]) == "[9223372036854775807,-9223372036854775808]")
    }
}
