import Testing
@testable import StewardScripting

/// A grant's key names its member as `m<id>`; the digits are written by hand, so they are
/// checked against Swift's own formatting at the edges of the range.
@Suite("A grant key's member part")
struct GrantKeyPartTests {
    @Test("m and the id's decimal digits, as Swift formats them", arguments: [
        Int64(0), 1, 9, 10, 17, 99, 100, 26_707, 999_999, 1_000_000, -1, -42, .max, .min,
    ])
    func digits(_ id: Int64) {
        #expect(BudgetBindings.memberKeyPart(id) == "m" + String(id))
    }
}
