import Foundation

/// Why a cron expression was refused, and where.
///
/// Its `description` is the message shown to administrators, for example
/// `minute: 61 is out of range 0–59 (position 1)`, `expected 5 fields, found 3` or
/// `unknown name '@often'`. Errors inside a field name the field and the position; errors about
/// the expression as a whole (field count, `@names`) read without them.
public struct CronSyntaxError: Error, Sendable, Hashable, CustomStringConvertible, LocalizedError {
    /// What was wrong.
    public enum Problem: Sendable, Hashable {
        /// Not five whitespace-separated fields.
        case wrongFieldCount(found: Int)
        /// An `@name` that is not one of `@hourly @daily @midnight @weekly @monthly @yearly @annually`,
        /// or a month or weekday name that does not exist.
        case unknownName(String)
        /// An `@name` followed by more text.
        case nameStandsAlone(String)
        /// A number outside the field's range (kept as written, so huge numbers show as typed).
        case outOfRange(String, ClosedRange<Int>)
        /// Text that is neither a number nor a name this field accepts.
        case notAValue(String)
        /// A place where a number (or name) was expected but none was written: `1,`, `-5`, `/2`.
        case missingValue
        /// A range whose end comes before its start, as written: `5-1`, `FRI-MON`.
        case backwardsRange(String)
        /// A step of 0.
        case zeroStep
        /// A step that is not a plain number.
        case invalidStep(String)
        /// A character with no meaning at that place.
        case unexpectedCharacter(Character)
    }

    /// The field the problem is in; nil for problems with the expression as a whole.
    public let field: CronExpression.Field?
    /// 1-based position, in characters, of the offending text within the input.
    public let position: Int
    public let problem: Problem

    public init(field: CronExpression.Field?, position: Int, problem: Problem) {
        self.field = field
        self.position = position
        self.problem = problem
    }

    /// The problem in words, without field or position.
    public var reason: String {
        switch problem {
        case .wrongFieldCount(let found):
            return "expected 5 fields, found \(found)"
        case .unknownName(let name):
            return "unknown name '\(name)'"
        case .nameStandsAlone(let name):
            return "'\(name)' stands alone: nothing may follow it"
        case .outOfRange(let value, let range):
            return "\(value) is out of range \(range.lowerBound)–\(range.upperBound)"
        case .notAValue(let text):
            switch field {
            case .month: return "'\(text)' is not a number or month name (JAN–DEC)"
            case .dayOfWeek: return "'\(text)' is not a number or weekday name (SUN–SAT)"
            default: return "'\(text)' is not a number"
            }
        case .missingValue:
            switch field {
            case .month, .dayOfWeek: return "expected a number or name"
            default: return "expected a number"
            }
        case .backwardsRange(let text):
            return "range \(text) runs backwards"
        case .zeroStep:
            return "step must be at least 1"
        case .invalidStep(let text):
            return "'\(text)' is not a valid step"
        case .unexpectedCharacter(let character):
            return "unexpected character '\(character)'"
        }
    }

    public var description: String {
        guard let field else { return reason }
        return "\(field): \(reason) (position \(position))"
    }

    public var errorDescription: String? { description }
}
