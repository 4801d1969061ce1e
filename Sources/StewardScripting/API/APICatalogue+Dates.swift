extension APICatalogue {
    static let dates = APITopic(
        id: "dates",
        title: "Dates and periods",
        summary: """
            Calendar dates without time or zone (`date"2025-03-01"`, `today()`), spans to move them \
            (`days(30)`, `months(1)`, `years(80)`), and periods: a month, a quarter or a year \
            (`period"2025-Q2"`, `quarter(today())`). Dates compare with `<` and `==`; a date minus a date \
            is a number of days.
            """,
        functions: [
            APIFunction("today", "The date the run treats as today (`--today`, else the database's clock, else today in Asia/Shanghai).",
                        returns: [.init("Date", "Today.")],
                        example: """
                            local due = today() + days(15)
                            """),
            APIFunction("date", "Reads a date written YYYY-MM-DD.",
                        parameters: [.init("text", "string", "The date, e.g. \"2025-03-01\".")],
                        returns: [.init("Date", "The date; an error if the text is not a real calendar date.")],
                        example: """
                            local cutoff = date"2025-03-01"
                            """),
            APIFunction("days", "A span of whole days, to add to or subtract from a date.",
                        parameters: [.init("n", "integer", "Number of days (may be negative).")],
                        returns: [.init("Span", "The span.")],
                        example: """
                            local soon = today() + days(30)
                            """),
            APIFunction("months", "A span of calendar months; the day is clamped to the month's end (Jan 31 + 1 month = Feb 28).",
                        parameters: [.init("n", "integer", "Number of months (may be negative).")],
                        returns: [.init("Span", "The span.")],
                        example: """
                            local start = date"2025-01-31" + months(1)  --> 2025-02-28
                            """),
            APIFunction("years", "A span of whole years (12 months each).",
                        parameters: [.init("n", "integer", "Number of years.")],
                        returns: [.init("Span", "The span.")],
                        example: """
                            local eightieth = date"1945-06-10" + years(80)
                            """),
            APIFunction("period", "A month, quarter or year from a period object or text: 2025, \"2025\", \"2025-Q2\", \"2025-03\".",
                        parameters: [.init("value", "Period|string|integer", "The period, as text, a year number or a period.")],
                        returns: [.init("Period", "The period.")],
                        example: """
                            local q2 = period"2025-Q2"
                            print(q2.first_day, q2.last_day)  --> 2025-04-01  2025-06-30
                            """),
            APIFunction("month", "The month containing a date (default: today).",
                        parameters: [.init("d", "Date", "A date; today if omitted.", optional: true)],
                        returns: [.init("Period", "The month, e.g. 2025-03.")],
                        example: """
                            local this_month = month()
                            local birthday_month = month(date"2025-06-10")
                            """),
            APIFunction("quarter", "The quarter containing a date (default: today).",
                        parameters: [.init("d", "Date", "A date; today if omitted.", optional: true)],
                        returns: [.init("Period", "The quarter, e.g. 2025-Q2.")],
                        example: """
                            local q = quarter(today())
                            local reminder_day = q.last_day - days(15)
                            """),
            APIFunction("year", "The year containing a date (default: today), as a period.",
                        parameters: [.init("d", "Date", "A date; today if omitted.", optional: true)],
                        returns: [.init("Period", "The year, e.g. 2025.")],
                        example: """
                            local y = year()
                            print(y.number, y.first_day)
                            """),
            APIFunction("age", "Age in whole years on a date (default: today), a 29 February birthday counting on 1 March in common years.",
                        parameters: [.init("born", "Date", "Date of birth."),
                                     .init("on", "Date", "The day to count on; today if omitted.", optional: true)],
                        returns: [.init("integer", "Completed years.")],
                        example: """
                            local years_old = age(date"1945-06-10", date"2025-06-10")  --> 80
                            """),
        ],
        types: [
            APIType("date", className: "Date", "A calendar date. Prints as YYYY-MM-DD.",
                    fields: [
                        .init("year", "integer", "The year, e.g. 2025."),
                        .init("month", "integer", "The month, 1–12."),
                        .init("day", "integer", "The day of the month, 1–31."),
                        .init("weekday", "integer", "The day of the week, 1 = Monday … 7 = Sunday."),
                    ],
                    methods: [
                        APIFunction("add_days", "The date `n` days later (earlier when negative).",
                                    parameters: [.init("n", "integer", "Days.")],
                                    returns: [.init("Date", "The new date.")],
                                    example: """
                                        local deadline = today():add_days(30)
                                        """),
                        APIFunction("add_months", "The date `n` calendar months later, the day clamped to the month's end.",
                                    parameters: [.init("n", "integer", "Months.")],
                                    returns: [.init("Date", "The new date.")],
                                    example: """
                                        local next_review = today():add_months(6)
                                        """),
                        APIFunction("days_until", "Days from this date to another (negative if the other is earlier).",
                                    parameters: [.init("other", "Date", "The later date.")],
                                    returns: [.init("integer", "Days.")],
                                    example: """
                                        local left = today():days_until(quarter().last_day)
                                        """),
                        APIFunction("iso", "The date as text, YYYY-MM-DD.",
                                    returns: [.init("string", "For example \"2025-03-01\".")],
                                    example: """
                                        local key = "visit:" .. today():iso()
                                        """),
                        APIFunction("month_end", "The last day of the date's month.",
                                    returns: [.init("Date", "For example 2025-02-28 for any day in February 2025.")],
                                    example: """
                                        local pay_day = today():month_end()
                                        """),
                    ],
                    operators: [
                        .init("a == b, a < b, a <= b", "boolean", "Compare two dates."),
                        .init("d + span, span + d", "Date", "Move a date by `days(n)`, `months(n)` or `years(n)`.", luaLS: ["add(Span): Date"]),
                        .init("d - span", "Date", "Move a date back.", luaLS: ["sub(Span): Date"]),
                        .init("a - b", "integer", "Days from `b` to `a`.", luaLS: ["sub(Date): integer"]),
                        .init("\"text\" .. d", "string", "Concatenate with the date's YYYY-MM-DD text.", luaLS: ["concat(string): string"]),
                    ],
                    example: """
                        local d = date"2025-03-01"
                        if d < today() then print(d.year, d.month, d.day, today() - d) end
                        """),
            APIType("span", className: "Span", "An amount of days or months, made by `days`, `months` or `years`, added to dates.",
                    fields: [
                        .init("days", "integer", "Whole days in the span."),
                        .init("months", "integer", "Whole months in the span (years count 12)."),
                    ],
                    operators: [
                        .init("s + t", "Span", "The sum of two spans (months applied before days).", luaLS: ["add(Span): Span"]),
                        .init("s + d", "Date", "The date moved by the span.", luaLS: ["add(Date): Date"]),
                    ],
                    example: """
                        local notice = months(1) + days(15)
                        print(today() + notice, notice.months, notice.days)
                        """),
            APIType("period", className: "Period", "A month, quarter or year. Prints as 2025-03, 2025-Q2 or 2025.",
                    fields: [
                        .init("kind", "\"month\"|\"quarter\"|\"year\"", "Which kind of period."),
                        .init("year", "integer", "The year."),
                        .init("number", "integer", "The month (1–12) or quarter (1–4); 1 for a year."),
                        .init("first_day", "Date", "The first day of the period."),
                        .init("last_day", "Date", "The last day of the period."),
                    ],
                    methods: [
                        APIFunction("contains", "Whether a date falls inside the period.",
                                    parameters: [.init("d", "Date", "The date.")],
                                    returns: [.init("boolean", "True if first_day ≤ d ≤ last_day.")],
                                    example: """
                                        if quarter():contains(date"2025-05-20") then print("this quarter") end
                                        """),
                        APIFunction("next", "The period of the same kind that follows.",
                                    returns: [.init("Period", "2025-03 → 2025-04, 2025-Q4 → 2026-Q1, 2025 → 2026.")],
                                    example: """
                                        local following = month():next()
                                        """),
                    ],
                    operators: [
                        .init("a == b", "boolean", "The same period."),
                        .init("\"text\" .. p", "string", "Concatenate with the period's text (2025-Q2).", luaLS: ["concat(string): string"]),
                    ],
                    example: """
                        local q = period"2025-Q2"
                        print(q.kind, q.year, q.number, q.first_day, q.last_day)  --> quarter 2025 2 2025-04-01 2025-06-30
                        """),
        ]
    )
}
