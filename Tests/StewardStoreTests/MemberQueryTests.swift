import Foundation
import StewardCore
import Testing
@testable import StewardStore

@Suite("Member and facility queries")
struct MemberQueryTests {
    /// Six people with known attributes, in two towns.
    static func world() throws -> Fixture {
        let fixture = try Fixture()
        var blind = Fixture.member("周明", birth: "1960-02-29", sequence: 33, town: Fixture.rulin, tags: ["winter-warmth-2025"])
        blind.disability = DisabilityCertificate(number: "c1", category: .visual, grade: 1,
                                                 issued: try CivilDate(parsing: "2015-07-01"), expiry: try CivilDate(parsing: "2025-07-01"))
        blind.household = HouseholdFlags(minimumLivingAllowance: true)
        var deaf = Fixture.member("吴娟", birth: "1975-05-05", sequence: 44, town: Fixture.jincheng)
        deaf.disability = DisabilityCertificate(number: "c2", category: .hearing, grade: 3,
                                                issued: try CivilDate(parsing: "2016-01-01"), expiry: try CivilDate(parsing: "2026-01-01"))
        deaf.unionCard = UnionCard(cardNumber: "u1", issued: try CivilDate(parsing: "2020-01-01"), modelWorker: .city)
        var rider = Fixture.member("孙杰", birth: "1995-12-12", sequence: 55, town: Fixture.jincheng, tags: ["winter-warmth-2025"])
        rider.unionCard = UnionCard(cardNumber: "u2", issued: try CivilDate(parsing: "2022-01-01"), newFormWorker: .deliveryRider)
        try fixture.store.addMembers([blind, deaf, rider])
        return fixture
    }

    func names(_ store: Store, _ configure: (inout MemberQuery) -> Void) throws -> [String] {
        var query = MemberQuery()
        configure(&query)
        return try store.read { try $0.members(query).map(\.name) }
    }

    @Test("filters narrow in SQL and the order is total")
    func filters() throws {
        let fixture = try Self.world()
        defer { withExtendedLifetime(fixture) {} }
        let store = fixture.store
        #expect(try names(store) { _ in } == ["王芳", "李强", "陈静", "周明", "吴娟", "孙杰"])
        #expect(try names(store) { $0.placeCodes = [Fixture.jincheng] } == ["王芳", "李强", "吴娟", "孙杰"])
        #expect(try names(store) { $0.scopePlaceCode = Fixture.rulin } == ["陈静", "周明"])
        #expect(try names(store) { $0.tags = ["winter-warmth-2025"] } == ["周明", "孙杰"])
        #expect(try names(store) { $0.hasDisabilityCertificate = true } == ["周明", "吴娟"])
        #expect(try names(store) { $0.disabilityGrades = 1...2 } == ["周明"])
        #expect(try names(store) { $0.disabilityCategories = [.hearing] } == ["吴娟"])
        #expect(try names(store) {
            $0.certificateExpiring = try! CivilDate(parsing: "2025-06-15")...CivilDate(parsing: "2025-07-15")
        } == ["周明"])
        #expect(try names(store) { $0.hasUnionCard = true } == ["吴娟", "孙杰"])
        #expect(try names(store) { $0.modelWorker = true } == ["吴娟"])
        #expect(try names(store) { $0.modelWorker = false } == ["孙杰"])
        #expect(try names(store) { $0.newFormWorkerKinds = [.deliveryRider] } == ["孙杰"])
        #expect(try names(store) { $0.minimumLivingAllowance = true } == ["周明"])
        #expect(try names(store) { $0.inHardship = false; $0.sex = .female } == ["王芳", "陈静", "吴娟"])
        #expect(try names(store) { $0.requireAge(atLeast: 80, on: try! CivilDate(parsing: "2025-06-15")) } == ["李强"])
        #expect(try names(store) { $0.requireAge(atMost: 18, on: try! CivilDate(parsing: "2025-06-15")) } == ["陈静"])
        #expect(try names(store) {
            $0.order = [MemberOrder(.disabilityGrade), MemberOrder(.birthDate, descending: true)]
        } == ["周明", "吴娟", "陈静", "孙杰", "王芳", "李强"])
        #expect(try names(store) { $0.order = [MemberOrder(.birthDate)]; $0.limit = 2 } == ["李强", "周明"])
    }

    @Test("script text can never become SQL: unknown fields are refused, values are bound")
    func injection() throws {
        let fixture = try Self.world()
        defer { withExtendedLifetime(fixture) {} }
        let store = fixture.store
        #expect(MemberField(name: "name; DROP TABLE members") == nil)
        #expect(MemberField(name: "applied_at") == .appliedOn)
        #expect(try names(store) { $0.tags = ["x' OR '1'='1"] } == [])
        #expect(throws: StoreError.notFound(kind: "place", key: "1 OR 1=1")) {
            _ = try names(store) { $0.placeCodes = ["1 OR 1=1"] }
        }
        #expect(try rows(store, "SELECT COUNT(*) FROM members") == [["6"]])
    }

    @Test("counts, group counts and sums are computed by SQLite")
    func aggregates() throws {
        let fixture = try Self.world()
        defer { withExtendedLifetime(fixture) {} }
        let store = fixture.store
        try store.database.write { db in try db.execute(sql: "UPDATE members SET home_visit_hours = 8, elderly = 1 WHERE id = 2") }
        try store.read { snapshot in
            var query = MemberQuery()
            #expect(try snapshot.countMembers(query) == 6)
            let byTown = try snapshot.countMembers(query, by: .town)
            #expect(byTown.map(\.label) == ["金城镇", "儒林镇"])
            #expect(byTown.map(\.key) == [.text(Fixture.jincheng), .text(Fixture.rulin)])
            #expect(byTown.map(\.count) == [4, 2])
            #expect(try snapshot.countMembers(query, by: .disabilityGrade).map(\.count) == [1, 1, 4])
            #expect(try snapshot.sumMembers(query, of: .homeVisitHours) == .integer(8))
            query.limit = 3
            #expect(try snapshot.countMembers(query) == 3)
            #expect(throws: StoreError.self) { try snapshot.sumMembers(MemberQuery(), of: .name) }
        }
    }

    @Test("a cursor streams rows, and other queries can run while it is open")
    func streaming() throws {
        let fixture = try Self.world()
        defer { withExtendedLifetime(fixture) {} }
        let store = fixture.store
        let seen = try store.read { snapshot in
            let cursor = try snapshot.memberCursor(MemberQuery())
            var seen: [String] = []
            while let member = try cursor.next() {
                seen.append("\(member.name):\(try snapshot.countMembers(MemberQuery()))")
                if seen.count == 2 { break }
            }
            return seen
        }
        #expect(seen == ["王芳:6", "李强:6"])
    }

    @Test("facility queries filter, order and group")
    func facilities() throws {
        let fixture = try Fixture()
        try fixture.store.addFacility(Facility(code: "jt-dph-01", name: "金城镇残疾人之家", kind: .disabledPersonsHome,
                                               placeCode: Fixture.jincheng, capacity: 30, occupancy: 27, starRating: 3,
                                               certifications: ["ISO 9001:2015"],
                                               inspections: [Inspection(kind: .fireSafety, date: try CivilDate(parsing: "2024-03-01"), passed: true)]))
        try fixture.store.read { snapshot in
            var query = FacilityQuery()
            query.occupancyBelowPercent = 80
            #expect(try snapshot.facilities(query).map(\.code) == ["jt-shelter"])
            query = FacilityQuery()
            query.certification = "ISO 9001:2015"
            #expect(try snapshot.facilities(query).map(\.code) == ["jt-dph-01"])
            query = FacilityQuery()
            query.inspectionOverdue = (.fireSafety, try CivilDate(parsing: "2024-06-15"))
            #expect(try snapshot.facilities(query).map(\.code) == ["jt-dph-01", "jt-shelter"])
            query = FacilityQuery()
            query.order = [FacilityOrder(.occupancyRate, descending: true)]
            #expect(try snapshot.facilities(query).map(\.code) == ["jt-dph-01", "jt-shelter"])
            #expect(try snapshot.facility(code: "jt-dph-01")?.inspections.count == 1)
            #expect(try snapshot.countFacilities(FacilityQuery(), by: .kind).map(\.count) == [1, 1])
        }
    }
}
