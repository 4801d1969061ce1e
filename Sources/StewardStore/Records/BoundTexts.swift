import Foundation

/// The bytes of the texts bound to a statement's row, kept where SQLite can read them in place
/// until the row is written.
///
/// Bound with `SQLITE_TRANSIENT`, SQLite copies every text into a buffer of its own and frees
/// it at the next bind: a `malloc`, a copy and a `free` per value, 450 instructions of the
/// 700 each text bind cost in a 26,707-grant commit. Copied here instead (into chunks that
/// are reused row after row) and bound with `SQLITE_STATIC`, a text costs one `memcpy`.
///
/// SQLite reads a static binding when the statement steps, so the bytes must stay put from the
/// bind to the step: a chunk is never moved or freed while in use, a full one is followed by a
/// new one, and ``reset()`` (before the next row is bound) only marks them free again.
/// ``FastBinding/step(_:)`` refuses a row that did not bind every parameter, so a binding left
/// from an earlier row (whose bytes may have been overwritten) is never read.
final class BoundTexts {
    /// Most rows fit in one chunk: 26,707 grants bind about 180 bytes of text each.
    static let chunkSize = 64 * 1024

    // The chunk being filled, by stored properties: reaching it through an array of chunks
    // cost 300 instructions a text in uniqueness and bounds checks.
    private var start: UnsafeMutableRawPointer?
    private var capacity = 0
    private var used = 0
    /// Chunks filled earlier in this row (still bound), and chunks free for later rows.
    private var filled: [(start: UnsafeMutableRawPointer, capacity: Int)] = []
    private var spare: [(start: UnsafeMutableRawPointer, capacity: Int)] = []

    init() {}

    /// Marks every byte free for the next row.
    func reset() {
        used = 0
        if !filled.isEmpty {
            spare += filled
            filled.removeAll(keepingCapacity: true)
        }
    }

    /// A copy of `bytes` that stays where it is until the next ``reset()``.
    func keep(_ bytes: UnsafeRawBufferPointer) -> UnsafeRawPointer {
        let count = bytes.count
        if capacity - used < count { startChunk(for: count) }
        let target = start! + used
        if let source = bytes.baseAddress, count > 0 { target.copyMemory(from: source, byteCount: count) }
        used += count
        return UnsafeRawPointer(target)
    }

    /// Sets the current chunk aside (its bytes stay bound) and takes one with room for `count`.
    private func startChunk(for count: Int) {
        if let start { filled.append((start, capacity)) }
        if let index = spare.firstIndex(where: { $0.capacity >= count }) {
            (start, capacity) = spare.remove(at: index)
        } else {
            capacity = max(Self.chunkSize, count)
            start = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
        }
        used = 0
    }

    deinit {
        start?.deallocate()
        for chunk in filled + spare { chunk.start.deallocate() }
    }
}
