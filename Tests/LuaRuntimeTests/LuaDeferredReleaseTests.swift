import Foundation
import Testing
@testable import LuaRuntime

/// Types marked `releasedElsewhere`: objects Lua collects are released on a background queue,
/// none is lost or released twice, and a closed state has released them all.
@Suite("Objects released off the script's thread", .serialized)
struct LuaDeferredReleaseTests {
    final class Record {
        static let lock = NSLock()
        nonisolated(unsafe) static var alive = 0
        nonisolated(unsafe) static var releasedOnScriptThread = 0
        let scriptThread: pthread_t
        let id: Int64
        init(_ id: Int64, scriptThread: pthread_t) {
            self.id = id
            self.scriptThread = scriptThread
            Self.lock.withLock { Self.alive += 1 }
        }
        deinit {
            let same = pthread_equal(pthread_self(), scriptThread) != 0
            Self.lock.withLock {
                Self.alive -= 1
                if same { Self.releasedOnScriptThread += 1 }
            }
        }
    }

    @Test("collected objects are released elsewhere; all of them by the time the state closes")
    func releasedElsewhere() throws {
        let type = LuaType<Record>("record")
        type.releasedElsewhere = true
        type.property("id", scalar: { .integer($0.id) })
        let s = try LuaState(sandboxed: false)
        s.registerType(type)
        let me = pthread_self()
        s.register("record") { call in call.push(Record(try call.integer(1), scriptThread: me), as: type); return 1 }
        let before = Record.lock.withLock { (Record.alive, Record.releasedOnScriptThread) }
        let r = try s.run("""
            local sum = 0
            for i = 1, 10000 do sum = sum + record(i).id end
            collectgarbage(); collectgarbage()
            KEEP = record(-1)
            return sum, KEEP.id
            """, name: "r.lua")
        #expect(r == [50_005_000, -1])
        s.close()
        let after = Record.lock.withLock { (Record.alive, Record.releasedOnScriptThread) }
        #expect(after.0 == before.0, "every record released once the state closed, the kept one included")
        #expect(after.1 == before.1, "none released on the script's thread")
    }

    @Test("types not marked are released at once, on the script's thread")
    func releasedAtOnce() throws {
        let type = LuaType<Record>("record")
        let s = try LuaState(sandboxed: false)
        s.registerType(type)
        let me = pthread_self()
        s.register("record") { call in call.push(Record(1, scriptThread: me), as: type); return 1 }
        let before = Record.lock.withLock { (Record.alive, Record.releasedOnScriptThread) }
        _ = try s.run("for i = 1, 100 do record() end collectgarbage() collectgarbage()", name: "r.lua")
        let after = Record.lock.withLock { (Record.alive, Record.releasedOnScriptThread) }
        #expect(after.0 == before.0)
        #expect(after.1 == before.1 + 100)
        s.close()
    }
}
