import LuaRuntime
import Testing
import TestRandom

/// ``LuaText/string(validating:)`` turns a Lua string's bytes into a String, or refuses them
/// when they are not UTF-8. It checks them itself (``LuaText/isValidUTF8(_:)``) rather than
/// through the standard library's generic validator, so its verdict is pinned to the
/// standard library's on the cases that matter and on random bytes.
@Suite("Lua strings as UTF-8 text")
struct LuaTextTests {
    static func verdict(_ bytes: [UInt8]) -> String? {
        bytes.withUnsafeBufferPointer { LuaText.string(validating: $0) }
    }

    static func standard(_ bytes: [UInt8]) -> String? {
        bytes.withUnsafeBufferPointer { String(validating: $0, as: UTF8.self) }
    }

    @Test("well-formed text comes back as it was, NUL and all", arguments: [
        "", "grant", "王秀英的残疾人证将于2027-03-23到期，请提醒换证", "a\u{0}b", "€", "😀 \u{10FFFF}", "\u{7F}\u{80}\u{7FF}\u{800}\u{FFFF}\u{10000}",
    ])
    func wellFormed(_ text: String) {
        #expect(Self.verdict(Array(text.utf8)) == text)
    }

    @Test("each kind of ill-formed UTF-8 is refused", arguments: [
        [0x80], [0xBF], [0x61, 0x80],                 // a continuation with no lead
        [0xC0, 0x80], [0xC1, 0xBF],                   // overlong two-byte forms
        [0xE0, 0x80, 0x80], [0xE0, 0x9F, 0xBF],       // overlong three-byte forms
        [0xED, 0xA0, 0x80], [0xED, 0xBF, 0xBF],       // surrogates U+D800, U+DFFF
        [0xF0, 0x80, 0x80, 0x80], [0xF0, 0x8F, 0xBF, 0xBF],  // overlong four-byte forms
        [0xF4, 0x90, 0x80, 0x80], [0xF5, 0x80, 0x80, 0x80], [0xFF],  // beyond U+10FFFF
        [0xC3], [0xE7, 0x8E], [0xF0, 0x9F, 0x98],     // cut short at the end
        [0xE7, 0x41, 0x8E], [0xC3, 0xC3], [0xF0, 0x9F, 0x41, 0x80],  // a lead not followed
    ] as [[UInt8]])
    func illFormed(_ bytes: [UInt8]) {
        #expect(Self.standard(bytes) == nil, "the standard library refuses \(bytes) too")
        #expect(Self.verdict(bytes) == nil)
        #expect(Self.verdict([0x61] + bytes + [0x62]) == nil)
    }

    @Test("on 50,000 random byte strings the verdict is the standard library's")
    func randomBytes() {
        var random = SplitMix64(seed: 0x5EED_0F_7E87)
        // Bytes drawn mostly from the lead and continuation ranges, where the rules are.
        let pool: [UInt8] = [0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF,
                             0xE0, 0xE1, 0xEC, 0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xFF]
        var valid = 0
        for _ in 0..<50_000 {
            let bytes = (0..<random.int(0...8)).map { _ in random.chance(70) ? random.pick(pool) : UInt8(random.int(0...255)) }
            let expected = Self.standard(bytes)
            #expect(Self.verdict(bytes) == expected, "seed \(random.seed): \(bytes)")
            if expected != nil { valid += 1 }
        }
        // Both verdicts occur often enough to mean something.
        #expect(valid > 2_000 && valid < 48_000)
    }
}
