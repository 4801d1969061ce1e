/// Why a share-out cannot be made.
public enum AllocationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The total to share is negative.
    case negativeTotal(Int64)
    /// A priority request asks for a negative amount.
    case negativeRequest(key: String, amount: Int64)
    /// A weight is negative; `key` names it.
    case negativeWeight(key: String, weight: Int64)
    /// No key has a positive weight, so there is nothing to share in proportion to.
    case allWeightsZero
    /// The same key appears twice.
    case duplicateKey(String)
    /// A floor or cap is negative, or a cap is below the key's floor.
    case invalidBounds(key: String, floor: Int64, cap: Int64?)
    /// The floors alone add up to more than the total.
    case floorsExceedTotal(floors: Int64, total: Int64)
    /// The caps (plus the floors of zero-weight keys) add up to less than the total, so some
    /// of it could not be placed.
    case capsBelowTotal(capacity: Int64, total: Int64)
    /// The weights add up to more than `Int64.max`.
    case weightsTooLarge
    /// A tier table's bounds are inverted or its amounts overflow.
    case invalidTier(String)

    public var description: String {
        switch self {
        case .negativeTotal(let total):
            return "Cannot share out a negative total (\(total))."
        case .negativeRequest(let key, let amount):
            return "'\(key)' asks for \(amount); a request must not be negative."
        case .negativeWeight(let key, let weight):
            return "The weight of '\(key)' is \(weight); weights must not be negative."
        case .allWeightsZero:
            return "Every weight is zero (or there are no keys), so the total cannot be shared in proportion."
        case .duplicateKey(let key):
            return "'\(key)' appears more than once in the share-out."
        case .invalidBounds(let key, let floor, let cap):
            return "'\(key)' has floor \(floor) and cap \(cap.map(String.init) ?? "none"); floors and caps must not be negative and a cap must not be below the floor."
        case .floorsExceedTotal(let floors, let total):
            return "The floors add up to \(floors), more than the total \(total) to share."
        case .capsBelowTotal(let capacity, let total):
            return "The caps allow at most \(capacity) in all, less than the total \(total) to share."
        case .weightsTooLarge:
            return "The weights add up to more than 9,223,372,036,854,775,807."
        case .invalidTier(let message):
            return message
        }
    }
}
