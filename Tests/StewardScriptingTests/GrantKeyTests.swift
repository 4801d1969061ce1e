import StewardCore
import Testing
@testable import StewardScripting

/// A grant's key is `verb|budget|programme|m<id>|period|kind`. Member grants make it from a
/// template kept while its parts repeat; changing any one part between grants must change
/// the key exactly as `compose` would.
@Suite("Grant keys in a run")
struct GrantKeyTests {
    @Test("each part changed in turn gives compose's key; a town's grant is composed with its place")
    func partsChangedInTurn() throws {
        let demo = try DemoDatabase.copy()
        let report = try demo.lua("""
            local fund, other = budget "dream-scholarship-2025", budget "disability-subsidies-2025"
            local a, b = member(865), member(329)
            fund:grant(a, 100, { programme = "dream-scholarship", period = "2025-06", kind = "tuition" })
            fund:grant(b, 100, { programme = "dream-scholarship", period = "2025-06", kind = "tuition" })
            fund:grant(b, 100, { programme = "dream-scholarship", period = "2025-07", kind = "tuition" })
            fund:grant(b, 100, { programme = "dream-scholarship", period = 2025, kind = "tuition" })
            fund:grant(b, 100, { programme = "dream-scholarship", period = 2025, kind = "books|50%" })
            fund:grant(b, 100, { programme = "dream-scholarship", period = 2025 })
            fund:grant(b, 100, { programme = "disability-living-subsidy", period = 2025 })
            other:grant(b, 100, { programme = "disability-living-subsidy", period = 2025 })
            other:refund(b, 100, { programme = "disability-living-subsidy", period = 2025 })
            other:grant(nil, 100, { programme = "disability-living-subsidy", period = 2025, town = "儒林镇" })
            """)
        #expect(report.status == .ok, "\(report.error?.message ?? "")")
        let keys = report.ledger.map(\.idempotencyKey)
        let town = try #require(report.ledger.last?.placeCode)
        #expect(keys == [
            "grant|dream-scholarship-2025|dream-scholarship|m865|2025-06|tuition",
            "grant|dream-scholarship-2025|dream-scholarship|m329|2025-06|tuition",
            "grant|dream-scholarship-2025|dream-scholarship|m329|2025-07|tuition",
            "grant|dream-scholarship-2025|dream-scholarship|m329|2025|tuition",
            "grant|dream-scholarship-2025|dream-scholarship|m329|2025|books%7C50%25",
            "grant|dream-scholarship-2025|dream-scholarship|m329|2025|",
            "grant|dream-scholarship-2025|disability-living-subsidy|m329|2025|",
            "grant|disability-subsidies-2025|disability-living-subsidy|m329|2025|",
            "refund|disability-subsidies-2025|disability-living-subsidy|m329|2025|",
            "grant|disability-subsidies-2025|disability-living-subsidy|\(town)|2025|",
        ])
    }

    /// Option names are matched on their bytes against literals, one per option: each of the
    /// six must reach its field (`town` is above).
    @Test("programme, period, kind, key and memo each reach the proposed entry")
    func everyOptionIsRecognised() throws {
        let demo = try DemoDatabase.copy()
        let report = try demo.lua("""
            budget "dream-scholarship-2025":grant(member(865), 100, { programme = "dream-scholarship", period = "2025-06",
                kind = "tuition", key = "手工|key%1", memo = "备注 memo" })
            """)
        #expect(report.status == .ok, "\(report.error?.message ?? "")")
        let entry = try #require(report.ledger.first)
        #expect(entry.programmeCode == "dream-scholarship")
        #expect(entry.period == Period("2025-06"))
        #expect(entry.benefitKind == "tuition")
        #expect(entry.idempotencyKey == "手工|key%1")
        #expect(entry.memo == "备注 memo")
    }
}
