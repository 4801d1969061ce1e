import Foundation
import StewardCore
import Testing
@testable import StewardScripting
@testable import StewardStore

/// Every rule the host enforces whatever a script does, each broken on purpose: the run stops
/// with a message naming the budget, quota, facility or post and the amounts involved, and
/// nothing is written.
@Suite("Invariants on the demo district")
struct InvariantTests {
    /// Runs `source` with --commit and checks that it failed and wrote nothing at all.
    func refusedCommit(_ demo: Demo, _ name: String, source: String? = nil, params: [String: String] = [:],
                       sourceLocation: SourceLocation = #_sourceLocation) throws -> RunReport {
        let before = try demo.tableHashes()
        let report = try demo.run(name, source: source, params: params, commit: true)
        #expect(report.status != .ok, sourceLocation: sourceLocation)
        #expect(!report.committed, sourceLocation: sourceLocation)
        #expect(report.runID == nil, sourceLocation: sourceLocation)
        #expect(try demo.tableHashes() == before, "a refused run wrote something", sourceLocation: sourceLocation)
        return report
    }

    @Test("a grant beyond the budget stops the run, naming the budget, what is left and what is needed")
    func overBudgetGrant() throws {
        let demo = try DemoDatabase.copy()
        let report = try refusedCommit(demo, "over_budget.lua", source: """
            local fund = budget "dream-scholarship-2025"
            fund:grant(member(865), yuan(149000), { programme = "dream-scholarship", kind = "tuition", period = 2025 })
            fund:grant(member(329), yuan(7000), { programme = "dream-scholarship", kind = "tuition", period = 2025 })
            """)
        #expect(report.status == .scriptError)
        #expect(report.error?.message == "over_budget.lua:3: budget 'dream-scholarship-2025' has ¥1,000.00 left, this grant needs ¥7,000.00")
        #expect(report.error?.line == 3)
    }

    @Test("an unknown option, or an option value that cannot be read, stops the run and writes nothing")
    func badOptions() throws {
        let demo = try DemoDatabase.copy()
        let unknown = try refusedCommit(demo, "typo.lua", source: """
            budget "dream-scholarship-2025":grant(member(865), yuan(100), { programe = "dream-scholarship", key = "t1" })
            """)
        #expect(unknown.error?.message == "typo.lua:1: grant: unknown option 'programe' (options: key, kind, memo, period, programme, town)")
        let cyclic = try refusedCommit(demo, "cycle.lua", source: """
            local t = {}; t.self = t
            programme "free-health-check":book(nil, { period = 2025, town = "儒林镇", count = t })
            """)
        #expect(cyclic.error?.message == "cycle.lua:2: book: option 'count': table contains a cycle")
        let notANumber = try refusedCommit(demo, "count.lua", source: """
            programme "free-health-check":book(nil, { period = 2025, town = "儒林镇", count = "many" })
            """)
        #expect(notANumber.error?.message == "count.lua:1: book: count must be a whole number, got \"many\"")
        // Option names are matched on their bytes: a number key, a name with a NUL in it or a
        // known name in other case is no option, and a value of the wrong type is named.
        let numberKey = try refusedCommit(demo, "number.lua", source: """
            budget "dream-scholarship-2025":grant(member(865), yuan(100), { [1] = "x", key = "t1" })
            """)
        #expect(numberKey.error?.message == "number.lua:1: grant: option names are strings")
        let nulName = try refusedCommit(demo, "nul.lua", source: """
            budget "dream-scholarship-2025":grant(member(865), yuan(100), { ["kind\\0"] = "x", key = "t1" })
            """)
        #expect(nulName.error?.message == "nul.lua:1: grant: unknown option 'kind\\x00' (options: key, kind, memo, period, programme, town)")
        let upper = try refusedCommit(demo, "upper.lua", source: """
            budget "dream-scholarship-2025":grant(member(865), yuan(100), { Kind = "x", key = "t1" })
            """)
        #expect(upper.error?.message == "upper.lua:1: grant: unknown option 'Kind' (options: key, kind, memo, period, programme, town)")
        let notAString = try refusedCommit(demo, "memo.lua", source: """
            budget "dream-scholarship-2025":grant(member(865), yuan(100), { memo = 12, key = "t1" })
            """)
        #expect(notAString.error?.message == "memo.lua:1: grant: 'memo' must be a string")
    }

    @Test("a preview committed after the fund was spent elsewhere is refused as a whole at commit")
    func stalePreviewRefusedAtCommit() throws {
        let demo = try DemoDatabase.copy()
        let preview = try demo.run("dream_scholarship.lua")
        #expect(preview.ledger.count == 42)
        // Meanwhile someone else spends ¥10,000 of the fund.
        let other = try demo.lua("""
            budget "dream-scholarship-2025":grant(nil, yuan(10000), { memo = "emergency top-up", key = "elsewhere" })
            """, commit: true)
        #expect(other.committed, "\(other.problem)")
        let before = try demo.tableHashes()
        let submission = RunSubmission(userName: DemoDatabase.admin, scriptName: "dream-scholarship",
                                       scriptSHA256: String(repeating: "0", count: 64), startedAt: Date(), finishedAt: Date())
        do {
            _ = try demo.store.apply(ChangeSet(preview.effects), run: submission, actor: .district)
            Issue.record("the stale preview was applied")
        } catch let refused as ChangeSetRefused {
            // ¥150,000 − ¥10,000 = ¥140,000 = 20 students; the 21st student's tuition (effect #41) does not fit.
            #expect(refused.violations.map(\.effectIndex) == [40, 41])
            #expect(refused.violations.first?.description == "budget 'dream-scholarship-2025' has ¥0.00 left, this grant needs ¥5,000.00")
        }
        #expect(try demo.tableHashes() == before)
        // Run again, the script sees the smaller fund and waitlists one more student.
        let again = try demo.run("dream_scholarship.lua", commit: true)
        #expect(again.committed && again.ledger.count == 40 && again.waitlisted.count == 8)
    }

    @Test("a booking beyond a town's hard quota stops the run, naming the quota, its limit and the request")
    func hardQuotaExceeded() throws {
        let demo = try DemoDatabase.copy()
        try #require(try demo.run("health_check_quota.lua", commit: true).committed)
        // 直溪镇 was given 1,132 checks: 1,132 fit, one more does not.
        let fits = try demo.lua("""
            programme "free-health-check":book(nil, { period = 2025, town = "直溪镇", count = 1132, key = "zx-all" })
            """, commit: true)
        #expect(fits.committed, "\(fits.problem)")
        let report = try refusedCommit(demo, "book.lua", source: """
            programme "free-health-check":book(nil, { period = 2025, town = "直溪镇", count = 1, key = "zx-one-more" })
            """)
        let message = report.error?.message ?? ""
        #expect(message.hasPrefix("book.lua:1: hard quota "))
        for part in ["free-health-check", "2025", "320482105", "allows 1132, 1132 already booked, this booking needs 1"] {
            #expect(message.contains(part), "\(message)")
        }
        // Nor can the town's quota be set below what is booked.
        let lower = try refusedCommit(demo, "lower.lua", source: """
            programme "free-health-check":set_quota{ period = 2025, town = "直溪镇", limit = 1000 }
            """)
        let lowerMessage = lower.error?.message ?? ""
        #expect(lowerMessage.hasPrefix("lower.lua:1: hard quota "))
        #expect(lowerMessage.contains("320482105") && lowerMessage.hasSuffix("cannot be set to 1000: 1132 already booked"))
    }

    @Test("a booking beyond a soft quota is allowed with a warning")
    func softQuotaWarns() throws {
        let demo = try DemoDatabase.copy()
        let report = try demo.lua("""
            local checks = programme "free-health-check"
            checks:set_quota{ period = "2025-06", town = "儒林镇", limit = 1, hard = false }
            checks:book(nil, { period = "2025-06", town = "儒林镇", count = 2, key = "rl-june" })
            """, commit: true)
        #expect(report.committed, "\(report.problem)")
        #expect(report.warnings.count == 1)
        let warning = report.warnings.first ?? ""
        #expect(warning.hasPrefix("soft quota ") && warning.contains("free-health-check") && warning.contains("320482101"))
        #expect(warning.hasSuffix("of 1 exceeded: 0 already booked, this booking adds 2"))
    }

    @Test("an enrolment beyond a facility's capacity stops the run, naming the facility and its places")
    func capacityExceeded() throws {
        let demo = try DemoDatabase.copy()
        // The star workshop has 9 of 12 places taken: three enrolments fit, the fourth does not.
        let report = try refusedCommit(demo, "enrol.lua", source: """
            local workshop = facility "jt-star-01"
            for m in members{ disability = true }:limit(4):each() do
              enrol(m, "sheltered-care", { facility = workshop })
            end
            """)
        #expect(report.error?.message == "enrol.lua:3: facility 'jt-star-01' has 12 of 12 places taken, this needs 1 more")
    }

    @Test("welfare pay under the minimum wage refuses the whole month, naming the post and the amounts")
    func welfarePayUnderMinimumWage() throws {
        let demo = try DemoDatabase.copy()
        try demo.execute("UPDATE welfare_posts SET monthly_pay_fen = 200000 WHERE code = 'gy-007'")
        let holder = try demo.rows("SELECT m.name FROM welfare_posts w JOIN members m ON m.id = w.member_id WHERE w.code = 'gy-007'")[0][0]
        let report = try refusedCommit(demo, "welfare_post_pay.lua")
        #expect(report.status == .scriptError)
        #expect(report.effects.isEmpty)
        #expect(report.error?.message.hasSuffix("""
            2025-06: refused, nothing paid — 1 problem(s):
              gy-007 (\(holder)) pays ¥2,000.00, under the minimum wage of ¥2,280.00
            """) == true, "\(report.problem)")
    }

    @Test("one person holding two posts refuses the whole month, naming the person and both posts")
    func duplicatePostHolder() throws {
        let demo = try DemoDatabase.copy()
        try demo.execute("UPDATE welfare_posts SET member_id = (SELECT member_id FROM welfare_posts WHERE code = 'gy-001') WHERE code = 'gy-002'")
        let holder = try demo.rows("SELECT m.name, m.id FROM welfare_posts w JOIN members m ON m.id = w.member_id WHERE w.code = 'gy-001'")[0]
        let report = try refusedCommit(demo, "welfare_post_pay.lua")
        #expect(report.effects.isEmpty)
        #expect(report.error?.message.hasSuffix("""
            2025-06: refused, nothing paid — 1 problem(s):
              \(holder[0]) (member \(holder[1])) holds two posts: gy-001 and gy-002
            """) == true, "\(report.problem)")
    }

    @Test("a post without social insurance refuses the month; every problem is listed at once")
    func everyProblemListed() throws {
        let demo = try DemoDatabase.copy()
        try demo.execute("UPDATE welfare_posts SET social_insurance = 0 WHERE code = 'gy-010'")
        try demo.execute("UPDATE welfare_posts SET monthly_pay_fen = 227999 WHERE code = 'gy-020'")
        let report = try refusedCommit(demo, "welfare_post_pay.lua")
        let message = report.error?.message ?? ""
        #expect(message.contains("— 2 problem(s):"))
        #expect(message.contains("gy-010 (") && message.contains(") has no social insurance"))
        #expect(message.contains(") pays ¥2,279.99, under the minimum wage of ¥2,280.00"))
    }

    @Test("a script outside its town's scope cannot pay from a district budget")
    func townScopedActorCannotDrawDistrictBudget() throws {
        let demo = try DemoDatabase.copy()
        let townOperator = RunActor(userName: "王芳", role: .operator, scopePlaceCode: "320482101", isDistrictScope: false,
                                    canUnmask: false)
        let report = try demo.run("dream_scholarship.lua", commit: true, actor: townOperator)
        #expect(report.status == .scriptError)
        #expect(report.error?.message.contains("budget 'dream-scholarship-2025' may be drawn on only by district staff, not by town '320482101'") == true,
                "\(report.problem)")
    }
}
