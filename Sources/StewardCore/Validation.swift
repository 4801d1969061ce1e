import Foundation

/// One broken rule in a domain record, e.g. a disability grade of 5.
///
/// Records are plain structs with memberwise initialisers (the store decodes rows into them,
/// importers fill them field by field), so their rules are checked by `validationErrors()`
/// rather than by throwing initialisers: an import can then report *every* problem of a row
/// at once instead of the first.
public struct ValidationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of record, in English (`member`, `facility`, `disability certificate`).
    public let record: String
    /// The field at fault, in the snake_case used by scripts and CSV headers (`grade`).
    public let field: String
    /// A complete English sentence naming the value and the rule.
    public let message: String

    public init(record: String, field: String, message: String) {
        self.record = record
        self.field = field
        self.message = message
    }

    public var description: String { message }
}

/// Every broken rule of a record, thrown by `Validatable.validate()`.
public struct ValidationFailure: Error, Sendable, Hashable, CustomStringConvertible {
    public let errors: [ValidationError]

    public init(errors: [ValidationError]) {
        self.errors = errors
    }

    /// The messages, one per line.
    public var description: String {
        errors.map(\.message).joined(separator: "\n")
    }
}

/// A record whose rules can be checked.
public protocol Validatable {
    /// Every rule the record breaks, in field order; empty when valid.
    func validationErrors() -> [ValidationError]
}

extension Validatable {
    /// True when `validationErrors()` is empty.
    public var isValid: Bool { validationErrors().isEmpty }

    /// Throws every broken rule at once, or returns when the record is valid.
    public func validate() throws(ValidationFailure) {
        let errors = validationErrors()
        if !errors.isEmpty { throw ValidationFailure(errors: errors) }
    }
}

/// Small helpers shared by the records' validators.
enum Check {
    /// A code used as a key: 1–64 characters of letters, digits, `-`, `_`, `.`, no spaces.
    /// Keys appear in scripts (`budget "relief-2025"`), CSV and idempotency keys, so they are
    /// kept to characters that need no quoting anywhere.
    static func code(_ value: String, record: String, field: String = "code") -> [ValidationError] {
        // A buffer scan: the generic `utf8.allSatisfy` stepped an index per byte, 1.1k
        // instructions a grant's budget code.
        func isCodeByte(_ byte: UInt8) -> Bool {
            switch byte {
            case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."): true
            default: false
            }
        }
        let allowed = value.withUTF8Bytes { $0.allSatisfy(isCodeByte) }
        guard !value.isEmpty, value.utf8.count <= 64, allowed else {
            return [ValidationError(record: record, field: field,
                message: "The \(record) \(field) '\(value)' must be 1–64 letters, digits, '-', '_' or '.'.")]
        }
        return []
    }

    /// A human-readable name: not empty or only whitespace.
    ///
    /// Nor may it hold a NUL (U+0000): SQLite receives text as C strings, so everything after
    /// a NUL was silently dropped — two idempotency keys `k\0x` and `k\0y` were both stored
    /// as `k`, and the second grant was skipped as "already applied".
    static func name(_ value: String, record: String, field: String = "name") -> [ValidationError] {
        if value.isBlank {
            return [ValidationError(record: record, field: field, message: "The \(record) \(field) must not be empty.")]
        }
        // In UTF-8 the byte 0 is U+0000 and nothing else: a byte scan, not a scalar decode,
        // as every proposed effect's key passes here.
        if Self.containsNUL(value) {
            return [ValidationError(record: record, field: field,
                message: "The \(record) \(field) must not contain a NUL character (U+0000), which cannot be stored.")]
        }
        return []
    }

    /// Free text that may be empty (a memo, a benefit kind): only a NUL is refused, which
    /// SQLite would cut the text at (see ``name(_:record:field:)``).
    static func text(_ value: String?, record: String, field: String) -> [ValidationError] {
        guard let value, containsNUL(value) else { return [] }
        return [ValidationError(record: record, field: field,
            message: "The \(record) \(field) must not contain a NUL character (U+0000), which cannot be stored.")]
    }

    /// Whether the UTF-8 of `value` holds a 0 byte. Scanned as a buffer: `utf8.contains`
    /// stepped a generic index per byte (1.4 % of a 26,707-grant run).
    static func containsNUL(_ value: String) -> Bool {
        // memchr: a byte loop cost 4 instructions a byte of every proposed key.
        value.withUTF8Bytes { bytes in bytes.baseAddress.map { memchr($0, 0, bytes.count) != nil } ?? false }
    }

    /// A non-negative count.
    static func nonNegative(_ value: Int, record: String, field: String) -> [ValidationError] {
        value < 0
            ? [ValidationError(record: record, field: field, message: "The \(record) \(field) is \(value); it must not be negative.")]
            : []
    }

    static func error(_ record: String, _ field: String, _ message: String) -> ValidationError {
        ValidationError(record: record, field: field, message: message)
    }
}
