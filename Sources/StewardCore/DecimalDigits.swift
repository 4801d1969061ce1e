/// Decimal digits of an integer written straight into bytes, for text made by the ten thousand
/// (keys, id lists, run records), where `String(value)` and a walk over its UTF-8 view cost
/// several times as much.
public enum DecimalDigits {
    /// The most bytes ``write(_:into:at:)`` writes: `-9223372036854775808`.
    public static let maxCount = 20

    /// Writes `value` in decimal (`-3`, `0`, `999999`) into `buffer` from index `start`, which
    /// must leave room for ``maxCount`` bytes; returns the index after the last digit.
    ///
    /// `DecimalDigits.write(17, into: buffer, at: 1)` writes `1` and `7` at 1 and 2, and returns 3.
    @inlinable
    public static func write(_ value: Int64, into buffer: UnsafeMutableBufferPointer<UInt8>, at start: Int) -> Int {
        var at = start
        if value < 0 {
            buffer[at] = UInt8(ascii: "-")
            at += 1
        }
        var magnitude = value.magnitude
        var unit: UInt64 = 1
        while magnitude / unit >= 10 { unit *= 10 }
        repeat {
            buffer[at] = UInt8(ascii: "0") + UInt8(magnitude / unit)
            at += 1
            magnitude %= unit
            unit /= 10
        } while unit > 0
        return at
    }
}
