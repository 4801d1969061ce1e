import Foundation

/// How a serving worker and its runner take turns on one pipe each way: a 4-byte big-endian
/// length, then that many bytes of JSON (a ``WorkerRequest`` in, a `RunReport` out).
enum WorkerFrame {
    /// Requests and reports are scripts and their effects: 256 MiB is far beyond any real one
    /// and keeps a corrupt length from asking for the whole address space.
    static let maximumLength = 256 << 20

    struct Malformed: Error, CustomStringConvertible {
        let description: String
    }

    /// `data` framed.
    static func encode(_ data: Data) -> Data {
        let n = UInt32(data.count)
        return Data([UInt8(n >> 24), UInt8(n >> 16 & 0xff), UInt8(n >> 8 & 0xff), UInt8(n & 0xff)]) + data
    }

    /// The first whole frame at the start of `buffer`, and the bytes it takes; nil while
    /// the frame is incomplete.
    static func decode(_ buffer: Data) throws -> (payload: Data, length: Int)? {
        guard buffer.count >= 4 else { return nil }
        let bytes = [UInt8](buffer.prefix(4))
        let n = Int(bytes[0]) << 24 | Int(bytes[1]) << 16 | Int(bytes[2]) << 8 | Int(bytes[3])
        guard n <= maximumLength else { throw Malformed(description: "a frame of \(n) bytes is longer than allowed") }
        guard buffer.count >= 4 + n else { return nil }
        let start = buffer.startIndex + 4
        return (Data(buffer[start..<start + n]), 4 + n)
    }

    /// Reads one frame from `fd`; nil at end of input before a frame starts.
    static func read(from fd: Int32) throws -> Data? {
        guard let header = try readExactly(4, from: fd, allowEOF: true) else { return nil }
        let n = Int(header[0]) << 24 | Int(header[1]) << 16 | Int(header[2]) << 8 | Int(header[3])
        guard n <= maximumLength else { throw Malformed(description: "a frame of \(n) bytes is longer than allowed") }
        return Data(try readExactly(n, from: fd, allowEOF: false) ?? [])
    }

    static func write(_ payload: Data, to fd: Int32) throws {
        let framed = encode(payload)
        try framed.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
                if written < 0 && errno == EINTR { continue }
                guard written > 0 else { throw Malformed(description: "the other side closed the pipe") }
                offset += written
            }
        }
    }

    private static func readExactly(_ count: Int, from fd: Int32, allowEOF: Bool) throws -> [UInt8]? {
        var bytes = [UInt8](repeating: 0, count: count)
        var offset = 0
        while offset < count {
            let n = bytes.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + offset, count - offset) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 {
                if offset == 0 && allowEOF { return nil }
                throw Malformed(description: "input ended inside a frame")
            }
            offset += n
        }
        return bytes
    }
}
