import Testing
import StewardCore

@Suite("Allocation: largest remainder")
struct AllocationTests {
    /// Union members per Jintan town: the weights for sharing the free health checks.
    let unionMembers: [(key: String, weight: Int64)] = [
        ("金城镇", 52_340), ("儒林镇", 18_765), ("指前镇", 15_102), ("朱林镇", 12_883), ("薛埠镇", 14_497),
        ("直溪镇", 13_029), ("尧塘街道", 16_544), ("东城街道", 31_208), ("西城街道", 28_816),
    ]
    /// Residents per town: the weights for sharing the relief fund.
    let population: [(key: String, weight: Int64)] = [
        ("金城镇", 183_000), ("儒林镇", 52_000), ("指前镇", 47_000), ("朱林镇", 41_000), ("薛埠镇", 60_000),
        ("直溪镇", 44_000), ("尧塘街道", 50_000), ("东城街道", 98_000), ("西城街道", 87_000),
    ]

    func amounts(_ shares: [AllocationShare<String>]) -> [String] {
        shares.map { "\($0.key)=\($0.amount)" }
    }

    @Test func twentyThousandHealthChecksAmongTowns() throws {
        let shares = try Allocation.largestRemainder(total: 20_000, weights: unionMembers)
        #expect(amounts(shares) == [
            "金城镇=5152", "儒林镇=1847", "指前镇=1487", "朱林镇=1268", "薛埠镇=1427",
            "直溪镇=1283", "尧塘街道=1628", "东城街道=3072", "西城街道=2836",
        ])
        #expect(shares.reduce(0) { $0 + $1.amount } == 20_000)
    }

    @Test func threeMillionYuanReliefFundInFen() throws {
        let shares = try Allocation.share(try Money.yuan(3_000_000), weights: population)
        #expect(shares.map { "\($0.key)=\($0.amount)" } == [
            "金城镇=¥829,305.14", "儒林镇=¥235,649.55", "指前镇=¥212,990.94", "朱林镇=¥185,800.60",
            "薛埠镇=¥271,903.32", "直溪镇=¥199,395.77", "尧塘街道=¥226,586.10", "东城街道=¥444,108.76",
            "西城街道=¥394,259.82",
        ])
        #expect(try Money.sum(shares.map(\.amount)) == (try Money.yuan(3_000_000)))
    }

    @Test func capsAndFloorsBindWhereTheyShould() throws {
        // 金城镇 and 东城街道 are capped; 朱林镇's floor binds, 直溪镇's does not.
        let shares = try Allocation.largestRemainder(
            total: 300_000_000, weights: population,
            floors: ["朱林镇": 21_000_000, "直溪镇": 21_000_000],
            caps: ["金城镇": 60_000_000, "东城街道": 45_000_000])
        #expect(amounts(shares) == [
            "金城镇=60000000", "儒林镇=26611765", "指前镇=24052941", "朱林镇=21000000", "薛埠镇=30705882",
            "直溪镇=22517647", "尧塘街道=25588235", "东城街道=45000000", "西城街道=44523530",
        ])
        #expect(shares.reduce(0) { $0 + $1.amount } == 300_000_000)
    }

    @Test func tiesGoToLargerWeightThenInputOrder() throws {
        // Equal weights: equal remainders; the first keys in order get the spare units.
        #expect(amounts(try Allocation.largestRemainder(total: 10, weights: [("a", 1), ("b", 1), ("c", 1)]))
            == ["a=4", "b=3", "c=3"])
        #expect(amounts(try Allocation.largestRemainder(total: 10, weights: [("c", 1), ("b", 1), ("a", 1)]))
            == ["c=4", "b=3", "a=3"])
        // a and d tie on remainder and weight; a comes first.
        #expect(amounts(try Allocation.largestRemainder(total: 7, weights: [("a", 2), ("b", 1), ("c", 1), ("d", 2)]))
            == ["a=3", "b=1", "c=1", "d=2"])
        // x and y tie at remainder 1/2 with equal weights: x, first in order, gets the unit.
        #expect(amounts(try Allocation.largestRemainder(total: 2, weights: [("x", 1), ("y", 1), ("z", 2)]))
            == ["x=1", "y=0", "z=1"])
        // y and z tie on remainder 3/7; y and z outrank x (1/7) and y, first, wins the tie.
        #expect(amounts(try Allocation.largestRemainder(total: 1, weights: [("x", 1), ("y", 3), ("z", 3)]))
            == ["x=0", "y=1", "z=0"])
        // The dictionary form orders keys ascending before the same rules.
        #expect(try Allocation.largestRemainder(total: 10, weights: ["c": 1, "a": 1, "b": 1]) == ["a": 4, "b": 3, "c": 3])
    }

    @Test func zeroWeightKeysGetTheirFloor() throws {
        let shares = try Allocation.largestRemainder(total: 100, weights: [("a", 0), ("b", 1), ("c", 3)], floors: ["a": 10])
        // b and c tie at remainder 1/2: c has the larger weight.
        #expect(amounts(shares) == ["a=10", "b=22", "c=68"])
        #expect(amounts(try Allocation.largestRemainder(total: 5, weights: [("a", 0), ("b", 1)])) == ["a=0", "b=5"])
    }

    @Test func cappedKeysPassTheirSurplusOn() throws {
        let shares = try Allocation.largestRemainder(total: 100, weights: [("a", 1), ("b", 1), ("c", 98)],
                                                     floors: ["a": 10, "b": 5], caps: ["c": 80])
        #expect(amounts(shares) == ["a=10", "b=10", "c=80"])
    }

    @Test func zeroTotal() throws {
        #expect(amounts(try Allocation.largestRemainder(total: 0, weights: [("a", 1), ("b", 2)])) == ["a=0", "b=0"])
    }

    @Test func hugeValuesStayExact() throws {
        let shares = try Allocation.largestRemainder(total: .max, weights: [("a", .max / 2), ("b", .max / 2)])
        #expect(shares.map(\.amount) == [Int64.max / 2 + 1, Int64.max / 2])
    }

    @Test func typedErrors() {
        #expect(throws: AllocationError.allWeightsZero) { try Allocation.largestRemainder(total: 10, weights: [("a", 0), ("b", 0)]) }
        #expect(throws: AllocationError.allWeightsZero) { try Allocation.largestRemainder(total: 10, weights: [(key: String, weight: Int64)]()) }
        #expect(throws: AllocationError.negativeWeight(key: "b", weight: -1)) {
            try Allocation.largestRemainder(total: 10, weights: [("a", 1), ("b", -1)])
        }
        #expect(throws: AllocationError.negativeTotal(-5)) { try Allocation.largestRemainder(total: -5, weights: [("a", 1)]) }
        #expect(throws: AllocationError.duplicateKey("a")) { try Allocation.largestRemainder(total: 5, weights: [("a", 1), ("a", 2)]) }
        #expect(throws: AllocationError.floorsExceedTotal(floors: 12, total: 10)) {
            try Allocation.largestRemainder(total: 10, weights: [("a", 1), ("b", 1)], floors: ["a": 6, "b": 6])
        }
        #expect(throws: AllocationError.capsBelowTotal(capacity: 8, total: 10)) {
            try Allocation.largestRemainder(total: 10, weights: [("a", 1), ("b", 1)], caps: ["a": 4, "b": 4])
        }
        // A zero-weight key takes only its floor, so it cannot absorb what the caps leave over.
        #expect(throws: AllocationError.capsBelowTotal(capacity: 5, total: 10)) {
            try Allocation.largestRemainder(total: 10, weights: [("a", 1), ("b", 0)], caps: ["a": 5])
        }
        #expect(throws: AllocationError.invalidBounds(key: "a", floor: 5, cap: 4)) {
            try Allocation.largestRemainder(total: 10, weights: [("a", 1), ("b", 1)], floors: ["a": 5], caps: ["a": 4])
        }
        #expect(throws: AllocationError.weightsTooLarge) {
            try Allocation.largestRemainder(total: 10, weights: [("a", .max), ("b", 1)])
        }
        #expect(AllocationError.floorsExceedTotal(floors: 12, total: 10).description
            == "The floors add up to 12, more than the total 10 to share.")
    }

    /// Every result, for many random-looking inputs, sums to the total, respects its bounds and
    /// stays within one unit of the exact clamped share (checked without floating point).
    @Test func propertiesHoldAcrossManyInputs() throws {
        var seed: UInt64 = 0x5EED
        func next(_ bound: Int64) -> Int64 {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int64((seed >> 33) % UInt64(bound))
        }
        var checked = 0
        for _ in 0..<300 {
            let count = Int(next(8)) + 1
            var weights: [(key: Int, weight: Int64)] = []
            var floors: [Int: Int64] = [:], caps: [Int: Int64] = [:]
            for key in 0..<count {
                weights.append((key, next(5) == 0 ? 0 : next(1_000) + 1))
                if next(3) == 0 { floors[key] = next(50) }
                if next(3) == 0 { caps[key] = (floors[key] ?? 0) + next(200) }
            }
            let total = next(2_000)
            guard let shares = try? Allocation.largestRemainder(total: total, weights: weights, floors: floors, caps: caps) else {
                continue
            }
            checked += 1
            #expect(shares.reduce(0) { $0 + $1.amount } == total)
            for share in shares {
                #expect(share.amount >= (floors[share.key] ?? 0))
                #expect(share.amount <= (caps[share.key] ?? .max))
                if share.weight == 0 { #expect(share.amount == (floors[share.key] ?? 0)) }
            }
        }
        #expect(checked > 150)
    }
}
