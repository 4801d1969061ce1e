import Foundation
import Testing
@testable import StewardCore

/// Roles, the maker ≠ checker rule, the approval threshold and redaction: the pure rules
/// every command and the store apply.
@Suite("Access rules")
struct AccessRuleTests {
    // MARK: roles

    /// The role × action matrix as the README's "Who can do what" shows it.
    @Test("each role may do exactly what the table says", arguments: UserRole.allCases)
    func roleMatrix(role: UserRole) {
        let expected: [UserRole: Set<UserAction>] = [
            .viewer: [.read, .dryRun],
            .operator: [.read, .dryRun, .commit, .importRecords, .editScript],
            .approver: [.read, .dryRun, .commit, .importRecords, .editScript, .approveScript, .approveRun, .readAudit],
            .admin: Set(UserAction.allCases),
        ]
        let allowed = Set(UserAction.allCases.filter { role.allows($0) })
        #expect(allowed == expected[role])
    }

    @Test func disabledUsersMayDoNothing() {
        let admin = User(name: "root", role: .admin, scopePlaceCode: "320482", disabled: true)
        for action in UserAction.allCases { #expect(!admin.may(action)) }
        #expect(throws: AccessDenied("root is disabled and may not read records")) { try admin.require(.read) }
    }

    @Test func refusalsNameTheUserTheActionAndWhoMay() {
        let viewer = User(name: "李娜", role: .viewer, scopePlaceCode: "320482100")
        #expect(throws: AccessDenied("李娜 is a viewer and may not commit runs (operators and above may)")) {
            try viewer.require(.commit)
        }
        let op = User(name: "王芳", role: .operator, scopePlaceCode: "320482101")
        #expect(throws: AccessDenied("王芳 is an operator and may not approve or reject change sets (approvers and above may)")) {
            try op.require(.approveRun)
        }
        let approver = User(name: "张伟", role: .approver, scopePlaceCode: "320482")
        #expect(throws: AccessDenied("张伟 is an approver and may not manage users (admins may)")) {
            try approver.require(.manageUsers)
        }
    }

    @Test func userNamesMayBeChinese() {
        #expect(User(name: "王芳", role: .operator, scopePlaceCode: "320482101").isValid)
        #expect(User(name: "wang.fang", role: .operator, scopePlaceCode: "320482101").isValid)
        #expect(!User(name: "王 芳", role: .operator, scopePlaceCode: "320482101").isValid)
        #expect(!User(name: "", role: .operator, scopePlaceCode: "320482101").isValid)
        #expect(!User(name: "a\u{1B}[31m", role: .operator, scopePlaceCode: "320482101").isValid)
    }

    // MARK: maker ≠ checker

    @Test("nobody approves their own work, admins included")
    func makerIsNotChecker() {
        let wang = FourEyes.Participant(user: "王芳")
        #expect(FourEyes.refusal(maker: wang, checker: wang, work: "run 7")
            == "王芳 made run 7 and cannot also approve it (maker ≠ checker); another approver must")
        let root = FourEyes.Participant(user: "root")
        #expect(!FourEyes.permits(maker: root, checker: root))
        // An admin who made a run acting as an operator cannot approve it as themselves…
        let viaAdmin = FourEyes.Participant(user: "王芳", actingAdmin: "root")
        #expect(FourEyes.refusal(maker: viaAdmin, checker: root, work: "run 7")
            == "root made run 7 (acting as 王芳) and cannot also approve it (maker ≠ checker); another approver must")
        // …nor approve their own run by acting as an approver.
        let rootAsApprover = FourEyes.Participant(user: "张伟", actingAdmin: "root")
        #expect(FourEyes.refusal(maker: root, checker: rootAsApprover, work: "run 7")
            == "root made run 7 and cannot approve it by acting as 张伟 (maker ≠ checker); another approver must")
        // The checker acting as the maker is the maker.
        #expect(!FourEyes.permits(maker: wang, checker: .init(user: "王芳", actingAdmin: "root")))
    }

    @Test("another person approves; one admin acting for both sides is allowed but flagged")
    func otherCheckers() {
        let wang = FourEyes.Participant(user: "王芳")
        #expect(FourEyes.permits(maker: wang, checker: .init(user: "张伟")))
        #expect(FourEyes.permits(maker: wang, checker: .init(user: "root")))
        let made = FourEyes.Participant(user: "王芳", actingAdmin: "root")
        let checked = FourEyes.Participant(user: "张伟", actingAdmin: "root")
        #expect(FourEyes.permits(maker: made, checker: checked))
        #expect(FourEyes.sameActingAdmin(maker: made, checker: checked))
        #expect(!FourEyes.sameActingAdmin(maker: wang, checker: checked))
    }

    @Test("script versions use the same rule")
    func scriptVersionsShareTheRule() throws {
        let version = ScriptVersion(scriptName: "relief", version: 3, source: "print(1)\n", author: "王芳",
                                    createdAt: Date(timeIntervalSince1970: 0))
        #expect(throws: ValidationError(record: "script version", field: "approved_by",
            message: "王芳 made version 3 of 'relief' and cannot also approve it (maker ≠ checker); another approver must")) {
            try version.approved(by: "王芳", at: Date(timeIntervalSince1970: 1))
        }
        // An admin acting as an approver for the author's own version is the author.
        #expect(throws: ValidationError.self) {
            try ScriptVersion(scriptName: "relief", version: 1, source: "x", author: "root", createdAt: Date())
                .approved(by: "张伟", actingAdmin: "root", at: Date())
        }
        #expect(try version.approved(by: "张伟", at: Date(timeIntervalSince1970: 1)).isApproved)
    }

    // MARK: the approval threshold

    static func grant(_ budget: String, _ yuan: Int64, _ kind: LedgerEntryKind = .disbursement) -> Effect {
        .ledger(LedgerEffect(budgetCode: budget, kind: kind, amount: Money(fen: yuan * 100)))
    }

    @Test("the threshold is per budget, on money going out, and strictly above")
    func threshold() {
        let policy = ApprovalPolicy()
        #expect(policy.threshold == Money(fen: 10_000_000))
        let exactly = ChangeSet([Self.grant("a", 60_000), Self.grant("a", 40_000), Self.grant("b", 99_999)])
        #expect(policy.budgetsAboveThreshold(exactly).isEmpty)
        let over = ChangeSet([Self.grant("a", 60_000), Self.grant("a", 40_000), Self.grant("a", 1, .allocation),
                              Self.grant("b", 99_999)])
        #expect(policy.budgetsAboveThreshold(over) == [.init(budget: "a", outflow: Money(fen: 10_000_100))])
        // Refunds and top-ups do not offset what goes out.
        let refunded = ChangeSet([Self.grant("a", 150_000), Self.grant("a", 100_000, .refund),
                                  .ledger(LedgerEffect(budgetCode: "a", kind: .adjustment, amount: Money(fen: 10_000_000)))])
        #expect(policy.budgetsAboveThreshold(refunded).map(\.budget) == ["a"])
        // A cut by adjustment is money out.
        let cut = ChangeSet([.ledger(LedgerEffect(budgetCode: "c", kind: .adjustment, amount: Money(fen: -10_000_001)))])
        #expect(policy.budgetsAboveThreshold(cut).map(\.budget) == ["c"])
        // Effects an earlier run applied are not counted.
        #expect(policy.budgetsAboveThreshold(over, skipping: [0]).isEmpty)
        #expect(ApprovalPolicy(threshold: Money(fen: 0)).budgetsAboveThreshold(ChangeSet([Self.grant("a", 1)])).count == 1)
        // An outflow too large to add up is held, under its budget's own code (it was '?').
        let huge = LedgerEffect(budgetCode: "d", kind: .disbursement, amount: Money(fen: Int64.max))
        let unsummable = ChangeSet([.ledger(huge), .ledger(huge), Self.grant("a", 60_000), Self.grant("b", 1)])
        #expect(policy.budgetsAboveThreshold(unsummable) == [.init(budget: "d", outflow: Money(fen: Int64.max))])
        #expect(policy.budgetsAboveThreshold(unsummable).map(\.description)
                == ["¥92,233,720,368,547,758.07 out of 'd'"])
        #expect(ApprovalPolicy(threshold: Money(fen: Int64.max)).budgetsAboveThreshold(unsummable).map(\.budget) == ["d"])
        // The outflow itself names it with no figure; messages say why.
        #expect(ApprovalPolicy.outflow(unsummable) == ["d": nil, "a": Money(fen: 6_000_000), "b": Money(fen: 100)])
        // Budgets interleaved: each keeps its own total across the others' entries, and a
        // budget that stops adding up midway stays without a figure after it.
        let interleaved = ChangeSet([Self.grant("a", 10), Self.grant("b", 5), Self.grant("a", 20), Self.grant("d", 7),
                                     .ledger(huge), Self.grant("a", 1), Self.grant("d", 3), Self.grant("b", 2, .refund),
                                     Self.grant("b", 4)])
        #expect(ApprovalPolicy.outflow(interleaved) == ["a": Money(fen: 3_100), "b": Money(fen: 900), "d": nil])
        #expect(ApprovalPolicy.outflow(interleaved, skipping: [4]) == ["a": Money(fen: 3_100), "b": Money(fen: 900),
                                                                        "d": Money(fen: 1_000)])
        #expect(ApprovalPolicy.describe(nil) == "more than ¥92,233,720,368,547,758.07")
        #expect(ApprovalPolicy.describe(Money(fen: 100)) == "¥1.00")
    }

    // MARK: redaction

    @Test("identity and phone numbers in free text are masked")
    func redaction() {
        #expect(Masking.redactNumbers(in: "王芳 320482199001010022 电话 13915035828")
            == "王芳 320482********0022 电话 139****5828")
        #expect(Masking.redactNumbers(in: "id=32048219900101002X;") == "id=320482********002X;")
        #expect(Masking.redactNumbers(in: "座机 0519-82345678") == "座机 0519-****5678")
        // Not numbers of that shape: amounts, dates, ids, longer digit runs.
        let plain = "¥150,000.00 on 2025-06-15, run 12, member 4411, 3204821990010100221"
        #expect(Masking.redactNumbers(in: plain) == plain)
        #expect(Masking.redactNumbers(in: "12345678901") == "12345678901")
    }
}
