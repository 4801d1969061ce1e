extension APICatalogue {
    static let allocation = APITopic(
        id: "allocation",
        title: "Allocation and tiers",
        summary: """
            Sharing a budget or a quota exactly: proportional shares by largest remainder (they add up to the \
            total, ties broken deterministically), priority order while the money lasts, and tier tables \
            (first match or sum of matches). Amounts and counts are integers.
            """,
        libraries: [
            APILibrary("allocate", "Exact share-outs of money (fen) or places.", functions: [
                APIFunction("largest_remainder", "Shares a total in proportion to weights by largest remainder: the shares add up to the total exactly.",
                            parameters: [.init("total", "integer", "What to share (fen or places)."),
                                         .init("weights", "table<any, integer>", "Key → whole-number weight, e.g. members per town."),
                                         .init("options", "ShareOptions", "{ caps = {key = max}, floors = {key = min} }", optional: true)],
                            returns: [.init("table<any, integer>", "Key → share; ties go to the larger weight, then the first key in sorted order.")],
                            example: """
                                local counts = members{ union_card = true }:count_by "town"
                                local shares = allocate.largest_remainder(20000, counts)
                                """),
                APIFunction("priority", "Goes through items in order, giving each its amount while the total lasts.",
                            parameters: [.init("total", "integer", "What there is to give, ≥ 0."),
                                         .init("items", "any[]", "The candidates, in priority order."),
                                         .init("amount_of", "fun(item: any): integer", "The amount an item needs."),
                                         .init("options", "PriorityOptions", "{ stop_at_first_shortfall = true }: stop at the first item that does not fit.", optional: true)],
                            returns: [.init("{ item: any, amount: integer }[]", "Granted, in order."),
                                      .init("{ item: any, amount: integer }[]", "Not funded, in order."),
                                      .init("integer", "What remains of the total.")],
                            example: """
                                local queue = members{ tag = "student-hardship" }:order_by("-disability_grade", "income"):list()
                                local granted, unfunded, left = allocate.priority(yuan(150000), queue, function() return yuan(7000) end)
                                """),
            ]),
            APILibrary("tiers", "Tier tables: values by ranges of a measure, e.g. consolation by days in hospital.", functions: [
                APIFunction("new", "Makes a tier table from a list of ranges; ranges include both ends and a tier without `to` is open-ended.",
                            parameters: [.init("list", "Tier[]", "{ { from =, to =, value = }, ... } with whole numbers.")],
                            returns: [.init("Tiers", "The tier table.")],
                            example: """
                                local stay = tiers.new{ { from = 1, to = 7, value = yuan(500) },
                                                        { from = 8, to = 30, value = yuan(1000) },
                                                        { from = 31, value = yuan(2000) } }
                                print(stay:first(12))  --> 100000
                                """),
            ]),
        ],
        types: [
            APIType("tiers", className: "Tiers", "A tier table made by `tiers.new`.", origin: .stdlib,
                    methods: [
                        APIFunction("first", "The value of the first tier containing a measure, or nil.",
                                    parameters: [.init("measure", "integer", "The measure, e.g. days in hospital.")],
                                    returns: [.init("integer?", "The value.")],
                                    example: """
                                        local stay = tiers.new{ { from = 1, to = 7, value = yuan(500) }, { from = 8, value = yuan(1000) } }
                                        local amount = stay:first(12) or 0
                                        """),
                        APIFunction("sum", "The sum of the values of every tier containing a measure (0 when none does).",
                                    parameters: [.init("measure", "integer", "The measure.")],
                                    returns: [.init("integer", "The sum.")],
                                    example: """
                                        local bonus = tiers.new{ { from = 80, value = 100 }, { from = 90, value = 200 } }
                                        print(bonus:sum(92))  --> 300
                                        """),
                    ],
                    example: """
                        local t = tiers.new{ { from = 0, to = 100000, value = 100 }, { from = 100001, value = 50 } }
                        print(t:first(150000))  --> 50
                        """),
        ],
        optionTables: [
            APIOptionTable("ShareOptions", "Bounds for `allocate.largest_remainder`.", fields: [
                .init("caps", "table<any, integer>", "Key → the most that key may get.", optional: true),
                .init("floors", "table<any, integer>", "Key → the least that key gets.", optional: true),
            ]),
            APIOptionTable("PriorityOptions", "Options of `allocate.priority`.", fields: [
                .init("stop_at_first_shortfall", "boolean", "Stop at the first item that does not fit (default: skip it and try smaller ones).", optional: true),
            ]),
            APIOptionTable("Tier", "One tier of `tiers.new`.", fields: [
                .init("from", "integer", "The lowest measure in the tier."),
                .init("to", "integer", "The highest measure (omit for no upper end).", optional: true),
                .init("value", "integer", "The tier's value (fen, hours, ...)."),
            ]),
        ]
    )

    static let reports = APITopic(
        id: "reports",
        title: "Output and reports",
        summary: """
            What a script prints is the run's output: shown by `steward run`, kept with a committed run. \
            `print` writes one line; `report` prints aligned tables (Chinese text aligned by display width). Control characters are escaped.
            """,
        libraries: [
            APILibrary("report", "Output that reads well in a terminal, Chinese text included.", functions: [
                APIFunction("table", "Prints rows as an aligned table: a list of records/tables, or a map (key and value columns).",
                            parameters: [.init("rows", "table", "A list of records or tables, or a map key → value."),
                                         .init("columns", "string[]", "Column fields; add `:money` or `:percent` to format (default for a map: key, value).", optional: true),
                                         .init("options", "TableOptions", "{ title = }", optional: true)],
                            example: """
                                local shares = allocate.largest_remainder(20000, members{ union_card = true }:count_by "town")
                                report.table(shares, { "town", "slots" })
                                report.table(members{ student = true }:limit(5):list(), { "name", "town_name", "income:money" })
                                """),
                APIFunction("heading", "Prints a heading line (`== text`).",
                            parameters: [.init("text", "any", "The heading.")],
                            example: """
                                report.heading("圆梦行动 2025")
                                """),
                APIFunction("summary", "Prints `label: value` lines for a map, keys sorted.",
                            parameters: [.init("map", "table", "Label → value.")],
                            example: """
                                report.summary{ granted = 21, waitlisted = 4, total = money.format(yuan(147000)) }
                                """),
            ]),
        ],
        optionTables: [
            APIOptionTable("TableOptions", "Options of `report.table`.", fields: [
                .init("title", "string", "A line printed above the table.", optional: true),
            ]),
        ]
    )
}
