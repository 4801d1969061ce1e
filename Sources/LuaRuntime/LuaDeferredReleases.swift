import CLua
import CLuaHost
import Dispatch

/// Releases the objects of host types marked ``LuaType/releasedElsewhere`` on a background
/// queue, a batch at a time, instead of on the script's thread inside Lua's collector.
///
/// A loop over a city's members frees one `Member` per iteration: about a thousand
/// instructions each (its texts, its optional records), 4 % of a subsidy run, spent on the
/// thread the script waits for. The objects are unreachable from Lua by then and their types
/// promise that their deinitialisers may run on any thread, so only the last release moves.
/// One per state; ``flush()`` (called when the state closes) waits until every object handed
/// over is released, so a closed state has released everything it held.
final class LuaDeferredReleases {
    /// Objects handed over per batch: large enough that the queue's cost per batch is
    /// nothing per object, small enough that memory is returned while a run goes on.
    static let batchSize = 256

    /// Retained object pointers, released on the queue. Only the pointers cross threads; the
    /// objects' types promise (`releasedElsewhere`) that their deinitialisers may.
    private struct Batch: @unchecked Sendable {
        var objects: [UnsafeRawPointer] = []
    }

    private static let queue = DispatchQueue(label: "steward.lua.deferred-releases")
    /// Touched only on the state's thread, once per collected object: no run-time
    /// exclusivity check.
    @exclusivity(unchecked) private var pending = Batch()

    /// Takes over `object`'s retain: it is released on the queue with its batch.
    func add(_ object: UnsafeRawPointer) {
        if pending.objects.isEmpty { pending.objects.reserveCapacity(Self.batchSize) }
        pending.objects.append(object)
        if pending.objects.count == Self.batchSize { ship() }
    }

    private func ship() {
        guard !pending.objects.isEmpty else { return }
        let batch = pending
        pending = Batch()
        Self.queue.async {
            for object in batch.objects { Unmanaged<AnyObject>.fromOpaque(object).release() }
        }
    }

    /// Hands over the last partial batch and waits until every object handed over so far,
    /// by any state, is released.
    func flush() {
        ship()
        Self.queue.sync {}
    }

    /// `__gc` of an object of a type released elsewhere: takes the object out of its block,
    /// as `LuaBox.releaseBox` does, and hands the retain to the state's releaser. Never raises.
    static let releaseLater: lua_CFunction = { L in
        guard let L, let raw = LuaBox.takeObject(L) else { return 0 }
        let state = Unmanaged<LuaState>.fromOpaque(clua_control_of(L)!.pointee.owner)
        state._withUnsafeGuaranteedRef { $0.deferredReleases.add(raw) }
        return 0
    }
}
