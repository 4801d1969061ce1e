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

    /// Binds a member's values for ``insertSQL``, in ``insertColumns`` order; place and
    /// facility codes already resolved to row ids.
    static func bind(
        _ member: Member, to binding: inout FastBinding, townID: Int64, communityID: Int64?, rehabCentreID: Int64?,
        employer: String?, hoursUsed: Int, hoursQuarter: String?, registeredOn: String?
    ) {
        let disability = member.disability
        let card = member.unionCard
        let elderly = member.elderly
        let student = member.student
        binding.bind(member.identityNumber.value)
        binding.bind(member.name)
        binding.bind(member.sex.rawValue)
        binding.bind(member.birthDate.iso)
        binding.bind(townID)
        binding.bind(communityID)
        binding.bind(member.phone?.value)
        binding.bind(employer)
        binding.bind(member.household.minimumLivingAllowance)
        binding.bind(member.household.extremeHardship)
        binding.bind(member.household.registeredPoor)
        binding.bind(disability?.number)
        binding.bind(disability?.category.rawValue)
        binding.bind(disability?.grade)
        binding.bind(disability?.issued.iso)
        binding.bind(disability?.expiry.iso)
        binding.bind(card?.cardNumber)
        binding.bind(card?.issued.iso)
        binding.bind(card?.modelWorker.rawValue ?? ModelWorkerLevel.none.rawValue)
        binding.bind(card?.newFormWorker?.rawValue)
        binding.bind(elderly != nil)
        binding.bind(elderly?.emptyNest ?? false)
        binding.bind(elderly?.livingAlone ?? false)
        binding.bind(elderly?.dependent ?? false)
        binding.bind(elderly?.homeVisitHoursPerQuarter ?? 0)
        binding.bind(hoursUsed)
        binding.bind(hoursQuarter)
        binding.bind(student?.university)
        binding.bind(student?.admissionYear)
        binding.bind(student?.annualHouseholdIncome.fen)
        binding.bind(student?.appliedOn.iso)
        binding.bind(rehabCentreID)
        binding.bind(member.rehabChild?.programmeStart.iso)
        binding.bind(registeredOn)
    }
}
