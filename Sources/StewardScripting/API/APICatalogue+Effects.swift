extension APICatalogue {
    static let effects = APITopic(
        id: "effects",
        title: "Reminders, waitlists, enrolments and updates",
        summary: """
            Effects other than money. Like ledger entries they are proposals: a dry run shows them, \
            `--commit` applies them all in one transaction. Each returns true when proposed and false when an \
            earlier run already applied the same effect (same key), so re-running is safe.
            """,
        functions: [
            APIFunction("remind", "Proposes a reminder about a member or facility, deduplicated by key.",
                        parameters: [.init("reminder", "Reminder", "{ subject =, kind =, due =, text =, key = }")],
                        returns: [.init("boolean", "True if proposed, false if the same reminder exists.")],
                        example: """
                            for m in members{ certificate_expiring_within = 30 }:each() do
                              remind{ subject = m, kind = "certificate_expiry", due = m.certificate_expiry,
                                      text = m.name .. "的残疾证即将到期" }
                            end
                            """),
            APIFunction("waitlist", "Puts a member on a programme's waitlist with a reason (optionally for one facility).",
                        parameters: [.init("subject", "Member", "The member."),
                                     .init("programme", "Programme|string", "The programme or its code."),
                                     .init("reason", "string", "Why, e.g. \"fund exhausted\"."),
                                     .init("facility", "Facility", "The facility waited for.", optional: true)],
                        returns: [.init("boolean", "True if proposed.")],
                        example: """
                            local s = members{ tag = "student-hardship" }:first()
                            waitlist(s, "dream-scholarship", "fund exhausted")
                            """),
            APIFunction("enrol", "Enrols a member in a programme (and facility), refused beyond the facility's capacity.",
                        parameters: [.init("subject", "Member", "The member."),
                                     .init("programme", "Programme|string", "The programme or its code."),
                                     .init("options", "EnrolOptions", "{ start =, facility =, key = }", optional: true)],
                        returns: [.init("boolean", "True if proposed, false if already enrolled by an earlier run.")],
                        example: """
                            local m = members{ elderly = true, age_min = 80 }:first()
                            enrol(m, "home-visit", { start = month():next().first_day })
                            """),
            APIFunction("update", "Proposes a change to one field of a member, facility or waitlist-entry record that scripts may change.",
                        parameters: [.init("record", "Member|Facility|WaitlistEntry", "The record."),
                                     .init("field", "string", "The field, e.g. \"home_visit_hours_used\"; a waitlist entry's only field is \"status\"."),
                                     .init("value", "integer|boolean|string|Date|Period|nil", "The new value.")],
                        returns: [.init("boolean", "True if proposed.")],
                        example: """
                            local m = members{ elderly = true }:first()
                            update(m, "home_visit_hours_used", 0)
                            """),
            APIFunction("warn", "Adds a warning to the run report (shown after the output; not an error).",
                        parameters: [.init("...", "any", "Parts of the message, joined with spaces.")],
                        example: """
                            local fund = budget "relief-2025"
                            if fund:available() < fund.total // 5 then warn("relief fund below 20%:", money.format(fund:available())) end
                            """),
        ],
        optionTables: [
            APIOptionTable("Reminder", "The reminder `remind{...}` proposes.", fields: [
                .init("subject", "Member|Facility", "Whom or what it is about."),
                .init("kind", "string", "What kind of reminder, e.g. \"certificate_expiry\"."),
                .init("due", "Date", "When it is due."),
                .init("text", "string", "The message."),
                .init("key", "string", "Deduplication key; default: kind + subject + due.", optional: true),
            ]),
            APIOptionTable("EnrolOptions", "Options of `enrol(...)`.", fields: [
                .init("start", "Date", "First day (default: today).", optional: true),
                .init("facility", "Facility", "The facility taking the member; its capacity is enforced.", optional: true),
                .init("key", "string", "Idempotency key; default: programme + member + facility.", optional: true),
            ]),
        ]
    )

    static let script = APITopic(
        id: "script",
        title: "The script header and the run",
        summary: """
            `script{...}` at the top of a script names it and declares typed parameters, given as \
            `--param name=value` and validated before anything else runs (`steward check` validates the \
            header without running the script). `params` holds their values; `run` describes the run.
            """,
        functions: [
            APIFunction("script", "Declares the script: its name, title, parameters and whether re-running a slot is safe.",
                        parameters: [.init("header", "ScriptHeader", "{ name =, title =, params = {...}, idempotent = }")],
                        example: """
                            script { name = "health-check-quota", title = "Share the yearly health-check quota",
                                     params = { year = { type = "integer", default = 2025, help = "quota year" } } }
                            print(params.year)
                            """),
        ],
        values: [
            APIValue("params", type: "table<string, any>", "The declared parameters' values, typed (dates and periods as objects); empty without a header.",
                     example: """
                        script { name = "relief", params = { month = { type = "period", default = "2025-03" } } }
                        print(params.month.first_day)
                        """),
            APIValue("run", type: "steward.run", "Facts about this run.",
                     fields: [
                        .init("today", "string", "The run's today as YYYY-MM-DD text (use `today()` for a date)."),
                        .init("user", "string", "The user the run acts as."),
                        .init("dry_run", "boolean", "True unless the run was started with --commit."),
                        .init("slot", "string?", "A scheduled run's slot time (ISO 8601, Asia/Shanghai); nil when run by hand."),
                     ],
                     example: """
                        if run.dry_run then print("preview for", run.user, "on", run.today) end
                        """),
        ],
        optionTables: [
            APIOptionTable("ScriptHeader", "What `script{...}` declares.", fields: [
                .init("name", "string", "The script's name, e.g. \"relief-grants\" (required)."),
                .init("title", "string", "A one-line title (default: the name).", optional: true),
                .init("params", "table<string, ParamSpec>", "Parameters by name.", optional: true),
                .init("idempotent", "boolean", "True if re-running the same slot proposes nothing new (scheduler retries).", optional: true),
            ]),
            APIOptionTable("ParamSpec", "One declared parameter.", fields: [
                .init("type", "\"integer\"|\"number\"|\"string\"|\"boolean\"|\"date\"|\"period\"|\"money\"", "The type (default \"string\"); money is read as yuan and becomes fen.", optional: true),
                .init("default", "integer|number|string|boolean", "The value when --param does not give one; must be valid for the type.", optional: true),
                .init("required", "boolean", "Whether --param must give it (default: true when there is no default).", optional: true),
                .init("help", "string", "What it means, for `--help`-like listings.", optional: true),
            ]),
        ]
    )
}
