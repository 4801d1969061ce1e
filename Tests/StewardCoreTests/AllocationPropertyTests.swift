import Testing
@testable import StewardCore
import TestRandom

/// Generated share-outs: whatever the budget, weights, floors and caps, a largest-remainder
/// share-out either refuses with the error its documentation names, or hands out exactly the
/// total, within every bound, as close to proportional as whole units allow.
///
/// "As close to proportional" is checked without re-implementing the method: a correct
/// result has a multiplier λ with every unclamped key within 1 of λ·weight, keys at their cap
/// with λ·weight ≥ cap and keys at their floor with λ·weight ≤ floor. Then for any key `i`
/// that could give a unit away (above its floor) and any key `j` that could take one (below
/// its cap), `(aᵢ − 1) / wᵢ < λ < (aⱼ + 1) / wⱼ`, which needs no λ: `(aᵢ − 1)·wⱼ < (aⱼ + 1)·wᵢ`.
/// A wrong clamp or a leftover unit given to the wrong key breaks it.
@Suite("Properties: largest-remainder shares")
struct AllocationPropertyTests {
    struct Case: CustomStringConvertible {
        var total: Int64
        var weights: [(key: String, weight: Int64)]
        var floors: [String: Int64]
        var caps: [String: Int64]

        var description: String {
            let keys = weights.map { key, weight in
                "\(key):w=\(weight)" + (floors[key].map { ",f=\($0)" } ?? "") + (caps[key].map { ",c=\($0)" } ?? "")
            }
            return "total \(total), [\(keys.joined(separator: " "))]"
        }
    }

    /// A random share-out: mostly feasible, sometimes not, at every scale.
    static func randomCase(_ random: inout SplitMix64) -> Case {
        let count = random.int(1...(Fuzz.long ? 40 : 12))
        // Scale: slots, ordinary fen, and amounts near the top of Int64.
        let scale: Int64 = random.pick([100, 1_000_000, 100_000_000_000, Int64.max / 64])
        let weightScale: Int64 = random.pick([3, 100, 1_000_000, Int64.max / 64])
        var c = Case(total: random.int64(0...scale), weights: [], floors: [:], caps: [:])
        if random.chance(5) { c.total = 0 }
        let fair = max(1, c.total / Int64(count))
        for index in 0..<count {
            let key = "k\(index)"
            let weight: Int64 = random.chance(15) ? 0 : random.int64(1...weightScale)
            c.weights.append((key, weight))
            if random.chance(30) { c.floors[key] = random.int64(0...(fair * 3 / 2)) }
            if random.chance(30) {
                let floor = c.floors[key] ?? 0
                c.caps[key] = floor + random.int64(0...(fair * 2))
            }
        }
        if random.chance(3) { c.weights = c.weights.map { ($0.key, 0) } }
        if random.chance(3) { c.total = -random.int64(1...1000) }
        if random.chance(3), let key = c.weights.randomElement(using: &random)?.key {
            c.caps[key] = (c.floors[key] ?? 0) - random.int64(1...10)  // a cap below its floor
        }
        if random.chance(3), let key = c.weights.randomElement(using: &random)?.key {
            c.floors[key] = -random.int64(1...10)
        }
        return c
    }

    /// The error the documentation promises for `c`, or nil when a share-out exists. Sums are
    /// taken with overflow reported, as the implementation must.
    static func expectedError(_ c: Case) -> AllocationError? {
        if c.total < 0 { return .negativeTotal(c.total) }
        var weightSum: Int64 = 0
        for (key, weight) in c.weights {
            if weight < 0 { return .negativeWeight(key: key, weight: weight) }
            let (sum, overflow) = weightSum.addingReportingOverflow(weight)
            if overflow { return .weightsTooLarge }
            weightSum = sum
            let floor = c.floors[key] ?? 0
            let cap = c.caps[key]
            if floor < 0 || (cap ?? 0) < 0 || (cap.map { $0 < floor } ?? false) {
                return .invalidBounds(key: key, floor: floor, cap: cap)
            }
        }
        if weightSum == 0 { return .allWeightsZero }
        var floorSum: Int64 = 0
        var capacity: Int64 = 0
        var unbounded = false
        for (key, weight) in c.weights {
            let (sum, overflow) = floorSum.addingReportingOverflow(c.floors[key] ?? 0)
            floorSum = overflow ? .max : sum
            guard let room = weight == 0 ? (c.floors[key] ?? 0) : c.caps[key] else {
                unbounded = true
                continue
            }
            let (next, roomOverflow) = capacity.addingReportingOverflow(room)
            if roomOverflow { unbounded = true } else { capacity = next }
        }
        if floorSum > c.total { return .floorsExceedTotal(floors: floorSum, total: c.total) }
        if !unbounded && capacity < c.total { return .capsBelowTotal(capacity: capacity, total: c.total) }
        return nil
    }

    /// Every property a successful share-out must have; the first broken one, or nil.
    static func violation(of c: Case, _ shares: [AllocationShare<String>]) -> String? {
        guard shares.map(\.key) == c.weights.map(\.key), shares.map(\.weight) == c.weights.map(\.weight) else {
            return "keys or weights not returned in input order: \(shares)"
        }
        var sum: Int64 = 0
        for share in shares {
            let (next, overflow) = sum.addingReportingOverflow(share.amount)
            guard !overflow else { return "the amounts overflow Int64 when added: \(shares.map(\.amount))" }
            sum = next
        }
        guard sum == c.total else { return "the amounts add up to \(sum), not \(c.total): \(shares.map(\.amount))" }
        for share in shares {
            let floor = c.floors[share.key] ?? 0
            if share.amount < floor { return "\(share.key) gets \(share.amount), below its floor \(floor)" }
            if let cap = c.caps[share.key], share.amount > cap { return "\(share.key) gets \(share.amount), above its cap \(cap)" }
            if share.weight == 0 && share.amount != floor {
                return "\(share.key) has weight 0 but gets \(share.amount), not its floor \(floor)"
            }
        }
        for giver in shares where giver.weight > 0 && giver.amount > (c.floors[giver.key] ?? 0) {
            for taker in shares where taker.key != giver.key && taker.weight > 0 {
                if let cap = c.caps[taker.key], taker.amount >= cap { continue }
                // (a_giver − 1)·w_taker < (a_taker + 1)·w_giver, exactly, in 128 bits.
                let left = UInt64(giver.amount - 1).multipliedFullWidth(by: UInt64(taker.weight))
                let right = UInt64(taker.amount).addingReportingOverflow(1)
                let rightProduct = right.overflow
                    ? (high: UInt64(giver.weight), low: UInt64(0))  // (2^64)·w_giver
                    : right.partialValue.multipliedFullWidth(by: UInt64(giver.weight))
                if !((left.high, left.low) < (rightProduct.high, rightProduct.low)) {
                    return "not proportional: \(giver.key) (\(giver.amount) for weight \(giver.weight)) could give a unit to "
                        + "\(taker.key) (\(taker.amount) for weight \(taker.weight)) and both be closer to their exact shares"
                }
            }
        }
        return nil
    }

    @Test("shares add up to the total exactly, within floors and caps, as proportional as whole units allow")
    func sharesAreExactAndBounded() {
        var outcomes: [String: Int] = [:]
        for seed in Fuzz.seeds(base: 0xA110_0000, short: 1500, long: 30_000) {
            var random = SplitMix64(seed: seed)
            let c = Self.randomCase(&random)
            let expected = Self.expectedError(c)
            do {
                let shares = try Allocation.largestRemainder(total: c.total, weights: c.weights, floors: c.floors, caps: c.caps)
                outcomes["shared", default: 0] += 1
                if let expected {
                    Issue.record("\(Fuzz.name(seed)): \(c) was shared as \(shares.map(\.amount)), expected \(expected)")
                    continue
                }
                if let problem = Self.violation(of: c, shares) {
                    Issue.record("\(Fuzz.name(seed)): \(c): \(problem)")
                    continue
                }
                // The same input gives the same result (no hidden state, no hashing order).
                let again = try Allocation.largestRemainder(total: c.total, weights: c.weights, floors: c.floors, caps: c.caps)
                #expect(again == shares, "\(Fuzz.name(seed)): \(c): not deterministic")
            } catch {
                outcomes["refused", default: 0] += 1
                #expect(error == expected, "\(Fuzz.name(seed)): \(c) was refused with \(error), expected \(expected.map { "\($0)" } ?? "a share-out")")
                #expect(!error.description.isEmpty)
            }
        }
        // The generator must exercise both outcomes, or the test says little.
        #expect(outcomes["shared", default: 0] > 0 && outcomes["refused", default: 0] > 0, "outcomes: \(outcomes)")
    }

    @Test("the dictionary form orders keys itself: any insertion order gives the same shares")
    func dictionaryOrderDoesNotMatter() throws {
        for seed in Fuzz.seeds(base: 0xA110_1000, short: 300, long: 10_000) {
            var random = SplitMix64(seed: seed)
            var c = Self.randomCase(&random)
            c.total = abs(c.total)
            guard Self.expectedError(c) == nil else { continue }
            let weights = Dictionary(uniqueKeysWithValues: c.weights.map { ($0.key, $0.weight) })
            var shuffled: [String: Int64] = [:]
            for (key, weight) in c.weights.shuffled(using: &random) { shuffled[key] = weight }
            let first = try Allocation.largestRemainder(total: c.total, weights: weights, floors: c.floors, caps: c.caps)
            let second = try Allocation.largestRemainder(total: c.total, weights: shuffled, floors: c.floors, caps: c.caps)
            #expect(first == second, "\(Fuzz.name(seed)): \(c)")
            #expect(first.values.reduce(0, +) == c.total, "\(Fuzz.name(seed)): \(c)")
        }
    }

    @Test("money share-outs are the same share-outs in fen")
    func moneySharesMatchFen() throws {
        for seed in Fuzz.seeds(base: 0xA110_2000, short: 200, long: 5_000) {
            var random = SplitMix64(seed: seed)
            let c = Self.randomCase(&random)
            guard Self.expectedError(c) == nil else { continue }
            let fen = try Allocation.largestRemainder(total: c.total, weights: c.weights, floors: c.floors, caps: c.caps)
            let money = try Allocation.share(Money(fen: c.total), weights: c.weights,
                                             floors: c.floors.mapValues(Money.init(fen:)), caps: c.caps.mapValues(Money.init(fen:)))
            #expect(money.map(\.amount.fen) == fen.map(\.amount), "\(Fuzz.name(seed)): \(c)")
        }
    }

    /// Cases the generator rarely reaches, kept as regression cases: ties everywhere, weights
    /// whose sum just fits or just overflows, totals at Int64.max, caps exactly at the total.
    @Test("edge cases: ties, Int64 extremes, bounds that fit exactly")
    func edgeCases() throws {
        let cases: [Case] = [
            Case(total: 10, weights: [("a", 1), ("b", 1), ("c", 1)], floors: [:], caps: [:]),
            Case(total: Int64.max, weights: [("a", Int64.max), ("b", 0)], floors: [:], caps: [:]),
            Case(total: Int64.max, weights: [("a", Int64.max / 2), ("b", Int64.max / 2)], floors: [:], caps: [:]),
            Case(total: Int64.max, weights: [("a", Int64.max / 2), ("b", Int64.max / 2 + 2)], floors: [:], caps: [:]),
            Case(total: Int64.max, weights: [("a", 1), ("b", 3), ("c", 7)], floors: ["c": Int64.max - 5], caps: [:]),
            Case(total: 100, weights: [("a", 1), ("b", 1)], floors: [:], caps: ["a": 50, "b": 50]),
            Case(total: 100, weights: [("a", 5), ("b", 1), ("c", 1)], floors: ["b": 40], caps: ["a": 30]),
            Case(total: 7, weights: [("a", 0), ("b", 0), ("c", 2)], floors: ["a": 3, "b": 4], caps: [:]),
            Case(total: 1, weights: [("a", Int64.max / 3), ("b", Int64.max / 3), ("c", Int64.max / 3)], floors: [:], caps: [:]),
            Case(total: Int64.max, weights: [("a", 1), ("b", 1)], floors: [:], caps: ["a": Int64.max, "b": Int64.max]),
        ]
        for (index, c) in cases.enumerated() {
            let expected = Self.expectedError(c)
            do {
                let shares = try Allocation.largestRemainder(total: c.total, weights: c.weights, floors: c.floors, caps: c.caps)
                #expect(expected == nil, "edge case \(index): \(c) shared, expected \(String(describing: expected))")
                if let problem = Self.violation(of: c, shares) { Issue.record("edge case \(index): \(c): \(problem)") }
            } catch {
                #expect(error == expected, "edge case \(index): \(c): \(error)")
            }
        }
        // Ties go to the larger weight, then to the earlier key, as documented.
        let ties = try Allocation.largestRemainder(total: 10, weights: [("a", 1), ("b", 1), ("c", 1)])
        #expect(ties.map(\.amount) == [4, 3, 3])
    }
}
