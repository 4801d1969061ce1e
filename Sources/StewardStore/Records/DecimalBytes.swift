extension Array where Element == UInt8 {
    /// Appends `value` in decimal, highest digit first (`-3`, `0`, `999999`). For the JSON
    /// the store writes by the ten thousand (id lists, run records), where `String(value)`
    /// and a walk over its UTF-8 view cost several times as much.
    mutating func appendDecimal(_ value: Int64) {
        if value < 0 { append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        var unit: UInt64 = 1
        while magnitude / unit >= 10 { unit *= 10 }
        repeat {
            append(UInt8(ascii: "0") + UInt8(magnitude / unit))
            magnitude %= unit
            unit /= 10
        } while unit > 0
    }
}
