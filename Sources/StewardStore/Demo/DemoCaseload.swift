import Foundation
import GRDB
import StewardCore

/// The demo's open cases, added after the residents: what offices have on their desks in
/// mid-June and the scripts in Scripts/ work through.
///
/// - hospital stays of union members this year and late last year, as member tags
///   `hospital-stay` plus one `hospital-stay:YYYY-MM-DD:DAYS` per stay (admission date,
///   length of stay), for hospital consolation (住院慰问);
/// - applications for temporary relief (临时救助) made in the last 30 days, as tags
///   `relief-request` plus `relief-request:YYYY-MM-DD:YUAN`;
/// - the relief fund's disbursements of the earlier months of the year (monthly totals), so
///   the fund is two-thirds spent by June as real ones are;
/// - people waiting for a place at the sheltered care centre and the star workshop.
///
/// It draws from its own generator (derived from the seed), so the residents, posts and loans
/// are exactly those of a demo without it.
struct DemoCaseload {
    let today: CivilDate
    let createdAt: Date
    var generator: SeededGenerator

    /// Stays and requests found, for tests and the summary.
    var hospitalStays = 0
    var reliefRequests = 0
    var waiting = 0

    init(seed: UInt64, today: CivilDate, createdAt: Date) {
        self.today = today
        self.createdAt = createdAt
        generator = SeededGenerator(seed: seed ^ 0x5354_4557_4152_4421)
    }

    mutating func install(members total: Int, _ db: Database) throws {
        try addHospitalStays(db)
        try addReliefRequests(count: min(80, total / 30), db)
        try addReliefHistory(db)
        try addWaitlist(db)
    }

    /// About 4 % of union members were in hospital since last October: stays of 1–45 days,
    /// most of them short, one person's stays never overlapping, all ended by today.
    private mutating func addHospitalStays(_ db: Database) throws {
        let ids = try Int64.fetchAll(db, sql: "SELECT id FROM members WHERE union_card IS NOT NULL ORDER BY id")
        let from = try CivilDate(year: today.year - 1, month: 10, day: 1)
        let span = from.days(until: today)
        let lengths = WeightedTable<ClosedRange<Int>>([(1...2, 15), (3...6, 32), (7...14, 30), (15...30, 16), (31...45, 7)])
        let tag = try db.makeStatement(sql: "INSERT OR IGNORE INTO member_tags (member_id, tag) VALUES (?, ?)")
        for id in ids where generator.chance(permille: 40) {
            // Most once; some two or three times; a few under long treatment (化疗, 透析)
            // go back every month or two for two to four weeks.
            let roll = generator.below(100)
            let chronic = roll >= 92
            let stays = roll < 60 ? 1 : roll < 82 ? 2 : roll < 92 ? 3 : 5
            try tag.execute(arguments: [id, "hospital-stay"])
            // One stay in each of `stays` equal stretches of the months since October.
            let stretch = span / stays
            for index in 0..<stays {
                let range = chronic ? 15...30 : lengths.pick(&generator)
                let days = min(generator.between(range.lowerBound, range.upperBound), stretch - 1)
                let admitted = try from.adding(days: index * stretch + generator.below(stretch - days))
                try tag.execute(arguments: [id, "hospital-stay:\(admitted.iso):\(days)"])
                hospitalStays += 1
            }
        }
    }

    /// Adults applying for emergency help in the last 30 days: 2,000–30,000 yuan each.
    private mutating func addReliefRequests(count: Int, _ db: Database) throws {
        let adult = try today.adding(years: -18).iso
        let ids = try Int64.fetchAll(db, sql: "SELECT id FROM members WHERE birth_date <= ? ORDER BY id", arguments: [adult])
        guard !ids.isEmpty else { return }
        let tag = try db.makeStatement(sql: "INSERT INTO member_tags (member_id, tag) VALUES (?, ?)")
        var chosen = Set<Int64>()
        while chosen.count < min(count, ids.count) {
            let id = ids[generator.below(ids.count)]
            guard chosen.insert(id).inserted else { continue }
            let applied = try today.adding(days: -generator.between(0, 30))
            let yuan = generator.between(2, 30) * 1_000
            try tag.execute(arguments: [id, "relief-request"])
            try tag.execute(arguments: [id, "relief-request:\(applied.iso):\(yuan)"])
            reliefRequests += 1
        }
    }

    /// One summary disbursement per month before today's, about 400,000 yuan each.
    private func addReliefHistory(_ db: Database) throws {
        let monthly: [Int64] = [372_500, 418_000, 356_200, 461_300, 392_000, 405_800, 388_900, 420_100, 379_600,
                                 411_200, 398_400]
        let statement = try db.makeStatement(sql: """
            INSERT INTO ledger (budget_id, kind, amount_fen, programme_id, period, memo, created_at)
            VALUES ((SELECT id FROM budgets WHERE code = ?), 'disbursement', ?,
                    (SELECT id FROM programmes WHERE code = 'temporary-relief'), ?, ?, ?)
            """)
        for month in 1..<today.month {
            let period = try Period.month(today.year, month)
            let at = period.lastDay.startOfDay().addingTimeInterval(17 * 3600)
            try statement.execute(arguments: [
                "relief-\(today.year)", monthly[month - 1] * 100, period.description,
                "\(today.year)年\(month)月临时救助发放（汇总）", Timestamp.text(at),
            ])
        }
    }

    /// Three people waiting for the sheltered care centre (grades 1–2, aged 16–59) and five
    /// for the star workshop (intellectual, mental or multiple disabilities), in the order they
    /// applied over the last months.
    private mutating func addWaitlist(_ db: Database) throws {
        let oldest = try today.adding(years: -60).adding(days: 1).iso
        let youngest = try today.adding(years: -16).iso
        let shelter = try Int64.fetchAll(db, sql: """
            SELECT id FROM members WHERE disability_grade <= 2 AND birth_date BETWEEN ? AND ? ORDER BY id
            """, arguments: [oldest, youngest])
        let workshop = try Int64.fetchAll(db, sql: """
            SELECT id FROM members WHERE disability_category IN ('intellectual', 'mental', 'multiple')
              AND birth_date BETWEEN ? AND ? ORDER BY id
            """, arguments: [oldest, youngest])
        var taken = Set<Int64>()
        var entries: [(member: Int64, facility: String, daysAgo: Int)] = []
        for (candidates, facility, count) in [(shelter, "jt-shelter-01", 3), (workshop, "jt-star-01", 5)] {
            var pool = candidates.filter { !taken.contains($0) }
            for _ in 0..<min(count, pool.count) {
                let member = pool.remove(at: generator.below(pool.count))
                taken.insert(member)
                entries.append((member, facility, generator.between(10, 200)))
            }
        }
        let statement = try db.makeStatement(sql: """
            INSERT INTO waitlist (programme_id, member_id, facility_id, reason, natural_key, status, created_at, status_at)
            VALUES ((SELECT id FROM programmes WHERE code = 'sheltered-care'), ?, (SELECT id FROM facilities WHERE code = ?),
                    ?, ?, 'waiting', ?, ?)
            """)
        // Oldest application first, so the queue order is the order of the rows.
        for entry in entries.sorted(by: { ($0.daysAgo, $0.member) > ($1.daysAgo, $1.member) }) {
            let at = Timestamp.text(createdAt.addingTimeInterval(-Double(entry.daysAgo) * 86_400))
            let key = WaitlistEffect(memberID: entry.member, programmeCode: "sheltered-care", facilityCode: entry.facility,
                                     reason: "").naturalKey
            try statement.execute(arguments: [entry.member, entry.facility, "申请托养，等待空位", key, at, at])
            waiting += 1
        }
    }
}
