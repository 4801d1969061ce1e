/// A small, fast, seedable random number generator (SplitMix64), so that the same seed gives
/// the same demo database on every machine and every Swift version — unlike the system
/// generator, which cannot be seeded.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform integer in `0..<bound`. Lemire's multiply-shift: no division, and the bias
    /// for bounds this small (< 2^32) is far below anything a demo could show.
    mutating func below(_ bound: Int) -> Int {
        precondition(bound > 0)
        let product = (next() >> 32) &* UInt64(bound)
        return Int(product >> 32)
    }

    /// True with probability `permille`/1000.
    mutating func chance(permille: Int) -> Bool {
        below(1000) < permille
    }

    /// A uniform integer in the closed range.
    mutating func between(_ low: Int, _ high: Int) -> Int {
        low + below(high - low + 1)
    }
}

/// Picks from a fixed list with fixed integer weights, by binary search over running totals.
struct WeightedTable<Element: Sendable>: Sendable {
    private let elements: [Element]
    private let cumulative: [Int]

    init(_ pairs: [(Element, Int)]) {
        elements = pairs.map(\.0)
        var running = 0
        cumulative = pairs.map { running += $0.1; return running }
    }

    func pick(_ generator: inout SeededGenerator) -> Element {
        let target = generator.below(cumulative.last!)
        var low = 0
        var high = cumulative.count - 1
        while low < high {
            let middle = (low + high) / 2
            if cumulative[middle] > target { high = middle } else { low = middle + 1 }
        }
        return elements[low]
    }
}
