import Foundation
import StewardCore
import Testing
@testable import StewardScripting
@testable import StewardStore

/// Each script in Scripts/ on the demo district (3,000 residents, seed 1, today 2025-06-15):
/// its exact effects in a dry run, checked against the data (an independent computation
/// in Swift where the rule is arithmetic) and against known figures; a dry run writes
/// nothing; a commit writes exactly those effects; a second commit proposes nothing new.
@Suite("Programme scripts on the demo district")
struct ProgrammeScriptTests {
    static let june15 = DemoDatabase.today

    // MARK: 1. Free health-check quota

    @Test("health checks: 20,000 shared among the 9 towns by union membership, exactly")
    func healthCheckQuota() throws {
        let demo = try DemoDatabase.copy()
        let report = try demo.dryRun("health_check_quota.lua")
        // Independent: union members per town from SQL, shared by Core's largest remainder.
        let counts = try demo.rows("""
            SELECT p.code, COUNT(*) FROM members m JOIN places p ON p.id = m.town_id
            WHERE m.union_card IS NOT NULL GROUP BY p.code
            """)
        var weights: [String: Int64] = [:]
        for row in counts { weights[row[0]] = Int64(row[1])! }
        let expected = try Allocation.largestRemainder(total: 20_000, weights: weights)

        let settings = report.quotaSettings
        #expect(settings.count == 9)
        #expect(report.effects.count == 9)
        #expect(settings.allSatisfy { $0.hard && $0.programmeCode == "free-health-check" && $0.period.description == "2025" })
        let shares = Dictionary(uniqueKeysWithValues: settings.map { ($0.placeCode ?? "-", Int64($0.limit)) })
        #expect(shares == expected)
        #expect(shares.values.reduce(0, +) == 20_000)
        // Known figures: 金城镇 has the most union members (105 → 3,602), 直溪镇 the fewest (33 → 1,132).
        #expect(shares["320482100"] == 3_602)
        #expect(shares["320482105"] == 1_132)
        #expect(report.output.contains("slots in all: 20000"))

        let (_, first, second) = try demo.commitTwice("health_check_quota.lua")
        #expect(first.effectCounts == ["set_quota": 9])
        #expect(try demo.rows("SELECT COUNT(*), SUM(quota_limit), MIN(hard) FROM quotas WHERE period = '2025' AND place_id <> (SELECT id FROM places WHERE kind = 'district')")
            == [["9", "20000", "1"]])
        #expect(second.alreadyApplied == 0)
        #expect(second.output.contains("quotas changed: 0"))
    }

    // MARK: 2. Dream scholarship

    @Test("dream scholarship: 21 students paid ¥7,000 in priority order, 7 waitlisted with the reason")
    func dreamScholarship() throws {
        let demo = try DemoDatabase.copy()
        let report = try demo.dryRun("dream_scholarship.lua")
        // Independent: the priority order in SQL (grade, no grade last; income; application date; id).
        let order = try demo.rows("""
            SELECT m.id FROM members m JOIN member_tags t ON t.member_id = m.id AND t.tag = 'student-hardship'
            ORDER BY m.disability_grade IS NULL, m.disability_grade, m.student_household_income_fen,
                     m.student_applied_on, m.id
            """).map { Int64($0[0])! }
        #expect(order.count == 28)
        let funded = Array(order.prefix(21)), waiting = Array(order.dropFirst(21))

        #expect(report.ledger.count == 42)
        #expect(report.ledger.map(\.memberID!) == funded.flatMap { [$0, $0] })
        #expect(report.ledger.map(\.benefitKind!) == Array(repeating: ["tuition", "living"], count: 21).flatMap { $0 })
        #expect(report.ledger.map(\.amount.fen) == Array(repeating: [500_000, 200_000], count: 21).flatMap { $0 })
        #expect(report.fenByBudget == ["dream-scholarship-2025": 14_700_000])
        #expect(report.budgets.map { [$0.code, String($0.beforeFen), String($0.afterFen)] }
            == [["dream-scholarship-2025", "15000000", "300000"]])
        #expect(report.waitlisted.map(\.memberID) == waiting)
        #expect(report.waitlisted.allSatisfy { $0.reason == "fund exhausted: ¥3,000.00 left, ¥7,000.00 needed" })
        // Known: the first in line is 徐平燕 (member 865, grade 3); the last waitlisted is member 115.
        #expect(funded.first == 865)
        #expect(waiting == [2900, 972, 8, 2258, 1508, 1829, 115])

        let (_, first, second) = try demo.commitTwice("dream_scholarship.lua")
        #expect(first.effectCounts == ["ledger": 42, "waitlist": 7])
        #expect(second.alreadyApplied == 7)   // the waitlist entries; paid students are skipped
        #expect(second.output.contains("already awarded: 21"))
        #expect(try demo.rows("SELECT COUNT(*) FROM waitlist WHERE status = 'waiting'") == [["15"]])   // 8 demo + 7
    }

    @Test("dream scholarship: money back in the fund pays the first waitlisted and marks them placed")
    func dreamScholarshipServesTheWaitlist() throws {
        let demo = try DemoDatabase.copy()
        try #require(try demo.run("dream_scholarship.lua", commit: true).committed)
        // ¥4,000 comes back to the fund: with the ¥3,000 left, the first waitlisted student
        // (member 2900) can be paid, and nobody else.
        let refund = try demo.lua("""
            budget "dream-scholarship-2025":refund(nil, yuan(4000), { memo = "unspent award returned", key = "test-refund" })
            """, commit: true)
        #expect(refund.committed, "\(refund.problem)")
        let again = try demo.run("dream_scholarship.lua")
        #expect(again.ledger.map(\.memberID) == [2900, 2900])
        #expect(again.waitlisted.isEmpty)
        #expect(again.alreadyApplied == 6)   // the six still waiting stay on the list
        #expect(again.updates.map(\.field.entity) == [.waitlistEntry])
        #expect(again.updates.first?.new == .text("placed"))
    }

    // MARK: 3. Public-welfare post pay

    @Test("welfare posts: 150 holders paid for June, ¥365,000 in all; a second run pays nothing; July pays again")
    func welfarePostPay() throws {
        let demo = try DemoDatabase.copy()
        let report = try demo.dryRun("welfare_post_pay.lua")
        let expectedTotal = try demo.int("SELECT SUM(monthly_pay_fen) FROM welfare_posts WHERE member_id IS NOT NULL")
        #expect(expectedTotal == 36_500_000)
        #expect(report.ledger.count == 150)
        #expect(report.fenByBudget == ["welfare-posts-2025": 36_500_000])
        #expect(report.ledger.allSatisfy { $0.period?.description == "2025-06" && $0.benefitKind == "wage" && $0.amount.fen >= 228_000 })
        #expect(Set(report.ledger.map(\.memberID!)).count == 150)
        let pays = try demo.rows("SELECT monthly_pay_fen, COUNT(*) FROM welfare_posts GROUP BY 1 ORDER BY 1")
        #expect(pays == [["228000", "42"], ["238000", "27"], ["248000", "40"], ["258000", "41"]])

        let (_, _, second) = try demo.commitTwice("welfare_post_pay.lua")
        #expect(second.alreadyApplied == 150)
        #expect(second.output.contains("already paid: 150"))
        let july = try demo.run("welfare_post_pay.lua", params: ["month": "2025-07"])
        #expect(july.ledger.count == 150)
        #expect(july.alreadyApplied == 0)
    }

    // MARK: 4. Home-visit hours

    @Test("home-visit hours: 67 reminders on 15 June, once per quarter; 128 records cleared on 30 June")
    func homeVisitHours() throws {
        let demo = try DemoDatabase.copy()
        let report = try demo.dryRun("home_visit_hours.lua")
        let expected = try demo.rows("""
            SELECT id FROM members WHERE elderly = 1 AND home_visit_hours > 0 AND home_visit_quarter = '2025-Q2'
              AND birth_date <= '1945-06-15' AND (home_visit_hours - home_visit_hours_used) * 2 >= home_visit_hours
            ORDER BY id
            """).map { $0[0] }
        #expect(expected.count == 67)
        #expect(report.reminders.map(\.subjectID).sorted() == expected.sorted())
        #expect(report.reminders.allSatisfy { $0.dueDate.iso == "2025-06-30" && $0.kind == "home_visit_hours" })
        #expect(report.effects.count == 67)

        try demo.commitTwice("home_visit_hours.lua")
        // A few days later: still nobody reminded twice this quarter.
        let later = try demo.run("home_visit_hours.lua", today: try CivilDate(parsing: "2025-06-20"))
        #expect(later.effects.isEmpty && later.alreadyApplied == 67)
        // Before the window: nothing at all.
        let early = try demo.dryRun("home_visit_hours.lua", today: try CivilDate(parsing: "2025-06-14"))
        #expect(early.effects.isEmpty && early.alreadyApplied == 0)

        // The quarter's last day: every 80+ record is cleared and moves to Q3.
        let lastDay = try CivilDate(parsing: "2025-06-30")
        let unused = try demo.int("""
            SELECT SUM(MAX(home_visit_hours - home_visit_hours_used, 0)) FROM members
            WHERE elderly = 1 AND home_visit_hours > 0 AND home_visit_quarter = '2025-Q2' AND birth_date <= '1945-06-30'
            """)
        #expect(unused == 538)
        let (dry, _, _) = try demo.commitTwice("home_visit_hours.lua", today: lastDay)
        #expect(dry.updates.count == 256)
        #expect(dry.reminders.isEmpty)
        #expect(dry.output.contains("records cleared: 128"))
        #expect(dry.output.contains("unused hours expiring: 538"))
        #expect(try demo.rows("""
            SELECT home_visit_quarter, SUM(home_visit_hours_used), COUNT(*) FROM members WHERE home_visit_hours > 0 GROUP BY 1
            """) == [["2025-Q3", "0", "128"]])
        // In the next quarter's window everybody has all their hours unused: all 128 reminded.
        let september = try demo.dryRun("home_visit_hours.lua", today: try CivilDate(parsing: "2025-09-15"))
        #expect(september.reminders.count == 128)
        #expect(september.reminders.allSatisfy { $0.dueDate.iso == "2025-09-30" })
    }

    @Test("home-visit hours: a missed quarter end is caught up on the next run")
    func homeVisitHoursCatchUp() throws {
        let demo = try DemoDatabase.copy()
        let report = try demo.dryRun("home_visit_hours.lua", today: try CivilDate(parsing: "2025-07-03"))
        #expect(report.updates.count == 256)
        #expect(report.updates.filter { $0.field.field == "home_visit_quarter" }.allSatisfy { $0.new == .text("2025-Q3") })
    }

    // MARK: 5. Hospital consolation

    @Test("hospital consolation: 30 stays paid ¥18,200 by length tier, 5 cut by the ¥2,000 annual cap")
    func hospitalConsolation() throws {
        let demo = try DemoDatabase.copy()
        let report = try demo.dryRun("hospital_consolation.lua")
        // Independent: stays from the tags, tiers and cap applied in Swift.
        let tags = try demo.rows("""
            SELECT m.id, t.tag FROM member_tags t JOIN members m ON m.id = t.member_id
            WHERE t.tag LIKE 'hospital-stay:2025-%' AND m.union_card IS NOT NULL ORDER BY m.id, t.tag
            """)
        var expected: [String: Int64] = [:]   // key → fen
        var paidSoFar: [String: Int64] = [:]
        var capped = 0
        for row in tags {
            let parts = row[1].split(separator: ":")
            let days = Int(parts[2])!
            let tier: Int64 = days >= 15 ? 80_000 : days >= 7 ? 50_000 : days >= 3 ? 30_000 : 0
            guard tier > 0 else { continue }
            let give = min(tier, 200_000 - paidSoFar[row[0], default: 0])
            if give < tier { capped += 1 }
            guard give > 0 else { continue }
            paidSoFar[row[0], default: 0] += give
            expected["hospital-consolation|m\(row[0])|\(parts[1])"] = give
        }
        let proposed = Dictionary(uniqueKeysWithValues: report.ledger.map { ($0.idempotencyKey!, $0.amount.fen) })
        #expect(proposed == expected)
        #expect(report.ledger.count == 30)
        #expect(capped == 5)
        #expect(report.fenByBudget == ["hospital-consolation-2025": 1_820_000])
        #expect(paidSoFar.values.allSatisfy { $0 <= 200_000 })
        #expect(report.output.contains("stays cut by the cap: 5"))
        // Known: 许林's third stay (30 days from 24 April) gets only the ¥400 left under the cap.
        #expect(report.ledger.contains { $0.memo == "住院 30 天（2025-04-24 入院）" && $0.amount.fen == 40_000 })

        try demo.commitTwice("hospital_consolation.lua")
    }

    @Test("hospital consolation: consolation paid earlier in the year counts against the cap")
    func hospitalConsolationEarlierPayments() throws {
        let demo = try DemoDatabase.copy()
        // 黄颖 (one 27-day stay, ¥800) was already given ¥1,500 under the programme this year.
        let memberID = try demo.int("SELECT member_id FROM member_tags WHERE tag = 'hospital-stay:2025-01-21:27'")
        let earlier = try demo.lua("""
            budget "hospital-consolation-2025":grant(member(\(memberID)), yuan(1500),
              { programme = "hospital-consolation", kind = "hospital", period = "2025-02", key = "earlier-visit" })
            """, commit: true)
        #expect(earlier.committed, "\(earlier.problem)")
        let report = try demo.dryRun("hospital_consolation.lua")
        let hers = report.ledger.filter { $0.memberID == memberID }
        #expect(hers.map(\.amount.fen) == [50_000])
    }

    // MARK: 6. Entrepreneurship-loan subsidy

    @Test("loan subsidy: 4 loans repaid on time get ¥55,288.64 in 12 lines that add up exactly")
    func loanInterestSubsidy() throws {
        let demo = try DemoDatabase.copy()
        let report = try demo.dryRun("loan_interest_subsidy.lua")
        let loans = try demo.rows("""
            SELECT code, member_id, principal_fen, starts_on, repaid_on FROM loans
            WHERE repaid_on IS NOT NULL AND repaid_on <= due_on AND repaid_on LIKE '2025-%' ORDER BY code
            """)
        #expect(loans.map { $0[0] } == ["cbd-0002", "cbd-0003", "cbd-0006", "cbd-0010"])
        var expected: [String: Int64] = [:]
        for loan in loans {
            let principal = Int64(loan[2])!
            let days = Int64(try CivilDate(parsing: loan[3]).days(until: try CivilDate(parsing: loan[4])))
            let full = min(principal, 10_000_000), half = principal - full
            // Half-up rounding of (2·full + half) · 430 · days / (20,000 · 365).
            let numerator = (2 * full + half) * 430 * days, denominator: Int64 = 20_000 * 365
            let subsidy = (2 * numerator + denominator) / (2 * denominator)
            let lines = try Allocation.largestRemainder(total: subsidy, weights: ["subsidy_100": 2 * full, "subsidy_50": half])
            #expect(lines.values.reduce(0, +) == subsidy)
            for (line, amount) in lines where amount > 0 { expected["loan-subsidy|\(loan[0])|\(line)"] = amount }
            expected["loan-subsidy|\(loan[0])|premium"] = principal * 300 / 10_000
        }
        let proposed = Dictionary(uniqueKeysWithValues: report.ledger.map { ($0.idempotencyKey!, $0.amount.fen) })
        #expect(proposed == expected)
        #expect(report.ledger.count == 12)
        #expect(report.fenByBudget == ["loan-subsidy-2025": 5_528_864])
        // Known: cbd-0003 (¥300,000, 346 days) — the rounded subsidy ¥8,152.33 splits ¥4,076.17 + ¥4,076.16.
        #expect(proposed["loan-subsidy|cbd-0003|subsidy_100"] == 407_617)
        #expect(proposed["loan-subsidy|cbd-0003|subsidy_50"] == 407_616)
        #expect(proposed["loan-subsidy|cbd-0003|premium"] == 900_000)
        #expect(report.output.contains("total: ¥55,288.64"))
        #expect(report.warnings.isEmpty)

        let (_, _, second) = try demo.commitTwice("loan_interest_subsidy.lua")
        #expect(second.alreadyApplied == 12)
    }

    @Test("loan subsidy: late or missing repayment earns nothing; overdue loans are warned about")
    func loanInterestSubsidyLateLoans() throws {
        let demo = try DemoDatabase.copy()
        try demo.execute("UPDATE loans SET repaid_on = '2025-05-30' WHERE code = 'cbd-0010'")   // due 2025-05-24
        try demo.execute("UPDATE loans SET repaid_on = NULL WHERE code = 'cbd-0006'")          // due 2025-04-02
        let report = try demo.dryRun("loan_interest_subsidy.lua")
        #expect(Set(report.ledger.map(\.memo)) == ["cbd-0002", "cbd-0003"])
        #expect(report.ledger.count == 6)
        #expect(report.warnings.count == 1)
        #expect(report.warnings.first?.hasPrefix("loan cbd-0006 of ") == true)
        #expect(report.warnings.first?.hasSuffix("was due on 2025-04-02 and is not repaid") == true)
    }

    // MARK: 7. Temporary relief

    @Test("temporary relief: 65 grants (¥997,000) until the fund is spent, a warning at 80 %, 15 waitlisted")
    func temporaryRelief() throws {
        let demo = try DemoDatabase.copy()
        let report = try demo.dryRun("temporary_relief.lua")
        #expect(try demo.int("SELECT SUM(amount_fen) FROM ledger l JOIN budgets b ON b.id = l.budget_id WHERE b.code = 'relief-2025'")
            == 200_000_000)
        // Independent: requests in order, each paid in full while the ¥1,000,000 left lasts.
        let requests = try demo.rows("""
            SELECT member_id, substr(tag, 16, 10), CAST(substr(tag, 27) AS INTEGER) FROM member_tags
            WHERE tag LIKE 'relief-request:%' ORDER BY substr(tag, 16, 10), member_id
            """)
        #expect(requests.count == 80)
        var left: Int64 = 100_000_000
        var granted: [Int64] = [], waiting: [Int64] = []
        var warnedAfter: Int64?
        for r in requests {
            let fen = Int64(r[2])! * 100, member = Int64(r[0])!
            if fen <= left {
                left -= fen
                granted.append(member)
                if warnedAfter == nil && (300_000_000 - left) * 100 >= 80 * 300_000_000 { warnedAfter = member }
            } else {
                waiting.append(member)
            }
        }
        #expect(report.ledger.map(\.memberID!) == granted)
        #expect(report.waitlisted.map(\.memberID) == waiting)
        #expect(granted.count == 65 && waiting.count == 15)
        #expect(report.fenByBudget == ["relief-2025": 99_700_000])
        #expect(report.budgets.first.map { [$0.beforeFen, $0.afterFen] } == [100_000_000, 300_000])
        #expect(report.ledger.allSatisfy { $0.period?.description == "2025-06" || $0.period?.description == "2025-05" })
        #expect(report.warnings.count == 1)
        let name = try demo.rows("SELECT name FROM members WHERE id = ?", [warnedAfter]).first?.first ?? "?"
        #expect(report.warnings.first == "relief fund relief-2025 passed 80% spent with the grant to \(name): ¥592,000.00 left")
        #expect(report.waitlisted.allSatisfy { $0.reason.hasPrefix("fund exhausted: ") })
        #expect(report.waitlisted.last?.reason == "fund exhausted: ¥3,000.00 left, ¥18,000.00 requested")

        let (_, _, second) = try demo.commitTwice("temporary_relief.lua")
        #expect(second.alreadyApplied == 15)
        #expect(second.output.contains("granted before: 65"))
        // Now past 80 % before it starts: the run says so at once.
        #expect(second.warnings == ["relief fund relief-2025 is already 99.9% spent: ¥3,000.00 left"])
    }

    // MARK: 8. Facility placements

    @Test("placements: 6 people placed, the star workshop filled to capacity and 2 left waiting; 9 facilities under 80 %")
    func facilityPlacements() throws {
        let demo = try DemoDatabase.copy()
        let before = try demo.rows("SELECT code, capacity, occupancy FROM facilities WHERE code IN ('jt-shelter-01', 'jt-star-01') ORDER BY code")
        #expect(before == [["jt-shelter-01", "60", "44"], ["jt-star-01", "12", "9"]])
        let queue = try demo.rows("""
            SELECT w.id, w.member_id, f.code FROM waitlist w JOIN facilities f ON f.id = w.facility_id
            WHERE w.status = 'waiting' ORDER BY w.created_at, w.id
            """)
        #expect(queue.count == 8)
        let shelterQueue = queue.filter { $0[2] == "jt-shelter-01" }, starQueue = queue.filter { $0[2] == "jt-star-01" }
        #expect(shelterQueue.count == 3 && starQueue.count == 5)

        let report = try demo.dryRun("facility_placements.lua")
        let placed = shelterQueue + starQueue.prefix(3)
        #expect(report.enrolments.map(\.memberID) == placed.map { Int64($0[1])! })
        #expect(report.enrolments.map(\.facilityCode!) == placed.map { $0[2] })
        #expect(report.enrolments.allSatisfy { $0.startDate == ProgrammeScriptTests.june15 && $0.programmeCode == "sheltered-care" })
        #expect(report.updates.map(\.field.id) == placed.map { $0[0] })
        #expect(report.output.contains("still waiting (no free place): 2"))
        #expect(report.output.contains("under target: 9"))
        #expect(report.output.contains("金坛区残疾人庇护托养中心") && report.output.contains("78.3%"))

        try demo.commitTwice("facility_placements.lua")
        #expect(try demo.rows("SELECT code, capacity, occupancy FROM facilities WHERE code IN ('jt-shelter-01', 'jt-star-01') ORDER BY code")
            == [["jt-shelter-01", "60", "47"], ["jt-star-01", "12", "12"]])
        #expect(try demo.rows("SELECT status, COUNT(*) FROM waitlist GROUP BY 1 ORDER BY 1") == [["placed", "6"], ["waiting", "2"]])
    }

    // MARK: 9. Certificate reminders

    @Test("certificates: the 2 expiring within 30 days get one reminder each, due on the expiry date")
    func certificateReminders() throws {
        let demo = try DemoDatabase.copy()
        let report = try demo.dryRun("certificate_reminders.lua")
        let expected = try demo.rows("""
            SELECT id, disability_cert_expiry FROM members
            WHERE disability_cert_expiry BETWEEN '2025-06-15' AND '2025-07-15' ORDER BY disability_cert_expiry, id
            """)
        #expect(expected == [["865", "2025-06-20"], ["745", "2025-07-01"]])
        #expect(report.reminders.map { [$0.subjectID, $0.dueDate.iso] } == expected)
        #expect(report.reminders.allSatisfy { $0.kind == "certificate_expiry" && $0.subjectKind == .member })
        #expect(report.reminders.first?.text == "徐平燕的残疾人证（肢体3级）将于 2025-06-20 到期，请及时办理换证")

        let (_, _, second) = try demo.commitTwice("certificate_reminders.lua")
        #expect(second.alreadyApplied == 2)
        // Looking 60 days ahead finds more, and still reminds the first two only once.
        let wider = try demo.run("certificate_reminders.lua", params: ["within_days": "60"])
        let more = try demo.int("SELECT COUNT(*) FROM members WHERE disability_cert_expiry BETWEEN '2025-06-15' AND '2025-08-14'")
        #expect(wider.reminders.count == Int(more) - 2)
        #expect(wider.alreadyApplied == 2)
    }

    // MARK: 10. Turning 80

    @Test("turning 80: the one June birthday is enrolled in home visits from 1 July; July has its own")
    func turning80() throws {
        let demo = try DemoDatabase.copy()
        let report = try demo.dryRun("turning_80.lua")
        #expect(try demo.rows("SELECT id, birth_date FROM members WHERE birth_date BETWEEN '1945-06-01' AND '1945-06-30'")
            == [["2343", "1945-06-25"]])
        #expect(report.enrolments.map { [String($0.memberID), $0.programmeCode, $0.startDate.iso] } == [["2343", "home-visit", "2025-07-01"]])
        // Their record gets 8 hours a quarter from the third quarter on.
        #expect(report.updates.map { "\($0.field.id) \($0.field.field) \($0.old.map(String.init(describing:)) ?? "-") → \($0.new)" } == [
            "2343 elderly false → true", "2343 home_visit_hours 0 → 8", "2343 home_visit_quarter null → \"2025-Q3\"",
        ])
        #expect(report.effects.count == 4)
        try demo.commitTwice("turning_80.lua")
        #expect(try demo.rows("SELECT elderly, home_visit_hours, home_visit_quarter FROM members WHERE id = 2343") == [["1", "8", "2025-Q3"]])
        // The quarter-hours script leaves them alone in June and counts them in September.
        #expect(try demo.run("home_visit_hours.lua").reminders.allSatisfy { $0.subjectID != "2343" })
        let september = try demo.run("home_visit_hours.lua", today: try CivilDate(parsing: "2025-09-15"))
        #expect(september.reminders.contains { $0.subjectID == "2343" })

        let july = try demo.dryRun("turning_80.lua", params: ["month": "2025-07"])
        let born = try demo.rows("SELECT id FROM members WHERE birth_date BETWEEN '1945-07-01' AND '1945-07-31' ORDER BY birth_date, id")
            .map { Int64($0[0])! }
        #expect(july.enrolments.map(\.memberID) == born)
        #expect(july.enrolments.allSatisfy { $0.startDate.iso == "2025-08-01" })
        let hoursSet = july.updates.filter { $0.field.field == "home_visit_hours" }
        #expect(Set(hoursSet.map(\.field.id)) == Set(born.map(String.init)))
        #expect(hoursSet.allSatisfy { $0.new == .integer(8) })
    }
}
