import Testing
@testable import StewardCore

/// The checker's table of keys met: every key found again with its value, through many
/// growths, and nothing stored when the value could not be made.
@Suite("The table of effect keys")
struct EffectKeyTableTests {
    struct ProbeFailed: Error {}

    @Test("100,000 keys, stored through a dozen growths, are each found with their value")
    func manyKeys() throws {
        var table = EffectKeyTable()
        for i in 0..<100_000 {
            let value = table.value(for: EffectKey(.ledger, "grant|relief|m\(i)|2025-06")) { i * 7 }
            #expect(value == i * 7)
        }
        #expect(table.count == 100_000)
        var made = 0
        var wrong = 0
        for i in stride(from: 0, to: 100_000, by: 1) {
            let value = table.value(for: EffectKey(.ledger, "grant|relief|m\(i)|2025-06")) { made += 1; return -5 }
            if value != i * 7 { wrong += 1 }
        }
        #expect(made == 0)
        #expect(wrong == 0)
        #expect(table.count == 100_000)
    }

    @Test("the same text in two namespaces is two keys")
    func namespacesDiffer() {
        var table = EffectKeyTable()
        #expect(table.value(for: EffectKey(.ledger, "k")) { 1 } == 1)
        #expect(table.value(for: EffectKey(.reminder, "k")) { 2 } == 2)
        #expect(table.value(for: EffectKey(.ledger, "k")) { 3 } == 1)
        #expect(table.count == 2)
    }

    @Test("a value that could not be made stores nothing: the key is asked about again")
    func throwingInsertStoresNothing() throws {
        var table = EffectKeyTable()
        let key = EffectKey(.ledger, "grant|relief|m1")
        #expect(throws: ProbeFailed.self) { try table.value(for: key) { throw ProbeFailed() } }
        #expect(table.count == 0)
        // A closure that cannot throw makes the call non-throwing (rethrows): no `try`.
        #expect(table.value(for: key) { 42 } == 42)
        #expect(try table.value(for: key) { throw ProbeFailed() } == 42)
    }

    @Test("reserved room holds the keys it was reserved for")
    func reserved() {
        var table = EffectKeyTable()
        table.reserveCapacity(1_000)
        for i in 0..<1_000 { _ = table.value(for: EffectKey(.enrolment, "e\(i)")) { i } }
        #expect((0..<1_000).allSatisfy { i in table.value(for: EffectKey(.enrolment, "e\(i)")) { -1 } == i })
    }

    @Test("each namespace's ordinal is its place among all cases, so tables by ordinal fit")
    func namespaceOrdinals() {
        #expect(EffectKeyNamespace.allCases.map(\.ordinal) == Array(0..<EffectKeyNamespace.allCases.count))
    }
}
