import StewardCore

extension Array where Element == UInt8 {
    /// Appends `value` in decimal (``DecimalDigits``), for the JSON the store writes by the
    /// ten thousand: id lists and run records.
    mutating func appendDecimal(_ value: Int64) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: DecimalDigits.maxCount) { digits in
            append(contentsOf: digits[..<DecimalDigits.write(value, into: digits, at: 0)])
        }
    }
}
