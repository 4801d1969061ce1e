import Foundation
import StewardCore

/// A change set's effects as a run record stores them (``EffectJSON``, deflated when large:
/// ``StoredEffects``), encoded on the spot or, for a large commit, on a thread of its own.
///
/// Encoding 26,707 grants takes 6,400 instructions a grant, 7 % of the commit, and deflating
/// the 8.8 MB it makes another 18 ms; neither needs anything from the database:
/// ``inBackground(_:)`` starts them before the write transaction, so they run on the second
/// core while the commit re-checks the invariants and inserts the effects; the run record's
/// effects are written last (``RunWriter/fillEffects(_:_:_:)``) and wait for them
/// (``stored()``) only if they are not done by then.
final class EncodedEffects: @unchecked Sendable {
    // Unchecked: `result` is written once by the encoding thread and read after it, both
    // under `condition`.
    private let condition = NSCondition()
    private var result: Result<StoredEffects, any Error>?
    /// Whether a thread of its own encodes them (a large change set).
    let isBackground: Bool
    /// How many effects there are: the record's `effects_count`.
    let count: Int

    /// Below this many effects a thread costs more than it saves (the scheduler's small runs).
    static let backgroundThreshold = 512

    /// Encodes `changeSet` now.
    init(_ changeSet: ChangeSet) {
        result = Result { try Self.encode(changeSet.effects) }
        isBackground = false
        count = changeSet.count
    }

    private init(count: Int) {
        isBackground = true
        self.count = count
    }

    /// Encodes `changeSet` on a new thread when it is large, else now.
    static func inBackground(_ changeSet: ChangeSet) -> EncodedEffects {
        guard changeSet.count >= backgroundThreshold else { return EncodedEffects(changeSet) }
        let encoded = EncodedEffects(count: changeSet.count)
        let effects = changeSet.effects
        let thread = Thread {
            let result = Result { try Self.encode(effects) }
            encoded.condition.lock()
            encoded.result = result
            encoded.condition.broadcast()
            encoded.condition.unlock()
        }
        thread.name = "steward-effects-json"
        thread.start()
        return encoded
    }

    /// The stored form, once encoded; throws what encoding threw.
    func stored() throws -> StoredEffects {
        condition.lock()
        defer { condition.unlock() }
        while result == nil { condition.wait() }
        return try result!.get()
    }

    private static func encode(_ effects: [Effect]) throws -> StoredEffects {
        try StoredEffects(json: try EffectJSON.encodeBytes(effects))
    }
}
