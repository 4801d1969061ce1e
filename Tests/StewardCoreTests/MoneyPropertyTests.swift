import Foundation
import Testing
@testable import StewardCore
import TestRandom

/// Generated amounts: every way `Money` prints an amount parses back to the same fen, so do
/// the forms people type (full-width digits from Chinese input methods, `￥`, a space after
/// the sign, `−`), and near-misses are refused with the error that names what is wrong.
@Suite("Properties: money formatting and parsing round-trip")
struct MoneyPropertyTests {
    /// A random amount of fen, weighted towards the places formatting can go wrong: zero,
    /// single fen, grouping boundaries (999 → 1,000), and the ends of Int64.
    static func randomFen(_ random: inout SplitMix64) -> Int64 {
        let magnitude: Int64
        switch random.int(0...9) {
        case 0: magnitude = random.int64(0...99)
        case 1: magnitude = random.int64(0...100_000)
        case 2:
            // Just below or above a power of ten, in yuan (fen × 100).
            let power = random.int(2...18)
            var p: Int64 = 1
            for _ in 0..<power { p *= 10 }
            magnitude = p + random.int64(-2...2)
        case 3: return random.pick([Int64.min, Int64.min + 1, Int64.max, Int64.max - 1, 0, 1, -1, 100, -100])
        case 4: magnitude = random.int64(0...Int64.max)
        default: magnitude = random.int64(0...10_000_000_000)
        }
        return random.chance(40) ? -magnitude : magnitude
    }

    /// Full-width digits, comma and point, as a Chinese input method types them.
    static func fullWidth(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { scalar -> Unicode.Scalar in
            switch scalar {
            case "0"..."9": return Unicode.Scalar(scalar.value - 0x30 + 0xFF10)!
            case ",": return "，"
            case ".": return "．"
            case "¥": return "￥"
            default: return scalar
            }
        }))
    }

    /// The accepted ways of writing `money`, derived from its printed forms.
    static func acceptedForms(_ money: Money, _ random: inout SplitMix64) -> [String] {
        let grouped = money.formatted()                                            // -¥1,234.50
        let plain = money.plainYuan                                                // -1234.50
        let bare = money.formatted(currencySymbol: false)                          // -1,234.50
        let symbolOnly = money.formatted(grouping: false)                          // -¥1234.50
        var forms = [grouped, plain, bare, symbolOnly, money.description, fullWidth(grouped), fullWidth(plain)]
        let negative = money.isNegative
        let unsigned = negative ? String(grouped.dropFirst()) : grouped            // ¥1,234.50
        let digits = String(unsigned.dropFirst())                                  // 1,234.50
        if negative {
            forms.append("¥-" + digits)                                            // sign after the currency sign
            forms.append("−¥" + digits)                                            // U+2212 minus
            forms.append("- ¥ " + digits)
        } else {
            forms.append("+" + unsigned)
            forms.append("¥ " + digits)
        }
        // Fewer decimals when the fen allow it: 1234.5, 1234.
        if money.fen % 10 == 0 { forms.append(String(plain.dropLast())) }
        if money.fen % 100 == 0 { forms.append(String(plain.dropLast(3))) }
        // Surrounding whitespace, including the ideographic space.
        let pad = random.pick([" ", "\t", "\u{3000}", "\n", "  \u{3000}"])
        forms.append(pad + random.pick(forms) + pad)
        return forms
    }

    @Test("format → parse gives the same fen, for every printed and typed form")
    func formatThenParse() {
        for seed in Fuzz.seeds(base: 0x30E7_0000, short: 2000, long: 50_000) {
            var random = SplitMix64(seed: seed)
            let money = Money(fen: Self.randomFen(&random))
            for form in Self.acceptedForms(money, &random) {
                do {
                    let parsed = try Money.parse(form)
                    #expect(parsed == money, "\(Fuzz.name(seed)): '\(form)' parsed as \(parsed.fen) fen, not \(money.fen)")
                } catch {
                    Issue.record("\(Fuzz.name(seed)): '\(form)' (\(money.fen) fen) was refused: \(error)")
                }
            }
            #expect(Money(money.description) == money, "\(Fuzz.name(seed)): LosslessStringConvertible, \(money.fen) fen")
            // JSON carries the bare fen.
            let json = try? JSONEncoder().encode(money)
            #expect(json.flatMap { try? JSONDecoder().decode(Money.self, from: $0) } == money, "\(Fuzz.name(seed)): JSON")
        }
    }

    @Test("printed forms are canonical: two decimals, groups of three, the sign first")
    func printedShape() {
        for seed in Fuzz.seeds(base: 0x30E7_1000, short: 2000, long: 50_000) {
            var random = SplitMix64(seed: seed)
            let fen = Self.randomFen(&random)
            let text = Money(fen: fen).formatted()
            let unsigned = fen < 0 ? text.dropFirst() : Substring(text)
            #expect(text.hasPrefix("-") == (fen < 0), "\(Fuzz.name(seed)): \(text)")
            #expect(unsigned.hasPrefix("¥"), "\(Fuzz.name(seed)): \(text)")
            let number = unsigned.dropFirst()
            let parts = number.split(separator: ".", omittingEmptySubsequences: false)
            #expect(parts.count == 2 && parts[1].count == 2, "\(Fuzz.name(seed)): \(text)")
            let groups = parts[0].split(separator: ",", omittingEmptySubsequences: false)
            #expect((1...3).contains(groups[0].count) && groups.dropFirst().allSatisfy { $0.count == 3 },
                    "\(Fuzz.name(seed)): \(text)")
            #expect(!(groups[0].count > 1 && groups[0].hasPrefix("0")), "\(Fuzz.name(seed)): leading zero in \(text)")
            // The digits are the magnitude, exactly.
            let digits = String(number.filter(\.isNumber))
            #expect(digits == String(fen.magnitude / 100) + String(format: "%02d", Int(fen.magnitude % 100)),
                    "\(Fuzz.name(seed)): \(text)")
        }
    }

    /// A near-miss of a valid form and the error it must get.
    static func nearMiss(_ money: Money, _ random: inout SplitMix64) -> (text: String, expected: MoneyError) {
        let plain = money.formatted(currencySymbol: false, grouping: false)
        let grouped = money.formatted(currencySymbol: false)
        switch random.int(0...6) {
        case 0:
            let text = plain + String(random.int(0...9))                           // a third decimal
            return (text, .tooManyDecimals(text))
        case 1:
            let text = String(plain.dropLast(3)) + "."                             // `12.`
            return (text, .notANumber(text))
        case 2:
            let text = plain + random.pick(["a", "元", "$", "e3", "..", " 5", "%"])
            return (text, .notANumber(text))
        case 3:
            // A separator after the first digit of five or more: `1,2345`.
            let whole = String(money.fen.magnitude / 100)
            guard whole.count >= 5 else { return ("", .empty) }
            var chars = Array(whole)
            chars.insert(",", at: 1)
            let text = (money.isNegative ? "-" : "") + String(chars)
            return (text, .misplacedGrouping(text))
        case 4:
            // One fen beyond Int64, written out.
            let text = money.isNegative ? "-92233720368547758.09" : "92233720368547758.08"
            return (text, .outOfRange(text))
        case 5:
            let text = random.pick(["", " ", "\u{3000}", "\t\n"])
            return (text, .empty)
        default:
            let text = random.pick(["--", "++", "¥¥", "-+"]) + grouped.trimmingCharacters(in: CharacterSet(charactersIn: "-"))
            return (text, .notANumber(text))
        }
    }

    @Test("near-misses are refused with the error that names the mistake")
    func nearMissesAreRefused() {
        for seed in Fuzz.seeds(base: 0x30E7_2000, short: 2000, long: 50_000) {
            var random = SplitMix64(seed: seed)
            let money = Money(fen: Self.randomFen(&random))
            let (text, expected) = Self.nearMiss(money, &random)
            do {
                let parsed = try Money.parse(text)
                Issue.record("\(Fuzz.name(seed)): '\(text)' parsed as \(parsed.fen) fen, expected \(expected)")
            } catch {
                #expect(error == expected, "\(Fuzz.name(seed)): '\(text)'")
                #expect(error.description.contains("'\(text)'") || expected == .empty, "\(Fuzz.name(seed)): \(error)")
            }
        }
    }

    @Test("random text never crashes the parser: a value or a MoneyError")
    func randomTextNeverCrashes() {
        let alphabet: [Character] = Array("0123456789,.-+¥￥−０１９，． \t\u{3000}e元a") + ["\u{301}", "\u{0}", "\u{FEFF}", "٣"]
        for seed in Fuzz.seeds(base: 0x30E7_3000, short: 5000, long: 100_000) {
            var random = SplitMix64(seed: seed)
            let text = String((0..<random.int(0...30)).map { _ in random.pick(alphabet) })
            do {
                let money = try Money.parse(text)
                // Whatever was accepted must print and parse back to itself.
                #expect(try Money.parse(money.formatted()) == money, "\(Fuzz.name(seed)): '\(text)'")
            } catch {
                #expect(!error.description.isEmpty, "\(Fuzz.name(seed)): '\(text)'")
            }
        }
    }
}
