import Foundation
import GRDB
import StewardCore
import Testing
@testable import StewardScripting
@testable import StewardStore

/// Scope and masking through the scripting API, on the demo district, with two towns —
/// 金城镇 and 儒林镇 — each looking for the other's records every way the API offers. Nothing
/// may leak in either direction.
@Suite("Scope and masking in scripts")
struct ScopeAndMaskingTests {
    struct Town: Sendable, CustomStringConvertible {
        let code: String
        let name: String
        var description: String { name }
    }

    static let jincheng = Town(code: "320482100", name: "金城镇")
    static let rulin = Town(code: "320482101", name: "儒林镇")
    /// Both directions: (acting town, the other town).
    static let directions: [(Town, Town)] = [(jincheng, rulin), (rulin, jincheng)]

    static func townOperator(_ town: Town, unmask: Bool = false) -> RunActor {
        RunActor(userName: town.code == jincheng.code ? "金城经办" : "儒林经办", role: .operator, scopePlaceCode: town.code,
                 isDistrictScope: false, canUnmask: unmask)
    }

    /// A demo copy with an operator for each town (so commits can be recorded).
    static func demo() throws -> Demo {
        let demo = try DemoDatabase.copy()
        for town in [jincheng, rulin] {
            try demo.store.addUser(User(name: townOperator(town).userName, role: .operator, scopePlaceCode: town.code),
                                   osAccount: nil, by: DemoDatabase.admin)
        }
        return demo
    }

    func run(_ demo: Demo, _ town: Town, _ source: String, commit: Bool = false, unmask: Bool = false) throws -> RunReport {
        try demo.run("scope.lua", source: source, commit: commit, actor: Self.townOperator(town, unmask: unmask))
    }

    /// The script's printed lines.
    func lines(_ report: RunReport) -> [String] {
        report.output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).filter { !$0.isEmpty }
    }

    @Test("members{}, counts, sums and member(id) see only the actor's town", arguments: directions)
    func members(_ own: Town, _ other: Town) throws {
        let demo = try Self.demo()
        let ownCount = try demo.int("SELECT COUNT(*) FROM members m JOIN places t ON t.id = m.town_id WHERE t.code = ?", [own.code])
        let ownHours = try demo.int("SELECT COALESCE(SUM(home_visit_hours), 0) FROM members m JOIN places t ON t.id = m.town_id WHERE t.code = ?", [own.code])
        let otherID = try demo.int("SELECT MIN(m.id) FROM members m JOIN places t ON t.id = m.town_id WHERE t.code = ?", [other.code])
        let ownID = try demo.int("SELECT MIN(m.id) FROM members m JOIN places t ON t.id = m.town_id WHERE t.code = ?", [own.code])
        #expect(ownCount > 0 && otherID > 0)
        let report = try run(demo, own, """
            print(members{}:count())
            print(members{ town = "\(other.name)" }:count())
            print(members{ id = { \(otherID), \(ownID) } }:count())
            local towns = 0
            for town, n in pairs(members{}:count_by("town")) do towns = towns + 1; print(town, n) end
            print(members{}:sum("home_visit_hours"))
            local seen = 0
            for m in members{}:each() do if m.town ~= "\(own.code)" then seen = seen + 1 end end
            print("foreign", seen)
            for _, m in ipairs(members{}:limit(50):list()) do if m.town ~= "\(own.code)" then seen = seen + 1 end end
            print("foreign", seen)
            print(member(\(ownID)).id)
            print(pcall(function() return member(\(otherID)) end))
            """)
        #expect(report.status == .ok, "\(report.problem)")
        #expect(lines(report) == [
            "\(ownCount)", "0", "1", "\(own.name)\t\(ownCount)", "\(ownHours)", "foreign\t0", "foreign\t0", "\(ownID)",
            "false\tscope.lua:13: no member with id \(otherID) in your scope",
        ])
    }

    @Test("facilities, posts, loans and waitlists see only the actor's town", arguments: directions)
    func facilitiesAndHoldings(_ own: Town, _ other: Town) throws {
        let demo = try Self.demo()
        let ownFacilities = try demo.int("SELECT COUNT(*) FROM facilities f JOIN places t ON t.id = f.town_id WHERE t.code = ?", [own.code])
        let otherFacility = try #require(try demo.rows(
            "SELECT f.code FROM facilities f JOIN places t ON t.id = f.town_id WHERE t.code = ? ORDER BY f.code LIMIT 1", [other.code]).first?.first)
        let directory = try demo.store.read { try $0.placeDirectory() }
        let ownPosts = try demo.store.read { try $0.welfarePosts() }.filter { directory.isWithin($0.placeCode, scope: own.code) }.count
        let report = try run(demo, own, """
            print(facilities{}:count())
            print(facilities{ town = "\(other.name)" }:count())
            print(pcall(function() return facility("\(otherFacility)") end))
            local foreign = 0
            for f in facilities{}:each() do if f.town ~= "\(own.code)" and not tostring(f.town):find("^\(own.code)") then foreign = foreign + 1 end end
            print("foreign facilities", foreign)
            local posts, holders = welfare_posts(), 0
            for _, p in ipairs(posts) do
              if p.member and p.member.town ~= "\(own.code)" then holders = holders + 1 end
            end
            print(#posts, "foreign holders", holders)
            local foreignLoans = 0
            for _, l in ipairs(loans()) do if l.member.town ~= "\(own.code)" then foreignLoans = foreignLoans + 1 end end
            print("foreign loans", foreignLoans)
            local foreignWaiting = 0
            for _, code in ipairs({ "sheltered-care", "home-visit", "dream-scholarship", "temporary-relief" }) do
              local ok, list = pcall(waiting, code)
              if ok then for _, e in ipairs(list) do if e.member.town ~= "\(own.code)" then foreignWaiting = foreignWaiting + 1 end end end
            end
            print("foreign waiting", foreignWaiting)
            """)
        #expect(report.status == .ok, "\(report.problem)")
        #expect(lines(report) == [
            "\(ownFacilities)", "0", "false\tscope.lua:3: no facility '\(otherFacility)' in your scope", "foreign facilities\t0",
            "\(ownPosts)\tforeign holders\t0", "foreign loans\t0", "foreign waiting\t0",
        ])
    }

    @Test("effects on another town are refused, naming the record and the scope", arguments: directions)
    func effectsOutsideScope(_ own: Town, _ other: Town) throws {
        let demo = try Self.demo()
        let before = try demo.tableHashes()
        let attempts = [
            #"budget("hospital-consolation-2025"):grant(nil, yuan(100), { town = "\#(other.name)", programme = "hospital-consolation" })"#,
            #"programme("free-health-check"):set_quota{ period = 2025, town = "\#(other.name)", limit = 1 }"#,
            #"programme("free-health-check"):set_quota{ period = 2025, limit = 1 }"#,
            #"programme("free-health-check"):quota(2025, "\#(other.name)")"#,
            #"programme("free-health-check"):book(nil, { period = 2025, town = "\#(other.name)" })"#,
        ]
        let expected = [
            "grant: \(other.name) (\(other.code)) is outside your scope (\(own.name))",
            "set_quota: \(other.name) (\(other.code)) is outside your scope (\(own.name))",
            "set_quota: the district-wide quota is outside your scope (\(own.name))",
            "quota: \(other.name) (\(other.code)) is outside your scope (\(own.name))",
            "book: \(other.name) (\(other.code)) is outside your scope (\(own.name))",
        ]
        for (attempt, message) in zip(attempts, expected) {
            let report = try run(demo, own, attempt, commit: true)
            #expect(report.status == .scriptError, "\(attempt)")
            #expect(report.error?.message == "scope.lua:1: \(message)", "\(attempt)")
        }
        // A district budget closed to towns refuses; one open to towns pays the town's own member.
        let closed = try run(demo, own, """
            budget("relief-2025"):grant(members{}:first(), yuan(100), { programme = "temporary-relief", period = "2025-06" })
            """, commit: true)
        #expect(closed.error?.message == "scope.lua:1: budget 'relief-2025' may be drawn on only by district staff, not by town '\(own.code)'")
        #expect(try demo.tableHashes() == before)
        let open = try run(demo, own, """
            budget("hospital-consolation-2025"):grant(members{}:first(), yuan(100), { programme = "hospital-consolation", period = "2025-06", kind = "scope-test" })
            budget("hospital-consolation-2025"):grant(nil, yuan(50), { programme = "hospital-consolation", period = "2025-06", kind = "town-share" })
            """, commit: true)
        #expect(open.committed, "\(open.problem)")
        // An entry without a member or town is the town's own.
        #expect(open.ledger.map(\.placeCode) == [own.code, own.code])
    }

    @Test("identity and phone numbers are masked unless the user may unmask; age and sex are not")
    func masking() throws {
        let demo = try Self.demo()
        let row = try #require(try demo.rows("""
            SELECT m.id, m.id_number, m.phone, m.sex FROM members m JOIN places t ON t.id = m.town_id
            WHERE t.code = ? AND m.phone IS NOT NULL ORDER BY m.id LIMIT 1
            """, [Self.rulin.code]).first)
        let (id, number, phone, sex) = (row[0], row[1], row[2], row[3])
        let source = """
            local m = member(\(id))
            print(m.identity_number, m.phone, m.sex, m.age >= 0, tostring(m))
            return m.identity_number, m
            """
        let masked = try run(demo, Self.rulin, source)
        #expect(masked.status == .ok, "\(masked.problem)")
        let maskedID = try IdentityNumber(number).masked
        let maskedPhone = try PhoneNumber(phone).masked
        #expect(masked.output.hasPrefix("\(maskedID)\t\(maskedPhone)\t\(sex)\ttrue\tmember \(id) "))
        for text in [masked.output] + masked.results {
            #expect(!text.contains(number) && !text.contains(phone))
        }
        let unmasked = try run(demo, Self.rulin, source, unmask: true)
        #expect(unmasked.output.hasPrefix("\(number)\t\(phone)\t\(sex)\ttrue\t"))
        // Members reached through other records are masked the same way.
        let viaLoans = try run(demo, Self.rulin, """
            for _, l in ipairs(loans()) do print(l.member.identity_number) end
            for _, p in ipairs(welfare_posts()) do if p.member then print(p.member.phone) end end
            """)
        #expect(viaLoans.status == .ok, "\(viaLoans.problem)")
        for line in lines(viaLoans) where line != "nil" { #expect(line.contains("*"), "\(line)") }
    }

    @Test("a viewer dry-runs but may not commit; an operator's large commit waits for approval")
    func commitsByRole() throws {
        let demo = try Self.demo()
        let before = try demo.tableHashes()
        let viewer = RunActor(userName: "李娜", role: .viewer, scopePlaceCode: Self.jincheng.code, isDistrictScope: false,
                              canUnmask: false)
        let source = """
            local fund = budget "relief-2025"
            for m in members{}:limit(21):each() do
              fund:grant(m, yuan(5000), { programme = "temporary-relief", period = "2025-06", kind = "scope-test" })
            end
            """
        let dry = try demo.run("big.lua", source: source, actor: viewer)
        #expect(dry.status == .scriptError)  // a town viewer cannot draw on a district budget…
        let districtViewer = RunActor(userName: "李娜", role: .viewer, scopePlaceCode: "320482", isDistrictScope: true, canUnmask: false)
        let preview = try demo.run("big.lua", source: source, actor: districtViewer)
        #expect(preview.status == .ok && preview.effects.count == 21)  // …a district one can preview it
        let refused = try demo.run("big.lua", source: source, commit: true, actor: districtViewer)
        #expect(refused.status == .refused && !refused.committed)
        #expect(refused.violations == ["李娜 is a viewer and may not commit runs (operators and above may)"])
        #expect(try demo.tableHashes() == before)

        // The template lifts the threshold for the programme tests; this one needs the default.
        try demo.store.setSetting("approval.threshold", String(ApprovalPolicy.defaultThreshold.fen))
        let districtOperator = RunActor(userName: "赵敏", role: .operator, scopePlaceCode: "320482", isDistrictScope: true,
                                        canUnmask: false)
        let held = try demo.run("big.lua", source: source, commit: true, actor: districtOperator)
        #expect(held.status == .pendingApproval, "\(held.problem)")
        #expect(!held.committed)
        let runID = try #require(held.runID)
        #expect(held.approval?.budgets == [.init(code: "relief-2025", outflowFen: 10_500_000)])
        #expect(held.approval?.approvers.contains("张伟") == true && held.approval?.approvers.contains("赵敏") == false)
        #expect(try demo.int("SELECT COUNT(*) FROM ledger WHERE run_id = ?", [runID]) == 0)
        #expect(try demo.rows("SELECT status FROM runs WHERE id = ?", [runID]) == [["pending_approval"]])
    }
}
