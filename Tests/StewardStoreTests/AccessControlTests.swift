import Foundation
import GRDB
import StewardCore
import Testing
@testable import StewardStore

/// Users, scope and maker ≠ checker in the store: what the CLI's `users`, `runs approve|reject`
/// and `settings` commands call, checked below any command so no caller can skip them.
@Suite("Access control in the store")
struct AccessControlTests {
    static let district = "320482"
    static let tables = ["ledger", "runs", "users", "audit", "settings", "quotas", "reminders", "idempotency_keys"]

    func snapshot(_ store: Store) throws -> [String: [String]] {
        var out: [String: [String]] = [:]
        for table in Self.tables { out[table] = try dump(store, table) }
        return out
    }

    /// The fixture plus: an approver and an operator for the district, an operator and an
    /// approver for each of 金城镇 and 儒林镇, and a viewer.
    struct People {
        let fixture: Fixture
        var store: Store { fixture.store }
        let admin: User

        init() throws {
            fixture = try Fixture()
            let store = fixture.store
            admin = try #require(try store.read { try $0.user(named: "admin") })
            for user in [
                User(name: "张伟", role: .approver, scopePlaceCode: AccessControlTests.district, canUnmask: true),
                User(name: "赵敏", role: .operator, scopePlaceCode: AccessControlTests.district),
                User(name: "孙审", role: .approver, scopePlaceCode: AccessControlTests.district),
                User(name: "金经办", role: .operator, scopePlaceCode: Fixture.jincheng),
                User(name: "金审核", role: .approver, scopePlaceCode: Fixture.jincheng),
                User(name: "儒经办", role: .operator, scopePlaceCode: Fixture.rulin),
                User(name: "儒审核", role: .approver, scopePlaceCode: Fixture.rulin),
                User(name: "李娜", role: .viewer, scopePlaceCode: Fixture.jincheng),
            ] {
                try store.addUser(user, osAccount: nil, by: "admin", at: Fixture.now)
            }
        }

        func user(_ name: String) throws -> User { try #require(try store.read { try $0.user(named: name) }) }

        func run(by name: String, actingAdmin: String? = nil) -> RunSubmission {
            RunSubmission(userName: name, actingAdminName: actingAdmin, scriptName: "relief.lua",
                          scriptSHA256: String(repeating: "b", count: 64), startedAt: Fixture.now, finishedAt: Fixture.now)
        }

        /// A change set taking `yuan` out of relief-2025, paid to the fixture's first member.
        func relief(_ yuan: Int64, key: String? = nil) -> ChangeSet {
            ChangeSet([Fixture.grant("relief-2025", yuan * 100, member: fixture.members[0], key: key)])
        }

        /// Holds a ¥150,000 change set made by `maker`; returns its run id.
        func pending(by maker: String, actingAdmin: String? = nil, scope: ActorScope = .district) throws -> Int64 {
            do {
                try store.apply(relief(150_000), run: run(by: maker, actingAdmin: actingAdmin), actor: scope, at: Fixture.now)
                Issue.record("a change set above the threshold was applied")
                return -1
            } catch let held as ChangeSetHeldForApproval {
                return held.runID
            }
        }

        func audit(_ action: String) throws -> [[String]] {
            try rows(store, "SELECT actor, object_id, run_id, details_json FROM audit WHERE action = ? ORDER BY id", [action])
        }
    }

    // MARK: users

    @Test("an admin adds users, each audited; others may not")
    func addUsers() throws {
        let people = try People()
        let store = people.store
        let place = try store.read { try $0.scopePlace("儒林镇") }
        #expect(place.code == Fixture.rulin)
        try store.addUser(User(name: "王芳", role: .operator, scopePlaceCode: place.code), osAccount: "wangfang",
                          by: people.admin, at: Fixture.now)
        #expect(try people.user("王芳") == User(name: "王芳", role: .operator, scopePlaceCode: Fixture.rulin))
        #expect(try people.audit("user.add").last
            == ["admin", "王芳", "NULL", #"{"account":"wangfang","role":"operator","scope":"320482101","unmask":"false"}"#])
        #expect(try store.read { try $0.user(osAccount: "wangfang") }?.name == "王芳")

        let before = try snapshot(store)
        for name in ["张伟", "赵敏", "李娜"] {
            #expect(throws: AccessDenied.self) {
                try store.addUser(User(name: "x", role: .viewer, scopePlaceCode: Fixture.rulin), osAccount: nil,
                                  by: try people.user(name), at: Fixture.now)
            }
        }
        #expect(throws: UserAdminError("a user named '王芳' already exists")) {
            try store.addUser(User(name: "王芳", role: .viewer, scopePlaceCode: Fixture.rulin), osAccount: nil, by: people.admin)
        }
        #expect(throws: UserAdminError("the account 'wangfang' is already mapped to the user '王芳'")) {
            try store.addUser(User(name: "y", role: .viewer, scopePlaceCode: Fixture.rulin), osAccount: "wangfang", by: people.admin)
        }
        #expect(throws: UserAdminError("The user name '王 芳' must be 1–64 characters without spaces or control characters.")) {
            try store.addUser(User(name: "王 芳", role: .viewer, scopePlaceCode: Fixture.rulin), osAccount: nil, by: people.admin)
        }
        #expect(try snapshot(store) == before)
    }

    @Test("unknown roles and places that are not a district or town are errors")
    func badInput() throws {
        let people = try People()
        #expect(throws: UserAdminError("unknown role 'boss' (roles: viewer, operator, approver, admin)")) {
            try UserRole(parsing: "boss")
        }
        #expect(try UserRole(parsing: "经办员") == .operator)
        #expect(try UserRole(parsing: "Approver") == .approver)
        #expect(throws: UserAdminError.self) { try people.store.read { try $0.scopePlace("火星") } }
        let community = try #require(try people.store.read { try $0.placeDirectory().children(of: Fixture.rulin).first })
        #expect(throws: UserAdminError("\(community.name) (\(community.code)) is a \(community.kind.rawValue): a user's scope is the district or one town")) {
            try people.store.read { try $0.scopePlace(community.code) }
        }
        #expect(try people.store.read { try $0.scopePlace(Self.district) }.kind == .district)
    }

    @Test("a town admin manages only their town, and grants unmask only if they hold it")
    func townAdmin() throws {
        let people = try People()
        let store = people.store
        try store.addUser(User(name: "儒管理", role: .admin, scopePlaceCode: Fixture.rulin), osAccount: nil, by: "admin")
        let townAdmin = try people.user("儒管理")
        try store.addUser(User(name: "儒查看", role: .viewer, scopePlaceCode: Fixture.rulin), osAccount: nil, by: townAdmin)
        #expect(throws: AccessDenied("儒管理 manages users in 儒林镇 only; 金查看 in 金城镇 is outside that scope")) {
            try store.addUser(User(name: "金查看", role: .viewer, scopePlaceCode: Fixture.jincheng), osAccount: nil, by: townAdmin)
        }
        #expect(throws: AccessDenied.self) {
            try store.updateUser("儒管理", UserChange(scopePlaceCode: Self.district), by: townAdmin)
        }
        #expect(throws: AccessDenied.self) {
            try store.updateUser("金经办", UserChange(role: .viewer), by: townAdmin)
        }
        #expect(throws: AccessDenied("儒管理 may not see identity numbers unmasked, so may not grant that to others")) {
            try store.updateUser("儒查看", UserChange(canUnmask: true), by: townAdmin)
        }
        try store.updateUser("儒查看", UserChange(canUnmask: true), by: people.admin)
        #expect(try people.user("儒查看").canUnmask)
    }

    @Test("changes are audited with what changed; the last district admin stays")
    func updateAndDisable() throws {
        let people = try People()
        let store = people.store
        let changed = try store.updateUser("金经办", UserChange(role: .approver, scopePlaceCode: Fixture.rulin),
                                           by: people.admin, actingAdmin: nil, at: Fixture.now)
        #expect(changed.role == .approver && changed.scopePlaceCode == Fixture.rulin)
        #expect(try people.audit("user.update")
            == [["admin", "金经办", "NULL", #"{"role":"operator → approver","scope":"320482100 → 320482101"}"#]])
        #expect(throws: UserAdminError("nothing to change: give --role, --scope, --unmask/--no-unmask or --account")) {
            try store.updateUser("金经办", UserChange(), by: people.admin)
        }
        #expect(throws: UserAdminError("no Steward user named 'nobody'")) {
            try store.updateUser("nobody", UserChange(role: .viewer), by: people.admin)
        }

        let before = try snapshot(store)
        #expect(throws: AccessDenied("admin is the last enabled district admin; add another before changing or disabling them")) {
            try store.updateUser("admin", UserChange(role: .approver), by: people.admin)
        }
        #expect(throws: AccessDenied("admin cannot disable their own account; another admin must")) {
            try store.setUserDisabled("admin", true, by: people.admin)
        }
        #expect(try snapshot(store) == before)

        try store.setUserDisabled("李娜", true, by: people.admin, at: Fixture.now)
        #expect(try people.user("李娜").disabled)
        #expect(!(try people.user("李娜")).may(.read))
        #expect(throws: UserAdminError("李娜 is already disabled; nothing was changed")) {
            try store.setUserDisabled("李娜", true, by: people.admin)
        }
        try store.setUserDisabled("李娜", false, by: people.admin, at: Fixture.now)
        #expect(try people.audit("user.disable").map { $0[1] } == ["李娜"])
        #expect(try people.audit("user.enable").map { $0[1] } == ["李娜"])
    }

    // MARK: the approval threshold

    @Test("a change set above the threshold is held as pending, naming who may approve it")
    func heldAboveThreshold() throws {
        let people = try People()
        let store = people.store
        do {
            try store.apply(people.relief(100_001), run: people.run(by: "赵敏"), actor: .district, at: Fixture.now)
            Issue.record("applied")
        } catch let held as ChangeSetHeldForApproval {
            #expect(held.budgets == [.init(budget: "relief-2025", outflow: Money(fen: 10_000_100))])
            #expect(held.approvers == ["admin", "孙审", "张伟"])  // district approvers and admins; not the maker
            #expect(held.description == "not committed: this change set takes ¥100,001.00 out of 'relief-2025', above the approval threshold of ¥100,000.00; stored as run \(held.runID), pending approval by an approver other than 赵敏 (admin, 孙审, 张伟): steward runs approve \(held.runID)")
            #expect(try rows(store, "SELECT status, mode FROM runs WHERE id = ?", [held.runID]) == [["pending_approval", "commit"]])
        }
        #expect(try rows(store, "SELECT COUNT(*) FROM ledger") == [["0"]])
        #expect(try people.audit("run.pending").count == 1)
        // Exactly the threshold commits.
        let applied = try store.apply(people.relief(100_000), run: people.run(by: "赵敏"), actor: .district, at: Fixture.now)
        #expect(try rows(store, "SELECT status FROM runs WHERE id = ?", [applied.runID]) == [["committed"]])
    }

    @Test("admins set the threshold, audited; nobody else may")
    func settingTheThreshold() throws {
        let people = try People()
        let store = people.store
        #expect(try store.read { try $0.approvalPolicy() }.threshold == Money(fen: 10_000_000))
        #expect(throws: AccessDenied.self) { try store.setApprovalThreshold(Money(fen: 100), by: try people.user("张伟")) }
        try store.setApprovalThreshold(Money(fen: 5_000_000), by: people.admin, at: Fixture.now)
        #expect(try store.read { try $0.approvalPolicy() }.threshold == Money(fen: 5_000_000))
        #expect(try people.audit("setting.set")
            == [["admin", "approval.threshold", "NULL", #"{"from":"10000000","key":"approval.threshold","to":"5000000"}"#]])
        #expect(throws: ChangeSetHeldForApproval.self) {
            try store.apply(people.relief(50_001), run: people.run(by: "赵敏"), actor: .district, at: Fixture.now)
        }
    }

    // MARK: approving and rejecting

    @Test("another approver approves: the effects are committed, with audit rows")
    func approve() throws {
        let people = try People()
        let store = people.store
        let id = try people.pending(by: "赵敏")
        let later = Fixture.now.addingTimeInterval(3600)
        let approved = try store.approveRun(id, by: try people.user("张伟"), at: later)
        #expect(approved.maker == .init(user: "赵敏"))
        #expect(approved.applied.appliedIndices == [0])
        #expect(try rows(store, "SELECT r.status, d.name, r.decided_at FROM runs r JOIN users d ON d.id = r.decided_by WHERE r.id = ?", [id])
            == [["committed", "张伟", "2025-06-15T01:00:00.000Z"]])
        #expect(try rows(store, "SELECT amount_fen, run_id FROM ledger") == [["15000000", "\(id)"]])
        #expect(try people.audit("run.approve")
            == [["张伟", "\(id)", "\(id)", #"{"applied":"1","budget:relief-2025":"15000000","effects":"1","maker":"赵敏"}"#]])
        #expect(try people.audit("run.commit").map { $0[0] } == ["张伟"])
    }

    @Test("nobody approves their own run, admins included, not even through --as")
    func selfApproval() throws {
        let people = try People()
        let store = people.store
        // An approver's own run.
        let own = try people.pending(by: "张伟")
        #expect(throws: AccessDenied("张伟 made run \(own) and cannot also approve it (maker ≠ checker); another approver must")) {
            try store.approveRun(own, by: try people.user("张伟"))
        }
        // An admin's own run, approved as the admin or by acting as an approver.
        let admins = try people.pending(by: "admin")
        #expect(throws: AccessDenied.self) { try store.approveRun(admins, by: people.admin) }
        #expect(throws: AccessDenied("admin made run \(admins) and cannot approve it by acting as 张伟 (maker ≠ checker); another approver must")) {
            try store.approveRun(admins, by: try people.user("张伟"), actingAdmin: "admin")
        }
        // A run the admin made acting as an operator cannot be approved by that admin.
        let viaAdmin = try people.pending(by: "赵敏", actingAdmin: "admin")
        let state = try snapshot(store)
        #expect(throws: AccessDenied("admin made run \(viaAdmin) (acting as 赵敏) and cannot also approve it (maker ≠ checker); another approver must")) {
            try store.approveRun(viaAdmin, by: people.admin)
        }
        #expect(try snapshot(store) == state)
        // The low-level completion refuses self-approval too.
        #expect(throws: AccessDenied.self) {
            try store.apply(people.relief(150_000), run: people.run(by: "张伟"), actor: .district, pendingRunID: own)
        }
        #expect(try rows(store, "SELECT COUNT(*) FROM runs WHERE status = 'pending_approval'") == [["3"]])
        #expect(try rows(store, "SELECT COUNT(*) FROM ledger") == [["0"]])
        // Another approver can.
        try store.approveRun(own, by: try people.user("孙审"))
        try store.approveRun(admins, by: try people.user("孙审"))
    }

    @Test("operators and viewers may not approve or reject; approvers only within their scope")
    func whoMayDecide() throws {
        let people = try People()
        let store = people.store
        let id = try people.pending(by: "赵敏")
        let state = try snapshot(store)
        for name in ["金经办", "李娜"] {
            #expect(throws: AccessDenied.self) { try store.approveRun(id, by: try people.user(name)) }
            #expect(throws: AccessDenied.self) { try store.rejectRun(id, by: try people.user(name), reason: "no") }
        }
        // A town approver cannot decide a district run…
        #expect(throws: AccessDenied("run \(id) was made for 金坛区, outside 金审核's scope (金城镇); an approver for that scope or the district must decide it")) {
            try store.approveRun(id, by: try people.user("金审核"))
        }
        #expect(try snapshot(store) == state)
        // …but does decide their town's, and a district approver may too.
        try store.execute(sql: "UPDATE budgets SET allow_town_draw = 1 WHERE code = 'relief-2025'")
        let town = try people.pending(by: "金经办", scope: .town(Fixture.jincheng))
        #expect(try store.read { try $0.eligibleApprovers(runID: town) } == ["admin", "孙审", "张伟", "金审核"])
        #expect(throws: AccessDenied.self) { try store.approveRun(town, by: try people.user("儒审核")) }
        try store.approveRun(town, by: try people.user("金审核"))
    }

    @Test("approving twice, or a run that no longer fits its budget, changes nothing")
    func approvalErrors() throws {
        let people = try People()
        let store = people.store
        let first = try people.pending(by: "赵敏")
        let second = try people.pending(by: "赵敏")
        try store.approveRun(first, by: try people.user("张伟"), at: Fixture.now)
        var state = try snapshot(store)
        #expect(throws: RunDecisionError("run \(first) was already approved by 张伟 at 2025-06-15 08:00 and is committed; nothing was changed")) {
            try store.approveRun(first, by: try people.user("孙审"))
        }
        #expect(try snapshot(store) == state)

        // Cut the budget so the second no longer fits (¥150,000 is committed, ¥150,000 pending).
        try store.execute(sql: "UPDATE budgets SET total_fen = 20000000 WHERE code = 'relief-2025'")
        state = try snapshot(store)
        do {
            try store.approveRun(second, by: try people.user("孙审"))
            Issue.record("an overspend was approved")
        } catch let refused as ChangeSetRefused {
            #expect(refused.description.contains("budget 'relief-2025' has"))
        }
        #expect(try snapshot(store) == state)
        #expect(try rows(store, "SELECT status FROM runs WHERE id = ?", [second]) == [["pending_approval"]])

        #expect(throws: StoreError.notFound(kind: "run", key: "999")) { try store.approveRun(999, by: try people.user("孙审")) }
        let dry = try store.recordRun(people.run(by: "赵敏"), status: .previewed)
        #expect(throws: RunDecisionError("run \(dry) is a dry run: only change sets held for approval can be approved; nothing was changed")) {
            try store.approveRun(dry, by: try people.user("孙审"))
        }
    }

    @Test("rejecting: a reason is kept; a rejected or committed run cannot be decided again")
    func reject() throws {
        let people = try People()
        let store = people.store
        let id = try people.pending(by: "赵敏")
        #expect(throws: RunDecisionError("a rejection needs a reason: --reason TEXT")) {
            try store.rejectRun(id, by: try people.user("张伟"), reason: "  ")
        }
        try store.rejectRun(id, by: try people.user("张伟"), reason: "重复申请", at: Fixture.now)
        #expect(try rows(store, "SELECT r.status, d.name, r.decision_reason FROM runs r JOIN users d ON d.id = r.decided_by WHERE r.id = ?", [id])
            == [["rejected", "张伟", "重复申请"]])
        #expect(try people.audit("run.reject") == [["张伟", "\(id)", "\(id)", #"{"maker":"赵敏","reason":"重复申请"}"#]])
        let state = try snapshot(store)
        #expect(throws: RunDecisionError("run \(id) was already rejected by 张伟 at 2025-06-15 08:00 (“重复申请”); run the script again to propose it anew; nothing was changed")) {
            try store.approveRun(id, by: try people.user("孙审"))
        }
        let committed = try store.apply(people.relief(10), run: people.run(by: "赵敏"), actor: .district).runID
        #expect(throws: RunDecisionError.self) { try store.rejectRun(committed, by: try people.user("张伟"), reason: "late") }
        #expect(try snapshot(store).filter { $0.key != "runs" && $0.key != "ledger" && $0.key != "audit" }
            == state.filter { $0.key != "runs" && $0.key != "ledger" && $0.key != "audit" })
        #expect(try rows(store, "SELECT COUNT(*) FROM audit WHERE action = 'run.reject'") == [["1"]])
    }

    // MARK: scope

    @Test("a town actor's effects on another town's records are refused, naming the record and the scope")
    func scopeGuard() throws {
        let people = try People()
        let store = people.store
        let (wang, chen) = (people.fixture.members[0], people.fixture.members[2])  // 金城镇, 儒林镇
        let year = try Period(parsing: "2025")
        let state = try snapshot(store)
        let outside = ChangeSet([
            Fixture.grant("dream-2025", 100, member: chen),
            .reminder(ReminderEffect(subjectKind: .facility, subjectID: "jt-shelter", kind: "k",
                                     dueDate: try CivilDate(parsing: "2025-07-01"), text: "t", dedupKey: "r1")),
            .setQuota(QuotaSetting(programmeCode: "free-health-check", period: year, placeCode: nil, limit: 9, hard: true)),
            .recordUpdate(RecordUpdate(entity: .member, id: String(wang), field: "home_visit_hours", old: nil, new: .integer(4))),
        ])
        do {
            try store.apply(outside, run: people.run(by: "儒经办"), actor: .town(Fixture.rulin), at: Fixture.now)
            Issue.record("a town actor wrote outside its scope")
        } catch let refused as ChangeSetRefused {
            #expect(refused.violations.map(\.description) == [
                "budget 'dream-2025' may be drawn on only by district staff, not by town '\(Fixture.rulin)'",
                "facility 'jt-shelter' is outside your scope (儒林镇)",
                "the quota 'free-health-check' 2025 (whole district) is outside your scope (儒林镇)",
                "member \(wang) is outside your scope (儒林镇)",
            ])
        }
        #expect(try snapshot(store) == state)
        // The other direction, and the same records inside their own town, pass the scope rule.
        #expect(throws: ChangeSetRefused(violations: [InvariantViolation(effectIndex: 0, reason: .outsideScope(
            record: "member \(chen)", scope: "金城镇"))])) {
            try store.apply(ChangeSet([.recordUpdate(RecordUpdate(entity: .member, id: String(chen), field: "home_visit_hours",
                                                                  old: nil, new: .integer(4)))]),
                            run: people.run(by: "金经办"), actor: .town(Fixture.jincheng), at: Fixture.now)
        }
        try store.apply(ChangeSet([.recordUpdate(RecordUpdate(entity: .member, id: String(wang), field: "home_visit_hours",
                                                              old: nil, new: .integer(4)))]),
                        run: people.run(by: "金经办"), actor: .town(Fixture.jincheng), at: Fixture.now)
    }

    @Test("approval re-checks the maker's scope: a member who moved town since is refused")
    func approvalRechecksScope() throws {
        let people = try People()
        let store = people.store
        try store.execute(sql: "UPDATE budgets SET allow_town_draw = 1 WHERE code = 'relief-2025'")
        let id = try people.pending(by: "金经办", scope: .town(Fixture.jincheng))
        try store.execute(sql: "UPDATE members SET town_id = (SELECT id FROM places WHERE code = ?) WHERE id = ?",
                          [Fixture.rulin, people.fixture.members[0]])
        #expect(throws: ChangeSetRefused(violations: [InvariantViolation(effectIndex: 0, reason: .outsideScope(
            record: "member \(people.fixture.members[0])", scope: "金城镇"))])) {
            try store.approveRun(id, by: try people.user("张伟"))
        }
        #expect(try rows(store, "SELECT status FROM runs WHERE id = ?", [id]) == [["pending_approval"]])
    }

    // MARK: exports and the audit query

    @Test("exports see only the scope, and numbers are masked unless unmasked")
    func exports() throws {
        let people = try People()
        let store = people.store
        try store.apply(ChangeSet([Fixture.grant("dream-2025", 100, member: people.fixture.members[0]),
                                   Fixture.grant("dream-2025", 200, member: people.fixture.members[2])]),
                        run: people.run(by: "赵敏"), actor: .district, at: Fixture.now)
        func export(_ scope: String?, unmask: Bool = false, _ body: (Exporter, StoreSnapshot, @escaping (String) throws -> Void) throws -> Int) throws -> String {
            var text = ""
            _ = try store.read { snapshot in
                try body(Exporter(format: .json, unmask: unmask, chineseHeaders: false, scopePlaceCode: scope), snapshot) { text += $0 }
            }
            return text
        }
        let rulinMembers = try export(Fixture.rulin) { try $0.members($1, to: $2) }
        #expect(rulinMembers.contains("陈静") && !rulinMembers.contains("王芳") && !rulinMembers.contains("李强"))
        let jinchengMembers = try export(Fixture.jincheng) { try $0.members($1, to: $2) }
        #expect(!jinchengMembers.contains("陈静") && jinchengMembers.contains("王芳"))
        let wangID = try IdentityNumber.make(region: "320482", birthDate: try CivilDate(parsing: "1990-01-01"), sequence: 2)
        #expect(jinchengMembers.contains(wangID.masked) && !jinchengMembers.contains(wangID.value))
        #expect(try export(nil, unmask: true) { try $0.members($1, to: $2) }.contains(wangID.value))

        let rulinLedger = try export(Fixture.rulin) { try $0.ledger($1, to: $2) }
        #expect(rulinLedger.contains(#""amount": "2.00""#) && !rulinLedger.contains(#""amount": "1.00""#))
        let jinchengLedger = try export(Fixture.jincheng) { try $0.ledger($1, to: $2) }
        #expect(jinchengLedger.contains(#""amount": "1.00""#) && !jinchengLedger.contains(#""amount": "2.00""#))
        #expect(!(try export(Fixture.rulin) { try $0.facilities($1, to: $2) }).contains("jt-shelter"))
        #expect(try export(Fixture.jincheng) { try $0.facilities($1, to: $2) }.contains("jt-shelter"))

        #expect(!Unmasking.allowed(requested: true, user: nil))
        #expect(!Unmasking.allowed(requested: true, user: try people.user("赵敏")))
        #expect(Unmasking.allowed(requested: true, user: try people.user("张伟")))
        #expect(!Unmasking.allowed(requested: false, user: try people.user("张伟")))
    }

    @Test("the audit query filters by time, user (as actor or acted-as) and run")
    func auditQuery() throws {
        let people = try People()
        let store = people.store
        let id = try people.pending(by: "赵敏", actingAdmin: "admin")
        try store.approveRun(id, by: try people.user("张伟"), at: Fixture.now.addingTimeInterval(60))
        let byRun = try store.read { try $0.auditEntries(runID: id) }
        #expect(byRun.map(\.record.action) == ["run.pending", "run.commit", "run.approve"])
        #expect(byRun.map(\.record.actor) == ["admin", "张伟", "张伟"])
        #expect(byRun.map(\.userName) == ["赵敏", "张伟", "张伟"])
        #expect(try byRun[0].details()["acting_admin"] == "admin")
        #expect(try store.read { try $0.auditEntries(user: "赵敏") }.map(\.record.action) == ["run.pending"])
        #expect(try store.read { try $0.auditEntries(since: Fixture.now.addingTimeInterval(30)) }.map(\.record.action)
            == ["run.commit", "run.approve"])
        #expect(try store.read { try $0.auditEntries(limit: 1) }.map(\.record.action) == ["run.approve"])
    }
}

extension Store {
    /// Raw SQL on a test's own store, to set up a situation.
    func execute(sql: String, _ arguments: StatementArguments = []) throws {
        try database.write { db in try db.execute(sql: sql, arguments: arguments) }
    }
}
