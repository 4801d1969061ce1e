import Foundation
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

    /// Texts kept in a ``BoundTexts`` are read by SQLite in place: each row must store its own
    /// values, though the kept bytes are reused row after row, and a text larger than a chunk,
    /// or a row that fills one, must not move bytes already bound.
    @Test func textsKeptInPlaceAreWrittenRowByRow() throws {
        let queue = try table()
        let long = String(repeating: "长文本", count: BoundTexts.chunkSize / 5)
        let nearlyFull = String(repeating: "x", count: BoundTexts.chunkSize - 3)
        let rows: [(String, String?)] = [
            ("王芳", "first"), ("", nil), (long, "after a long one"), (nearlyFull, "spills into the next chunk"),
            ("x\u{0}y", "短"), ("grant|disability-subsidies-2025|m17", long),
        ]
        let texts = BoundTexts()
        try queue.write { db in
            var insert = FastBinding(try db.makeStatement(sql: "INSERT INTO t (a, b, c) VALUES (?, ?, ?)"), texts: texts)
            for (index, row) in rows.enumerated() {
                insert.reset()
                insert.bind(row.0)
                insert.bind(Int64(index))
                insert.bind(row.1)
                try insert.step(db)
            }
        }
        let stored = try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT hex(a) AS a, typeof(a) AS ta, c FROM t ORDER BY b").map { ($0["a"] as String, $0["ta"] as String, $0["c"] as String?) }
        }
        // Compared as bytes: a NUL inside a text is stored, but GRDB reads a String up to it.
        #expect(stored.map(\.0) == rows.map { $0.0.utf8.map { String(format: "%02X", $0) }.joined() })
        #expect(stored.map(\.1) == Array(repeating: "text", count: rows.count))
        #expect(stored.map(\.2) == rows.map(\.1))
    }
}
