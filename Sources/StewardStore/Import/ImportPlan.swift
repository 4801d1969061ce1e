import Foundation

/// What an import would do: rows to add, rows already present, and every bad row. Nothing
/// is written until ``Store/commitMembers(_:actor:at:)`` (or the facilities counterpart), and
/// then only if there is no bad row.
public struct ImportPlan<Record: Sendable>: Sendable {
    /// The encoding the file was read in.
    public var encoding: TextEncoding
    /// Data rows read (the header excluded).
    public var rowCount = 0
    /// New records with the line each came from.
    public var additions: [(line: Int, record: Record)] = []
    /// Rows whose record is already in the database with the same details: skipped.
    public var unchanged = 0
    public var errors: [ImportRowError] = []

    /// True when the plan may be committed.
    public var isClean: Bool { errors.isEmpty }

    init(encoding: TextEncoding) {
        self.encoding = encoding
    }
}

/// The header row, mapped to known columns.
struct ImportHeader<Column: Hashable> {
    let columns: [Column?]
    let width: Int

    init(_ fields: [String], match: (String) -> Column?) {
        columns = fields.map(match)
        width = fields.count
    }

    func has(_ column: Column) -> Bool { columns.contains(column) }

    /// The row's values by column; a field beyond the header is an error only if non-empty.
    func values(_ record: CSVRecord) -> (values: [Column: String], extra: Bool) {
        var values: [Column: String] = [:]
        for (index, field) in record.fields.enumerated() {
            if index < columns.count {
                if let column = columns[index] { values[column] = CSVWriter.unneutralised(field.importTrimmed()) }
            } else if !field.importTrimmed().isEmpty {
                return (values, true)
            }
        }
        return (values, false)
    }
}
