import CLua
import Foundation

/// The Swift Strings last made from Lua strings, to be handed out again for the same text.
///
/// A host function called once per member reads the same few strings each time (a grant's
/// `programme = "disability-living-subsidy"`, `kind = "living"`). Making a String of one
/// means a validation pass and, past 15 bytes, an allocation; with the memo it is a length
/// test and a byte comparison against the few texts seen last.
///
/// Entries match on their bytes, never on the Lua string's address: a collected string's
/// memory may hold a different string later. One memo per Lua state (it is not thread-safe).
public final class LuaTextMemo {
    /// Most recent first, each with its bytes: comparing against an array's buffer costs a
    /// `memcmp`, where reaching a String's bytes costs a call per entry (and a copy for a
    /// small one).
    /// Unchecked exclusivity: one state, one thread, and the run-time check cost a quarter
    /// of a look-up.
    @exclusivity(unchecked) private var memo: [(text: String, bytes: [UInt8])] = []
    /// The texts remembered, most recent first.
    var entries: [String] { memo.map(\.text) }
    private let capacity: Int

    /// Keeps the `capacity` texts read most recently.
    public init(capacity: Int = 8) {
        self.capacity = capacity
    }

    /// The string at stack index `i` if it is a Lua string holding valid UTF-8, else nil
    /// (numbers are not converted: the value must already be a string).
    public func string(_ L: OpaquePointer, _ i: Int32) -> String? {
        guard lua_type(L, i) == LUA_TSTRING else { return nil }
        var count = 0
        guard let start = lua_tolstring(L, i, &count) else { return nil }
        if count == 0 { return "" }
        for entry in memo where entry.bytes.count == count {
            if entry.bytes.withUnsafeBufferPointer({ memcmp($0.baseAddress!, start, count) == 0 }) { return entry.text }
        }
        let made = start.withMemoryRebound(to: UInt8.self, capacity: count) {
            LuaText.string(validating: UnsafeBufferPointer(start: $0, count: count))
        }
        guard let made else { return nil }
        if memo.count == capacity { memo.removeLast() }
        memo.insert((made, Array(made.utf8)), at: 0)
        return made
    }
}
