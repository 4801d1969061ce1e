/// The effect keys an ``InvariantChecker`` has met, each with an integer (the index of the
/// effect that first carried it): a hash table with open addressing, keyed by the key's
/// ``EffectKey/byteHash``.
///
/// Why not a `Dictionary`: a run meets every key once, tens of thousands of them, and the
/// standard library's table ran `Hasher` (SipHash) over the 8-byte hash at each insert and
/// again for every key each time it grew: about 900 instructions a key, 4 % of a
/// 26,707-grant run's script thread (this table costs about 8 M less there). Here a key's
/// slot is its stored hash's low bits, a growth moves entries by their stored hash, and no
/// key is hashed twice.
///
/// Linear probing in a power-of-two array kept at most half full; entries are never removed.
struct EffectKeyTable {
    private struct Slot {
        var hash: UInt64
        var value: Int
        var key: EffectKey
    }

    /// A slot's `value` while the slot is empty. Callers never store it.
    static let empty = Int.min

    private var slots: [Slot] = []
    private(set) var count = 0

    init() {}

    /// Makes room for `count` keys in all without growing again.
    mutating func reserveCapacity(_ count: Int) {
        var capacity = Swift.max(64, slots.count)
        while capacity < count * 2 { capacity *= 2 }
        if capacity > slots.count { resize(to: capacity) }
    }

    /// The value stored for `key`; if there is none, stores and returns `insert()`'s. If
    /// `insert` throws, nothing is stored and the key stays unmet.
    mutating func value(for key: EffectKey, insert: () throws -> Int) rethrows -> Int {
        if (count + 1) * 2 > slots.count { resize(to: Swift.max(64, slots.count * 2)) }
        let hash = key.byteHash
        let mask = slots.count - 1
        var index = Int(truncatingIfNeeded: hash) & mask
        while slots[index].value != Self.empty {
            if slots[index].hash == hash && slots[index].key == key { return slots[index].value }
            index = (index + 1) & mask
        }
        let value = try insert()
        precondition(value != Self.empty, "EffectKeyTable cannot store its empty marker")
        slots[index] = Slot(hash: hash, value: value, key: key)
        count += 1
        return value
    }

    private static let emptySlot = Slot(hash: 0, value: empty, key: EffectKey(.ledger, ""))

    /// Moves every entry into a table of `capacity` slots by its stored hash. Entries are
    /// moved, not copied: a copy retained each key's text and freeing the old table released
    /// it again (a third of the table's cost in a 26,707-grant run).
    private mutating func resize(to capacity: Int) {
        var old = Array(repeating: Self.emptySlot, count: capacity)
        swap(&old, &slots)
        let mask = capacity - 1
        slots.withUnsafeMutableBufferPointer { new in
            old.withUnsafeMutableBufferPointer { old in
                for i in old.indices where old[i].value != Self.empty {
                    let slot = (old.baseAddress! + i).move()
                    // The moved-from slot must hold a value for the old array to free: an
                    // empty one, whose key has no storage.
                    (old.baseAddress! + i).initialize(to: Self.emptySlot)
                    var index = Int(truncatingIfNeeded: slot.hash) & mask
                    while new[index].value != Self.empty { index = (index + 1) & mask }
                    new[index] = slot
                }
            }
        }
    }
}
