import Foundation
import Testing
@testable import StewardCore
import TestRandom

/// `IdentityNumber`, `PhoneNumber` and `CivilDate(parsing:)` check text already in stored form
/// on its bytes (every member read back from the store) and send anything else down their
/// general path. The fast path must be invisible: for any text, the same value or the same
/// error as the general path alone. Inputs are valid stored forms and near-misses of them
/// (one byte changed, dropped or added, a lower-case x, whitespace, the other date form).
@Suite("Properties: the stored-form fast paths agree with the general paths")
struct NormalisedFastPathTests {
    /// `text` with one random edit that keeps it close to a valid form.
    static func nearMiss(_ text: String, _ random: inout SplitMix64) -> String {
        var bytes = Array(text.utf8)
        let alphabet = Array("0123456789Xx- +()8a".utf8)
        switch random.int(0...6) {
        case 0: bytes[random.int(0...(bytes.count - 1))] = random.pick(alphabet)
        case 1: bytes.remove(at: random.int(0...(bytes.count - 1)))
        case 2: bytes.insert(random.pick(alphabet), at: random.int(0...bytes.count))
        case 3: bytes.swapAt(random.int(0...(bytes.count - 1)), random.int(0...(bytes.count - 1)))
        case 4: return random.pick([" ", "\t", "\u{3000}"]) + text
        case 5: return text.lowercased()
        default: return text + random.pick([" ", "\n", "0"])
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func randomDate(_ random: inout SplitMix64) -> (year: Int, month: Int, day: Int) {
        // Days 0–32 and months 0–13 so that invalid days are common; years near the ends too.
        (random.pick([0, 1, 999, 1000, 1900, 2000, 2024, 2025, 9999, random.int(1...9999)]), random.int(0...13), random.int(0...32))
    }

    static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    @Test("identity numbers: the same value or the same error as the general path")
    func identityNumbers() {
        for seed in Fuzz.seeds(base: 0x1D_0000, short: 3000, long: 100_000) {
            var random = SplitMix64(seed: seed)
            let (year, month, day) = Self.randomDate(&random)
            let first17 = Self.pad(random.int(0...999_999), 6) + Self.pad(year, 4) + Self.pad(month, 2) + Self.pad(day, 2)
                + Self.pad(random.int(0...999), 3)
            let valid = first17 + String(IdentityNumber.checkCharacter(forFirst17: first17.utf8.map { Int($0 - 0x30) }))
            let text = random.chance(50) ? valid : Self.nearMiss(valid, &random)
            let fast = Result { () throws(IdentityNumberError) in try IdentityNumber(text).value }
            let general = Result { () throws(IdentityNumberError) in try IdentityNumber.normalise(text) }
            #expect(fast == general, "\(Fuzz.name(seed)): '\(text)'")
            #expect(IdentityNumber.isValidNormalised(text) == ((try? general.get()) == text), "\(Fuzz.name(seed)): '\(text)'")
        }
    }

    @Test("phone numbers: the same value or the same error as the general path")
    func phoneNumbers() {
        for seed in Fuzz.seeds(base: 0x9E_0000, short: 3000, long: 100_000) {
            var random = SplitMix64(seed: seed)
            let stored: String
            switch random.int(0...2) {
            case 0: stored = "1" + String(random.int(0...9)) + Self.pad(random.int(0...999_999_999), 9)
            case 1: stored = random.pick(PhoneNumber.threeDigitAreaCodes) + "-" + Self.pad(random.int(0...99_999_999), random.int(7...8))
            default: stored = "0" + Self.pad(random.int(0...999), 3) + "-" + Self.pad(random.int(0...99_999_999), random.int(6...9))
            }
            let text = random.chance(50) ? stored : Self.nearMiss(stored, &random)
            let fast = Result { () throws(PhoneNumberError) in try PhoneNumber(text).value }
            let general = Result { () throws(PhoneNumberError) in try PhoneNumber.normalise(text) }
            #expect(fast == general, "\(Fuzz.name(seed)): '\(text)'")
        }
    }

    @Test("dates: the same date or the same error as the general path")
    func dates() {
        for seed in Fuzz.seeds(base: 0xDA_0000, short: 3000, long: 100_000) {
            var random = SplitMix64(seed: seed)
            let (year, month, day) = Self.randomDate(&random)
            let iso = Self.pad(year, 4) + "-" + Self.pad(month, 2) + "-" + Self.pad(day, 2)
            let text = random.chance(50) ? iso : Self.nearMiss(iso, &random)
            let fast = Result { () throws(CivilDateError) in try CivilDate(parsing: text) }
            let general = Result { () throws(CivilDateError) in try CivilDate.parseGeneral(text) }
            #expect(fast == general, "\(Fuzz.name(seed)): '\(text)'")
        }
    }

    @Test("the fast paths take stored forms and only those")
    func fastPathsTakeStoredForms() throws {
        #expect(IdentityNumber.isValidNormalised("11010519491231002X"))
        #expect(!IdentityNumber.isValidNormalised("11010519491231002x"))      // valid, but not stored form
        #expect(!IdentityNumber.isValidNormalised("110105194912310021"))      // wrong check character
        #expect(!IdentityNumber.isValidNormalised("11010520250229002X"))      // 2025-02-29
        #expect(try IdentityNumber("11010519491231002x").value == "11010519491231002X")
        let stored: [String] = ["13812341234", "010-12345678", "021-1234567", "0519-82812345", "0519-8281234"]
        for text in stored {
            #expect(text.utf8.withContiguousStorageIfAvailable(PhoneNumber.isNormalised) == true, "\(text)")
        }
        let other: [String] = ["+86 138 1234 1234", "12812341234", "0519-828123", "0519 82812345", "0101-2345678", "051-982812345"]
        for text in other {
            #expect(text.utf8.withContiguousStorageIfAvailable(PhoneNumber.isNormalised) == false, "\(text)")
        }
        // Fields are read whatever the day; whether it exists is the initialiser's question.
        let fields = "2025-02-29".utf8.withContiguousStorageIfAvailable(CivilDate.exactISOFields)
        #expect(fields??.0 == 2025 && fields??.1 == 2 && fields??.2 == 29)
        let compact = "20250301".utf8.withContiguousStorageIfAvailable(CivilDate.exactISOFields)
        #expect(compact != nil && compact! == nil)
        #expect(throws: CivilDateError.invalidDate(year: 2025, month: 2, day: 29)) { try CivilDate(parsing: "2025-02-29") }
    }
}
