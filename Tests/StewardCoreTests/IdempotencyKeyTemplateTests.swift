import StewardCore
import Testing

/// A key template writes the same text `compose` writes for the same parts: the fixed parts
/// escaped and joined once, the member's `m<id>` written digit by digit.
@Suite("Idempotency key templates")
struct IdempotencyKeyTemplateTests {
    static let shapes: [(head: [String], tail: [String])] = [
        (["grant", "disability-subsidies-2025", "disability-living-subsidy"], ["2025-06", "living"]),
        (["grant", "a|b", "50%"], ["2025", "tui|tion%"]),        // escaped on both sides
        (["grant", "助学-2025", "圆梦助学"], ["2025", "学费"]),      // Chinese parts
        ([], ["2025-06"]),                                        // no head
        (["grant", "relief-2025"], []),                           // no tail
        ([], []),                                                 // the member's part alone
        (["", ""], ["", ""]),                                     // empty parts keep their separators
    ]

    @Test("the same key as compose, for every shape and at the edges of the id range", arguments: [
        Int64(0), 1, 9, 10, 17, 99, 100, 26_707, 999_999, 1_000_000, -1, -42, .max, .min,
    ])
    func sameAsCompose(_ id: Int64) {
        for shape in Self.shapes {
            let template = IdempotencyKey.Template(head: shape.head, tail: shape.tail)
            #expect(template.key(member: id) == IdempotencyKey.compose(shape.head + ["m" + String(id)] + shape.tail),
                    "head \(shape.head), tail \(shape.tail)")
        }
    }

    @Test("exact texts, escapes included")
    func exactTexts() {
        #expect(IdempotencyKey.Template(head: ["grant", "relief-2025"], tail: ["2025-06"]).key(member: 17)
                == "grant|relief-2025|m17|2025-06")
        #expect(IdempotencyKey.Template(head: ["a|b"], tail: ["50%"]).key(member: 3) == "a%7Cb|m3|50%25")
        #expect(IdempotencyKey.Template(head: [], tail: []).key(member: -5) == "m-5")
    }
}
