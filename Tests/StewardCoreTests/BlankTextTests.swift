import Testing
@testable import StewardCore

/// `String.isBlank` decides most texts at their first scalar; the answer must be the one
/// trimming gives, for every kind of start.
@Suite("Blank texts")
struct BlankTextTests {
    @Test(arguments: [
        ("", true), (" ", true), ("\t\n ", true), ("\u{3000}", true), ("\u{3000} \u{3000}", true),
        // A combining mark after a space is part of the space's Character: still blank.
        (" \u{301}", true),
        ("王芳", false), ("\u{3000}王芳", false), (" 的残疾人证将于2025-07-01到期 ", false),
        ("a", false), ("grant|m17|2025-06", false), ("\u{301}", false),
    ])
    func blankAsTrimmingSays(text: String, blank: Bool) {
        #expect(text.isBlank == blank)
        #expect(text.trimmingWhitespace().isEmpty == blank)
    }

    /// The first-byte shortcut must agree with Unicode: a text of one scalar is blank exactly
    /// when that scalar is whitespace, for every scalar up to U+3100 (all of Unicode's
    /// whitespace lies below) and one in 97 above, each lead byte of UTF-8 included.
    @Test func oneScalarIsBlankExactlyWhenUnicodeSaysWhitespace() {
        var scalars = Array(0x80...0x3100)
        scalars += stride(from: 0x3101, through: 0x10FFFF, by: 97)
        scalars += [0xE000, 0xFEFF, 0xFFFD, 0x10000, 0x10FFFF]
        var checked = 0
        for value in scalars {
            guard let scalar = Unicode.Scalar(UInt32(value)) else { continue }  // surrogates
            let text = String(Character(scalar))
            #expect(text.isBlank == scalar.properties.isWhitespace, "U+\(String(value, radix: 16, uppercase: true))")
            #expect(!(text + "x").isBlank)
            checked += 1
        }
        #expect(checked > 23_000)
    }

    @Test func aReminderTextThatIsOnlyIdeographicSpaceIsRefused() {
        #expect(Check.name("\u{3000}\u{3000}", record: "reminder", field: "text").map(\.message)
            == ["The reminder text must not be empty."])
        #expect(Check.name("王芳的残疾人证将于2025-07-01到期", record: "reminder", field: "text").isEmpty)
    }
}
