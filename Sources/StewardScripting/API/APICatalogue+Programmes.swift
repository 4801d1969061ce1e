extension APICatalogue {
    static let programmes = APITopic(
        id: "programmes",
        title: "Programmes and quotas",
        summary: """
            A programme (`programme "free-health-check"`) has benefit parameters that change over time and \
            quotas per period and place. A hard quota refuses a booking beyond its limit; a soft one warns. \
            Quota reads count this run's own bookings.
            """,
        functions: [
            APIFunction("programme", "A programme by code (an error listing the codes if there is none).",
                        parameters: [.init("code", "string", "The programme code, e.g. \"free-health-check\".")],
                        returns: [.init("Programme", "The programme.")],
                        example: """
                            local prog = programme "free-health-check"
                            print(prog.name, prog:quota(2025))
                            """),
        ],
        types: [
            APIType("programme", className: "Programme", "A programme: its quotas, benefit parameters and bookings.",
                    fields: [
                        .init("code", "string", "The programme code."),
                        .init("name", "string", "The name, e.g. 职工免费体检."),
                        .init("office", "string", "The office running it: disability_federation, trade_union or civil_affairs."),
                        .init("kind", "string", "cash_benefit, relief, service, in_kind, loan, insurance, employment, placement or organisation_subsidy."),
                    ],
                    methods: [
                        APIFunction("quota", "The quota limit for a period (and town), or nil when none is set.",
                                    parameters: [.init("period", "Period|string|integer", "The period, e.g. 2025 or \"2025-Q2\"."),
                                                 .init("town", "string", "Town name or code; the district-wide quota if omitted.", optional: true)],
                                    returns: [.init("integer?", "The limit.")],
                                    example: """
                                        local slots = programme("free-health-check"):quota(2025)
                                        """),
                        APIFunction("used", "How much of a quota is booked, counting this run's bookings.",
                                    parameters: [.init("period", "Period|string|integer", "The period."),
                                                 .init("town", "string", "Town name or code.", optional: true)],
                                    returns: [.init("integer", "Booked count (0 if none).")],
                                    example: """
                                        local booked = programme("free-health-check"):used(2025, "儒林镇")
                                        """),
                        APIFunction("remaining", "What is left of a quota, counting this run's bookings; nil when no quota is set.",
                                    parameters: [.init("period", "Period|string|integer", "The period."),
                                                 .init("town", "string", "Town name or code.", optional: true)],
                                    returns: [.init("integer?", "limit − used.")],
                                    example: """
                                        local left = programme("free-health-check"):remaining(2025, "儒林镇")
                                        """),
                        APIFunction("paid", "Money paid to a member under the programme in a period and the periods inside it (grants and allocations less refunds), this run's included.",
                                    parameters: [.init("member", "Member", "The member."),
                                                 .init("period", "Period|string|integer", "The period, e.g. 2025 for the year's cap.")],
                                    returns: [.init("integer", "Fen.")],
                                    example: """
                                        local prog = programme "hospital-consolation"
                                        local m = members{ union_card = true }:first()
                                        local room = prog:param("annual_cap") - prog:paid(m, 2025)
                                        """),
                        APIFunction("param", "A benefit parameter in force on a date (default: today); money in fen.",
                                    parameters: [.init("name", "string", "The parameter, e.g. \"minimum_wage\"."),
                                                 .init("on", "Date", "The day; today if omitted.", optional: true)],
                                    returns: [.init("integer", "The value (fen for amounts).")],
                                    example: """
                                        local minimum = programme("welfare-posts"):param("minimum_wage")
                                        """),
                        APIFunction("set_quota", "Proposes a quota limit for a period (and town).",
                                    parameters: [.init("quota", "QuotaSetting", "{ period =, town =, limit =, hard = }")],
                                    returns: [.init("boolean", "True if proposed, false if an earlier run already set it.")],
                                    example: """
                                        local prog = programme "free-health-check"
                                        prog:set_quota{ period = 2025, town = "儒林镇", limit = 1200 }
                                        """),
                        APIFunction("book", "Books one place (or `count`) of a quota for a member or a town; refused beyond a hard quota.",
                                    parameters: [.init("subject", "Member?", "The member, or nil for a booking not tied to a person."),
                                                 .init("options", "BookingOptions", "{ period =, town =, count =, key = }")],
                                    returns: [.init("boolean", "True if proposed, false if an earlier run already booked it.")],
                                    example: """
                                        local prog = programme "free-health-check"
                                        for m in members{ union_card = true }:limit(10):each() do
                                          prog:book(m, { period = 2025 })
                                        end
                                        """),
                    ],
                    example: """
                        local prog = programme "free-health-check"
                        print(prog.code, prog.name, prog:quota(2025), prog:used(2025), prog:remaining(2025))
                        """),
        ],
        optionTables: [
            APIOptionTable("QuotaSetting", "The quota `prog:set_quota{...}` proposes.", fields: [
                .init("period", "integer|string", "The period: 2025, \"2025-Q2\" or \"2025-03\"."),
                .init("town", "string", "Town name or code; omitted: district-wide (district users only).", optional: true),
                .init("limit", "integer", "The limit, ≥ 0."),
                .init("hard", "boolean", "Hard (default): a booking beyond is refused; soft: a warning.", optional: true),
            ]),
            APIOptionTable("BookingOptions", "Options of `prog:book(...)`.", fields: [
                .init("period", "Period|string|integer", "The quota period (required)."),
                .init("town", "string", "Town name or code; default: the member's town.", optional: true),
                .init("count", "integer", "How many places (default 1).", optional: true),
                .init("key", "string", "Idempotency key; default: programme + member + period.", optional: true),
                .init("programme", "Programme|string", "Accepted and ignored (the booking is for this programme).", optional: true),
                .init("kind", "string", "Accepted and ignored.", optional: true),
                .init("memo", "string", "Accepted and ignored.", optional: true),
            ]),
        ]
    )

    static let budgets = APITopic(
        id: "budgets",
        title: "Budgets and the ledger",
        summary: """
            A budget (`budget "relief-2025"`) is a fund whose available balance never goes below zero. \
            `available()` counts this run's own entries. Each entry is idempotent when it has a programme and \
            a period (or a key): re-running a month pays nobody twice.
            """,
        functions: [
            APIFunction("budget", "A budget by code (an error listing the codes if there is none).",
                        parameters: [.init("code", "string", "The budget code, e.g. \"relief-2025\".")],
                        returns: [.init("Budget", "The budget.")],
                        example: """
                            local fund = budget "dream-scholarship-2025"
                            print(fund.name, money.format(fund:available()))
                            """),
        ],
        types: [
            APIType("budget", className: "Budget", "A budget. Entries are proposed effects: written only by `steward run --commit`.",
                    fields: [
                        .init("code", "string", "The budget code."),
                        .init("name", "string", "The name, e.g. 2025年临时救助资金."),
                        .init("office", "string", "The owning office: disability_federation, trade_union or civil_affairs."),
                        .init("year", "integer", "The budget year."),
                        .init("total", "integer", "The budget's total, in fen."),
                    ],
                    methods: [
                        APIFunction("available", "The available balance in fen, after this run's entries so far.",
                                    returns: [.init("integer", "Fen.")],
                                    example: """
                                        local fund = budget "relief-2025"
                                        if fund:available() < yuan(5000) then warn("relief fund nearly spent") end
                                        """),
                        APIFunction("grant", "Proposes a payment (disbursement) to a member or a town; refused if it would overdraw the budget.",
                                    parameters: [.init("subject", "Member?", "The member paid, or nil (then give `town`)."),
                                                 .init("amount", "integer", "Fen, > 0."),
                                                 .init("options", "LedgerOptions", "{ programme =, kind =, period =, key =, memo =, town = }", optional: true)],
                                    returns: [.init("boolean", "True if proposed, false if an earlier run already made it.")],
                                    example: """
                                        local fund = budget "dream-scholarship-2025"
                                        local s = members{ tag = "student-hardship" }:first()
                                        fund:grant(s, yuan(5000), { programme = "dream-scholarship", kind = "tuition", period = 2025 })
                                        """),
                        APIFunction("allocate", "Proposes an earmark (allocation) to a town or purpose: it leaves the available balance now.",
                                    parameters: [.init("subject", "Member?", "A member, or nil with `town`."),
                                                 .init("amount", "integer", "Fen, > 0."),
                                                 .init("options", "LedgerOptions", "Ledger options.", optional: true)],
                                    returns: [.init("boolean", "True if proposed, false if already applied.")],
                                    example: """
                                        local fund = budget "hospital-consolation-2025"
                                        fund:allocate(nil, yuan(20000), { town = "儒林镇", programme = "hospital-consolation", period = 2025 })
                                        """),
                        APIFunction("refund", "Proposes money coming back to the budget (a grant repaid, an earmark released).",
                                    parameters: [.init("subject", "Member?", "The member repaying, or nil."),
                                                 .init("amount", "integer", "Fen, > 0."),
                                                 .init("options", "LedgerOptions", "Ledger options.", optional: true)],
                                    returns: [.init("boolean", "True if proposed, false if already applied.")],
                                    example: """
                                        local fund = budget "loan-subsidy-2025"
                                        fund:refund(nil, yuan(300), { memo = "premium returned by insurer", key = "premium-2025-07" })
                                        """),
                        APIFunction("adjust", "Proposes a correction or top-up: positive adds to the balance, negative takes away.",
                                    parameters: [.init("subject", "Member?", "A member, or nil."),
                                                 .init("amount", "integer", "Fen, non-zero, either sign."),
                                                 .init("options", "LedgerOptions", "Ledger options.", optional: true)],
                                    returns: [.init("boolean", "True if proposed, false if already applied.")],
                                    example: """
                                        local fund = budget "relief-2025"
                                        fund:adjust(nil, yuan(-100), { memo = "bank charge", key = "charge-2025-03" })
                                        """),
                    ],
                    example: """
                        local fund = budget "relief-2025"
                        print(fund.code, fund.year, money.format(fund.total), money.format(fund:available()))
                        """),
        ],
        optionTables: [
            APIOptionTable("LedgerOptions", "Options of a budget's `grant`, `allocate`, `refund` and `adjust`.", fields: [
                .init("programme", "Programme|string", "The programme paying; with `period` it makes the entry idempotent.", optional: true),
                .init("kind", "string", "The programme's item, e.g. \"tuition\", \"living\".", optional: true),
                .init("period", "Period|string|integer", "The period paid for, e.g. 2025 or \"2025-03\".", optional: true),
                .init("key", "string", "Idempotency key; default: budget + programme + member (or town) + period + kind.", optional: true),
                .init("memo", "string", "A note kept with the entry.", optional: true),
                .init("town", "string", "The town the money goes to (name or code), for entries without a member.", optional: true),
            ]),
        ]
    )
}
