/// A fixed-capacity run of values, filled at the back by one thread and emptied from the
/// front by another, each value moved in and moved out exactly once. ``MemberReadAhead``
/// hands members over in these.
///
/// Why not an array: handing members over in an `Array` meant either copying each one (a
/// member holds a dozen strings: a dozen retains, and as many releases when the array went)
/// or reversing the array for `popLast`, and `reverse()` swaps by copying too. Together that
/// was 6 % of the read-ahead thread. Here a member is moved into its slot (``append(_:)``)
/// and out of it (``popFirst()``).
///
/// Not thread-safe: the filling thread hands a batch over under a lock and does not touch it
/// again.
final class HandOverBatch<Element>: @unchecked Sendable {
    let capacity: Int
    private let slots: UnsafeMutablePointer<Element>
    /// Slots `start..<end` hold values; those before `start` were moved out.
    private var start = 0
    private var end = 0

    init(capacity: Int) {
        precondition(capacity > 0, "a hand-over batch holds at least one value")
        self.capacity = capacity
        slots = .allocate(capacity: capacity)
    }

    deinit {
        // Values never taken are destroyed with the batch.
        (slots + start).deinitialize(count: end - start)
        slots.deallocate()
    }

    var isEmpty: Bool { start == end }
    var isFull: Bool { end == capacity }

    /// Moves `value` into the next slot.
    func append(_ value: consuming Element) {
        precondition(end < capacity, "a full hand-over batch was appended to")
        (slots + end).initialize(to: value)
        end += 1
    }

    /// Moves the first value out, or returns nil when every value has been taken.
    func popFirst() -> Element? {
        guard start < end else { return nil }
        defer { start += 1 }
        return (slots + start).move()
    }
}
