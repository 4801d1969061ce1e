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

/// A file that is neither UTF-8 nor GB18030.
public struct TextDecodingError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String { "the file is neither UTF-8 nor GB18030 text" }
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
            throw TextDecodingError()
        }
        if let text = String(validating: data, as: UTF8.self) { return (text, .utf8) }
        if let text = iconvDecode(data, from: "GB18030") { return (text, .gb18030) }
        throw TextDecodingError()
    }

    /// Converts `data` from `encoding` to UTF-8 with iconv; nil on any invalid sequence.
    static func iconvDecode(_ data: Data, from encoding: String) -> String? {
        let converter = iconv_open("UTF-8", encoding)
        if converter == iconv_t(bitPattern: -1) { return nil }
        defer { iconv_close(converter) }
        var input = [UInt8](data)
        // GB18030 takes at least one byte per character and UTF-8 at most four.
        var output = [UInt8](repeating: 0, count: input.count * 4 + 4)
        let outputCapacity = output.count
        var remaining = 0
        let result: Int = input.withUnsafeMutableBytes { inBuffer in
            output.withUnsafeMutableBytes { outBuffer in
                var inPointer = inBuffer.baseAddress?.assumingMemoryBound(to: CChar.self)
                var inLeft = inBuffer.count
                var outPointer = outBuffer.baseAddress?.assumingMemoryBound(to: CChar.self)
                var outLeft = outBuffer.count
                let status = iconv(converter, &inPointer, &inLeft, &outPointer, &outLeft)
                remaining = outLeft
                return status == -1 || inLeft != 0 ? -1 : 0
            }
        }
        guard result == 0 else { return nil }
        return String(validating: output[0..<(outputCapacity - remaining)], as: UTF8.self)
    }
}
