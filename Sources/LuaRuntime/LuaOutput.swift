import CLua
import Foundation

/// What a run printed: kept in memory (never written to the process's stdout by the
/// runtime), with control characters escaped so a script cannot drive the terminal or forge
/// log lines, and capped: going past the limit trips the output limit.
public final class LuaOutput {
    public let limit: Int?
    private(set) public var bytes: [UInt8] = []
    /// Called with each sanitised line as it is printed (e.g. to stream to a terminal).
    public var onLine: ((String) -> Void)?

    init(limit: Int?) { self.limit = limit }

    /// The output as text.
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    public func clear() { bytes.removeAll(keepingCapacity: true) }

    /// Bytes that count toward the limit but are kept elsewhere (the host's warnings).
    private(set) public var chargedBytes = 0

    /// Counts `n` bytes of host-kept output (warnings) toward the limit; false when that
    /// goes past it.
    func charge(_ n: Int) -> Bool {
        chargedBytes += n
        guard let limit else { return true }
        return bytes.count + chargedBytes <= limit
    }

    /// Appends one line; returns false if the limit was reached (the line is cut there).
    func append(line raw: [UInt8]) -> Bool {
        let line = LuaOutput.sanitize(raw)
        var fits = true
        var piece = line
        piece.append(0x0A)
        if let limit, bytes.count + chargedBytes + piece.count > limit {
            piece = Array(piece.prefix(max(0, limit - bytes.count - chargedBytes)))
            fits = false
        }
        bytes.append(contentsOf: piece)
        if let onLine { onLine(String(decoding: line, as: UTF8.self)) }
        return fits
    }

    /// Escapes control characters (except tab and newline) as `\xNN` and replaces invalid
    /// UTF-8 with U+FFFD, so what reaches a terminal or a log is plain text.
    public static func sanitize(_ raw: [UInt8]) -> [UInt8] {
        let text = String(decoding: raw, as: UTF8.self)
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        for scalar in text.unicodeScalars {
            let v = scalar.value
            if (v < 0x20 && v != 0x09 && v != 0x0A) || v == 0x7F || (v >= 0x80 && v < 0xA0) {
                out.append(contentsOf: Array(String(format: "\\x%02x", v).utf8))
            } else {
                out.append(contentsOf: Array(String(scalar).utf8))
            }
        }
        return out
    }
}
