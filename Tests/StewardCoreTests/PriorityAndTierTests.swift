import Testing
import StewardCore

@Suite("Allocation: priority and tiers")
struct PriorityAndTierTests {
    /// Scholarship requests of ¥7,000 (tuition + living) against a ¥30,000 fund.
    let requests: [(key: String, amount: Int64)] = [
        ("张伟", 700_000), ("王芳", 700_000), ("李娜", 700_000), ("刘洋", 700_000), ("陈静", 700_000),
    ]

    @Test func stopsAtTheFirstShortfall() throws {
        let result = try Allocation.priority(total: 3_000_000, requests: requests)
        #expect(result.granted.map(\.key) == ["张伟", "王芳", "李娜", "刘洋"])
        #expect(result.granted.map(\.amount) == [700_000, 700_000, 700_000, 700_000])
        #expect(result.remaining == 200_000)
        #expect(result.unfunded.map(\.key) == ["陈静"])
        #expect(result.unfunded.map(\.remainingWhenReached) == [200_000])
    }

    @Test func stopPolicyKeepsPriorityOrder() throws {
        let asks: [(key: String, amount: Int64)] = [("a", 500), ("b", 800), ("c", 100)]
        let strict = try Allocation.priority(total: 1_000, requests: asks)
        #expect(strict.granted.map(\.key) == ["a"])
        #expect(strict.unfunded.map(\.key) == ["b", "c"])
        #expect(strict.unfunded.map(\.remainingWhenReached) == [500, 500])
        #expect(strict.remaining == 500)

        let skipping = try Allocation.priority(total: 1_000, requests: asks, whenShort: .skip)
        #expect(skipping.granted.map(\.key) == ["a", "c"])
        #expect(skipping.unfunded.map(\.key) == ["b"])
        #expect(skipping.remaining == 400)
    }

    @Test func exactFitAndErrors() throws {
        let exact = try Allocation.priority(total: 1_400_000, requests: Array(requests.prefix(2)))
        #expect(exact.remaining == 0)
        #expect(exact.unfunded.isEmpty)
        #expect(throws: AllocationError.negativeTotal(-1)) { try Allocation.priority(total: -1, requests: requests) }
        #expect(throws: AllocationError.negativeRequest(key: "x", amount: -5)) {
            try Allocation.priority(total: 10, requests: [("x", -5)])
        }
    }

    /// Hospital consolation by length of stay: 1–7 days ¥500, 8–15 ¥800, 16+ ¥1,200.
    let consolation = try! TierTable([
        Tier(from: 1, to: 7, value: 50_000),
        Tier(from: 8, to: 15, value: 80_000),
        Tier(from: 16, value: 120_000),
    ])

    @Test func firstMatchingTier() {
        #expect(consolation.first(matching: 0) == nil)
        #expect(consolation.first(matching: 1) == 50_000)
        #expect(consolation.first(matching: 7) == 50_000)
        #expect(consolation.first(matching: 8) == 80_000)
        #expect(consolation.first(matching: 15) == 80_000)
        #expect(consolation.first(matching: 16) == 120_000)
        #expect(consolation.first(matching: 365) == 120_000)
    }

    @Test func sumOfMatchingTiers() throws {
        // Cumulative supplements: base ¥300 for everyone from day 1, +¥200 from day 8, +¥500 from day 30.
        let supplements = try TierTable([
            Tier(from: 1, value: 30_000), Tier(from: 8, value: 20_000), Tier(from: 30, value: 50_000),
        ])
        #expect(try supplements.sum(matching: 0) == 0)
        #expect(try supplements.sum(matching: 5) == 30_000)
        #expect(try supplements.sum(matching: 10) == 50_000)
        #expect(try supplements.sum(matching: 30) == 100_000)
        #expect(supplements.tiers(matching: 10).map(\.value) == [30_000, 20_000])
        let overflowing = try TierTable([Tier(from: 0, value: .max), Tier(from: 0, value: 1)])
        #expect(throws: AllocationError.invalidTier("The matching tiers for 3 add up to more than Int64 can hold.")) {
            try overflowing.sum(matching: 3)
        }
    }

    @Test func invertedTierIsRefused() {
        #expect(throws: AllocationError.invalidTier("Tier 2 runs from 10 to 5; it must not end before it starts.")) {
            try TierTable([Tier(from: 1, to: 9, value: 1), Tier(from: 10, to: 5, value: 2)])
        }
    }
}
