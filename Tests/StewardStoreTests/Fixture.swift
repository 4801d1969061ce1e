import Foundation
import StewardCore
@testable import StewardStore

/// A small district for store tests: Jintan's places, an admin, three programmes, two
/// budgets, one sheltered-care centre with one free place, health-check quotas and members.
struct Fixture {
    static let now = Date(timeIntervalSince1970: 1_749_945_600)  // 2025-06-15T00:00:00Z
    static let jincheng = "320482100"
    static let rulin = "320482101"

    let directory = TemporaryDirectory()
    let store: Store
    let members: [MemberID]

    init(name: String = "fixture.db") throws {
        store = try makeStore(directory, name: name)
        try store.ensureAdmin(osAccount: "admin", at: Self.now)
        try store.addProgramme(Programme(code: "dream-scholarship", name: "圆梦行动", office: .tradeUnion, kind: .cashBenefit))
        try store.addProgramme(Programme(code: "free-health-check", name: "免费体检", office: .tradeUnion, kind: .service))
        try store.addProgramme(Programme(code: "sheltered-care", name: "庇护托养", office: .disabilityFederation, kind: .placement))
        try store.addBudget(Budget(code: "dream-2025", name: "2025年圆梦助学", office: .tradeUnion, year: 2025,
                                   total: Money(fen: 2_000_000)), programmeCode: "dream-scholarship")
        try store.addBudget(Budget(code: "relief-2025", name: "2025年临时救助资金", office: .civilAffairs, year: 2025,
                                   total: Money(fen: 300_000_000)))
        try store.addFacility(Facility(code: "jt-shelter", name: "金坛区庇护托养中心", kind: .shelteredCareCentre,
                                       placeCode: Self.jincheng, capacity: 2, occupancy: 1))
        let year = try Period(parsing: "2025")
        try store.addQuota(Quota(programmeCode: "free-health-check", period: year, limit: 3, hard: true))
        try store.addQuota(Quota(programmeCode: "free-health-check", period: year, placeCode: Self.jincheng, limit: 2, hard: true))
        members = try store.addMembers([
            Self.member("王芳", birth: "1990-01-01", sequence: 2, town: Self.jincheng),
            Self.member("李强", birth: "1944-03-05", sequence: 11, town: Self.jincheng),
            Self.member("陈静", birth: "2006-09-30", sequence: 24, town: Self.rulin),
        ])
    }

    static func member(_ name: String, birth: String, sequence: Int, town: String, tags: Set<String> = []) -> Member {
        let birthDate = try! CivilDate(parsing: birth)
        let identity = try! IdentityNumber.make(region: "320482", birthDate: birthDate, sequence: sequence)
        return Member(id: 0, identityNumber: identity, name: name, placeCode: town, tags: tags)
    }

    /// A run submission by the fixture's admin.
    func run(_ script: String = "test.lua") -> RunSubmission {
        RunSubmission(userName: "admin", scriptName: script, scriptSHA256: String(repeating: "a", count: 64),
                      startedAt: Self.now, finishedAt: Self.now.addingTimeInterval(0.25))
    }

    static func grant(_ budget: String, _ fen: Int64, member: MemberID? = nil, key: String? = nil) -> Effect {
        .ledger(LedgerEffect(budgetCode: budget, kind: .disbursement, amount: Money(fen: fen), memberID: member,
                             programmeCode: budget.hasPrefix("dream") ? "dream-scholarship" : nil,
                             period: try! Period(parsing: "2025"), idempotencyKey: key))
    }
}
