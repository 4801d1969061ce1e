/// Writes CSV the way Excel (including Chinese Excel) opens it without an import dialog:
/// UTF-8 with a byte-order mark, CRLF line ends, RFC 4180 quoting.
public struct CSVWriter: Sendable {
    /// The text written so far.
    public private(set) var text: String

    /// Starts a document; `byteOrderMark` makes Excel read the file as UTF-8 rather than in
    /// the system's legacy code page.
    public init(byteOrderMark: Bool = true) {
        text = byteOrderMark ? "\u{FEFF}" : ""
    }

    /// Appends one record.
    public mutating func write(_ fields: [String]) {
        text += fields.map(Self.quoted).joined(separator: ",")
        text += "\r\n"
    }

    /// Quotes a field when it holds a separator, a quote, a line break or edge spaces
    /// (which spreadsheet programs would otherwise trim).
    public static func quoted(_ field: String) -> String {
        let needsQuotes = field.utf8.contains { byte in
            byte == UInt8(ascii: ",") || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\n")
                || byte == UInt8(ascii: "\r")
        } || field.hasPrefix(" ") || field.hasSuffix(" ")
        guard needsQuotes else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Makes free text safe from spreadsheet formula injection: a cell starting with `=`, `+`,
    /// `-` or `@` would be evaluated by Excel, so it gets a leading apostrophe, which Excel
    /// hides and the importer strips (see ``CSVWriter/unneutralised(_:)``).
    public static func neutralised(_ text: String) -> String {
        guard let first = text.first, "=+-@".contains(first) else { return text }
        return "'" + text
    }

    /// Undoes ``neutralised(_:)``.
    public static func unneutralised(_ text: String) -> String {
        guard text.hasPrefix("'"), let second = text.dropFirst().first, "=+-@".contains(second) else { return text }
        return String(text.dropFirst())
    }
}
