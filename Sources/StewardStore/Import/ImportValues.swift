import StewardCore

/// Lenient readers for the values people type into spreadsheets.
enum ImportValues {
    /// `2025-06-15`, `2025/6/15`, `2025.6.15`, `20250615`, `2025年6月15日`.
    static func date(_ text: String) -> CivilDate? {
        let trimmed = text.importTrimmed()
        if let date = try? CivilDate(parsing: trimmed) { return date }
        let parts = trimmed.split(whereSeparator: { "-/.年月日".contains($0) }).map(String.init)
        guard parts.count == 3, let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
              parts[0].count == 4 else { return nil }
        return try? CivilDate(year: year, month: month, day: day)
    }

    /// Yes/no: `是/否`, `yes/no`, `y/n`, `true/false`, `1/0`, `√`; empty is no.
    static func flag(_ text: String) -> Bool? {
        switch text.importTrimmed().lowercased() {
        case "", "否", "no", "n", "false", "0", "无": false
        case "是", "yes", "y", "true", "1", "√", "有": true
        default: nil
        }
    }

    /// The first control character in any of `values` (by column order), as `(column, U+XXXX)`:
    /// C0 controls other than tab, line feed and carriage return, and DEL. A NUL would be cut
    /// off by SQLite (text is bound as a C string), losing the rest of the value unnoticed.
    static func controlCharacter<Column: Hashable>(in values: [Column: String], order: [Column?]) -> (Column, String)? {
        for case let column? in order {
            guard let value = values[column] else { continue }
            for scalar in value.unicodeScalars where (scalar.value < 0x20 && !"\t\n\r".unicodeScalars.contains(scalar))
                || scalar.value == 0x7F {
                return (column, "U+" + String(scalar.value, radix: 16, uppercase: true).leftPadded(to: 4))
            }
        }
        return nil
    }

    /// Tags separated by `;`, `；`, `,` or `，`.
    static func tags(_ text: String) -> [String] {
        text.split(whereSeparator: { ";；,，".contains($0) })
            .map { String($0).importTrimmed() }
            .filter { !$0.isEmpty }
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }

    func importTrimmed() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}
