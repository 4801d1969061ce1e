import CZlib
import Foundation

/// zlib's one-shot deflate and inflate, in zlib's own format (RFC 1950: a two-byte header, the
/// deflate stream, an Adler-32 of the original bytes).
///
/// That format is what the `sqlite3` shell's `sqlar_uncompress(data, size)` reads, so a value
/// deflated here can be read back without Steward (``SchemaV7`` shows the query for a run record).
///
/// The checksum means damage is found when the value is read, not shown as other effects.
enum Deflate {
    /// Why bytes could not be inflated, as a clause for a stored value's problem.
    struct Failure: Error, Equatable, CustomStringConvertible {
        let description: String
    }

    /// `bytes` deflated at zlib's fastest level.
    ///
    /// Level 1, because a commit waits for it: the 8.8 MB of JSON of a 26,707-grant run take
    /// 18 ms and come to 356 KB (24.7 : 1). Level 6, zlib's default, takes 65 ms for 259 KB.
    static func compress(_ bytes: [UInt8]) throws(Failure) -> Data {
        var size = compressBound(uLong(bytes.count))
        var out = Data(count: Int(size))
        let status = out.withUnsafeMutableBytes { target in
            bytes.withUnsafeBufferPointer { source in
                compress2(target.baseAddress!.assumingMemoryBound(to: Bytef.self), &size,
                          source.baseAddress, uLong(source.count), 1)
            }
        }
        // compressBound is enough room by zlib's contract, so only memory can fail here.
        guard status == Z_OK else { throw Failure(description: "zlib could not deflate \(bytes.count) bytes (\(reason(status)))") }
        out.count = Int(size)
        return out
    }

    /// deflate never shrinks more than this: a zlib stream of n bytes inflates to at most
    /// 1032 × n (zlib's FAQ). A stored size above it is damage, refused before its buffer is
    /// allocated.
    static let maximumRatio = 1032

    /// The `size` bytes that `data` inflates to. Anything else — damaged or truncated data,
    /// a different size, bytes after the stream — throws, saying which.
    static func inflate(_ data: Data, size: Int) throws(Failure) -> Data {
        guard size > 0 else { throw Failure(description: "its inflated size \(size) is not a positive number of bytes") }
        guard size / maximumRatio <= data.count else {
            throw Failure(description: "its inflated size \(size) is more than \(data.count) deflated bytes can hold")
        }
        // One byte more than recorded, so that a stream cut short (its checksum missing) is
        // told from one that goes on: only the second fills the buffer.
        var out = Data(count: size + 1)
        var produced = uLong(size + 1)
        var consumed = uLong(data.count)
        let status = out.withUnsafeMutableBytes { target in
            data.withUnsafeBytes { source in
                uncompress2(target.baseAddress!.assumingMemoryBound(to: Bytef.self), &produced,
                            source.baseAddress?.assumingMemoryBound(to: Bytef.self), &consumed)
            }
        }
        switch status {
        case Z_OK:
            guard Int(produced) == size else {
                throw Failure(description: "it inflates to \(produced) bytes, not the \(size) recorded")
            }
            guard Int(consumed) == data.count else {
                throw Failure(description: "\(data.count - Int(consumed)) bytes follow its deflated stream")
            }
            out.count = size
            return out
        case Z_BUF_ERROR:
            throw Failure(description: "it inflates to more than the \(size) bytes recorded")
        case Z_DATA_ERROR:
            throw Failure(description: "it is not zlib's deflate format, or it is damaged or cut short")
        default:
            throw Failure(description: "zlib could not inflate it (\(reason(status)))")
        }
    }

    private static func reason(_ status: Int32) -> String {
        zError(status).map { String(cString: $0) } ?? "zlib status \(status)"
    }
}
