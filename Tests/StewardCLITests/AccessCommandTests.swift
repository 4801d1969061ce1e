import Foundation
import Testing

/// Who may do what, through the CLI: each role against each command, scope in both
/// directions through `run`, `export`, `import` and the REPL's piped mode, masking wherever
/// personal numbers can appear, maker ≠ checker, and the audit rows each action leaves.
/// Everyone but the admin acts through `--as` from the account running the tests.
@Suite("Access control through the CLI", .serialized)
struct AccessCommandTests {
    static let bigGrant = """
        -- ¥150,000 out of relief-2025: above the ¥100,000 approval threshold.
        local fund = budget "relief-2025"
        for m in members{}:limit(30):each() do
          fund:grant(m, yuan(5000), { programme = "temporary-relief", period = "2025-06", kind = "access-test" })
        end
        """

    /// A small grant any town may make: hospital-consolation-2025 allows town draws.
    static let smallGrant = """
        budget("hospital-consolation-2025"):grant(members{}:first(), yuan(100), { programme = "hospital-consolation" })
        """

    // MARK: users

    @Test("users add|list|set|disable: admins only, bad input changes nothing, every change audited")
    func usersCommands() throws {
        let demo = try AccessDemo()
        let added = try demo.steward(["users", "add", "金城经办", "--role", "operator", "--scope", "金城镇"])
        #expect(added.exitCode == 0, "\(added.summary)")
        #expect(added.stdoutText == "added 金城经办: operator (经办员) for 金城镇 (320482100)\n")

        let before = try demo.steward(["users", "list", "--format", "json"]).stdoutText
        let boss = try demo.steward(["users", "add", "x", "--role", "boss", "--scope", "金城镇"])
        #expect(boss.exitCode == 2)
        #expect(boss.stderrText == "error: unknown role 'boss' (roles: viewer, operator, approver, admin)\n")
        let mars = try demo.steward(["users", "add", "x", "--role", "viewer", "--scope", "火星"])
        #expect(mars.exitCode == 2)
        #expect(mars.stderrText.hasPrefix("error: '火星' is not a place in this district"))
        for user in ["张伟", "赵敏", "王芳", "李娜"] {
            let r = try demo.steward(["users", "add", "y", "--role", "viewer", "--scope", "儒林镇"], as: user)
            #expect(r.exitCode == 4, "\(user): \(r.summary)")
            #expect(r.stderrText.contains("may not manage users (admins may); nothing was changed"))
            #expect(try demo.steward(["users", "list"], as: user).exitCode == 4)
        }
        #expect(try demo.steward(["users", "list", "--format", "json"]).stdoutText == before)

        let set = try demo.steward(["users", "set", "金城经办", "--role", "approver", "--unmask"])
        #expect(set.exitCode == 0, "\(set.summary)")
        #expect(set.stdoutText == "金城经办: approver for 金城镇 (320482100), may unmask\n")
        let listed = try JSONSerialization.jsonObject(with: try demo.steward(["users", "list", "--format", "json"]).stdout) as? [[String: Any]]
        let row = listed?.first { $0["name"] as? String == "金城经办" }
        #expect(row?["role"] as? String == "approver" && row?["unmask"] as? Bool == true && row?["scope"] as? String == "320482100")

        #expect(try demo.steward(["users", "disable", "金城经办"]).exitCode == 0)
        let disabled = try demo.steward(["run", demo.script("hello.lua", "print(1)")], as: "金城经办")
        #expect(disabled.exitCode == 4)
        #expect(disabled.stderrText == "refused: --as 金城经办: that user is disabled\n")
        #expect(try demo.steward(["users", "disable", AccessDemo.admin]).exitCode == 4)

        let actions = try demo.audit(["--user", AccessDemo.admin]).filter { $0["object_id"] as? String == "金城经办" }
            .compactMap { $0["action"] as? String }
        #expect(actions == ["user.add", "user.update", "user.disable"])
        // Failed attempts changed nothing but their --as rows.
        #expect(try demo.audit().filter { $0["object_id"] as? String == "x" || $0["object_id"] as? String == "y" }.isEmpty)
    }

    @Test("--as is for admins only; an account that is not a Steward user gets no default identity")
    func actingAs() throws {
        let demo = try AccessDemo()
        let name = try demo.script("hello.lua", "print(1)")
        try demo.steward(["users", "add", "second.admin", "--role", "admin", "--scope", "金坛区"])
        let demote = try demo.steward(["users", "set", AccessDemo.admin, "--role", "operator"], as: "second.admin")
        #expect(demote.exitCode == 0, "\(demote.summary)")
        let asOther = try demo.steward(["run", name], as: "张伟")
        #expect(asOther.exitCode == 4)
        #expect(asOther.stderrText == "refused: --as is only for admins; '\(AccessDemo.admin)' is an operator\n")
        #expect(try demo.steward(["run", name]).exitCode == 0)
        #expect(try demo.steward(["users", "list"]).exitCode == 4)

        let other = try AccessDemo()
        try other.steward(["users", "add", "second.admin", "--role", "admin", "--scope", "金坛区"])
        #expect(try other.steward(["users", "set", AccessDemo.admin, "--no-account"], as: "second.admin").exitCode == 0)
        let unknown = try other.steward(["run", try other.script("hello.lua", "print(1)")])
        #expect(unknown.exitCode == 2)
        #expect(unknown.stderrText.hasPrefix("error: the account '\(AccessDemo.admin)' is not a Steward user of "))
    }

    // MARK: the matrix

    @Test("each role × each command, for district-scoped users: the README's table")
    func roleMatrix() throws {
        let demo = try AccessDemo()
        try demo.steward(["users", "add", "区查看", "--role", "viewer", "--scope", "金坛区"])
        try demo.steward(["users", "add", "区管理", "--role", "admin", "--scope", "金坛区", "--unmask"])
        let small = try demo.script("small.lua", Self.smallGrant)
        let big = try demo.script("big.lua", Self.bigGrant)
        try demo.scratch.write("people.csv", """
            姓名,身份证号,性别,出生日期,镇街
            测试乙,\(AccessDemo.identityNumber("32048219810202004")),女,1981-02-02,儒林镇

            """)
        // Each role approves a run made by someone else (赵敏, through --as by the test's admin,
        // so the admin row acts through 区管理: the account's own admin made every run).
        var pending: [String] = []
        for _ in 0..<4 { pending.append(try #require(AccessDemo.pendingRunID(try demo.commit(big, as: "赵敏")))) }
        let roles = ["区查看", "赵敏", "张伟", "区管理"]  // viewer, operator, approver, admin
        let commands: [(String, (Int) -> [String], [Int32])] = [
            ("run (dry)", { _ in ["run", small] }, [0, 0, 0, 0]),
            ("run --commit", { _ in ["run", small, "--commit"] }, [4, 0, 0, 0]),
            ("import --commit", { _ in ["import", "members", "people.csv", "--commit"] }, [4, 0, 0, 0]),
            ("export members", { _ in ["export", "members"] }, [0, 0, 0, 0]),
            ("export --unmask", { _ in ["export", "members", "--unmask"] }, [4, 4, 0, 0]),
            ("settings list", { _ in ["settings", "list"] }, [0, 0, 0, 0]),
            ("runs approve", { i in ["runs", "approve", pending[i]] }, [4, 4, 0, 0]),
            ("runs reject", { i in ["runs", "reject", pending[i], "--reason", "matrix"] }, [4, 4, 2, 2]),  // already approved
            ("audit", { _ in ["audit"] }, [4, 4, 0, 0]),
            ("users list", { _ in ["users", "list"] }, [4, 4, 4, 0]),
            ("settings set", { _ in ["settings", "set", "approval.threshold", "100000"] }, [4, 4, 4, 0]),
            ("users add", { i in ["users", "add", "新人\(i)", "--role", "viewer", "--scope", "儒林镇"] }, [4, 4, 4, 0]),
        ]
        for (label, arguments, expected) in commands {
            for (i, role) in roles.enumerated() {
                let r = try demo.steward(arguments(i), as: role)
                #expect(r.exitCode == expected[i], "\(label) as \(role): \(r.summary)")
            }
        }
    }

    // MARK: each role × run

    @Test("viewers dry-run but may not commit; operators, approvers and admins commit")
    func runByRole() throws {
        let demo = try AccessDemo()
        let name = try demo.script("small.lua", Self.smallGrant)
        let dry = try demo.steward(["run", name], as: "李娜")
        #expect(dry.exitCode == 0, "\(dry.summary)")
        #expect(dry.stdoutText.contains("Dry run: nothing was written."))
        let refused = try demo.commit(name, as: "李娜")
        #expect(refused.exitCode == 4)
        #expect(refused.stderrText.contains("refused: 李娜 is a viewer and may not commit runs (operators and above may)"))
        for user in ["王芳", "赵敏", "张伟", nil] {
            let r = try demo.commit(name, as: user)
            #expect(r.exitCode == 0, "\(user ?? "admin"): \(r.summary)")
            #expect(r.stdoutText.contains("Committed 1 effect(s) as run"))
        }
        let commits = try demo.audit().filter { $0["action"] as? String == "run.commit" }
        #expect(commits.compactMap { $0["user"] as? String } == ["王芳", "赵敏", "张伟", AccessDemo.admin])
        #expect(commits.allSatisfy { ($0["script_hash"] as? String)?.count == 64 && $0["run_id"] is Int })
    }

    // MARK: maker ≠ checker

    @Test("a large change set waits (exit 5); another approver approves it; errors change nothing")
    func pendingAndApproved() throws {
        let demo = try AccessDemo()
        let name = try demo.script("big.lua", Self.bigGrant)
        let held = try demo.commit(name, as: "赵敏")
        #expect(held.exitCode == 5, "\(held.summary)")
        let id = try #require(AccessDemo.pendingRunID(held))
        #expect(held.stdoutText.contains("Not committed: these 30 effect(s) are stored as run \(id), pending approval"))
        #expect(held.stderrText.contains("this change set takes ¥150,000.00 out of 'relief-2025', above the approval threshold of ¥100,000.00"))
        #expect(held.stderrText.contains("pending approval by an approver other than 赵敏 and \(AccessDemo.admin) (张伟): steward runs approve \(id)\n"))

        let byOperator = try demo.steward(["runs", "approve", id], as: "王芳")
        #expect(byOperator.exitCode == 4)
        #expect(byOperator.stderrText == "refused: 王芳 is an operator and may not approve or reject change sets (approvers and above may); nothing was changed\n")
        // The admin made it (acting as 赵敏): the admin may not approve it.
        let byMaker = try demo.steward(["runs", "approve", id])
        #expect(byMaker.exitCode == 4)
        #expect(byMaker.stderrText.contains("made run \(id) (acting as 赵敏) and cannot also approve it (maker ≠ checker)"))

        let approved = try demo.steward(["runs", "approve", id], as: "张伟")
        #expect(approved.exitCode == 0, "\(approved.summary)")
        #expect(approved.stdoutText.hasPrefix("approved run \(id) (big.lua, made by 赵敏 (by \(AccessDemo.admin) via --as)): committed 30 effect(s), ¥150,000.00 out of 'relief-2025'"))

        let twice = try demo.steward(["runs", "approve", id], as: "张伟")
        #expect(twice.exitCode == 2)
        #expect(twice.stderrText.hasPrefix("error: run \(id) was already approved by 张伟 at "))
        let rejectCommitted = try demo.steward(["runs", "reject", id, "--reason", "late"], as: "张伟")
        #expect(rejectCommitted.exitCode == 2)
        #expect(rejectCommitted.stderrText.contains("a committed run cannot be rejected"))
        #expect(try demo.steward(["runs", "approve", "99999"], as: "张伟").exitCode == 2)

        let trail = try demo.audit(["--run", id])
        #expect(trail.compactMap { $0["action"] as? String } == ["run.pending", "run.commit", "run.approve"])
        let approval = try #require(trail.last)
        #expect(approval["actor"] as? String == AccessDemo.admin && approval["user"] as? String == "张伟")
        let details = approval["details"] as? [String: String]
        #expect(details?["maker"] == "赵敏" && details?["same_acting_admin"] == "true")
        #expect((approval["script_hash"] as? String)?.count == 64)
    }

    @Test("nobody approves their own work, admins included; rejection needs a reason and is final")
    func selfApprovalAndRejection() throws {
        let demo = try AccessDemo()
        let name = try demo.script("big.lua", Self.bigGrant)
        // An approver's own run.
        let own = try #require(AccessDemo.pendingRunID(try demo.commit(name, as: "张伟")))
        let selfApproval = try demo.steward(["runs", "approve", own], as: "张伟")
        #expect(selfApproval.exitCode == 4)
        #expect(selfApproval.stderrText == "refused: 张伟 made run \(own) and cannot also approve it (maker ≠ checker); another approver must; nothing was changed\n")
        // The admin's own run: neither as the admin nor by acting as an approver.
        let admins = try #require(AccessDemo.pendingRunID(try demo.commit(name, as: nil)))
        #expect(try demo.steward(["runs", "approve", admins]).exitCode == 4)
        let viaApprover = try demo.steward(["runs", "approve", admins], as: "张伟")
        #expect(viaApprover.exitCode == 4)
        #expect(viaApprover.stderrText.contains("cannot approve it by acting as 张伟 (maker ≠ checker)"))

        #expect(try demo.steward(["runs", "reject", admins, "--reason", " "], as: "张伟").exitCode == 2)
        let rejected = try demo.steward(["runs", "reject", admins, "--reason", "重复申请"], as: "张伟")
        #expect(rejected.exitCode == 0, "\(rejected.summary)")
        #expect(rejected.stdoutText == "rejected run \(admins): nothing of it was applied\n")
        let afterReject = try demo.steward(["runs", "approve", admins], as: "张伟")
        #expect(afterReject.exitCode == 2)
        #expect(afterReject.stderrText.contains("was already rejected by 张伟"))
        #expect(afterReject.stderrText.contains("(“重复申请”)"))
        #expect(try demo.audit(["--run", admins]).compactMap { $0["action"] as? String } == ["run.pending", "run.reject"])
        // No ledger entry came of either run.
        #expect(try demo.export("ledger", as: nil).1.filter { $0["benefit_kind"] as? String == "access-test" }.isEmpty)
    }

    @Test("approval re-checks the budget; the threshold is a setting only admins change")
    func approvalRechecksAndThreshold() throws {
        let demo = try AccessDemo()
        let held = try demo.commit(try demo.script("big.lua", Self.bigGrant), as: "赵敏")
        let id = try #require(AccessDemo.pendingRunID(held))

        #expect(try demo.steward(["settings", "set", "approval.threshold", "2000000"], as: "张伟").exitCode == 4)
        let bad = try demo.steward(["settings", "set", "approval.threshold", "lots"])
        #expect(bad.exitCode == 2)
        #expect(try demo.steward(["settings", "set", "colour", "blue"]).exitCode == 2)
        let set = try demo.steward(["settings", "set", "approval.threshold", "2000000"])
        #expect(set.exitCode == 0, "\(set.summary)")
        #expect(set.stdoutText == "approval.threshold = ¥2,000,000.00\n")
        #expect(try demo.steward(["settings", "list"], as: "李娜").stdoutText.hasPrefix("approval.threshold  ¥2,000,000.00"))

        // Spend ¥900,000 of relief-2025's ¥1,000,000 (now under the threshold: no approval).
        let drain = try demo.commit(try demo.script("drain.lua", """
            local fund = budget "relief-2025"
            for m in members{}:limit(18):each() do
              fund:grant(m, yuan(50000), { programme = "temporary-relief", period = "2025-05", kind = "drain" })
            end
            """), as: "赵敏")
        #expect(drain.exitCode == 0, "\(drain.summary)")
        let stale = try demo.steward(["runs", "approve", id], as: "张伟")
        #expect(stale.exitCode == 4)
        // The first ¥100,000 still fits; the 21st grant does not.
        #expect(stale.stderrText.hasPrefix("refused: effect #21: budget 'relief-2025' has ¥0.00 left, this grant needs ¥5,000.00\n"))
        #expect(stale.stderrText.hasSuffix("refused: the change set no longer fits; nothing was changed\n"))
        #expect(try demo.audit(["--run", id]).compactMap { $0["action"] as? String } == ["run.pending"])
        #expect(try demo.audit().contains { $0["action"] as? String == "setting.set" })
    }

    // MARK: scope, both directions

    @Test("a town user's run, export and REPL see only their town, in both directions")
    func scopeBothDirections() throws {
        let demo = try AccessDemo()
        let counts = try demo.script("counts.lua", """
            print(members{ town = "儒林镇" }:count(), members{ town = "金城镇" }:count())
            print(facilities{ town = "儒林镇" }:count(), facilities{ town = "金城镇" }:count())
            """)
        let district = try demo.steward(["run", counts])
        let numbers = district.stdoutText.split(whereSeparator: { $0 == "\n" || $0 == "\t" }).map(String.init)
        #expect(numbers.count == 4 && numbers.allSatisfy { Int($0) ?? 0 > 0 }, "\(district.summary)")
        let (rulinMembers, jinchengMembers, rulinFacilities, jinchengFacilities) = (numbers[0], numbers[1], numbers[2], numbers[3])

        // 王芳 works for 儒林镇, 李娜 for 金城镇: each sees their own town and nothing of the other's.
        #expect(try demo.steward(["run", counts], as: "王芳").stdoutText == "\(rulinMembers)\t0\n\(rulinFacilities)\t0\n")
        #expect(try demo.steward(["run", counts], as: "李娜").stdoutText == "0\t\(jinchengMembers)\n0\t\(jinchengFacilities)\n")
        let everything = try demo.script("all.lua", "print(members{}:count(), facilities{}:count())")
        #expect(try demo.steward(["run", everything], as: "王芳").stdoutText == "\(rulinMembers)\t\(rulinFacilities)\n")
        #expect(try demo.steward(["run", everything], as: "李娜").stdoutText == "\(jinchengMembers)\t\(jinchengFacilities)\n")

        for (user, town, count) in [("王芳", "儒林镇", rulinMembers), ("李娜", "金城镇", jinchengMembers)] {
            let (r, rows) = try demo.export("members", as: user)
            #expect(r.exitCode == 0, "\(r.summary)")
            #expect(String(rows.count) == count)
            #expect(rows.allSatisfy { $0["town"] as? String == town })
            let (f, facilities) = try demo.export("facilities", as: user)
            #expect(f.exitCode == 0)
            #expect(facilities.allSatisfy { $0["town"] as? String == (town == "儒林镇" ? "320482101" : "320482100") })

            let repl = try demo.steward(["repl"], as: user, stdin: "print(members{}:count())\nprint(members{ town = \"\(town == "儒林镇" ? "金城镇" : "儒林镇")\" }:count())\n")
            #expect(repl.stdoutText == "\(count)\n0\n", "\(repl.summary)")
        }

        // Effects outside the scope are refused, naming the record and the scope.
        let reach = try demo.script("reach.lua", """
            budget("hospital-consolation-2025"):grant(nil, yuan(100), { town = "金城镇", programme = "hospital-consolation" })
            """)
        let r = try demo.commit(reach, as: "王芳")
        #expect(r.exitCode == 1)
        #expect(r.stderrText == "reach.lua:1: grant: 金城镇 (320482100) is outside your scope (儒林镇)\n")
        let ledger = try demo.export("ledger", as: "李娜").1
        #expect(ledger.isEmpty)
    }

    @Test("import: operators and above commit, only rows of their own scope")
    func importByRoleAndScope() throws {
        let demo = try AccessDemo()
        try demo.scratch.write("people.csv", """
            姓名,身份证号,性别,出生日期,镇街
            测试甲,\(AccessDemo.identityNumber("32048219800101003")),男,1980-01-01,金城镇

            """)
        let viewer = try demo.steward(["import", "members", "people.csv", "--commit"], as: "李娜")
        #expect(viewer.exitCode == 4)
        #expect(viewer.stderrText.contains("李娜 is a viewer and may not import records"))
        let otherTown = try demo.steward(["import", "members", "people.csv", "--commit"], as: "王芳")
        #expect(otherTown.exitCode == 4)
        #expect(otherTown.stderrText.contains("refused: line 2: 金城镇 is outside your scope (儒林镇)"))
        #expect(try demo.steward(["import", "members", "people.csv"], as: "李娜").exitCode == 0)  // a dry run reads only
        let admin = try demo.steward(["import", "members", "people.csv", "--commit"], as: "赵敏")
        #expect(admin.exitCode == 0, "\(admin.summary)")
        let imports = try demo.audit().filter { $0["action"] as? String == "import.members" }
        #expect(imports.count == 1)
        #expect(imports.first?["user"] as? String == "赵敏" && imports.first?["actor"] as? String == AccessDemo.admin)
    }

    // MARK: masking

    @Test("identity and phone numbers are masked in run output, JSON reports, exports and the REPL unless granted")
    func masking() throws {
        let demo = try AccessDemo()
        let show = try demo.script("show.lua", """
            local m = members{}:first()
            print(m.identity_number, m.phone, m.age, m.sex)
            return m.identity_number
            """)
        for format in ["text", "json"] {
            let r = try demo.steward(["run", show, "--format", format], as: "王芳")
            #expect(r.exitCode == 0, "\(r.summary)")
            #expect(r.stdoutText.contains("********") && !r.stdoutText.containsFullIdentityNumber, "\(r.stdoutText)")
        }
        let (exported, rows) = try demo.export("members", as: "王芳")
        #expect(exported.exitCode == 0)
        #expect(rows.allSatisfy { ($0["id_number"] as? String)?.contains("*") == true })
        #expect(rows.allSatisfy { ($0["phone"] as? String).map { $0.contains("*") } ?? true })
        #expect(!exported.stdoutText.containsFullIdentityNumber)
        let csv = try demo.steward(["export", "members"], as: "王芳")
        #expect(!csv.stdoutText.containsFullIdentityNumber)

        let refused = try demo.steward(["export", "members", "--unmask"], as: "王芳")
        #expect(refused.exitCode == 4)
        #expect(refused.stdoutText.isEmpty)
        #expect(refused.stderrText == "refused: 王芳 may not see identity and phone numbers unmasked (an admin can grant it: steward users set 王芳 --unmask); nothing was changed\n")
        let (granted, full) = try demo.export("members", as: "张伟", ["--unmask"])
        #expect(granted.exitCode == 0)
        #expect(full.allSatisfy { ($0["id_number"] as? String)?.contains("*") == false })
        #expect(try demo.audit(["--user", "张伟"]).contains { $0["action"] as? String == "export.unmasked" })

        let repl = try demo.steward(["repl"], as: "王芳", stdin: "m = members{}:first()\nm\nprint(m.identity_number, m.phone)\n")
        #expect(repl.exitCode == 0, "\(repl.summary)")
        #expect(repl.stdoutText.contains("identity_number") && repl.stdoutText.contains("********"))
        #expect(!repl.stdoutText.containsFullIdentityNumber)

        #expect(try demo.steward(["users", "set", "王芳", "--unmask"]).exitCode == 0)
        let unmasked = try demo.steward(["run", show], as: "王芳")
        #expect(unmasked.stdoutText.containsFullIdentityNumber)
    }

    @Test("runs list and show: a town user sees their town's runs; recorded output is masked unless granted")
    func runHistory() throws {
        let demo = try AccessDemo()
        let name = try demo.script("printed.lua", Self.smallGrant + "\nprint(members{}:first().identity_number)\n")
        let adminRun = try demo.commit(name, as: nil)
        #expect(adminRun.exitCode == 0, "\(adminRun.summary)")
        #expect(adminRun.stdoutText.containsFullIdentityNumber)  // the admin may see numbers
        let townRun = try demo.commit(name, as: "王芳")
        #expect(townRun.exitCode == 0, "\(townRun.summary)")
        let ids = try JSONSerialization.jsonObject(with: try demo.steward(["runs", "list", "--format", "json"]).stdout) as? [[String: Any]]
        let (townID, adminID) = try (#require(ids?.first?["id"] as? Int), #require(ids?.last?["id"] as? Int))

        let mine = try JSONSerialization.jsonObject(with: try demo.steward(["runs", "list", "--format", "json"], as: "王芳").stdout) as? [[String: Any]]
        #expect(mine?.compactMap { $0["id"] as? Int } == [townID])
        let hidden = try demo.steward(["runs", "show", String(adminID)], as: "王芳")
        #expect(hidden.exitCode == 2)
        #expect(hidden.stderrText == "error: no run \(adminID)\n")
        let masked = try demo.steward(["runs", "show", String(adminID)], as: "赵敏")
        #expect(masked.exitCode == 0, "\(masked.summary)")
        #expect(masked.stdoutText.contains("********") && !masked.stdoutText.containsFullIdentityNumber)
        #expect(try demo.steward(["runs", "show", String(adminID)]).stdoutText.containsFullIdentityNumber)
    }

    @Test("reminders list and export: a town user sees their town's reminders, numbers masked")
    func reminders() throws {
        let demo = try AccessDemo()
        let name = try demo.script("remind.lua", """
            for _, town in ipairs({ "儒林镇", "金城镇" }) do
              local m = members{ town = town }:first()
              remind{ subject = m, kind = "access-test", due = date("2025-07-01"), text = "call " .. m.identity_number }
            end
            """)
        let made = try demo.commit(name, as: nil)  // the admin may see numbers: the texts hold them in full
        #expect(made.exitCode == 0, "\(made.summary)")
        func listed(_ user: String?) throws -> [[String: Any]] {
            let r = try demo.steward(["reminders", "list", "--format", "json"], as: user)
            #expect(r.exitCode == 0, "\(r.summary)")
            return ((try JSONSerialization.jsonObject(with: r.stdout) as? [[String: Any]]) ?? [])
                .filter { $0["kind"] as? String == "access-test" }
        }
        let all = try listed(nil)
        #expect(all.count == 2 && all.allSatisfy { ($0["text"] as? String)?.containsFullIdentityNumber == true })
        for (user, town) in [("王芳", "儒林镇"), ("李娜", "金城镇")] {
            let mine = try listed(user)
            #expect(mine.compactMap { $0["town"] as? String } == [town], "\(user)")
            #expect(mine.allSatisfy { ($0["text"] as? String).map { $0.contains("********") && !$0.containsFullIdentityNumber } == true })
            let ics = try demo.steward(["reminders", "export", "--format", "ics", "--keep-status"], as: user)
            #expect(ics.exitCode == 0 && !ics.stdoutText.containsFullIdentityNumber)
            #expect(ics.stdoutText.components(separatedBy: "BEGIN:VEVENT").count - 1 == 1)
        }
        // Asking for the other town gives nothing, rather than that town's reminders.
        let other = try demo.steward(["reminders", "list", "--town", "金城镇", "--format", "json"], as: "王芳")
        #expect(((try JSONSerialization.jsonObject(with: other.stdout) as? [Any]) ?? [1]).isEmpty)
    }

    // MARK: audit

    @Test("steward audit: approvers and admins; filters; table and JSON")
    func auditCommand() throws {
        let demo = try AccessDemo()
        try demo.steward(["users", "add", "儒林查看", "--role", "viewer", "--scope", "儒林镇"])
        for user in ["王芳", "李娜", "赵敏"] {
            let r = try demo.steward(["audit"], as: user)
            #expect(r.exitCode == 4)
            #expect(r.stderrText.contains("may not read the audit trail (approvers and above may)"))
        }
        let table = try demo.steward(["audit"], as: "张伟")
        #expect(table.exitCode == 0, "\(table.summary)")
        #expect(table.stdoutText.contains("action") && table.stdoutText.contains("act_as"))
        #expect(table.stdoutText.contains("user.add") && table.stdoutText.contains("儒林查看"))
        #expect(try demo.steward(["audit", "--since", "2999-01-01"]).stdoutText == "no audit rows match\n")
        #expect(try demo.steward(["audit", "--since", "yesterday"]).exitCode == 2)
        let byUser = try demo.audit(["--user", "张伟"])
        #expect(!byUser.isEmpty && byUser.allSatisfy { $0["actor"] as? String == "张伟" || $0["user"] as? String == "张伟" })
        // Every use of --as is recorded with the command it was for.
        #expect(try demo.audit().contains {
            $0["action"] as? String == "act_as" && $0["object_id"] as? String == "张伟"
                && ($0["details"] as? [String: String])?["command"] == "audit"
        })
    }
}
