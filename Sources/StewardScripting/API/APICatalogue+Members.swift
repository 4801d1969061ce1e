extension APICatalogue {
    /// The fields `order_by`, `count_by` and `sum` take (aliases: applied_at, grade, category,
    /// expiry, birth, birthday, household_income).
    static let memberFieldNames = "id, name, sex, birth_date, town, community, disability_category, disability_grade, "
        + "certificate_expiry, model_worker, new_form_worker, employer, home_visit_hours, home_visit_hours_used, "
        + "income, applied_on, admission_year"

    static let members = APITopic(
        id: "members",
        title: "Members",
        summary: """
            The people the district serves. `members{...}` is a query whose filters, ordering, counts and \
            sums run in the database, limited to the user's scope; `:each()` streams the rows. Records are \
            read-only; identity and phone numbers are masked unless the user may see them.
            """,
        functions: [
            APIFunction("members", "A query over the members in your scope, optionally filtered.",
                        parameters: [.init("filter", "MemberFilter", "Filters, all of which must hold; none: every member in scope.", optional: true)],
                        returns: [.init("MemberQuery", "The query (nothing is read until it is counted, listed or iterated).")],
                        example: """
                            local counts = members{ union_card = true }:count_by "town"
                            for m in members{ elderly = true, age_min = 80 }:each() do print(m.name) end
                            """),
            APIFunction("member", "One member by id (an error if there is none in your scope).",
                        parameters: [.init("id", "integer", "The member id.")],
                        returns: [.init("Member", "The member.")],
                        example: """
                            local m = member(1024)
                            print(m.name, m.town_name, m.age)
                            """),
        ],
        types: [
            APIType("members", className: "MemberQuery", "A query over members. Refining methods return a new query; the original is unchanged.",
                    methods: [
                        APIFunction("count", "How many members match.",
                                    returns: [.init("integer", "The count.")],
                                    example: """
                                        local n = members{ student = true }:count()
                                        """),
                        APIFunction("count_by", "Counts per value of a field; town and community are keyed by their names.",
                                    parameters: [.init("field", "string", "A member field: " + memberFieldNames + ".")],
                                    returns: [.init("table<string|integer, integer>", "Value → count.")],
                                    example: """
                                        local per_town = members{ union_card = true }:count_by "town"  --> { ["儒林镇"] = 812, ... }
                                        """),
                        APIFunction("sum", "Adds up a numeric field over the matching members.",
                                    parameters: [.init("field", "string", "income, home_visit_hours or home_visit_hours_used.")],
                                    returns: [.init("integer", "The sum (fen for income).")],
                                    example: """
                                        local hours = members{ elderly = true }:sum "home_visit_hours_used"
                                        """),
                        APIFunction("order_by", "The same query sorted by one or more fields; prefix `-` (or suffix ` desc`) for descending.",
                                    parameters: [.init("...", "string", "Field names, most significant first.")],
                                    returns: [.init("MemberQuery", "The sorted query.")],
                                    example: """
                                        local queue = members{ tag = "student-hardship" }:order_by("-disability_grade", "income", "applied_on")
                                        """),
                        APIFunction("limit", "The same query returning at most `n` members.",
                                    parameters: [.init("n", "integer", "The maximum, ≥ 0.")],
                                    returns: [.init("MemberQuery", "The limited query.")],
                                    example: """
                                        local first_ten = members():order_by("id"):limit(10):list()
                                        """),
                        APIFunction("where", "The same query with more filters.",
                                    parameters: [.init("filter", "MemberFilter", "Filters to add.")],
                                    returns: [.init("MemberQuery", "The narrower query.")],
                                    example: """
                                        local elderly = members{ elderly = true }
                                        local alone = elderly:where{ living_alone = true }
                                        """),
                        APIFunction("first", "The first matching member in the query's order, or nil.",
                                    returns: [.init("Member?", "A member or nil.")],
                                    example: """
                                        local oldest = members{ elderly = true }:order_by("birth_date"):first()
                                        """),
                        APIFunction("list", "The matching members as a list (at most 10,000: use `each` for more).",
                                    returns: [.init("Member[]", "The members, in order.")],
                                    example: """
                                        local kids = members{ rehab_child = true }:list()
                                        print(#kids)
                                        """),
                        APIFunction("each", "An iterator streaming the matching members, for a `for ... in` loop.",
                                    returns: [.init("fun(): Member?", "The iterator.")],
                                    example: """
                                        for m in members{ disability = true }:each() do
                                          if m.disability_grade <= 2 then print(m.name) end
                                        end
                                        """),
                    ],
                    example: """
                        local q = members{ town = "儒林镇", elderly = true }:order_by("birth_date")
                        print(q:count(), q:first())
                        """),
            APIType("member", className: "Member", "A member's record. Fields are read-only; nil where a member has no such data.",
                    fields: [
                        .init("id", "integer", "The member id."),
                        .init("name", "string", "Full name."),
                        .init("sex", "\"male\"|\"female\"", "Sex."),
                        .init("birth_date", "Date", "Date of birth."),
                        .init("age", "integer", "Age today (the run's today)."),
                        .init("town", "string", "The town's code (count_by \"town\" keys by name: see town_name)."),
                        .init("town_name", "string", "The town's name, e.g. 儒林镇."),
                        .init("community", "string?", "The community's code, if known."),
                        .init("identity_number", "string", "The identity number, masked unless your role may see it."),
                        .init("phone", "string?", "The phone number, masked unless your role may see it."),
                        .init("minimum_living_allowance", "boolean", "The household receives the minimum living allowance (低保)."),
                        .init("extreme_hardship", "boolean", "The household is in extreme hardship (特困)."),
                        .init("registered_poor", "boolean", "The household is registered poor."),
                        .init("hardship", "boolean", "Any of the three hardship statuses."),
                        .init("disability_category", "string?", "visual, hearing, speech, physical, intellectual, mental or multiple."),
                        .init("disability_grade", "integer?", "Disability grade 1 (most severe) – 4."),
                        .init("certificate_expiry", "Date?", "When the disability certificate expires."),
                        .init("union_card", "boolean", "Holds a trade-union card."),
                        .init("model_worker", "string?", "Model-worker level of a card holder: none, district, city, provincial or national."),
                        .init("new_form_worker", "string?", "delivery_rider, courier, ride_hailing_driver, truck_driver, domestic_worker or other."),
                        .init("elderly", "boolean", "Has an elderly-care record."),
                        .init("empty_nest", "boolean", "Elderly, children living elsewhere."),
                        .init("living_alone", "boolean", "Elderly, living alone."),
                        .init("dependent", "boolean", "Elderly, needing care."),
                        .init("home_visit_hours", "integer?", "Home-visit hours granted per quarter."),
                        .init("home_visit_hours_used", "integer?", "Home-visit hours used in home_visit_quarter."),
                        .init("home_visit_quarter", "Period?", "The quarter home_visit_hours_used counts; nil when none is recorded."),
                        .init("student", "boolean", "Has a student record."),
                        .init("university", "string?", "The student's university."),
                        .init("admission_year", "integer?", "The student's year of admission."),
                        .init("income", "integer?", "The student's annual household income, in fen."),
                        .init("applied_on", "Date?", "When the student applied."),
                        .init("rehab_child", "boolean", "Has a child-rehabilitation record."),
                        .init("tags", "string[]", "The member's tags, sorted."),
                    ],
                    methods: [
                        APIFunction("has_tag", "Whether the member has a tag.",
                                    parameters: [.init("tag", "string", "The tag, e.g. \"student-hardship\".")],
                                    returns: [.init("boolean", "True if tagged.")],
                                    example: """
                                        local m = member(1024)
                                        if m:has_tag("loan-holder") then print(m.name) end
                                        """),
                        APIFunction("age_on", "Age in whole years on a date.",
                                    parameters: [.init("d", "Date", "The day.")],
                                    returns: [.init("integer", "Completed years.")],
                                    example: """
                                        local m = member(1024)
                                        local turns_80 = m:age_on(month().last_day) >= 80
                                        """),
                    ],
                    operators: [.init("a == b", "boolean", "The same member (by id).")],
                    example: """
                        local m = members{ union_card = true }:first()
                        print(m.id, m.name, m.town_name, m.age, money.format(m.income or 0))
                        """),
        ],
        optionTables: [
            APIOptionTable("MemberFilter", "Filters for `members{...}` and `:where{...}`; every one given must hold. Places and categories may be given in Chinese.", fields: [
                .init("town", "string|string[]", "Town name or code (or a list).", optional: true),
                .init("community", "string|string[]", "Community name or code (or a list).", optional: true),
                .init("tag", "string|string[]", "Has the tag (every tag of a list).", optional: true),
                .init("sex", "string", "\"male\"/\"female\" (or 男/女).", optional: true),
                .init("disability", "boolean", "Holds a disability certificate.", optional: true),
                .init("disability_category", "string|string[]", "Category (or list), e.g. \"physical\" or 肢体.", optional: true),
                .init("disability_grade", "integer|integer[]", "Grade, or the range of a list of grades.", optional: true),
                .init("certificate_expiring_within", "integer", "Certificate expires within this many days from today.", optional: true),
                .init("certificate_expiring_between", "string[]", "{from, to} as \"YYYY-MM-DD\" text.", optional: true),
                .init("union_card", "boolean", "Holds a union card.", optional: true),
                .init("model_worker", "boolean", "Is a model worker (any level).", optional: true),
                .init("new_form_worker", "boolean", "Is a new-form worker.", optional: true),
                .init("age_min", "integer", "At least this old today.", optional: true),
                .init("age_max", "integer", "At most this old today.", optional: true),
                .init("born_between", "string[]", "{from, to} as \"YYYY-MM-DD\" text.", optional: true),
                .init("minimum_living_allowance", "boolean", "Household on the minimum living allowance.", optional: true),
                .init("extreme_hardship", "boolean", "Household in extreme hardship.", optional: true),
                .init("registered_poor", "boolean", "Household registered poor.", optional: true),
                .init("hardship", "boolean", "Any hardship status.", optional: true),
                .init("elderly", "boolean", "Has an elderly-care record.", optional: true),
                .init("empty_nest", "boolean", "Elderly, empty nest.", optional: true),
                .init("living_alone", "boolean", "Elderly, living alone.", optional: true),
                .init("dependent", "boolean", "Elderly, needing care.", optional: true),
                .init("student", "boolean", "Has a student record.", optional: true),
                .init("rehab_child", "boolean", "Has a child-rehabilitation record.", optional: true),
                .init("id", "integer|integer[]", "Member id (or ids).", optional: true),
            ]),
        ]
    )
}
