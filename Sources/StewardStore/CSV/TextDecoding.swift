import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The encodings an imported file may arrive in.
public enum TextEncoding: String, Sendable, Equatable {
    case utf8 = "UTF-8"
    case utf8WithBOM = "UTF-8 (BOM)"
    /// What Chinese Excel writes when it saves "CSV (comma delimited)".
    case gb18030 = "GB18030"
}

/// A file that is neither UTF-8 nor GB18030, or UTF-8 that was cut short.
public struct TextDecodingError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Reason: Sendable, Equatable {
        case notText
        /// Valid UTF-8 up to an incomplete character at the very end: a truncated file.
        case cutShort
    }

    public var reason: Reason

    public init(_ reason: Reason = .notText) {
        self.reason = reason
    }

    public var description: String {
        switch reason {
        case .notText: "the file is neither UTF-8 nor GB18030 text"
        case .cutShort: "the file ends in the middle of a UTF-8 character: it seems to have been cut short"
        }
    }

    public var chineseDescription: String {
        switch reason {
        case .notText: "既不是 UTF-8 也不是 GB18030 文本"
        case .cutShort: "文件在一个 UTF-8 字符中间结束，似乎不完整"
        }
    }
}

/// Turns an imported file's bytes into text: UTF-8 (with or without a byte-order mark) when
/// the bytes are valid UTF-8, else GB18030.
///
/// GB18030 is decoded with the C library's iconv: Foundation on Linux has no CoreFoundation
/// string encodings, and glibc's iconv has carried GB18030 for decades.
public enum TextDecoding {
    public static func decode(_ data: Data) throws(TextDecodingError) -> (text: String, encoding: TextEncoding) {
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        if data.starts(with: bom) {
            if let text = String(validating: data.dropFirst(3), as: UTF8.self) { return (text, .utf8WithBOM) }
            throw TextDecodingError(isTruncatedUTF8(data.dropFirst(3)) ? .cutShort : .notText)
        }
        if let text = String(validating: data, as: UTF8.self) { return (text, .utf8) }
        // A UTF-8 file cut short mid-character is invalid UTF-8, and GB18030 decodes almost any
        // bytes: without this check its Chinese names were imported as mojibake.
        if isTruncatedUTF8(data) { throw TextDecodingError(.cutShort) }
        if let text = iconvDecode(data, from: "GB18030") { return (text, .gb18030) }
        throw TextDecodingError()
    }

    /// True when `data` is valid UTF-8 holding at least one multi-byte character, except for
    /// an incomplete character at its very end. GB18030 text is practically never valid UTF-8
    /// up to its last bytes once it holds a Chinese character.
    static func isTruncatedUTF8(_ data: Data) -> Bool {
        let bytes = [UInt8](data.suffix(3))
        for cut in 1...3 where cut <= bytes.count {
            let tail = bytes.suffix(cut)
            guard let lead = tail.first, (0xC2...0xF4).contains(lead),
                  tail.dropFirst().allSatisfy({ (0x80...0xBF).contains($0) }) else { continue }
            let needed = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2
            guard cut < needed else { continue }
            let head = data.dropLast(cut)
            return head.contains { $0 >= 0x80 } && String(validating: head, as: UTF8.self) != nil
        }
        return false
    }

    /// Converts `data` from `encoding` to UTF-8 with iconv; nil on any invalid sequence.
    static func iconvDecode(_ data: Data, from encoding: String) -> String? {
        iconvConvert(data, from: encoding, to: "UTF-8").flatMap { String(validating: $0, as: UTF8.self) }
    }

    /// `data` converted between two encodings with the C library's iconv; nil on any invalid
    /// or incomplete sequence. (The tests use it the other way, to write GB18030 as Chinese
    /// Excel does.)
    static func iconvConvert(_ data: Data, from source: String, to target: String) -> Data? {
        let converter = iconv_open(target, source)
        if converter == iconv_t(bitPattern: -1) { return nil }
        defer { iconv_close(converter) }
        var input = [UInt8](data)
        // Between GB18030 and UTF-8 a character takes one to four bytes either way.
        var output = [UInt8](repeating: 0, count: input.count * 4 + 4)
        let outputCapacity = output.count
        var remaining = 0
        let converted: Bool = input.withUnsafeMutableBytes { inBuffer in
            output.withUnsafeMutableBytes { outBuffer in
                var inPointer = inBuffer.baseAddress?.assumingMemoryBound(to: CChar.self)
                var inLeft = inBuffer.count
                var outPointer = outBuffer.baseAddress?.assumingMemoryBound(to: CChar.self)
                var outLeft = outBuffer.count
                let status = iconv(converter, &inPointer, &inLeft, &outPointer, &outLeft)
                remaining = outLeft
                return status != -1 && inLeft == 0
            }
        }
        return converted ? Data(output[0..<(outputCapacity - remaining)]) : nil
    }
}
