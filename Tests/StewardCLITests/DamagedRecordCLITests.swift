import Foundation
import Testing

/// What the CLI shows for a record whose stored value was changed outside Steward and does
/// not decode: the store's one-line error naming the row, and exit 2 — never an empty or
/// default value (`effects (0)`) that reads like an ordinary record.
@Suite("Damaged records through the CLI", .serialized)
struct DamagedRecordCLITests {
    static let tail = ". Steward does not store such a value, so the database was changed by other means: correct or restore that row"

    /// A demo district with one committed run of one grant; returns the run's id.
    static func committedRun(_ demo: AccessDemo) throws -> Int {
        let name = try demo.script("small.lua", """
            budget("hospital-consolation-2025"):grant(members{}:first(), yuan(100), { programme = "hospital-consolation" })
            """)
        let commit = try demo.commit(name, as: nil)
        try #require(commit.exitCode == 0, "\(commit.summary)")
        return try DatabaseChecks.int(demo.db, "SELECT MAX(id) FROM runs")
    }

    /// `runs list` shows the count recorded with the effects (schema 8) without reading them,
    /// so it lists a run whose effects were damaged after they were counted, with their true
    /// number; `runs show`, which reads them, fails. A record that was never counted (from
    /// before schema 8) is counted by decoding it, so the listing fails on it.
    @Test("runs show of a run whose effects do not decode fails with the error, not 'effects (0)'; runs list when uncounted")
    func runsShowDamagedEffects() throws {
        let demo = try AccessDemo()
        let id = try Self.committedRun(demo)
        let before = try demo.steward(["runs", "show", String(id)])
        #expect(before.exitCode == 0 && before.stdoutText.contains("effects (1): applied"), "\(before.summary)")
        _ = try DatabaseChecks.query(demo.db, "UPDATE runs SET effects_json = 'not json' WHERE id = \(id)")
        let prefix = "error: runs row \(id), column effects_json: the text is not a JSON list of effects ("
        for format in ["text", "json"] {
            let show = try demo.steward(["runs", "show", String(id), "--format", format])
            #expect(show.exitCode == 2, "\(show.summary)")
            #expect(show.stdout.isEmpty, "\(show.summary)")
            #expect(show.stderrLines.count == 1 && show.stderrLines.first?.hasPrefix(prefix) == true, "\(show.summary)")
            #expect(show.stderrText.hasSuffix(Self.tail + "\n"), "\(show.summary)")
        }
        let counted = try demo.steward(["runs", "list", "--format", "json"])
        #expect(counted.exitCode == 0 && counted.stderr.isEmpty, "\(counted.summary)")
        let listed = try #require(try JSONSerialization.jsonObject(with: counted.stdout) as? [[String: Any]])
        #expect(listed.first { ($0["id"] as? Int) == id }?["effects"] as? Int == 1, "\(counted.summary)")

        _ = try DatabaseChecks.query(demo.db, "UPDATE runs SET effects_count = NULL WHERE id = \(id)")
        let list = try demo.steward(["runs", "list"])
        #expect(list.exitCode == 2 && list.stderrLines.first?.hasPrefix(prefix) == true, "\(list.summary)")
    }

    @Test("runs show of a run whose parameters do not decode fails with the error")
    func runsShowDamagedParameters() throws {
        let demo = try AccessDemo()
        let id = try Self.committedRun(demo)
        _ = try DatabaseChecks.query(demo.db, "UPDATE runs SET params_json = '[\"a\"]' WHERE id = \(id)")
        let show = try demo.steward(["runs", "show", String(id)])
        #expect(show.exitCode == 2, "\(show.summary)")
        #expect(show.stderrLines.first?.hasPrefix(
            "error: runs row \(id), column params_json: the text is not a JSON object of texts (") == true, "\(show.summary)")
        #expect(show.stdout.isEmpty)
    }

    @Test("audit shows the trail with a damaged row marked, prints its error and exits 2")
    func auditDamagedDetails() throws {
        let demo = try AccessDemo()
        _ = try DatabaseChecks.query(demo.db, """
            INSERT INTO audit (at, actor, action, details_json) VALUES ('2025-06-15T00:00:00.000Z', 'forger', 'forged', 'not json')
            """)
        let id = try DatabaseChecks.int(demo.db, "SELECT MAX(id) FROM audit")
        let prefix = "error: audit row \(id), column details_json: the text is not a JSON object of texts ("
        let text = try demo.steward(["audit"])
        #expect(text.exitCode == 2, "\(text.summary)")
        #expect(text.stdoutText.contains("UNREADABLE"), "\(text.summary)")
        #expect(text.stdoutText.contains("forged"))
        #expect(text.stderrLines.count == 1 && text.stderrLines.first?.hasPrefix(prefix) == true, "\(text.summary)")
        let json = try demo.steward(["audit", "--format", "json"])
        #expect(json.exitCode == 2)
        let rows = try #require(try JSONSerialization.jsonObject(with: json.stdout) as? [[String: Any]])
        let damaged = try #require(rows.first { ($0["id"] as? Int) == id })
        #expect(damaged["details"] == nil)
        #expect((damaged["details_error"] as? String)?.hasPrefix(String(prefix.dropFirst("error: ".count))) == true)
        #expect(rows.filter { $0["details_error"] == nil }.allSatisfy { $0["details"] != nil })
    }

    static let notAnInstant = " is not an instant as Steward writes one (2025-06-15T00:00:00.000Z)"

    /// Before: `runner status` showed "?" for a slot's times, and a tick that did not parse
    /// as "never", the runner silent.
    @Test("runner status of a retry or a heartbeat whose time does not parse fails with the error, not '?'")
    func runnerStatusDamagedTimes() throws {
        let f = try RunnerFixture(members: 20, label: "steward-damaged-status")
        try f.addApproved("fails", """
            script{ name = "fails", idempotent = true }
            error("no data")
            """)
        try f.schedule("fails", "@hourly", from: "2026-03-02T00:00:00Z", ["--max-retries", "1", "--tz", "UTC"])
        try f.once("2026-03-02T01:00:10Z")
        let status = ["runner", "status", "--at", "2026-03-02T01:00:30Z"]
        let before = try f.steward(status)
        #expect(before.exitCode == 0, "\(before.summary)")
        #expect(before.stdoutText.hasSuffix("\nretry: fails slot 2026-03-02T01:00:00Z: attempt 2 at 2026-03-02T01:01:10Z\n"),
                "\(before.summary)")
        let slot = try DatabaseChecks.int(f.db, "SELECT id FROM schedule_slots WHERE status = 'claimed' AND runner_id = ''")
        _ = try DatabaseChecks.query(f.db, "UPDATE schedule_slots SET claimed_at = 'soon' WHERE id = \(slot)")
        for format in ["text", "json"] {
            let damaged = try f.steward(status + ["--format", format])
            #expect(damaged.exitCode == 2, "\(damaged.summary)")
            #expect(damaged.stdout.isEmpty, "\(damaged.summary)")
            #expect(damaged.stderrLines == ["error: schedule_slots row \(slot), column claimed_at: 'soon'" + Self.notAnInstant + Self.tail],
                    "\(damaged.summary)")
        }
        _ = try DatabaseChecks.query(f.db, """
            UPDATE schedule_slots SET claimed_at = '2026-03-02T01:01:10.000Z' WHERE id = \(slot);
            UPDATE runner_heartbeats SET last_tick_at = '2026-03-02 01:00' WHERE runner_id = 'runner-a'
            """)
        let beat = try DatabaseChecks.int(f.db, "SELECT rowid FROM runner_heartbeats WHERE runner_id = 'runner-a'")
        let tick = try f.steward(status)
        #expect(tick.exitCode == 2, "\(tick.summary)")
        #expect(tick.stderrLines == ["error: runner_heartbeats row \(beat), column last_tick_at: '2026-03-02 01:00'" + Self.notAnInstant + Self.tail],
                "\(tick.summary)")
    }

    /// A runner's recovery invents no times: a slot a dead runner left running whose claim
    /// time does not parse stops the runner at start with the error naming the row, and
    /// nothing is written. Before: the claim read as `now`, and the slot was abandoned with a
    /// run recorded from then.
    @Test("a runner refuses to recover a dead runner's slot whose claim time does not parse, and writes nothing")
    func runnerRecoveryDamagedClaim() throws {
        let f = try RunnerFixture(members: 20, label: "steward-damaged-recovery")
        try f.addApproved("hangs", "print(run.slot)\n")
        try f.schedule("hangs", "@hourly", from: "2026-03-02T00:00:00Z", ["--tz", "UTC"])
        // A runner killed while its worker hangs leaves its slot running (as in RunnerCLITests).
        #expect(try f.killRunnerMidRun("hangs", id: "gone"))
        let slot = try DatabaseChecks.int(f.db, "SELECT id FROM schedule_slots WHERE status = 'running'")
        _ = try DatabaseChecks.query(f.db, "UPDATE schedule_slots SET claimed_at = 'noon' WHERE id = \(slot)")
        let tables = "SELECT * FROM schedule_slots; SELECT * FROM runs; SELECT * FROM runner_heartbeats"
        let before = try DatabaseChecks.query(f.db, tables)
        let once = try f.once("2026-03-02T01:30:00Z", id: "next")
        #expect(once.exitCode == 2, "\(once.summary)")
        #expect(once.stderrLines == ["error: schedule_slots row \(slot), column claimed_at: 'noon'" + Self.notAnInstant + Self.tail],
                "\(once.summary)")
        #expect(try DatabaseChecks.query(f.db, tables) == before)
    }

    /// Before: `scripts show` gave the author's time as 1970-01-01T00:00:00Z.
    @Test("scripts show of a version whose creation time does not parse fails with the error, not 1970")
    func scriptsShowDamagedCreation() throws {
        let demo = try AccessDemo()
        try demo.script("hello.lua", "print('hello')\n")
        let add = try demo.steward(["scripts", "add", "hello.lua", "--name", "hello"], as: "赵敏")
        try #require(add.exitCode == 0, "\(add.summary)")
        let id = try DatabaseChecks.int(demo.db, """
            SELECT v.id FROM script_versions v JOIN scripts s ON s.id = v.script_id WHERE s.name = 'hello'
            """)
        _ = try DatabaseChecks.query(demo.db, "UPDATE script_versions SET created_at = 'last week' WHERE id = \(id)")
        let show = try demo.steward(["scripts", "show", "hello"])
        #expect(show.exitCode == 2, "\(show.summary)")
        #expect(show.stdout.isEmpty, "\(show.summary)")
        #expect(show.stderrLines == ["error: script_versions row \(id), column created_at: 'last week'" + Self.notAnInstant + Self.tail],
                "\(show.summary)")
    }

    /// The audit table is append-only: a row whose time does not parse is listed, marked, and
    /// its error printed, as a row whose details do not decode is. Before: "?" and exit 0.
    @Test("audit shows a row whose time does not parse as UNREADABLE, prints its error and exits 2")
    func auditDamagedTime() throws {
        let demo = try AccessDemo()
        _ = try DatabaseChecks.query(demo.db, """
            INSERT INTO audit (at, actor, action, details_json) VALUES ('yesterday', 'forger', 'forged', '{"a":"b"}')
            """)
        let id = try DatabaseChecks.int(demo.db, "SELECT MAX(id) FROM audit")
        let error = "audit row \(id), column at: 'yesterday'" + Self.notAnInstant + Self.tail
        let text = try demo.steward(["audit"])
        #expect(text.exitCode == 2, "\(text.summary)")
        let row = try #require(text.stdoutText.split(separator: "\n").first { $0.contains("forger") }, "\(text.summary)")
        #expect(row.contains("UNREADABLE (see the error below)") && row.contains("forged") && row.contains("a=b"), "\(row)")
        #expect(!text.stdoutText.contains(" ? "), "\(text.summary)")
        #expect(text.stderrLines == ["error: " + error], "\(text.summary)")
        let json = try demo.steward(["audit", "--format", "json"])
        #expect(json.exitCode == 2)
        #expect(json.stderrLines == ["error: " + error], "\(json.summary)")
        let rows = try #require(try JSONSerialization.jsonObject(with: json.stdout) as? [[String: Any]])
        let damaged = try #require(rows.first { ($0["id"] as? Int) == id })
        #expect(damaged["at"] == nil)
        #expect(damaged["at_error"] as? String == error)
        #expect(damaged["details"] as? [String: String] == ["a": "b"])
        #expect(rows.filter { ($0["id"] as? Int) != id }.allSatisfy { $0["at"] is String && $0["at_error"] == nil })
    }

    /// A change set above the approval threshold is stored pending and the store says so with
    /// its own error type. Before, the runner looked for the run in the history instead, and a
    /// history it could not read (here: another pending run damaged) made the held run a
    /// failure: the slot failed, and a second, failed run was recorded.
    @Test("a scheduled commit held for approval is the slot's success even when the run history does not read")
    func scheduledRunHeldForApproval() throws {
        let f = try RunnerFixture(members: 40, label: "steward-held-slot")
        #expect(try f.steward(["settings", "set", "approval.threshold", "100"]).exitCode == 0)
        func grants(_ name: String, _ kind: String) -> String {
            """
            script{ name = "\(name)" }
            for m in members{}:order_by("id"):limit(20):each() do
              budget("welfare-posts-2025"):grant(m, yuan(10), { programme = "welfare-posts", period = "2025-06", kind = "\(kind)" })
            end
            """
        }
        try f.scratch.write("manual.lua", grants("manual", "manual"))
        let manual = try f.steward(["run", "manual.lua", "--commit", "--as", "赵敏"])
        try #require(manual.exitCode == 5, "\(manual.summary)")
        let damaged = try #require(AccessDemo.pendingRunID(manual))
        _ = try DatabaseChecks.query(f.db, "UPDATE runs SET finished_at = 'whenever' WHERE id = \(damaged)")
        try f.addApproved("held-slot", grants("held-slot", "scheduled"))
        try f.schedule("held-slot", "@hourly", from: "2026-03-02T00:00:00Z", ["--tz", "UTC"])
        let once = try f.once("2026-03-02T01:00:10Z")
        #expect(once.exitCode == 0, "\(once.summary)")
        #expect(try DatabaseChecks.query(f.db, """
            SELECT r.status, r.slot_id IS NOT NULL, (SELECT COUNT(*) FROM ledger l WHERE l.run_id = r.id) FROM runs r
            WHERE r.script_name = 'held-slot'
            """) == [["pending_approval", "1", "0"]])
        #expect(try f.slots("held-slot").map(\.status) == ["succeeded"])
    }

    /// Before: an `approval.threshold` that does not parse was read as the default ¥100,000,
    /// and a commit an admin's lower threshold would have held went through on one person's
    /// say. Now the commit refuses with the error naming the setting and its fix, writes
    /// nothing, and `steward settings set` (the fix) works over the damaged value.
    @Test("a commit under a damaged approval.threshold refuses with the error and writes nothing; settings set repairs it")
    func damagedApprovalThreshold() throws {
        let demo = try AccessDemo()
        let name = try demo.script("small.lua", """
            budget("hospital-consolation-2025"):grant(members{}:first(), yuan(100), { programme = "hospital-consolation" })
            """)
        #expect(try demo.steward(["settings", "set", "approval.threshold", "50"]).exitCode == 0)
        _ = try DatabaseChecks.query(demo.db, "UPDATE settings SET value = '50 yuan' WHERE key = 'approval.threshold'")
        let error = "error: settings row 'approval.threshold', column value: '50 yuan' is not an amount in fen as Steward "
            + "writes one (a whole number, 0 or more: 10000000 is ¥100,000.00). Steward does not store such a value, so the "
            + "database was changed by other means: set it again with `steward settings set approval.threshold AMOUNT` "
            + "(in yuan, e.g. 100000); until then no run can commit"
        let tables = "SELECT * FROM runs; SELECT * FROM ledger; SELECT * FROM audit; SELECT * FROM settings"
        let before = try DatabaseChecks.query(demo.db, tables)
        let commit = try demo.commit(name, as: nil)
        #expect(commit.exitCode == 2, "\(commit.summary)")
        // The run report prints a store error as it is (as for one met while the script read).
        #expect(commit.stderrLines.last == String(error.dropFirst("error: ".count)), "\(commit.summary)")
        #expect(try DatabaseChecks.query(demo.db, tables) == before)
        let list = try demo.steward(["settings", "list"])
        #expect(list.exitCode == 2 && list.stdout.isEmpty, "\(list.summary)")
        #expect(list.stderrLines == [error], "\(list.summary)")
        let set = try demo.steward(["settings", "set", "approval.threshold", "50"])
        #expect(set.exitCode == 0 && set.stdoutText == "approval.threshold = ¥50.00\n", "\(set.summary)")
        // ¥100 is above the repaired ¥50 threshold: held, as the admin meant.
        let held = try demo.commit(name, as: nil)
        #expect(held.exitCode == 5, "\(held.summary)")
    }
}
