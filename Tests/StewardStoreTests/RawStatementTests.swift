import GRDB
import Testing
@testable import StewardStore

/// The C-API helpers the hot paths use instead of GRDB's fetches: same answers, and failures
/// thrown as GRDB's errors, never swallowed.
@Suite("Statements stepped through SQLite's C API")
struct RawStatementTests {
    func database() throws -> DatabaseQueue {
        let queue = try DatabaseQueue()
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, town INTEGER)")
            try db.execute(sql: "INSERT INTO t (id, name, town) VALUES (1, '张伟', 7), (2, 'x', NULL)")
        }
        return queue
    }

    @Test("look-ups answer as a query would, and leave the statement ready for the next")
    func lookUps() throws {
        try database().read { db in
            let byName = try db.cachedStatement(sql: "SELECT 1 FROM t WHERE name = ?")
            #expect(try RawStatement.hasRow(byName, ["张伟"], db))
            #expect(try !RawStatement.hasRow(byName, ["李娜"], db))
            #expect(try RawStatement.hasRow(byName, ["x"], db))
            let byID = try db.cachedStatement(sql: "SELECT 1 FROM t WHERE id = ?")
            #expect(try RawStatement.hasRow(byID, 2, db))
            #expect(try !RawStatement.hasRow(byID, 3, db))
            let town = try db.cachedStatement(sql: "SELECT town FROM t WHERE id = ?")
            #expect(try RawStatement.int64(town, 1, db) == 7)
            #expect(try RawStatement.int64(town, 2, db) == nil)
            #expect(try RawStatement.int64(town, 3, db) == nil)
        }
    }

    @Test("a bind that fails is thrown at the step, and nothing is written")
    func failedBindIsThrown() throws {
        let queue = try database()
        try queue.write { db in
            var insert = FastBinding(try db.makeStatement(sql: "INSERT INTO t (name) VALUES (?)"))
            insert.reset()
            insert.bind("王芳")
            insert.bind("one too many")
            #expect(throws: DatabaseError.self) { try insert.step(db) }
            do { try insert.step(db) } catch let error as DatabaseError {
                #expect(error.resultCode == .SQLITE_RANGE)
            }
        }
        #expect(try queue.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM t") } == 2)
    }

    @Test("a failed step is thrown as GRDB's error for the statement")
    func failedStepIsThrown() throws {
        try database().write { db in
            var insert = FastBinding(try db.makeStatement(sql: "INSERT INTO t (id, name) VALUES (?, ?)"))
            insert.reset()
            insert.bind(Int64(1))
            insert.bind("duplicate id")
            do {
                try insert.step(db)
                Issue.record("a duplicate primary key was inserted")
            } catch let error as DatabaseError {
                #expect(error.resultCode == .SQLITE_CONSTRAINT)
                #expect(error.sql == "INSERT INTO t (id, name) VALUES (?, ?)")
            }
        }
    }
}
