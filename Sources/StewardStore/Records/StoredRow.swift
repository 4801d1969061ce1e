import GRDB
import GRDBSQLite
import StewardCore

/// The current row of a stepped statement, read by column index straight from the
/// `sqlite3_stmt`: no GRDB `Row`, no look-up of columns by name, no `DatabaseValue` per column.
/// Reading a member this way costs a fraction of decoding a `Row` by column name, which
/// hashed every name for every row.
///
/// Types are checked strictly, because each column holds only what Steward writes there: a
/// required value that is NULL, text where a number belongs (or the reverse), a flag other
/// than 0 or 1, or text that is not UTF-8 throws ``StoreError/invalidStoredValue(table:rowID:column:problem:)``
/// naming the row and column — where a `Row` would have stopped the process or quietly read 0.
///
/// Valid only until the statement steps again; the statement must stay on its connection's queue.
struct StoredRow {
    let statement: SQLiteStatement
    /// For error messages: the table the row comes from.
    let table: String
    /// For error messages: the row's id, from column 0 (every reader selects the id first).
    let rowID: Int64

    init(_ statement: SQLiteStatement, table: String) {
        self.statement = statement
        self.table = table
        // An INTEGER PRIMARY KEY is the rowid: always an integer.
        rowID = sqlite3_column_int64(statement, 0)
    }

    /// The column's value, to be read with `sqlite3_value_*`.
    ///
    /// One `sqlite3_column_*` call per column rather than two or three: each locks the
    /// connection's mutex, finds the column and checks for a failed allocation, about 60
    /// instructions, and a member has 32 columns. SQLite calls the value *unprotected*: its
    /// `sqlite3_value_*` readers do not take the connection's mutex, so the value must be read
    /// on the thread that steps the statement, before it steps again — which is how every
    /// ``StoredRow`` is used (GRDB runs a connection on one queue).
    @inline(__always)
    private func value(_ column: Int32) -> OpaquePointer {
        sqlite3_column_value(statement, column)
    }

    func isNull(_ column: Int32) -> Bool {
        sqlite3_value_type(value(column)) == SQLITE_NULL
    }

    func text(_ column: Int32) throws(StoreError) -> String {
        guard let text = try optionalText(column) else { throw missing(column) }
        return text
    }

    func optionalText(_ column: Int32) throws(StoreError) -> String? {
        guard let bytes = try optionalTextBytes(column) else { return nil }
        // ASCII with no NUL (codes, dates, identity and phone numbers: most columns) is
        // valid UTF-8 as it stands: made a String without a second scan for the NUL.
        if bytes.allSatisfy({ $0 != 0 && $0 < 0x80 }) { return String(decoding: bytes, as: UTF8.self) }
        // Not `String(validating:as:)`: generic, and not specialised across the module
        // boundary, it looked up type metadata for every value (7% of reading a member).
        // SQLite ends text with a NUL; a NUL inside the text would shorten it. (Text that is
        // not all ASCII is not empty, so the buffer has its start.)
        guard let start = bytes.baseAddress,
              let text = String(validatingCString: UnsafeRawPointer(start).assumingMemoryBound(to: CChar.self)) else {
            throw invalid(column, "the text is not valid UTF-8")
        }
        guard text.utf8.count == bytes.count else { throw invalid(column, "the text contains a NUL character") }
        return text
    }

    /// The bytes of a text value, valid until the statement steps again; nil for NULL. Any
    /// other kind of value throws, as in ``optionalText(_:)``.
    func optionalTextBytes(_ column: Int32) throws(StoreError) -> UnsafeBufferPointer<UInt8>? {
        let value = value(column)
        switch sqlite3_value_type(value) {
        case SQLITE_NULL:
            return nil
        case SQLITE_TEXT:
            // Text before bytes, as SQLite's documentation asks. NULL here means SQLite could
            // not allocate the text; an empty text is a valid pointer.
            guard let start = sqlite3_value_text(value) else {
                throw invalid(column, "SQLite could not return the text (out of memory)")
            }
            return UnsafeBufferPointer(start: UnsafeRawPointer(start).assumingMemoryBound(to: UInt8.self),
                                       count: Int(sqlite3_value_bytes(value)))
        default:
            throw invalid(column, "\(found(column)) where text is required")
        }
    }

    /// A date; the stored form `YYYY-MM-DD` is read on its bytes, anything else through
    /// ``CivilDate/init(parsing:)`` as before. Nil for NULL.
    func optionalDate(_ column: Int32) throws(StoreError) -> CivilDate? {
        guard let bytes = try optionalTextBytes(column) else { return nil }
        do {
            if let date = try CivilDate(isoBytes: bytes) { return date }
        } catch {
            throw invalid(column, StoreError.clause(String(describing: error)))
        }
        return try parse(column, CivilDate.init(parsing:))
    }

    func date(_ column: Int32) throws(StoreError) -> CivilDate {
        guard let date = try optionalDate(column) else { throw missing(column) }
        return date
    }

    /// One of a closed set of words (a sex, a category, a level), matched on the text's bytes
    /// without making a String of it; a NULL or a word not in the set throws, naming `what`.
    func choice<Value: StoredWord>(_ column: Int32, _ what: String) throws(StoreError) -> Value {
        guard let value: Value = try optionalChoice(column, what) else { throw missing(column) }
        return value
    }

    /// ``choice(_:_:)``, or nil for NULL.
    func optionalChoice<Value: StoredWord>(_ column: Int32, _ what: String) throws(StoreError) -> Value? {
        guard let bytes = try optionalTextBytes(column) else { return nil }
        for (value, spelling) in Value.spellings where spelling.elementsEqual(bytes) { return value }
        throw invalid(column, "\(found(column)) is not a known \(what)")
    }

    /// The column's value when it is a whole number; nil for any other kind of value.
    func wholeNumber(_ column: Int32) -> Int64? {
        let value = value(column)
        return sqlite3_value_type(value) == SQLITE_INTEGER ? sqlite3_value_int64(value) : nil
    }

    func integer(_ column: Int32) throws(StoreError) -> Int64 {
        guard let number = try optionalInteger(column) else { throw missing(column) }
        return number
    }

    func optionalInteger(_ column: Int32) throws(StoreError) -> Int64? {
        let value = value(column)
        switch sqlite3_value_type(value) {
        case SQLITE_NULL: return nil
        case SQLITE_INTEGER: return sqlite3_value_int64(value)
        default: throw invalid(column, "\(found(column)) where a whole number is required")
        }
    }

    func int(_ column: Int32) throws(StoreError) -> Int {
        let number = try integer(column)
        guard let value = Int(exactly: number) else { throw invalid(column, "\(number) is out of range") }
        return value
    }

    /// A 0/1 flag.
    func flag(_ column: Int32) throws(StoreError) -> Bool {
        switch try integer(column) {
        case 0: return false
        case 1: return true
        case let other: throw invalid(column, "\(other) where 0 or 1 is required")
        }
    }

    /// A value made from required text by a validating initialiser (a date, an identity or
    /// phone number); what the initialiser throws becomes the problem reported.
    func parse<Value>(_ column: Int32, _ make: (String) throws -> Value) throws(StoreError) -> Value {
        let text = try text(column)
        do {
            return try make(text)
        } catch {
            throw invalid(column, StoreError.clause(String(describing: error)))
        }
    }

    func optionalParse<Value>(_ column: Int32, _ make: (String) throws -> Value) throws(StoreError) -> Value? {
        isNull(column) ? nil : try parse(column, make)
    }

    func invalid(_ column: Int32, _ problem: String) -> StoreError {
        let name = sqlite3_column_name(statement, column).map { String(cString: $0) } ?? "#\(column)"
        return .invalidStoredValue(table: table, rowID: rowID, column: name, problem: problem)
    }

    private func missing(_ column: Int32) -> StoreError {
        invalid(column, "NULL where a value is required")
    }

    /// The value in a column, described for an error message.
    private func found(_ column: Int32) -> String {
        switch sqlite3_column_type(statement, column) {
        case SQLITE_INTEGER: "the whole number \(sqlite3_column_int64(statement, column))"
        case SQLITE_FLOAT: "the real number \(sqlite3_column_double(statement, column))"
        case SQLITE_TEXT: "the text '\(sqlite3_column_text(statement, column).map { String(cString: $0) } ?? "")'"
        case SQLITE_BLOB: "a blob of \(sqlite3_column_bytes(statement, column)) bytes"
        default: "NULL"
        }
    }
}

/// A word type stored as its raw value, with the bytes of each spelling made once: matching a
/// row's bytes against them needs no String and no array of cases per read.
protocol StoredWord: CaseIterable, RawRepresentable where RawValue == String {
    static var spellings: [(Self, [UInt8])] { get }
}

extension StoredWord {
    static func makeSpellings() -> [(Self, [UInt8])] { allCases.map { ($0, Array($0.rawValue.utf8)) } }
}

extension Sex: StoredWord { static let spellings = makeSpellings() }
extension DisabilityCategory: StoredWord { static let spellings = makeSpellings() }
extension ModelWorkerLevel: StoredWord { static let spellings = makeSpellings() }
extension NewFormWorkerKind: StoredWord { static let spellings = makeSpellings() }
