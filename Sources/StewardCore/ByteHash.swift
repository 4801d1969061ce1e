/// A fast 64-bit hash of a byte string, for hash tables whose keys are long, made in one run
/// and never chosen by an attacker (a run's own idempotency keys).
///
/// Swift's `Hasher` (SipHash-1-3, seeded per process) costs about 6 instructions a byte: a
/// 70-byte key took 600 instructions, 3 % of a 26,707-grant run's script thread. This reads
/// 8 bytes at a time, about 1 instruction a byte.
///
/// Each step — xor a word in, multiply by an odd constant, xor the high half down — is a
/// bijection of the state, so two strings of the same length that differ in one 8-byte word
/// never collide; the length is mixed in, so a string and its extension by zero bytes differ.
/// A table still hashes the result with its own seeded `Hasher`, which spreads it over buckets.
enum ByteHash {
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>, seed: UInt64) -> UInt64 {
        var state = seed ^ (UInt64(bytes.count) &* 0x9E37_79B9_7F4A_7C15)
        guard let base = bytes.baseAddress else { return finish(state) }
        let raw = UnsafeRawPointer(base)
        var offset = 0
        while offset + 8 <= bytes.count {
            state = mix(state, raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            offset += 8
        }
        if offset < bytes.count {
            var tail: UInt64 = 0
            for index in offset..<bytes.count {
                tail |= UInt64(base[index]) << (UInt64(index - offset) * 8)
            }
            state = mix(state, tail)
        }
        return finish(state)
    }

    @inline(__always)
    private static func mix(_ state: UInt64, _ word: UInt64) -> UInt64 {
        let product = (state ^ word) &* 0xFF51_AFD7_ED55_8CCD
        return product ^ (product >> 32)
    }

    /// MurmurHash3's finaliser: every bit of the state reaches every bit of the hash.
    @inline(__always)
    private static func finish(_ state: UInt64) -> UInt64 {
        var value = state
        value ^= value >> 33
        value &*= 0xFF51_AFD7_ED55_8CCD
        value ^= value >> 33
        value &*= 0xC4CE_B9FE_1A85_EC53
        value ^= value >> 33
        return value
    }
}
