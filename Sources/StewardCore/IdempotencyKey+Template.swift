extension IdempotencyKey {
    /// Keys that differ only in one member's part, composed as ``IdempotencyKey/compose(_:)``
    /// would compose them: `head | m<id> | tail`.
    ///
    /// A subsidy run proposes tens of thousands of keys such as
    /// `grant|disability-subsidies-2025|disability-living-subsidy|m17|2025-06|living`, where
    /// only `m17` changes. The fixed parts are escaped and joined once; each key is then one
    /// allocation and two copies, with the member's digits written in place.
    ///
    /// ```swift
    /// let template = IdempotencyKey.Template(head: ["grant", "relief-2025"], tail: ["2025-06"])
    /// template.key(member: 17)   // "grant|relief-2025|m17|2025-06"
    /// ```
    public struct Template: Sendable {
        /// The escaped head parts joined by `|`, and one `|` after them.
        private let prefix: [UInt8]
        /// One `|`, and the escaped tail parts joined by `|` (empty without tail parts).
        private let suffix: [UInt8]

        public init(head: [String], tail: [String]) {
            // Composing with an empty middle part and cutting the text around it escapes and
            // joins exactly as `compose` does, with no second copy of its rules.
            let marker = head.count
            var whole = Array(IdempotencyKey.compose(head + [""] + tail).utf8)
            var before = 0, parts = 0
            while parts < marker {
                if whole[before] == UInt8(ascii: "|") { parts += 1 }
                before += 1
            }
            prefix = Array(whole[..<before])
            whole.removeFirst(before)
            suffix = whole
        }

        /// The key with `m<id>` between the head and the tail.
        public func key(member id: Int64) -> String {
            // Raw copies: `initialize(from:)` over a buffer stepped byte by byte.
            String(unsafeUninitializedCapacity: prefix.count + 1 + DecimalDigits.maxCount + suffix.count) { buffer in
                let base = UnsafeMutableRawPointer(buffer.baseAddress!)
                prefix.withUnsafeBytes { base.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
                buffer[prefix.count] = UInt8(ascii: "m")
                let at = DecimalDigits.write(id, into: buffer, at: prefix.count + 1)
                suffix.withUnsafeBytes { if let source = $0.baseAddress { (base + at).copyMemory(from: source, byteCount: $0.count) } }
                return at + suffix.count
            }
        }
    }
}
