import Foundation
import Testing

/// A large run record keeps its effects deflated (schema 7): `steward runs show` and `runs
/// list` read it as before, the `sqlite3` shell reads it with `sqlar_uncompress`, and damage
/// to it is an error naming the row, never "effects (0)".
@Suite("Deflated run records through the CLI", .serialized)
struct RunRecordCLITests {
    /// 600 grants: about 150 KB of JSON, above the 64 KiB from which it is deflated.
    static let grants = 600

    /// A demo district with one committed run of `grants` grants; returns it and the run's id.
    static func committed() throws -> (RunnerFixture, Int) {
        let f = try RunnerFixture(members: grants + 50, label: "steward-run-record")
        try f.scratch.write("mass.lua", CrashSafetyTests.massGrant)
        let run = try f.steward(["run", "mass.lua", "--commit", "--param", "n=\(grants)", "--param", "tag=record"])
        try #require(run.exitCode == 0, "\(run.summary)")
        return (f, try DatabaseChecks.int(f.db, "SELECT MAX(id) FROM runs"))
    }

    @Test("a large commit's record is deflated, and runs show, runs list and the sqlite3 shell read every effect")
    func readsBack() throws {
        let (f, id) = try Self.committed()
        #expect(try DatabaseChecks.query(f.db, "SELECT typeof(effects_json), effects_inflated_size > 65536 FROM runs WHERE id = \(id)")
                == [["blob", "1"]])
        let show = try f.steward(["runs", "show", String(id)])
        #expect(show.exitCode == 0 && show.stdoutText.contains("effects (\(Self.grants)): applied"), "\(show.summary)")
        let list = try f.steward(["runs", "list", "--format", "json"])
        let listed = try JSONSerialization.jsonObject(with: list.stdout) as? [[String: Any]]
        #expect(listed?.first { $0["id"] as? Int == id }?["effects"] as? Int == Self.grants, "\(list.summary)")
        // The shell alone, as an auditor without Steward would read it.
        let shell = try DatabaseChecks.query(f.db, """
            SELECT json_array_length(CAST(sqlar_uncompress(effects_json, effects_inflated_size) AS TEXT)),
                   json_extract(CAST(sqlar_uncompress(effects_json, effects_inflated_size) AS TEXT), '$[0].ledger.benefitKind')
            FROM runs WHERE id = \(id)
            """)
        #expect(shell == [[String(Self.grants), "record"]])
        // Each ledger row of the run is one the record lists, and no more.
        #expect(try DatabaseChecks.runProblems(f.db) == [])
    }

    @Test("a deflated record damaged outside Steward fails runs show with the error naming the row")
    func damaged() throws {
        let (f, id) = try Self.committed()
        // One byte of the deflated stream changed: its checksum no longer matches.
        _ = try DatabaseChecks.query(f.db, """
            UPDATE runs SET effects_json = CAST(substr(effects_json, 1, 100)
                || CASE WHEN substr(effects_json, 101, 1) = X'00' THEN X'01' ELSE X'00' END
                || substr(effects_json, 102) AS BLOB) WHERE id = \(id)
            """)
        let show = try f.steward(["runs", "show", String(id)])
        #expect(show.exitCode == 2, "\(show.summary)")
        #expect(show.stdout.isEmpty, "\(show.summary)")
        #expect(show.stderrText == "error: runs row \(id), column effects_json: the deflated effects do not read back: "
                + "it is not zlib's deflate format, or it is damaged or cut short" + DamagedRecordCLITests.tail + "\n",
                "\(show.summary)")
    }
}
