import GRDB
import StewardCore

/// Maps a `members` row (selected with ``MemberSQL/columns``) to Core's ``Member`` and back.
enum MemberRow {
    static func member(_ row: Row) throws -> Member {
        let identity = try IdentityNumber(row["id_number"] as String)
        var member = Member(
            id: row["id"],
            identityNumber: identity,
            name: row["name"],
            sex: Sex(rawValue: row["sex"]) ?? identity.sex,
            birthDate: try CivilDate(parsing: row["birth_date"] as String),
            placeCode: row["town_code"],
            communityCode: row["community_code"]
        )
        if let phone: String = row["phone"] { member.phone = try PhoneNumber(phone) }
        member.household = HouseholdFlags(
            minimumLivingAllowance: row["minimum_living"], extremeHardship: row["extreme_hardship"],
            registeredPoor: row["registered_poor"])
        if let category: String = row["disability_category"] {
            member.disability = DisabilityCertificate(
                number: row["disability_cert_number"],
                category: DisabilityCategory(rawValue: category) ?? .multiple,
                grade: row["disability_grade"],
                issued: try CivilDate(parsing: row["disability_cert_issued"] as String),
                expiry: try CivilDate(parsing: row["disability_cert_expiry"] as String))
        }
        if let card: String = row["union_card"] {
            member.unionCard = UnionCard(
                cardNumber: card,
                issued: try CivilDate(parsing: row["union_card_issued"] as String),
                modelWorker: ModelWorkerLevel(rawValue: row["model_worker"]) ?? .none,
                newFormWorker: (row["new_form_worker"] as String?).flatMap(NewFormWorkerKind.init(rawValue:)))
        }
        if row["elderly"] as Bool {
            member.elderly = ElderlyStatus(
                emptyNest: row["elderly_empty_nest"], livingAlone: row["elderly_living_alone"],
                dependent: row["elderly_dependent"], homeVisitHoursPerQuarter: row["home_visit_hours"])
        }
        if let university: String = row["student_university"] {
            member.student = Student(
                university: university,
                admissionYear: row["student_admission_year"],
                annualHouseholdIncome: Money(fen: row["student_household_income_fen"]),
                appliedOn: try CivilDate(parsing: row["student_applied_on"] as String))
        }
        if let centre: String = row["rehab_code"] {
            member.rehabChild = RehabChild(
                centreCode: centre, programmeStart: try CivilDate(parsing: row["rehab_start"] as String))
        }
        if let tags: String = row["tags"] {
            member.tags = Set(tags.split(separator: ";").map(String.init))
        }
        return member
    }

    /// The columns written for a member, in the order of ``insertSQL``.
    static let insertColumns = [
        "id_number", "name", "sex", "birth_date", "town_id", "community_id", "phone", "employer",
        "minimum_living", "extreme_hardship", "registered_poor",
        "disability_cert_number", "disability_category", "disability_grade", "disability_cert_issued",
        "disability_cert_expiry",
        "union_card", "union_card_issued", "model_worker", "new_form_worker",
        "elderly", "elderly_empty_nest", "elderly_living_alone", "elderly_dependent",
        "home_visit_hours", "home_visit_hours_used", "home_visit_quarter",
        "student_university", "student_admission_year", "student_household_income_fen", "student_applied_on",
        "rehab_centre_id", "rehab_start", "registered_on",
    ]

    static let insertSQL = "INSERT INTO members (" + insertColumns.joined(separator: ", ") + ") VALUES ("
        + insertColumns.map { _ in "?" }.joined(separator: ", ") + ")"

    /// Arguments for ``insertSQL``; place and facility codes already resolved to row ids.
    static func insertArguments(
        _ member: Member, townID: Int64, communityID: Int64?, rehabCentreID: Int64?,
        employer: String? = nil, hoursUsed: Int = 0, hoursQuarter: String? = nil, registeredOn: String? = nil
    ) -> StatementArguments {
        let disability = member.disability
        let card = member.unionCard
        let elderly = member.elderly
        let student = member.student
        let values: [(any DatabaseValueConvertible)?] = [
            member.identityNumber.value, member.name, member.sex.rawValue, member.birthDate.iso,
            townID, communityID, member.phone?.value, employer,
            member.household.minimumLivingAllowance, member.household.extremeHardship, member.household.registeredPoor,
            disability?.number, disability?.category.rawValue, disability?.grade, disability?.issued.iso,
            disability?.expiry.iso,
            card?.cardNumber, card?.issued.iso, card?.modelWorker.rawValue ?? ModelWorkerLevel.none.rawValue,
            card?.newFormWorker?.rawValue,
            elderly != nil, elderly?.emptyNest ?? false, elderly?.livingAlone ?? false, elderly?.dependent ?? false,
            elderly?.homeVisitHoursPerQuarter ?? 0, hoursUsed, hoursQuarter,
            student?.university, student?.admissionYear, student?.annualHouseholdIncome.fen, student?.appliedOn.iso,
            rehabCentreID, member.rehabChild?.programmeStart.iso, registeredOn,
        ]
        return StatementArguments(values)
    }
}
