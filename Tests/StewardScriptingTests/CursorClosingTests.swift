import GRDB
import LuaRuntime
import StewardCore
import Testing
@testable import StewardScripting
@testable import StewardStore

/// The REPL keeps one Lua state across evaluations, each in its own `store.read`. An `each()`
/// iterator left part way lives on in Lua until it is collected, and with it its cursor: the
/// statement on the read connection and the read-ahead thread's own connection, each holding a
/// read transaction. ``HostContext/closeCursors()`` ends them with the evaluation.
@Suite("Member cursors end with their evaluation")
struct CursorClosingTests {
    /// A truncating checkpoint's busy flag: 1 while any connection still reads.
    static func checkpointBusy(_ store: Store) throws -> Int? {
        try store.database.writeWithoutTransaction { db in try Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(TRUNCATE)")?[0] }
    }

    /// The REPL's way: a state kept alive across reads, an iterator left part way in a global.
    /// Without ``HostContext/closeCursors()`` its cursor held a read transaction after the read
    /// (the checkpoint reported busy) and, freed later off its connection's queue, stopped the
    /// process in GRDB's reset of its statement: this test crashed so before `close()`.
    @Test("closing the cursors ends the read while the iterator lives on, and the iterator refuses to go on later")
    func closingEndsTheRead() throws {
        let demo = try DemoDatabase.copy()
        // A write, so that the checkpoint has frames to copy and must wait for readers.
        try demo.store.database.write { db in
            try db.execute(sql: "UPDATE members SET name = name WHERE id = (SELECT MIN(id) FROM members)")
        }
        var state: LuaState?
        var host: DomainHost?
        var context: HostContext?
        try demo.store.read { snapshot in
            let made = HostContext(snapshot: snapshot, actor: Demo.districtAdmin, today: DemoDatabase.today)
            let domain = DomainHost(context: made, parameters: [:], dryRun: true)
            let lua = try LuaState()
            try domain.install(lua)
            // More rows than the cursor reads on its own connection, fewer than it reads ahead.
            _ = try lua.run("""
                it = members{}:each()
                for _ = 1, 300 do assert(it()) end
                """, name: "repl.lua")
            made.closeCursors()
            (state, host, context) = (lua, domain, made)
        }
        #expect(try Self.checkpointBusy(demo.store) == 0)
        var later: String?
        try demo.store.read { snapshot in
            context?.snapshot = snapshot
            do { _ = try state?.run("return it()", name: "repl.lua") } catch { later = "\(error)" }
        }
        #expect(later?.contains("this each() iterator belongs to an earlier evaluation; call :each() again") == true,
                "\(later ?? "no error")")
        withExtendedLifetime((state, host)) {}
    }

    @Test("a closed cursor gives no more members, and closing twice is harmless")
    func closedCursorEnds() throws {
        let demo = try DemoDatabase.copy()
        try demo.store.read { snapshot in
            let cursor = try snapshot.memberCursor(MemberQuery(), tags: false)
            var read = 0
            while read < 300, try cursor.next() != nil { read += 1 }
            #expect(read == 300)
            cursor.close()
            cursor.close()
            #expect(try cursor.next() == nil)
        }
        #expect(try Self.checkpointBusy(demo.store) == 0)
    }
}
