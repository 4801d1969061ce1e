import Foundation

/// A small seeded generator (SplitMix64), so randomised tests are reproducible: the same seed
/// gives the same cases on every machine.
struct SplitMix64: RandomNumberGenerator {
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

    /// A uniform integer in `range`.
    mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &self) }
    mutating func int64(_ range: ClosedRange<Int64>) -> Int64 { Int64.random(in: range, using: &self) }
    /// True with probability `percent` / 100.
    mutating func chance(_ percent: Int) -> Bool { int(0...99) < percent }
    mutating func pick<T>(_ choices: [T]) -> T { choices[int(0...(choices.count - 1))] }
}

/// How many cases a randomised test runs and from which seeds.
///
/// Case `i` of a test uses seed `base + i`, and every failure message names that seed. To
/// replay one failing case alone, run the test with `STEWARD_FUZZ_SEED=<seed>`: it becomes
/// case 0. `STEWARD_LONG_TESTS=1` runs the long version (many more cases).
enum Fuzz {
    static let environment = ProcessInfo.processInfo.environment
    static let long = environment["STEWARD_LONG_TESTS"] == "1"

    /// `short` cases by default, `long` with `STEWARD_LONG_TESTS=1`.
    static func count(short: Int, long: Int) -> Int { Fuzz.long ? long : short }

    /// The seeds of a test's cases: `base, base + 1, ...`, or from `STEWARD_FUZZ_SEED` if set.
    static func seeds(base: UInt64, short: Int, long: Int) -> [UInt64] {
        let start = environment["STEWARD_FUZZ_SEED"].flatMap(parseSeed) ?? base
        return (0..<UInt64(count(short: short, long: long))).map { start &+ $0 }
    }

    static func parseSeed(_ text: String) -> UInt64? {
        text.hasPrefix("0x") ? UInt64(text.dropFirst(2), radix: 16) : UInt64(text)
    }

    /// `seed 0x…` as failure messages print it.
    static func name(_ seed: UInt64) -> String { "seed 0x" + String(seed, radix: 16) }
}
