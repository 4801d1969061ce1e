import CLua
import Testing
@testable import LuaRuntime

@Suite("LuaTextMemo hands out the same String for the same text")
struct LuaTextMemoTests {
    /// Reads argument 1 of each call through `memo`, collecting what it returned.
    private func reads(_ memo: LuaTextMemo, _ script: String) throws -> [String?] {
        let state = try LuaState()
        var seen: [String?] = []
        state.register("read") { call in
            seen.append(memo.string(call.L, 1))
            return 0
        }
        _ = try state.run(script, name: "memo.lua")
        return seen
    }

    @Test func textsComeBackExactly() throws {
        let seen = try reads(LuaTextMemo(), """
            read("disability-living-subsidy"); read("living"); read("disability-living-subsidy")
            read("王芳的残疾人证将于2025-06-26到期"); read(""); read("a\\0b"); read("a\\0c")
            """)
        #expect(seen == ["disability-living-subsidy", "living", "disability-living-subsidy",
                         "王芳的残疾人证将于2025-06-26到期", "", "a\u{0}b", "a\u{0}c"])
    }

    @Test func onlyValidUTF8StringsAreText() throws {
        // A number is not converted (that would change the Lua value in place), bytes that
        // are not UTF-8 are no text, and neither is remembered as one.
        let seen = try reads(LuaTextMemo(), #"read(42); read("\255\254"); read(nil); read({}); read("\255\254")"#)
        #expect(seen == [nil, nil, nil, nil, nil])
    }

    @Test func aRepeatedTextIsTheSameStorage() throws {
        let memo = LuaTextMemo()
        let seen = try reads(memo, #"read("disability-living-subsidy"); read("disability-living-" .. "subsidy")"#)
        let first = seen[0]!.utf8.withContiguousStorageIfAvailable { $0.baseAddress }
        let second = seen[1]!.utf8.withContiguousStorageIfAvailable { $0.baseAddress }
        #expect(first != nil && first == second)
    }

    /// A short text (15 bytes or fewer, stored inline in its String) is found again too: it
    /// once never matched and was made and remembered anew at every read.
    @Test func aRepeatedShortTextIsFoundNotMadeAgain() throws {
        let memo = LuaTextMemo()
        let seen = try reads(memo, #"read("living"); read("liv" .. "ing"); read("2025-06"); read("living")"#)
        #expect(seen == ["living", "living", "2025-06", "living"])
        #expect(memo.entries == ["2025-06", "living"])
    }

    @Test func pastItsCapacityTheOldestIsMadeAgainCorrectly() throws {
        let seen = try reads(LuaTextMemo(capacity: 2), #"read("first-text-long-enough"); read("second"); read("third"); read("first-text-long-enough"); read("second")"#)
        #expect(seen == ["first-text-long-enough", "second", "third", "first-text-long-enough", "second"])
    }
}
