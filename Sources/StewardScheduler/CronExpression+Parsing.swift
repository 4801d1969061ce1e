extension CronExpression {
    /// The named expressions and the five fields each stands for.
    static let names: [String: String] = [
        "@hourly": "0 * * * *",
        "@daily": "0 0 * * *",
        "@midnight": "0 0 * * *",
        "@weekly": "0 0 * * 0",
        "@monthly": "0 0 1 * *",
        "@yearly": "0 0 1 1 *",
        "@annually": "0 0 1 1 *",
    ]

    private static let monthNames = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                     "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
    private static let weekdayNames = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]

    /// Parses a cron expression.
    ///
    /// Five whitespace-separated fields — minute (0–59), hour (0–23), day of month (1–31),
    /// month (1–12 or JAN–DEC), day of week (0–7 or SUN–SAT, 0 and 7 both Sunday) — each a
    /// comma-separated list of items. An item is `*`, a value `5`, a range `1-10`, or any of
    /// those with a step: `*/15`, `1-10/2`, and `5/15` meaning `5-<field maximum>/15`. Names are
    /// case-insensitive; `SUN` at the end of a range means 7, so `MON-SUN` is the whole week.
    /// Alternatively one of `@hourly @daily @midnight @weekly @monthly @yearly @annually`.
    ///
    /// - Throws: `CronSyntaxError` naming the field, the 1-based character position and the
    ///   reason.
    public init(_ text: String) throws(CronSyntaxError) {
        let tokens = Self.tokens(of: Array(text))

        if let first = tokens.first, first.characters.first == "@" {
            let name = String(first.characters).lowercased()
            guard let fields = Self.names[name] else {
                throw CronSyntaxError(field: nil, position: first.position,
                                      problem: .unknownName(String(first.characters)))
            }
            guard tokens.count == 1 else {
                throw CronSyntaxError(field: nil, position: tokens[1].position,
                                      problem: .nameStandsAlone(String(first.characters)))
            }
            // The expansion is a constant known to parse; its positions are irrelevant.
            let expanded = Self.tokens(of: Array(fields))
            self = try Self.expression(from: expanded, text: name)
            return
        }

        guard tokens.count == 5 else {
            throw CronSyntaxError(field: nil, position: tokens.count > 5 ? tokens[5].position : 1,
                                  problem: .wrongFieldCount(found: tokens.count))
        }
        self = try Self.expression(from: tokens,
                                   text: tokens.map { String($0.characters) }.joined(separator: " "))
    }

    private struct Token {
        var characters: [Character]
        /// 1-based position of the token's first character in the input.
        var position: Int
    }

    /// Splits on whitespace, remembering where each token starts.
    private static func tokens(of characters: [Character]) -> [Token] {
        var tokens: [Token] = []
        var index = 0
        while index < characters.count {
            if characters[index].isWhitespace {
                index += 1
                continue
            }
            let start = index
            while index < characters.count, !characters[index].isWhitespace { index += 1 }
            tokens.append(Token(characters: Array(characters[start..<index]), position: start + 1))
        }
        return tokens
    }

    private static func expression(from tokens: [Token], text: String) throws(CronSyntaxError) -> CronExpression {
        let minutes = try parseField(tokens[0], .minute)
        let hours = try parseField(tokens[1], .hour)
        let daysOfMonth = try parseField(tokens[2], .dayOfMonth)
        let months = try parseField(tokens[3], .month)
        let daysOfWeek = try parseField(tokens[4], .dayOfWeek)
        let startsWithStar = { (token: Token) in token.characters.first == "*" }
        return CronExpression(
            minutes: minutes, hours: hours, daysOfMonth: daysOfMonth, months: months,
            daysOfWeek: daysOfWeek,
            dayOfMonthIsStar: startsWithStar(tokens[2]),
            dayOfWeekIsStar: startsWithStar(tokens[4]),
            isFixedTime: !startsWithStar(tokens[0]) && !startsWithStar(tokens[1]),
            text: text)
    }

    /// One field: `item(,item)*` where `item = (* | value | value-value) (/step)?`.
    private static func parseField(_ token: Token, _ field: Field) throws(CronSyntaxError) -> CronValueSet {
        let chars = token.characters
        var set = CronValueSet()
        var index = 0

        func fail(_ problem: CronSyntaxError.Problem, at offset: Int) -> CronSyntaxError {
            CronSyntaxError(field: field, position: token.position + offset, problem: problem)
        }

        while true {
            let itemStart = index
            var low: Int
            var high: Int
            var isSingleValue = false
            if index < chars.count, chars[index] == "*" {
                // `*` on day of week is 0-6: 7 would only repeat Sunday.
                low = field.range.lowerBound
                high = field == .dayOfWeek ? 6 : field.range.upperBound
                index += 1
            } else {
                (low, index) = try value(in: chars, at: index, field: field, endOfRange: false, fail: fail)
                high = low
                isSingleValue = true
                if index < chars.count, chars[index] == "-" {
                    index += 1
                    (high, index) = try value(in: chars, at: index, field: field, endOfRange: true, fail: fail)
                    guard high >= low else {
                        throw fail(.backwardsRange(String(chars[itemStart..<index])), at: itemStart)
                    }
                    isSingleValue = false
                }
            }

            var step = 1
            if index < chars.count, chars[index] == "/" {
                index += 1
                let stepStart = index
                while index < chars.count, chars[index].isLetter || chars[index].isNumber { index += 1 }
                let stepText = String(chars[stepStart..<index])
                guard !stepText.isEmpty else { throw fail(.missingValue, at: stepStart) }
                guard stepText.allSatisfy(\.isASCIIDigit), let parsed = Int(stepText) else {
                    throw fail(.invalidStep(stepText), at: stepStart)
                }
                guard parsed >= 1 else { throw fail(.zeroStep, at: stepStart) }
                step = parsed
                if isSingleValue { high = field.range.upperBound }
            }

            for value in stride(from: low, through: high, by: step) {
                set.insert(field == .dayOfWeek && value == 7 ? 0 : value)
            }

            guard index < chars.count else { return set }
            guard chars[index] == "," else {
                throw fail(.unexpectedCharacter(chars[index]), at: index)
            }
            index += 1
            guard index < chars.count else { throw fail(.missingValue, at: index) }
        }
    }

    /// A number or (for month and day of week) a three-letter name starting at `index`.
    private static func value(
        in chars: [Character], at index: Int, field: Field, endOfRange: Bool,
        fail: (CronSyntaxError.Problem, Int) -> CronSyntaxError
    ) throws(CronSyntaxError) -> (value: Int, next: Int) {
        var end = index
        while end < chars.count, chars[end].isLetter || chars[end].isNumber { end += 1 }
        let text = String(chars[index..<end])
        guard !text.isEmpty else {
            if index < chars.count, !"-/,".contains(chars[index]) {
                throw fail(.unexpectedCharacter(chars[index]), index)
            }
            throw fail(.missingValue, index)
        }

        if text.allSatisfy(\.isASCIIDigit) {
            guard let number = Int(text), field.range.contains(number) else {
                throw fail(.outOfRange(text, field.range), index)
            }
            return (number, end)
        }

        let upper = text.uppercased()
        switch field {
        case .month:
            if let found = monthNames.firstIndex(of: upper) { return (found + 1, end) }
        case .dayOfWeek:
            if let found = weekdayNames.firstIndex(of: upper) {
                // `MON-SUN` reads naturally as the whole week; Sunday as a range end is 7.
                return (found == 0 && endOfRange ? 7 : found, end)
            }
        default:
            break
        }
        if text.allSatisfy(\.isLetter), field == .month || field == .dayOfWeek {
            throw fail(.unknownName(text), index)
        }
        throw fail(.notAValue(text), index)
    }
}

extension Character {
    /// 0-9 only: `isNumber` also accepts other scripts' digits and fractions, which `Int(_:)`
    /// would refuse anyway.
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
