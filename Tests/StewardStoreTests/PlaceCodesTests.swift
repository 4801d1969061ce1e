import Testing
@testable import StewardStore

@Suite("Place codes by row id")
struct PlaceCodesTests {
    static func places(_ pairs: [(String, Int64)]) -> [String: ResolvedPlace] {
        Dictionary(uniqueKeysWithValues: pairs.map { ($0.0, ResolvedPlace(id: $0.1, level: 1)) })
    }

    @Test("each id gives its own place's code; an id with no place gives none")
    func denseIDs() {
        let codes = PlaceCodes(Self.places([("jintan", 1), ("xuebu", 2), ("zhixi", 5)]))
        #expect(codes.code(of: 1) == "jintan")
        #expect(codes.code(of: 2) == "xuebu")
        #expect(codes.code(of: 5) == "zhixi")
        for missing: Int64 in [0, 3, 4, 6, 4_096, -1, .max, .min] {
            #expect(codes.code(of: missing) == nil, "\(missing)")
        }
    }

    /// Ids beyond four slots a place (and 4,096) are kept in a dictionary, not a table of
    /// billions of empty slots.
    @Test("ids far apart, negative or huge are found as well")
    func sparseIDs() {
        let codes = PlaceCodes(Self.places([("a", 3), ("b", 4_095), ("c", 4_096), ("d", 9_000_000_000), ("e", -7)]))
        #expect(codes.code(of: 3) == "a")
        #expect(codes.code(of: 4_095) == "b")
        #expect(codes.code(of: 4_096) == "c")
        #expect(codes.code(of: 9_000_000_000) == "d")
        #expect(codes.code(of: -7) == "e")
        #expect(codes.code(of: 4_097) == nil && codes.code(of: 8_999_999_999) == nil && codes.code(of: 0) == nil)
    }

    @Test("no places: no codes")
    func empty() {
        let codes = PlaceCodes([:])
        #expect(codes.code(of: 0) == nil && codes.code(of: 1) == nil)
    }
}
