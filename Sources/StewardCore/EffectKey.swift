import Foundation

/// The families of keyed effects. Keys are unique within a family, not across families, so a
/// ledger key and a reminder key may coincide harmlessly.
public enum EffectKeyNamespace: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    /// Ledger entries' idempotency keys.
    case ledger
    /// Quota bookings' idempotency keys.
    case quotaBooking = "quota_booking"
    /// Reminders' deduplication keys.
    case reminder
    /// Enrolments' idempotency keys.
    case enrolment
    /// Waitlist entries: one waiting entry per member, programme and facility.
    case waitlist

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The case's position, 0 to 4: for hashing, and for tables kept per namespace in an
    /// array rather than a dictionary keyed by it.
    public var ordinal: Int {
        switch self {
        case .ledger: 0
        case .quotaBooking: 1
        case .reminder: 2
        case .enrolment: 3
        case .waitlist: 4
        }
    }

    /// Hashes the case, not its raw-value string (RawRepresentable's default): every key a
    /// run proposes is hashed, and its namespace is one of five.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(UInt8(ordinal))
    }
}

/// A key that makes an effect apply at most once: re-running a month, or catching up a missed
/// slot, proposes the same keys, and the store applies each only once.
public struct EffectKey: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    public var namespace: EffectKeyNamespace
    public var value: String

    public init(_ namespace: EffectKeyNamespace, _ value: String) {
        self.namespace = namespace
        self.value = value
    }

    public static func < (lhs: EffectKey, rhs: EffectKey) -> Bool {
        (lhs.namespace, lhs.value) < (rhs.namespace, rhs.value)
    }

    /// Hashes the key's ``byteHash``, 8 bytes, rather than its 70-byte text: `Hasher` costs
    /// about 6 instructions a byte, and a commit puts every key of its change set in a set
    /// (16 M instructions for 26,707 grants).
    public func hash(into hasher: inout Hasher) {
        hasher.combine(byteHash)
    }

    /// ``ByteHash`` of the value, seeded by the namespace: equal keys hash alike, and keys of
    /// one namespace and length that differ in one 8-byte word never collide.
    var byteHash: UInt64 {
        value.withUTF8Bytes { ByteHash.hash($0, seed: UInt64(namespace.ordinal + 1)) }
    }

    /// `ledger key 'dream-scholarship|17|2025|tuition'`.
    public var description: String {
        "\(namespace.rawValue.replacingOccurrences(of: "_", with: " ")) key '\(value)'"
    }
}

/// Building idempotency keys from their parts in one agreed form, so that a script and the
/// store (or two scripts) that mean the same payment produce the same key.
public enum IdempotencyKey {
    /// The parts joined by `|`, with `%` and `|` inside a part escaped as `%25` and `%7C` so
    /// that different part lists never produce the same key.
    /// `compose(["dream-scholarship", "17", "2025", "tuition"]) == "dream-scholarship|17|2025|tuition"`.
    public static func compose(_ parts: [String]) -> String {
        // Once per proposed effect. When no part holds a `%` or `|` (nearly always), the
        // parts are checked and copied straight into the new String's storage in one pass:
        // one allocation, one copy. (`String.append` per part cost three times as much,
        // re-checking capacity and encoding each time; Foundation's replacingOccurrences was
        // a fifth of a 1M-member run; scanning the parts through `String.UTF8View` first cost
        // as much as the rest, as a small string has no contiguous storage to scan.) `%` and
        // `|` are ASCII, so escaping them byte by byte leaves every other character's UTF-8
        // intact.
        var total = max(0, parts.count - 1)
        for part in parts { total += part.utf8.count }
        var plain = true
        let key = String(unsafeUninitializedCapacity: total) { buffer in
            var at = 0
            for index in parts.indices {
                if index > 0 { buffer[at] = UInt8(ascii: "|"); at += 1 }
                plain = parts[index].withUTF8Bytes { bytes in
                    guard let base = bytes.baseAddress, !bytes.isEmpty else { return true }
                    // memchr: a byte loop cost 14 instructions a byte, 2 % of a subsidy run.
                    if memchr(base, Int32(UInt8(ascii: "%")), bytes.count) != nil
                        || memchr(base, Int32(UInt8(ascii: "|")), bytes.count) != nil { return false }
                    UnsafeMutableRawPointer(buffer.baseAddress! + at).copyMemory(from: base, byteCount: bytes.count)
                    at += bytes.count
                    return true
                }
                if !plain { return 0 }
            }
            return at
        }
        return plain ? key : parts.map(escaped).joined(separator: "|")
    }

    /// `part` with `%` and `|` written `%25` and `%7C`. Both are ASCII, so escaping them byte
    /// by byte leaves every other character's UTF-8 intact.
    private static func escaped(_ part: String) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(part.utf8.count + 8)
        for byte in part.utf8 {
            switch byte {
            case UInt8(ascii: "%"): bytes.append(contentsOf: [UInt8(ascii: "%"), UInt8(ascii: "2"), UInt8(ascii: "5")])
            case UInt8(ascii: "|"): bytes.append(contentsOf: [UInt8(ascii: "%"), UInt8(ascii: "7"), UInt8(ascii: "C")])
            default: bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The conventional key of a payment: programme, member, period and benefit kind.
    public static func payment(programme: String, member: MemberID, period: Period, kind: String) -> String {
        compose([programme, String(member), period.description, kind])
    }
}
