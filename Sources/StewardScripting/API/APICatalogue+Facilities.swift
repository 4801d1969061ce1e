extension APICatalogue {
    static let facilityFieldNames = "code, name, kind, town, capacity, occupancy, star_rating, free_places, occupancy_rate, nursing_beds"
    static let facilityKindNames = "disabled_persons_home, sheltered_care_centre, child_rehab_centre, assistive_device_centre, "
        + "star_workshop, worker_service_centre, area_service_station, home_care_station, meal_point, elderly_care_institution"
    static let inspectionKindNames = "fire_safety, food_safety, building_safety, service_quality, accessibility, other"

    static let facilities = APITopic(
        id: "facilities",
        title: "Facilities",
        summary: """
            Care homes, rehabilitation centres, service stations and meal points. Capacity, occupancy and free \
            places count this run's own enrolments, so a placement loop never overfills a facility.
            """,
        functions: [
            APIFunction("facilities", "A query over the facilities in your scope, optionally filtered.",
                        parameters: [.init("filter", "FacilityFilter", "Filters, all of which must hold.", optional: true)],
                        returns: [.init("FacilityQuery", "The query.")],
                        example: """
                            for f in facilities{ kind = "sheltered_care_centre", has_free_places = true }:each() do
                              print(f.name, f.free_places)
                            end
                            """),
            APIFunction("facility", "One facility by code (an error if there is none in your scope).",
                        parameters: [.init("code", "string", "The facility code, e.g. \"jt-shelter-01\".")],
                        returns: [.init("Facility", "The facility.")],
                        example: """
                            local centre = facility "jt-shelter-01"
                            print(centre.name, centre.occupancy, centre.capacity)
                            """),
        ],
        types: [
            APIType("facilities", className: "FacilityQuery", "A query over facilities. `order_by` returns a new query.",
                    methods: [
                        APIFunction("count", "How many facilities match.",
                                    returns: [.init("integer", "The count.")],
                                    example: """
                                        local homes = facilities{ kind = "elderly_care_institution" }:count()
                                        """),
                        APIFunction("count_by", "Counts per value of a field; town is keyed by its name.",
                                    parameters: [.init("field", "string", "A facility field: " + facilityFieldNames + ".")],
                                    returns: [.init("table<string|integer, integer>", "Value → count.")],
                                    example: """
                                        local per_kind = facilities():count_by "kind"
                                        """),
                        APIFunction("order_by", "The same query sorted by fields; prefix `-` for descending.",
                                    parameters: [.init("...", "string", "Field names: " + facilityFieldNames + ".")],
                                    returns: [.init("FacilityQuery", "The sorted query.")],
                                    example: """
                                        local emptiest = facilities{ occupancy_below = 80 }:order_by("occupancy_rate"):list()
                                        """),
                        APIFunction("list", "The matching facilities as a list.",
                                    returns: [.init("Facility[]", "The facilities, in order.")],
                                    example: """
                                        local stations = facilities{ kind = "home_care_station" }:list()
                                        print(#stations)
                                        """),
                        APIFunction("each", "An iterator over the matching facilities, for a `for ... in` loop.",
                                    returns: [.init("fun(): Facility?", "The iterator.")],
                                    example: """
                                        for f in facilities{ occupancy_below = 80 }:each() do
                                          print(f.name, f:occupancy_percent())
                                        end
                                        """),
                    ],
                    example: """
                        local q = facilities{ town = "金城镇" }:order_by("-capacity")
                        print(q:count())
                        """),
            APIType("facility", className: "Facility", "A facility's record. Fields are read-only.",
                    fields: [
                        .init("code", "string", "The facility code."),
                        .init("name", "string", "The name."),
                        .init("kind", "string", "The kind: " + facilityKindNames + "."),
                        .init("kind_name", "string", "The kind in Chinese, e.g. 庇护托养中心."),
                        .init("town", "string", "The town's code."),
                        .init("town_name", "string", "The town's name."),
                        .init("capacity", "integer", "Places, counting this run's changes."),
                        .init("occupancy", "integer", "Places taken, counting this run's enrolments."),
                        .init("free_places", "integer", "capacity − occupancy, counting this run's enrolments."),
                        .init("star_rating", "integer?", "Star rating (1–3), if rated."),
                        .init("nursing_beds", "integer?", "Nursing beds, if any."),
                        .init("certifications", "string[]", "Certifications held, sorted."),
                    ],
                    methods: [
                        APIFunction("occupancy_percent", "Occupancy as a percentage of capacity (0 when there are no places).",
                                    returns: [.init("number", "A float, e.g. 85.5.")],
                                    example: """
                                        local f = facility "jt-shelter-01"
                                        if f:occupancy_percent() < 80 then warn(f.name, "is under the 80% target") end
                                        """),
                        APIFunction("last_inspection", "The date of the latest passed inspection of a kind, or nil.",
                                    parameters: [.init("kind", "string", "Inspection kind: " + inspectionKindNames + ".")],
                                    returns: [.init("Date?", "The date, or nil if never inspected.")],
                                    example: """
                                        local f = facility "jt-shelter-01"
                                        print(f:last_inspection("fire_safety"))
                                        """),
                        APIFunction("inspection_overdue", "Whether an inspection of a kind is overdue (none passed within the interval).",
                                    parameters: [.init("kind", "string", "Inspection kind."),
                                                 .init("months", "integer", "The interval in months (default 12).", optional: true)],
                                    returns: [.init("boolean", "True if overdue.")],
                                    example: """
                                        local f = facility "jt-shelter-01"
                                        if f:inspection_overdue("food_safety", 6) then print(f.name) end
                                        """),
                    ],
                    operators: [.init("a == b", "boolean", "The same facility (by code).")],
                    example: """
                        local f = facility "jt-shelter-01"
                        print(f.code, f.name, f.kind_name, f.town_name, f.free_places)
                        """),
        ],
        optionTables: [
            APIOptionTable("FacilityFilter", "Filters for `facilities{...}`; every one given must hold.", fields: [
                .init("kind", "string|string[]", "Facility kind (or list), in English or Chinese.", optional: true),
                .init("town", "string", "Town name or code.", optional: true),
                .init("code", "string|string[]", "Facility code (or codes).", optional: true),
                .init("star_rating", "integer", "Exactly this star rating.", optional: true),
                .init("certification", "string", "Holds this certification, e.g. \"ISO 9001:2015\".", optional: true),
                .init("has_free_places", "boolean", "Has at least one free place.", optional: true),
                .init("occupancy_below", "integer", "Occupancy below this percentage of capacity.", optional: true),
                .init("inspection_overdue", "string", "No passed inspection of this kind in the last 12 months.", optional: true),
            ]),
        ]
    )
}
