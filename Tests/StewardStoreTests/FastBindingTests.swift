import GRDB
import Testing
@testable import StewardStore

/// `FastBinding` binds rows through SQLite's C API without clearing the row before: what it
/// writes must be exactly the values bound, and a row that binds too few values must fail
/// rather than write one left over from the row before.
@Suite("Binding rows through the C API")
struct FastBindingTests {
    func table() throws -> DatabaseQueue {
        let queue = try DatabaseQueue()
        try queue.write { try $0.execute(sql: "CREATE TABLE t (a TEXT, b INTEGER, c TEXT)") }
        return queue
    }

    @Test func textsAreWrittenAsBoundEmptyAndChineseIncluded() throws {
        let queue = try table()
        try queue.write { db in
            var insert = FastBinding(try db.makeStatement(sql: "INSERT INTO t (a, b, c) VALUES (?, ?, ?)"))
            for (a, b, c) in [("", Int64(1), "王芳"), ("grant|disability-subsidies-2025|m17", 2, nil), ("x\u{0}y", 3, "短")] {
                insert.reset()
                insert.bind(a)
                insert.bind(b)
                insert.bind(c)
                try insert.step(db)
            }
        }
        let rows = try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT a, typeof(a) AS ta, length(CAST(a AS BLOB)) AS n, b, c FROM t ORDER BY b")
        }
        // An empty text is '' (not NULL); a NUL inside a text is kept, not cut at.
        #expect(rows.map { $0["ta"] as String } == ["text", "text", "text"])
        #expect(rows.map { $0["n"] as Int } == [0, 35, 3])
        #expect(rows.prefix(2).map { $0["a"] as String } == ["", "grant|disability-subsidies-2025|m17"])
        #expect(rows.map { $0["c"] as String? } == ["王芳", nil, "短"])
    }

    @Test func aRowThatBindsTooFewValuesIsRefusedNotFilledFromTheRowBefore() throws {
        let queue = try table()
        try queue.write { db in
            var insert = FastBinding(try db.makeStatement(sql: "INSERT INTO t (a, b, c) VALUES (?, ?, ?)"))
            insert.reset()
            insert.bind("first")
            insert.bind(Int64(1))
            insert.bind("kept?")
            try insert.step(db)
            insert.reset()
            insert.bind("second")
            insert.bind(Int64(2))
            let error = #expect(throws: DatabaseError.self) { try insert.step(db) }
            #expect(error?.resultCode == .SQLITE_MISUSE)
            #expect(error?.message == "Steward bound 2 of the 3 values of a row; nothing was written")
        }
        #expect(try queue.read { try String.fetchAll($0, sql: "SELECT a FROM t") } == ["first"])
    }
}
