import Foundation

/// Whether the long versions of the reliability suites run: `STEWARD_LONG_TESTS=1`.
public enum LongTests {
    public static let enabled = ProcessInfo.processInfo.environment["STEWARD_LONG_TESTS"] == "1"
}

/// How many cases a randomised test runs and from which seeds.
///
/// Case `i` of a test uses seed `base + i`, and every failure message names that seed. To
/// replay one failing case alone, run the test with `STEWARD_FUZZ_SEED=<seed>`: it becomes
/// case 0. `STEWARD_LONG_TESTS=1` runs the long version (many more cases).
public enum Fuzz {
    public static let long = LongTests.enabled

    /// `short` cases by default, `long` with `STEWARD_LONG_TESTS=1`.
    public static func count(short: Int, long: Int) -> Int { Fuzz.long ? long : short }

    /// The seeds of a test's cases: `base, base + 1, ...`, or from `STEWARD_FUZZ_SEED` if set.
    public static func seeds(base: UInt64, short: Int, long: Int) -> [UInt64] {
        let start = ProcessInfo.processInfo.environment["STEWARD_FUZZ_SEED"].flatMap(parseSeed) ?? base
        return (0..<UInt64(count(short: short, long: long))).map { start &+ $0 }
    }

    public static func parseSeed(_ text: String) -> UInt64? {
        text.hasPrefix("0x") ? UInt64(text.dropFirst(2), radix: 16) : UInt64(text)
    }

    /// `seed 0x…` as failure messages print it.
    public static func name(_ seed: UInt64) -> String { "seed 0x" + String(seed, radix: 16) }
}
