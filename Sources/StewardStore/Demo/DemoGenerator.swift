import Foundation
import GRDB
import StewardCore

/// Error raised when `steward demo` is pointed at a database that already has people in it.
public struct DemoTargetNotEmpty: Error, Sendable, Equatable, CustomStringConvertible {
    public let path: String
    public let members: Int
    public var description: String {
        "\(path) already holds \(members) members; the demo fills only a new or empty database"
    }
}

extension Store {
    /// Fills an empty database with the demo district (see ``DemoOptions``), in one
    /// transaction: either the whole district is there or nothing is.
    public func generateDemo(_ options: DemoOptions) throws -> DemoSummary {
        try writeImmediate { db in
            let existing = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM members") ?? 0
            guard existing == 0 else { throw DemoTargetNotEmpty(path: path, members: existing) }
            var generator = DemoGenerator(options: options)
            // A million random identity numbers go into a UNIQUE index: with SQLite's default
            // 2 MB page cache every insert would miss; 256 MB keeps the indices in memory.
            let cacheSize = try Int.fetchOne(db, sql: "PRAGMA cache_size") ?? -2000
            try db.execute(sql: "PRAGMA cache_size = -262144")
            defer { try? db.execute(sql: "PRAGMA cache_size = \(cacheSize)") }
            return try generator.generate(db)
        }
    }
}

/// Builds the demo district. Everything derives from the seed through one
/// ``SeededGenerator`` consumed in a fixed order, and nothing iterates a hash map, so the same
/// seed writes the same rows in the same order.
struct DemoGenerator {
    let options: DemoOptions
    var generator: SeededGenerator
    var summary = DemoSummary()
    let template = DistrictTemplate.jintan
    /// A fixed instant on the demo's today (08:00 in Shanghai) for every created_at.
    let createdAt: Date

    init(options: DemoOptions) {
        self.options = options
        generator = SeededGenerator(seed: options.seed)
        createdAt = options.today.startOfDay().addingTimeInterval(8 * 3600)
    }

    mutating func generate(_ db: Database) throws -> DemoSummary {
        let total = max(0, options.members)
        let year = options.today.year
        _ = try PlaceWriter.install(template, db)
        _ = try UserWriter.ensureAdmin(osAccount: options.adminAccount, at: createdAt, db)
        for user in DemoCatalog.staff where try UserWriter.id(user.name, db) == nil {
            try UserWriter.insert(user, osAccount: nil, at: createdAt, db)
        }
        (summary.programmes, summary.budgets) = try DemoCatalog.install(year: year, db)

        // Designated groups, scaled to the district's size where DOMAIN.md's figures are
        // per-district counts (28 students, 431 posts) and proportional where they are rates.
        let students = min(28, total / 40)
        let posts = min(431, total / 20)
        let rehabChildren = min(total / 10, max(10, 104 * total / 540_000))
        let loans = min(total / 20, max(10, 60 * total / 540_000))
        var facilities = DemoFacilities()
        try facilities.install(template: template, today: options.today, rehabChildren: rehabChildren, &generator, db)
        summary.facilities = facilities.count

        var roles = [DemoPeople.Role](repeating: .none, count: total)
        for (role, count, offset) in [(DemoPeople.Role.student, students, 7), (.rehabChild, rehabChildren, 13),
                                      (.postHolder, posts, 3), (.loanHolder, loans, 17)] where count > 0 {
            for k in 0..<count {
                var index = (k * total / count + offset) % total
                while roles[index] != .none { index = (index + 1) % total }
                roles[index] = role
            }
        }

        // Secondary indices are built once after the bulk load: sorting a million keys once is
        // far cheaper than a million random B-tree inserts. Their SQL comes from the schema
        // itself, so the demo cannot drift from the migrations.
        let indices = try Row.fetchAll(db, sql: """
            SELECT name, sql FROM sqlite_master
            WHERE type = 'index' AND tbl_name IN ('members', 'member_tags') AND sql IS NOT NULL ORDER BY name
            """).map { (name: $0["name"] as String, sql: $0["sql"] as String) }
        for index in indices { try db.execute(sql: "DROP INDEX \(index.name)") }
        var people = DemoPeople(today: options.today, template: template, rehabCentre: facilities.rehabCentreCode)
        var writer = try MemberWriter(db)
        var postHolders: [(MemberID, String)] = []
        var loanHolders: [MemberID] = []
        let registeredOn = options.today.iso
        let soon = try options.today.adding(days: 30)
        for index in 0..<total {
            let person = try people.person(role: roles[index], &generator)
            let id = try writer.insert(person.member, employer: person.employer, hoursUsed: person.hoursUsed,
                                       hoursQuarter: person.hoursQuarter, registeredOn: registeredOn)
            count(person.member, soon: soon)
            if roles[index] == .postHolder { postHolders.append((id, person.member.placeCode)) }
            if roles[index] == .loanHolder { loanHolders.append(id) }
            if index % 10_000 == 9_999 { options.progress?(index + 1, total) }
        }
        options.progress?(total, total)
        for index in indices { try db.execute(sql: index.sql) }
        try insertPosts(postHolders, stations: facilities.homeCareStations, db)
        try insertLoans(loanHolders, db)
        var caseload = DemoCaseload(seed: options.seed, today: options.today, createdAt: createdAt)
        try caseload.install(members: total, db)
        summary.hospitalStays = caseload.hospitalStays
        summary.reliefRequests = caseload.reliefRequests
        summary.waiting = caseload.waiting
        try AuditWriter.append(action: "demo.generate", actor: options.adminAccount, userID: try UserWriter.id(options.adminAccount, db),
                               objectType: nil, objectID: nil, runID: nil, scriptHash: nil,
                               details: ["members": String(total), "seed": String(options.seed), "today": options.today.iso],
                               at: createdAt, db)
        return summary
    }

    private mutating func count(_ member: Member, soon: CivilDate) {
        summary.members += 1
        if let certificate = member.disability {
            summary.certifiedDisabled += 1
            if certificate.expiry >= options.today && certificate.expiry <= soon { summary.certificatesExpiringWithin30Days += 1 }
        }
        if let card = member.unionCard {
            summary.unionCards += 1
            if card.isModelWorker { summary.modelWorkers += 1 }
            if card.newFormWorker != nil { summary.newFormWorkers += 1 }
        }
        if member.age(on: options.today) >= 80 { summary.elderly80Plus += 1 }
        if member.student != nil { summary.students += 1 }
        if member.rehabChild != nil { summary.rehabChildren += 1 }
    }

    /// One public-welfare post per holder, at a home-care station in their town, paid
    /// 2,280–2,580 yuan a month (never below the minimum wage), with social insurance.
    private mutating func insertPosts(_ holders: [(MemberID, String)], stations: [String: [String]], _ db: Database) throws {
        let statement = try db.makeStatement(sql: """
            INSERT INTO welfare_posts (code, title, place_id, facility_id, member_id, monthly_pay_fen, social_insurance, starts_on)
            VALUES (?, ?, (SELECT id FROM places WHERE code = ?), (SELECT id FROM facilities WHERE code = ?), ?, ?, 1, ?)
            """)
        let titles = ["居家养老服务员", "助餐服务员", "养老护理员", "社区助老员"]
        for (index, (member, town)) in holders.enumerated() {
            let townStations = stations[town] ?? []
            let station = townStations.isEmpty ? nil : townStations[generator.below(townStations.count)]
            try statement.execute(arguments: [
                "gy-" + DemoPeople.digits(index + 1, 3), titles[generator.below(titles.count)], town, station, member,
                Int64(228_000 + 10_000 * generator.below(4)), try options.today.adding(days: -generator.between(30, 900)).iso,
            ])
            summary.welfarePosts += 1
        }
    }

    /// Entrepreneurship loans: 50,000–300,000 yuan for one year at 4.3 % with a 3 % premium;
    /// loans already due were mostly repaid on time.
    private mutating func insertLoans(_ holders: [MemberID], _ db: Database) throws {
        let statement = try db.makeStatement(sql: """
            INSERT INTO loans (code, member_id, programme_id, principal_fen, interest_rate_bp, premium_rate_bp, starts_on,
                               due_on, repaid_on)
            VALUES (?, ?, (SELECT id FROM programmes WHERE code = 'entrepreneurship-loan'), ?, 430, 300, ?, ?, ?)
            """)
        for (index, member) in holders.enumerated() {
            let start = try options.today.adding(days: -generator.between(30, 500))
            let due = try start.adding(years: 1)
            let repaid: String? = due <= options.today && generator.below(10) < 8
                ? try due.adding(days: -generator.between(0, 20)).iso : nil
            try statement.execute(arguments: [
                "cbd-" + DemoPeople.digits(index + 1, 4), member, Int64(generator.between(5, 30)) * 1_000_000,
                start.iso, due.iso, repaid,
            ])
            summary.loans += 1
        }
    }
}
