/// One CSV record and the line of the file it starts on (1-based, counting the header), so
/// that error messages can point at what the user sees in an editor.
public struct CSVRecord: Sendable, Equatable {
    public let line: Int
    public let fields: [String]

    public init(line: Int, fields: [String]) {
        self.line = line
        self.fields = fields
    }
}

/// A malformed CSV file: the line where reading stopped and why.
public struct CSVError: Error, Sendable, Equatable, CustomStringConvertible {
    public let line: Int
    public let reason: String
    public var description: String { "line \(line): \(reason)" }
}

/// An RFC 4180 reader: fields separated by commas, records by CRLF or LF (a lone CR too),
/// fields in double quotes may hold commas, line breaks and doubled quotes.
///
/// It works on UTF-8 bytes: the structural characters are ASCII and never occur inside a
/// multi-byte UTF-8 sequence, so no decoding is needed until a field is complete.
public enum CSVReader {
    /// Parses the whole text; blank lines are skipped.
    public static func parse(_ text: String) throws(CSVError) -> [CSVRecord] {
        var records: [CSVRecord] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var line = 1
        var recordLine = 1
        var inQuotes = false
        var afterClosingQuote = false
        var fieldWasQuoted = false
        var recordHasContent = false

        let bytes = Array(text.utf8)
        var index = 0
        func endField() {
            fields.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
            afterClosingQuote = false
            fieldWasQuoted = false
        }
        func endRecord() {
            endField()
            // A line with nothing on it is not a record; a line of "" or "," is.
            if recordHasContent || fields.count > 1 || !(fields.first?.isEmpty ?? true) {
                records.append(CSVRecord(line: recordLine, fields: fields))
            }
            fields.removeAll(keepingCapacity: true)
            recordHasContent = false
        }

        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            if inQuotes {
                if byte == UInt8(ascii: "\"") {
                    if index < bytes.count && bytes[index] == UInt8(ascii: "\"") {
                        field.append(byte)
                        index += 1
                    } else {
                        inQuotes = false
                        afterClosingQuote = true
                    }
                } else {
                    if byte == UInt8(ascii: "\n") { line += 1 }
                    if byte == UInt8(ascii: "\r") {
                        if index < bytes.count && bytes[index] == UInt8(ascii: "\n") {
                            field.append(byte)
                            field.append(bytes[index])
                            index += 1
                            line += 1
                            continue
                        }
                        line += 1
                    }
                    field.append(byte)
                }
                continue
            }
            switch byte {
            case UInt8(ascii: ","):
                recordHasContent = true
                endField()
            case UInt8(ascii: "\r"), UInt8(ascii: "\n"):
                if byte == UInt8(ascii: "\r") && index < bytes.count && bytes[index] == UInt8(ascii: "\n") {
                    index += 1
                }
                endRecord()
                line += 1
                recordLine = line
            case UInt8(ascii: "\""):
                if afterClosingQuote || !field.isEmpty {
                    throw CSVError(line: line, reason: "a quote inside an unquoted field (quote the whole field and double the quote)")
                }
                inQuotes = true
                fieldWasQuoted = true
                recordHasContent = true
            default:
                if afterClosingQuote {
                    throw CSVError(line: line, reason: "text after a closing quote")
                }
                field.append(byte)
            }
        }
        if inQuotes {
            throw CSVError(line: recordLine, reason: "a quoted field is never closed")
        }
        if !field.isEmpty || !fields.isEmpty || fieldWasQuoted || recordHasContent {
            endRecord()
        }
        return records
    }
}
