extension APICatalogue {
    static let holdings = APITopic(
        id: "holdings",
        title: "Posts, loans and waitlists",
        summary: """
            What programmes have already given people, as read-only records: public-welfare posts, \
            entrepreneurship loans and waitlist entries. Each function returns a plain list (hundreds of rows), \
            limited to your scope; each record carries its holder as a member.
            """,
        functions: [
            APIFunction("welfare_posts", "Every public-welfare post in your scope, by code.",
                        returns: [.init("WelfarePost[]", "The posts, held or vacant.")],
                        example: """
                            for _, post in ipairs(welfare_posts()) do
                              if post.member and post:active_in(month()) then print(post.title, post.member.name) end
                            end
                            """),
            APIFunction("loans", "Every entrepreneurship loan in your scope, or one member's.",
                        parameters: [.init("filter", "LoanFilter", "{ member = m }: only this member's loans.", optional: true)],
                        returns: [.init("Loan[]", "The loans.")],
                        example: """
                            for _, loan in ipairs(loans()) do
                              if loan.repaid_on_time then print(loan.code, loan.member.name) end
                            end
                            """),
            APIFunction("waiting", "The people still waiting for a programme (and facility), earliest first.",
                        parameters: [.init("programme", "Programme|string", "The programme or its code."),
                                     .init("facility", "Facility|string", "Only entries for this facility (object or code).", optional: true)],
                        returns: [.init("WaitlistEntry[]", "The entries with status \"waiting\".")],
                        example: """
                            local centre = facility "jt-shelter-01"
                            for _, entry in ipairs(waiting("sheltered-care", centre)) do
                              if centre.free_places > 0 then enrol(entry.member, "sheltered-care", { facility = centre }) end
                            end
                            """),
        ],
        types: [
            APIType("welfare_post", className: "WelfarePost", "A public-welfare post (公益性岗位) and its holder.",
                    fields: [
                        .init("code", "string", "The post code."),
                        .init("title", "string", "The post's title."),
                        .init("place", "string", "The code of the town or community the post belongs to."),
                        .init("facility", "string?", "The code of the facility where the work is done."),
                        .init("member", "Member?", "The holder; nil while the post is vacant."),
                        .init("monthly_pay", "integer", "Monthly pay, in fen."),
                        .init("social_insurance", "boolean", "Whether social insurance is paid for the post."),
                        .init("starts_on", "Date", "First day of the post."),
                        .init("ends_on", "Date?", "Last day, if the post ends."),
                    ],
                    methods: [
                        APIFunction("active_in", "Whether the post is held on any day of a period.",
                                    parameters: [.init("period", "Period|string|integer", "The period, e.g. month() or \"2025-03\".")],
                                    returns: [.init("boolean", "True if active.")],
                                    example: """
                                        local post = welfare_posts()[1]
                                        if post and post:active_in("2025-03") then print(post.code) end
                                        """),
                    ],
                    example: """
                        local post = welfare_posts()[1]
                        if post then print(post.code, post.title, money.format(post.monthly_pay), post.starts_on) end
                        """),
            APIType("loan", className: "Loan", "An entrepreneurship loan (创保贷): principal, rates and repayment.",
                    fields: [
                        .init("code", "string", "The loan code."),
                        .init("member", "Member", "The borrower."),
                        .init("principal", "integer", "The principal, in fen."),
                        .init("interest_rate_bp", "integer", "The interest rate in basis points (430 = 4.30 %)."),
                        .init("premium_rate_bp", "integer", "The guarantee insurance premium rate in basis points."),
                        .init("starts_on", "Date", "When the loan started."),
                        .init("due_on", "Date", "When it is due."),
                        .init("repaid_on", "Date?", "When it was repaid, if it was."),
                        .init("repaid_on_time", "boolean", "Repaid no later than the due date."),
                    ],
                    example: """
                        local loan = loans()[1]
                        if loan then print(loan.code, money.format(loan.principal), loan.interest_rate_bp, loan.due_on) end
                        """),
            APIType("waitlist_entry", className: "WaitlistEntry", "A person waiting for a programme or a facility place.",
                    fields: [
                        .init("id", "integer", "The entry id."),
                        .init("member", "Member", "Who is waiting."),
                        .init("programme", "string", "The programme's code."),
                        .init("facility", "string?", "The facility's code, if waiting for one."),
                        .init("reason", "string", "Why the member is waiting."),
                        .init("status", "\"waiting\"|\"placed\"|\"withdrawn\"", "The entry's status (change it with `update(entry, \"status\", \"placed\")`)."),
                        .init("since", "Date", "When the entry was made."),
                    ],
                    example: """
                        local first = waiting("sheltered-care")[1]
                        if first then print(first.member.name, first.reason, first.since) end
                        """),
        ],
        optionTables: [
            APIOptionTable("LoanFilter", "The filter of `loans{...}`.", fields: [
                .init("member", "Member", "Only this member's loans.", optional: true),
            ]),
        ]
    )
}
