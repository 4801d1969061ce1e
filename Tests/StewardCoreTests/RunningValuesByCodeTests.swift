import Testing
@testable import StewardCore

/// ``RunningValuesByCode`` holds the current code's value aside while the code repeats; what
/// comes out must be what a plain dictionary would hold, however the codes interleave.
@Suite("Values kept by code, entry by entry")
struct RunningValuesByCodeTests {
    struct Refused: Error {}

    @Test("interleaved codes each keep their own value; a removed code starts again")
    func interleaved() {
        var values = RunningValuesByCode<Int>()
        #expect(values.values().isEmpty)
        for (code, amount) in [("a", 1), ("a", 2), ("b", 10), ("a", 4), ("c", 100), ("b", 20), ("b", 40)] {
            values.update(code, startingAt: 0) { $0 += amount }
        }
        #expect(values.values() == ["a": 7, "b": 70, "c": 100])
        values.remove("b")   // the current code
        values.remove("a")   // one in the table
        values.remove("z")   // never met
        #expect(values.values() == ["c": 100])
        values.update("a", startingAt: 1_000) { $0 += 1 }
        values.update("b", startingAt: 0) { $0 -= 5 }
        #expect(values.values() == ["a": 1_001, "b": -5, "c": 100])
    }

    @Test("the start is asked for once per code met; a change that throws keeps what it did")
    func startsAndThrows() {
        var starts = 0
        var values = RunningValuesByCode<[Int]>()
        func start() -> [Int] { starts += 1; return [] }
        values.update("a", startingAt: start()) { $0.append(1) }
        values.update("a", startingAt: start()) { $0.append(2) }
        values.update("b", startingAt: start()) { $0.append(3) }
        values.update("a", startingAt: start()) { $0.append(4) }
        #expect(starts == 2)
        #expect(throws: Refused.self) {
            try values.update("b", startingAt: start()) { (list) throws(Refused) in
                list.append(5)
                throw Refused()
            }
        }
        #expect(values.values() == ["a": [1, 2, 4], "b": [3, 5]])
    }
}
