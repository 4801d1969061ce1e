import ChildProcess
import Foundation
import Testing
@testable import StewardStore

@Suite("CSV and text decoding")
struct CSVTests {
    @Test("RFC 4180: quoted commas, doubled quotes, embedded newlines, CRLF, blank lines, line numbers")
    func reader() throws {
        let text = "name,memo\r\n王芳,\"a, b\"\r\n\r\n李强,\"say \"\"hi\"\"\nsecond line\"\r\n陈静,\n"
        let records = try CSVReader.parse(text)
        #expect(records == [
            CSVRecord(line: 1, fields: ["name", "memo"]),
            CSVRecord(line: 2, fields: ["王芳", "a, b"]),
            CSVRecord(line: 4, fields: ["李强", "say \"hi\"\nsecond line"]),
            CSVRecord(line: 6, fields: ["陈静", ""]),
        ])
    }

    @Test("malformed quoting is reported with its line")
    func malformed() {
        #expect(throws: CSVError(line: 2, reason: "a quoted field is never closed")) {
            try CSVReader.parse("a,b\n\"open,x\n")
        }
        #expect(throws: CSVError(line: 1, reason: "text after a closing quote")) { try CSVReader.parse("\"a\"b,c\n") }
    }

    @Test("the writer quotes what needs it, ends lines with CRLF and starts with a BOM; the reader reads it back")
    func writerRoundTrip() throws {
        var writer = CSVWriter()
        writer.write(["a,b", "say \"hi\"", "two\nlines", " padded ", "plain"])
        #expect(writer.text == "\u{FEFF}\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\" padded \",plain\r\n")
        let (text, encoding) = try TextDecoding.decode(Data(writer.text.utf8))
        #expect(encoding == .utf8WithBOM)
        #expect(try CSVReader.parse(text) == [CSVRecord(line: 1, fields: ["a,b", "say \"hi\"", "two\nlines", " padded ", "plain"])])
    }

    @Test("formula-looking text is neutralised for Excel and restored on import")
    func formulas() {
        #expect(CSVWriter.neutralised("=SUM(A1)") == "'=SUM(A1)")
        #expect(CSVWriter.neutralised("王芳") == "王芳")
        #expect(CSVWriter.unneutralised("'=SUM(A1)") == "=SUM(A1)")
        #expect(CSVWriter.unneutralised("'quoted") == "'quoted")
    }

    @Test("GB18030 produced by iconv is detected and decoded; invalid bytes are refused")
    func gb18030() throws {
        let source = "姓名,镇街\n王芳,金城镇\n"
        let bytes = try iconv(source, to: "GB18030")
        #expect(bytes != Data(source.utf8))
        let (text, encoding) = try TextDecoding.decode(bytes)
        #expect(encoding == .gb18030)
        #expect(text == source)
        #expect(throws: TextDecodingError()) { try TextDecoding.decode(Data([0xEF, 0xBB, 0xBF, 0xFF, 0xFE])) }
    }

    /// Encodes with the system's iconv command, as a Chinese user's tools would.
    func iconv(_ text: String, to encoding: String) throws -> Data {
        let directory = TemporaryDirectory()
        let input = directory.path("in.txt")
        try Data(text.utf8).write(to: URL(fileURLWithPath: input))
        let done = try ChildProcess.run("/usr/bin/iconv", ["-f", "UTF-8", "-t", encoding, input])
        #expect(done.status == .exited(0))
        let data = done.output
        return data
    }
}
