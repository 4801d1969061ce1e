import Foundation

/// What an export writes: CSV (UTF-8 with BOM, CRLF, for Excel) or JSON (an array of
/// objects; money as plain yuan strings such as "1234.50", so no reader turns it into a float).
public enum ExportFormat: String, Sendable, CaseIterable {
    case csv, json
}

/// A cell value: text, a whole number, a flag, or nothing.
enum ExportValue {
    case text(String)
    case integer(Int64)
    case bool(Bool)
    case null

    var csv: String {
        switch self {
        case .text(let text): CSVWriter.neutralised(text)
        case .integer(let number): String(number)
        case .bool(let flag): flag ? "1" : "0"
        case .null: ""
        }
    }

    var json: String {
        switch self {
        case .text(let text): ExportValue.jsonString(text)
        case .integer(let number): String(number)
        case .bool(let flag): flag ? "true" : "false"
        case .null: "null"
        }
    }

    static func jsonString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}

/// Streams rows to a sink in large chunks, so exporting a million members needs no more
/// memory than exporting ten.
struct ExportWriter {
    let format: ExportFormat
    let keys: [String]
    let sink: (String) throws -> Void
    private var buffer = ""
    private var rows = 0

    init(format: ExportFormat, keys: [String], headers: [String], sink: @escaping (String) throws -> Void) {
        self.format = format
        self.keys = keys
        self.sink = sink
        switch format {
        case .csv:
            var writer = CSVWriter(byteOrderMark: true)
            writer.write(headers)
            buffer = writer.text
        case .json:
            buffer = "["
        }
    }

    mutating func write(_ values: [ExportValue]) throws {
        switch format {
        case .csv:
            buffer += values.map { CSVWriter.quoted($0.csv) }.joined(separator: ",") + "\r\n"
        case .json:
            buffer += (rows == 0 ? "\n  {" : ",\n  {")
            buffer += zip(keys, values).map { ExportValue.jsonString($0) + ": " + $1.json }.joined(separator: ", ") + "}"
        }
        rows += 1
        if buffer.utf8.count > 1 << 16 {
            try sink(buffer)
            buffer = ""
        }
    }

    mutating func finish() throws -> Int {
        if format == .json { buffer += rows == 0 ? "]\n" : "\n]\n" }
        try sink(buffer)
        buffer = ""
        return rows
    }
}
