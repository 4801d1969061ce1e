import GRDB
import Testing
@testable import StewardStore

/// A run that will commit reads its long member queries ahead on the store's writer, so that
/// the members it reads are still mapped for the commit's foreign-key checks
/// (``Store/read(forCommit:_:)``); a dry run leaves the writer alone.
@Suite("A run that commits reads ahead on the writer")
struct CommitReadAheadTests {
    /// The writer's `mmap_size`: 0 until a read ahead of a commit is lent it.
    static func writerMapSize(_ demo: Demo) throws -> Int {
        try demo.store.database.writeWithoutTransaction { db in try Int.fetchOne(db, sql: "PRAGMA mmap_size") ?? -1 }
    }

    /// Pays ¥1 to each certificate holder among all 3,000 residents: more members than a
    /// cursor reads before it reads ahead (``MemberCursor/readAheadAfter``).
    static let script = """
        local fund = budget "disability-subsidies-2025"
        local n = 0
        for m in members{}:order_by("id"):each() do
          if m.disability_grade then
            fund:grant(m, 100, { programme = "disability-living-subsidy", period = "2025-06", kind = "test" })
          end
          n = n + 1
        end
        print(n)
        """

    @Test("a commit borrows the writer and writes every grant; a dry run does not borrow it")
    func commitBorrowsTheWriter() throws {
        let dry = try DemoDatabase.copy()
        let preview = try dry.lua(Self.script)
        #expect(preview.status == .ok && preview.output == "3000\n")
        #expect(try Self.writerMapSize(dry) == 0)

        let demo = try DemoDatabase.copy()
        let before = try demo.int("SELECT count(*) FROM ledger WHERE benefit_kind = 'test'")
        let report = try demo.lua(Self.script, commit: true)
        #expect(report.status == .ok && report.committed && report.output == "3000\n")
        #expect(try Self.writerMapSize(demo) == ReadAheadSource.writerMapBytes)
        let holders = try demo.int("SELECT count(*) FROM members WHERE disability_grade IS NOT NULL")
        #expect(holders > 40 && preview.ledger.count == Int(holders))
        #expect(before == 0)
        #expect(try demo.int("SELECT count(*) FROM ledger WHERE benefit_kind = 'test' AND run_id = ?", [report.runID]) == holders)
        #expect(try demo.rows("PRAGMA query_only") == [["0"]])
    }
}
