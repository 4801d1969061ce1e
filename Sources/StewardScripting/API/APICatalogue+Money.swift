extension APICatalogue {
    static let money = APITopic(
        id: "money",
        title: "Money",
        summary: """
            Money is a Lua integer of fen (1 yuan = 100 fen): exact, compared with `<`, added with `+`. \
            Floats are refused wherever an amount is expected, so no rounding error can reach a ledger.
            """,
        functions: [
            APIFunction("yuan", "Converts an amount in yuan (a number or text such as \"¥1,234.56\") to fen.",
                        parameters: [.init("amount", "number|string", "Yuan: a whole or two-decimal number, or text with ¥ and thousands separators.")],
                        returns: [.init("integer", "The amount in fen.")],
                        example: """
                            local grant = yuan(5000)        --> 500000
                            local fee = yuan(12.5)          --> 1250
                            local total = yuan("¥1,234.56") --> 123456
                            """),
            APIFunction("fen", "Checks that a number is a whole number of fen and returns it (floats are refused).",
                        parameters: [.init("amount", "integer", "A whole number of fen.")],
                        returns: [.init("integer", "The same amount.")],
                        example: """
                            local stamp = fen(80)   --> 80
                            """),
        ],
        libraries: [
            APILibrary("money", "Formatting, parsing and exact scaling of amounts in fen.", functions: [
                APIFunction("format", "Formats fen as yuan with the ¥ sign and thousands separators.",
                            parameters: [.init("amount", "integer", "Fen.")],
                            returns: [.init("string", "For example \"¥1,234.56\" or \"-¥0.05\".")],
                            example: """
                                print(money.format(yuan(7000)))  --> ¥7,000.00
                                """),
                APIFunction("yuan", "The same as the global `yuan`: yuan (number or text) to fen.",
                            parameters: [.init("amount", "number|string", "Yuan.")],
                            returns: [.init("integer", "Fen.")],
                            example: """
                                local pay = money.yuan(2280)  --> 228000
                                """),
                APIFunction("scale", "An exact share of an amount: amount × numerator ÷ denominator, rounded half up to the fen.",
                            parameters: [.init("amount", "integer", "Fen."),
                                         .init("numerator", "integer", "Multiplier."),
                                         .init("denominator", "integer", "Divisor; not zero.")],
                            returns: [.init("integer", "Fen.")],
                            example: """
                                local half = money.scale(yuan(100001), 1, 2)      --> 5000050
                                local interest = money.scale(yuan(100000), 430, 10000)
                                """),
                APIFunction("parse", "Reads text such as \"1234.56\", \"¥1,234.56\" or \"-12.5\" as fen; an error if it is not an exact amount.",
                            parameters: [.init("text", "string", "The amount as text, in yuan.")],
                            returns: [.init("integer", "Fen.")],
                            example: """
                                local amount = money.parse("¥2,280.00")  --> 228000
                                """),
            ]),
        ]
    )
}
