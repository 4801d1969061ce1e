/// Why a piece of text could not become `Money`, or why money arithmetic was refused.
///
/// Every description is a complete English sentence that quotes the offending text, because
/// these messages reach administrators (import reports, script errors) unchanged.
public enum MoneyError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The text was empty or only whitespace.
    case empty
    /// The text is not a number at all (letters, stray symbols, misplaced sign).
    case notANumber(String)
    /// More than two digits after the decimal point: money has fen precision only.
    case tooManyDecimals(String)
    /// Thousands separators that are not in groups of three (`1,23`).
    case misplacedGrouping(String)
    /// The amount does not fit in a signed 64-bit count of fen.
    case outOfRange(String)
    /// An arithmetic operation would overflow; `operation` names it with its operands.
    case overflow(operation: String)
    /// Division (or a ratio) with a zero denominator.
    case divisionByZero(operation: String)

    public var description: String {
        switch self {
        case .empty:
            return "An amount of money is required, but the text is empty."
        case .notANumber(let text):
            return "'\(text)' is not an amount of money: expected digits such as 1234.56 or ¥1,234.56."
        case .tooManyDecimals(let text):
            return "'\(text)' has more than two decimal places: money is exact to the fen (0.01 yuan)."
        case .misplacedGrouping(let text):
            return "'\(text)' has misplaced thousands separators: write 1,234 or 1234."
        case .outOfRange(let text):
            return "'\(text)' is too large an amount of money to be represented exactly."
        case .overflow(let operation):
            return "The result of \(operation) is too large an amount of money to be represented exactly."
        case .divisionByZero(let operation):
            return "Cannot compute \(operation): division by zero."
        }
    }
}
