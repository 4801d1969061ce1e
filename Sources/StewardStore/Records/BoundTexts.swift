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
    private struct Chunk {
        let start: UnsafeMutableRawPointer
        let capacity: Int
        var used = 0
    }

    /// Most rows fit in one chunk: 26,707 grants bind about 180 bytes of text each.
    static let chunkSize = 64 * 1024

    private var chunks: [Chunk] = []
    private var current = 0

    init() {}

    /// Marks every byte free for the next row.
    func reset() {
        for index in chunks.indices { chunks[index].used = 0 }
        current = 0
    }

    /// A copy of `bytes` that stays where it is until the next ``reset()``.
    func keep(_ bytes: UnsafeRawBufferPointer) -> UnsafeRawPointer {
        let count = bytes.count
        while current < chunks.count, chunks[current].capacity - chunks[current].used < count { current += 1 }
        if current == chunks.count {
            let capacity = max(Self.chunkSize, count)
            chunks.append(Chunk(start: UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16), capacity: capacity))
        }
        let target = chunks[current].start + chunks[current].used
        if let source = bytes.baseAddress, count > 0 { target.copyMemory(from: source, byteCount: count) }
        chunks[current].used += count
        return UnsafeRawPointer(target)
    }

    deinit {
        for chunk in chunks { chunk.start.deallocate() }
    }
}
