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

    @Test("runs show and runs list of a run whose effects do not decode fail with the error, not 'effects (0)'")
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
}
