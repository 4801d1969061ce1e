import Testing
@testable import StewardCore

/// ``ByteHash`` keys the invariant checker's table of idempotency keys. What it must give:
/// the same hash for the same bytes, and different hashes for the keys a run makes, which
/// differ in a member's digits or a part's length.
@Suite("Hashing a key's bytes")
struct ByteHashTests {
    static func hash(_ text: String, seed: UInt64 = 1) -> UInt64 {
        var copy = text
        return copy.withUTF8 { ByteHash.hash($0, seed: seed) }
    }

    @Test("the same bytes hash alike, whatever String holds them")
    func deterministic() {
        let key = "grant|disability-subsidies-2025|disability-living-subsidy|2025-06|living|1047"
        #expect(Self.hash(key) == Self.hash(String(key.utf8.map { Character(UnicodeScalar($0)) })))
        #expect(Self.hash("") == Self.hash(String()))
        #expect(Self.hash("") != Self.hash("", seed: 2))
        #expect(Self.hash("残疾人补贴|王秀英") == Self.hash("残疾人补贴|" + "王秀英"))
    }

    @Test("changing any one byte of a key of 0 to 40 bytes changes its hash")
    func everyByteCounts() {
        for length in 0...40 {
            let original = [UInt8]((0..<length).map { UInt8(ascii: "a") + UInt8($0 % 26) })
            let hash = original.withUnsafeBufferPointer { ByteHash.hash($0, seed: 1) }
            for position in 0..<length {
                for replacement: UInt8 in [0, 0x30, 0x7C, 0xE7, 0xFF] where replacement != original[position] {
                    var changed = original
                    changed[position] = replacement
                    let other = changed.withUnsafeBufferPointer { ByteHash.hash($0, seed: 1) }
                    #expect(other != hash, "length \(length), byte \(position) set to \(replacement)")
                }
            }
        }
    }

    @Test("a key and the same key with zero bytes after it differ; so do keys of a run's member ids")
    func lengthsAndIDs() {
        var seen = Set<UInt64>()
        for length in 0...24 {
            let zeros = [UInt8](repeating: 0, count: length)
            #expect(seen.insert(zeros.withUnsafeBufferPointer { ByteHash.hash($0, seed: 1) }).inserted, "\(length) zero bytes")
        }
        var hashes = Set<UInt64>()
        for id in 1...30_000 {
            hashes.insert(Self.hash("grant|disability-subsidies-2025|disability-living-subsidy|2025-06|living|\(id)"))
        }
        #expect(hashes.count == 30_000)
    }
}
