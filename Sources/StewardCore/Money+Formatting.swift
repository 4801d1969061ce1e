/// Rendering amounts the way Chinese finance offices print them: `¥1,234.56`, `-¥1,234.56`.
extension Money: CustomStringConvertible, LosslessStringConvertible {
    /// `¥1,234.56`; negative amounts as `-¥1,234.56`.
    public var description: String {
        formatted()
    }

    /// Parses what `description` prints (and the other forms `Money.parse` accepts).
    public init?(_ description: String) {
        guard let money = try? Money.parse(description) else { return nil }
        self = money
    }

    /// The amount as text.
    /// - Parameters:
    ///   - currencySymbol: prefix `¥` (after the minus sign). CSV exports usually leave it out.
    ///   - grouping: insert `,` every three integer digits.
    /// - Returns: always two decimals, e.g. `1234.50`, `¥1,234.50`, `-¥0.05`.
    public func formatted(currencySymbol: Bool = true, grouping: Bool = true) -> String {
        // Work on the magnitude as UInt64 so Int64.min fen formats instead of trapping.
        let magnitude = fen.magnitude
        let whole = String(magnitude / 100)
        let cents = magnitude % 100
        var integerPart = ""
        if grouping {
            for (offset, character) in whole.enumerated() {
                if offset > 0 && (whole.count - offset) % 3 == 0 { integerPart.append(",") }
                integerPart.append(character)
            }
        } else {
            integerPart = whole
        }
        let fraction = cents < 10 ? "0\(cents)" : "\(cents)"
        return (fen < 0 ? "-" : "") + (currencySymbol ? "¥" : "") + integerPart + "." + fraction
    }

    /// The amount as a plain decimal number of yuan, `1234.56` or `-0.05`: what CSV files and
    /// spreadsheets expect.
    public var plainYuan: String {
        formatted(currencySymbol: false, grouping: false)
    }
}
