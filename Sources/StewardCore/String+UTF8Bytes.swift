extension String {
    /// Calls `body` with the string's UTF-8 bytes, whatever its size.
    ///
    /// `utf8.withContiguousStorageIfAvailable` gives nil for a small string (15 bytes or
    /// fewer, kept inline: a date, a phone number, most codes), so a fast path written with it
    /// alone never ran for exactly the values it was meant for. A small string is then read
    /// through `withUTF8` on a copy (its inline bytes: no reference to count); a larger one
    /// keeps the direct path, as copying it would retain and release its storage on every
    /// call (10 M instructions of a 26,707-grant run).
    func withUTF8Bytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        if let result = try utf8.withContiguousStorageIfAvailable(body) { return result }
        var copy = self
        return try copy.withUTF8(body)
    }
}
