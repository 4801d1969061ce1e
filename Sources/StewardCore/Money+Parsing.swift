/// Parsing amounts of money as administrators and spreadsheets write them.
///
/// Accepted: an optional sign (`-` or `+`, before or after the currency sign), an optional
/// `¥` or full-width `￥`, digits with optional thousands separators in groups of exactly
/// three, and at most two decimals: `1234.56`, `¥1,234.56`, `1234`, `-12.5`, `-¥1,234.56`.
/// Full-width digits, comma and point (`１２３．４５`, typed by Chinese input methods) are read
/// as their ASCII forms. Surrounding whitespace is ignored.
///
/// Rejected, each with its own `MoneyError`: `12.345` (fen precision only), `1,23`
/// (grouping), `abc`, `12.`, `.5`, empty text, and anything beyond `Int64` fen. A bare `.5`
/// or `12.` is refused rather than guessed at, because a truncated cell is more likely a
/// data-entry error than an intended amount.
extension Money {
    /// Parses `text` exactly; see the extension's documentation for the accepted forms.
    public init(parsing text: String) throws(MoneyError) {
        self = try Money.parse(text)
    }

    /// Parses `text` exactly; see the extension's documentation for the accepted forms.
    public static func parse(_ text: String) throws(MoneyError) -> Money {
        let trimmed = text.trimmingWhitespace()
        guard !trimmed.isEmpty else { throw .empty }

        var characters = Substring(trimmed)
        var negative = false
        var sawSign = false
        var sawCurrency = false
        // Sign and currency sign may come in either order (`-¥5`, `¥-5`), each at most once.
        while let first = characters.first {
            if (first == "-" || first == "+" || first == "−") && !sawSign {
                negative = first != "+"
                sawSign = true
            } else if (first == "¥" || first == "￥") && !sawCurrency {
                sawCurrency = true
            } else if first.isWhitespace && (sawSign || sawCurrency) {
                // `¥ 1,234.56`: spreadsheets and hand-typed cells put a space after the sign.
            } else {
                break
            }
            characters = characters.dropFirst()
        }

        var integerDigits: [UInt8] = []
        var fractionDigits: [UInt8] = []
        var groups: [Int] = []          // lengths of digit runs separated by commas
        var currentRun = 0
        var inFraction = false
        var sawPoint = false
        for character in characters {
            let normalised = Money.asciiForm(of: character)
            if let digit = normalised.wholeNumberValue, normalised.isASCII {
                if inFraction {
                    fractionDigits.append(UInt8(digit))
                } else {
                    integerDigits.append(UInt8(digit))
                    currentRun += 1
                }
            } else if normalised == "," && !inFraction {
                groups.append(currentRun)
                currentRun = 0
            } else if normalised == "." && !sawPoint {
                sawPoint = true
                inFraction = true
            } else {
                throw .notANumber(text)
            }
        }
        groups.append(currentRun)

        guard !integerDigits.isEmpty else { throw .notANumber(text) }
        if sawPoint && fractionDigits.isEmpty { throw .notANumber(text) }
        if groups.count > 1 {
            // First group 1–3 digits, every later group exactly 3: 1,234,567.
            let first = groups[0]
            guard (1...3).contains(first), groups.dropFirst().allSatisfy({ $0 == 3 }) else {
                throw .misplacedGrouping(text)
            }
        }
        guard fractionDigits.count <= 2 else { throw .tooManyDecimals(text) }
        while fractionDigits.count < 2 { fractionDigits.append(0) }

        // Accumulate as a magnitude in UInt64 so that Int64.min fen (-¥92,233,720,368,547,758.08)
        // is representable, then apply the sign.
        var magnitude: UInt64 = 0
        for digit in integerDigits + fractionDigits {
            let (times10, o1) = magnitude.multipliedReportingOverflow(by: 10)
            let (next, o2) = times10.addingReportingOverflow(UInt64(digit))
            if o1 || o2 { throw .outOfRange(text) }
            magnitude = next
        }
        let limit = negative ? UInt64(Int64.max) + 1 : UInt64(Int64.max)
        guard magnitude <= limit else { throw .outOfRange(text) }
        if negative {
            return Money(fen: magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(magnitude))
        }
        return Money(fen: Int64(magnitude))
    }

    /// Maps full-width digits and punctuation (U+FF10–U+FF19, `，`, `．`) to ASCII.
    private static func asciiForm(of character: Character) -> Character {
        guard let scalar = character.unicodeScalars.first, character.unicodeScalars.count == 1 else {
            return character
        }
        switch scalar.value {
        case 0xFF10...0xFF19:
            return Character(Unicode.Scalar(scalar.value - 0xFF10 + 0x30)!)
        case 0xFF0C: return ","
        case 0xFF0E: return "."
        default: return character
        }
    }
}

extension String {
    /// Whether the string is empty or whitespace only (the ideographic space included). One
    /// that starts with anything but whitespace (every proposed key, a reminder's Chinese
    /// text) is decided at its first scalar, without the trimmed copy
    /// ``trimmingWhitespace()`` may make.
    var isBlank: Bool {
        // A string whose first scalar is not whitespace has a first Character that is not
        // (a Character is whitespace by its first scalar), so it is not blank: decided without
        // trimming, which made a Character-by-Character copy of every reminder's Chinese text.
        if let byte = utf8.first, (0x21...0x7E).contains(byte) { return false }
        // A first scalar led by C3–DF, E4–EF or F0–F4 lies in U+00C0–U+07FF, U+4000–U+FFFF or
        // above U+FFFF, where Unicode has no whitespace (its whitespace above ASCII is U+0085,
        // U+00A0, U+1680, U+2000–U+200A, U+2028, U+2029, U+202F, U+205F and U+3000): a
        // Chinese text is decided on its first byte, without looking up the scalar's
        // properties (360 instructions per reminder text).
        if let byte = utf8.first, (0xC3...0xDF).contains(byte) || (0xE4...0xF4).contains(byte) { return false }
        guard let first = unicodeScalars.first else { return true }
        if !first.properties.isWhitespace { return false }
        return trimmingWhitespace().isEmpty
    }

    /// The string without leading and trailing whitespace (including the ideographic space).
    func trimmingWhitespace() -> String {
        // Fast path for the usual case (a stored date, number or code): both ends are visible
        // ASCII, so there is nothing to trim and no need for Unicode's whitespace property.
        let bytes = utf8
        if let first = bytes.first, let last = bytes.last, (0x21...0x7E).contains(first), (0x21...0x7E).contains(last) {
            return self
        }
        var view = Substring(self)
        while let first = view.first, first.isWhitespace { view = view.dropFirst() }
        while let last = view.last, last.isWhitespace { view = view.dropLast() }
        return String(view)
    }
}
