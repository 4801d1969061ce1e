/// A table of text for terminals: columns sized by display width (Chinese text takes two
/// cells a character), numbers and money right-aligned.
///
/// ```
/// town      slots
/// ──────  ──────
/// 金城镇     4,211
/// 儒林镇     1,873
/// ```
public struct TextTable: Sendable, Equatable {
    public var headers: [String]
    public var rows: [[String]]
    /// Columns whose cells are right-aligned.
    public var rightAligned: Set<Int>

    public init(headers: [String], rows: [[String]], rightAligned: Set<Int> = []) {
        self.headers = headers
        self.rows = rows
        self.rightAligned = rightAligned
    }

    /// The table as lines of text, without a trailing newline.
    public func render() -> String {
        var widths = headers.map(DisplayWidth.of)
        for row in rows {
            for (i, cell) in row.enumerated() where i < widths.count {
                widths[i] = max(widths[i], DisplayWidth.of(cell))
            }
        }
        func line(_ cells: [String]) -> String {
            var parts: [String] = []
            for i in 0..<headers.count {
                let cell = i < cells.count ? cells[i] : ""
                parts.append(DisplayWidth.pad(cell, to: widths[i], right: rightAligned.contains(i)))
            }
            var text = parts.joined(separator: "  ")
            while text.hasSuffix(" ") { text.removeLast() }
            return text
        }
        var out = [line(headers), widths.map { String(repeating: "─", count: $0) }.joined(separator: "  ")]
        out += rows.map(line)
        return out.joined(separator: "\n")
    }
}
