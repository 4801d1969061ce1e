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

    @Test func aReminderTextThatIsOnlyIdeographicSpaceIsRefused() {
        #expect(Check.name("\u{3000}\u{3000}", record: "reminder", field: "text").map(\.message)
            == ["The reminder text must not be empty."])
        #expect(Check.name("王芳的残疾人证将于2025-07-01到期", record: "reminder", field: "text").isEmpty)
    }
}
