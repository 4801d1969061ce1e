import Foundation
import StewardCore

/// A change set's effects as a run record stores them (``EffectJSON``), encoded on the spot
/// or, for a large commit, on a thread of its own.
///
/// Encoding 26,707 grants takes 6,400 instructions a grant, 7 % of the commit, and needs
/// nothing from the database: ``inBackground(_:)`` starts it before the write transaction, so
/// it runs on the second core while the commit re-checks the invariants and inserts the
/// effects; the run record's effects are written last (``RunWriter/fillEffects(_:_:_:)``) and
/// wait for it (``json()``) only if it is not done by then.
final class EncodedEffects: @unchecked Sendable {
    // Unchecked: `result` is written once by the encoding thread and read after it, both
    // under `condition`.
    private let condition = NSCondition()
    private var result: Result<Data, any Error>?
    /// Whether a thread of its own encodes them (a large change set).
    let isBackground: Bool

    /// Below this many effects a thread costs more than it saves (the scheduler's small runs).
    static let backgroundThreshold = 512

    /// Encodes `changeSet` now.
    init(_ changeSet: ChangeSet) {
        result = Result { try Self.encode(changeSet.effects) }
        isBackground = false
    }

    private init() { isBackground = true }

    /// Encodes `changeSet` on a new thread when it is large, else now.
    static func inBackground(_ changeSet: ChangeSet) -> EncodedEffects {
        guard changeSet.count >= backgroundThreshold else { return EncodedEffects(changeSet) }
        let encoded = EncodedEffects()
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

    /// The JSON, once encoded; throws what encoding threw.
    func json() throws -> Data {
        condition.lock()
        defer { condition.unlock() }
        while result == nil { condition.wait() }
        return try result!.get()
    }

    /// The bytes are bound as a blob and stored as text by `CAST(? AS TEXT)`, which keeps them
    /// as they are: the text of 26,707 grants (6.7 MB) is valid UTF-8 by construction, and
    /// making a String of it first checked every byte.
    private static func encode(_ effects: [Effect]) throws -> Data {
        Data(try EffectJSON.encodeBytes(effects))
    }
}
