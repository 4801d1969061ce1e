import Foundation
import GRDB
import StewardCore
import Testing
@testable import StewardStore

@Suite("The demo district")
struct DemoTests {
    /// SHA-256 over every table's rows, in order: equal hashes mean equal databases.
    static func contentHash(_ store: Store) throws -> String {
        try store.database.read { db in
            let tables = try String.fetchAll(db, sql: """
                SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name
                """)
            var text = ""
            for table in tables {
                text += "## \(table)\n"
                // Sorted in Swift: some tables have no rowid and composite keys.
                for line in try Row.fetchAll(db, sql: "SELECT * FROM \(table)").map(\.description).sorted() {
                    text += line + "\n"
                }
            }
            return SHA256.hex(text)
        }
    }

    static func demo(_ directory: TemporaryDirectory, _ name: String, members: Int, seed: UInt64) throws -> (Store, DemoSummary) {
        let store = try Store.open(at: directory.path(name), mode: .create)
        let summary = try store.generateDemo(DemoOptions(members: members, seed: seed, adminAccount: "tester"))
        return (store, summary)
    }

    @Test("the same seed gives the same database; another seed another one")
    func deterministic() throws {
        let directory = TemporaryDirectory()
        let (first, _) = try Self.demo(directory, "a.db", members: 3_000, seed: 42)
        let (second, _) = try Self.demo(directory, "b.db", members: 3_000, seed: 42)
        let (third, _) = try Self.demo(directory, "c.db", members: 3_000, seed: 43)
        #expect(try Self.contentHash(first) == Self.contentHash(second))
        #expect(try Self.contentHash(first) != Self.contentHash(third))
    }

    @Test("the district looks like Jintan: proportions, groups, facilities, programmes")
    func realistic() throws {
        let directory = TemporaryDirectory()
        let (store, summary) = try Self.demo(directory, "jintan.db", members: 20_000, seed: 1)
        #expect(summary.members == 20_000)
        // Jintan: about 14,000 certified of 540,000 residents, i.e. 2.6 %.
        #expect((400...640).contains(summary.certifiedDisabled))
        #expect(summary.certificatesExpiringWithin30Days > 5)
        #expect(summary.students == 28)
        #expect(summary.welfarePosts == 431)
        #expect(try rows(store, "SELECT COUNT(*) FROM facilities") == [[String(summary.facilities)]])
        #expect(try rows(store, "SELECT COUNT(*), SUM(star_rating = 3) FROM facilities WHERE kind = 'disabled_persons_home'")
            == [["11", "5"]])
        #expect(try rows(store, "SELECT COUNT(*) FROM welfare_posts WHERE monthly_pay_fen < 228000") == [["0"]])
        #expect(try rows(store, "SELECT COUNT(DISTINCT member_id) FROM welfare_posts") == [["431"]])
        #expect(try rows(store, "SELECT code, total_fen FROM budgets WHERE code = 'relief-2025'") == [["relief-2025", "300000000"]])
        #expect(try rows(store, "SELECT quota_limit, hard FROM quotas") == [["20000", "1"]])
        #expect(try rows(store, "SELECT name, role FROM users WHERE os_account = 'tester'") == [["tester", "admin"]])
        let read = try store.read { snapshot in
            var eighty = MemberQuery()
            eighty.requireAge(atLeast: 80, on: DemoOptions.defaultToday)
            var students = MemberQuery()
            students.tags = ["student-hardship"]
            return (try snapshot.countMembers(eighty), try snapshot.countMembers(students),
                    try snapshot.members(students).allSatisfy { $0.student != nil })
        }
        #expect(read.0 == summary.elderly80Plus)
        #expect(read.0 > 400)
        #expect(read.1 == 28)
        #expect(read.2)
        // Every identity number is valid, matches its holder's birth date and sex, and is unique.
        try store.read { snapshot in
            let cursor = try snapshot.memberCursor(MemberQuery())
            var seen = Set<String>()
            while let member = try cursor.next() {
                #expect(member.identityNumber.birthDate == member.birthDate)
                #expect(member.identityNumber.sex == member.sex)
                #expect(seen.insert(member.identityNumber.value).inserted)
                #expect(member.validationErrors().isEmpty)
            }
            #expect(seen.count == 20_000)
        }
    }

    @Test("a database that already has members is refused")
    func refusesFilledDatabase() throws {
        let directory = TemporaryDirectory()
        let (store, _) = try Self.demo(directory, "full.db", members: 100, seed: 1)
        #expect(throws: DemoTargetNotEmpty(path: store.path, members: 100)) {
            try store.generateDemo(DemoOptions(members: 100, seed: 1, adminAccount: "tester"))
        }
    }
}
