import GRDB
import GRDBSQLite
import StewardCore

/// Maps a `members` row (selected with ``selectList``) to Core's ``Member`` and back.
enum MemberRow {
    /// The columns ``member(_:)`` reads, in the order ``selectList`` selects them: a case's
    /// raw value is its column index, so a row is read by position, never by name.
    enum Column: Int32, CaseIterable {
        case id, idNumber, name, sex, birthDate, townCode, communityCode, phone, employer
        case minimumLiving, extremeHardship, registeredPoor
        case certificateNumber, disabilityCategory, disabilityGrade, certificateIssued, certificateExpiry
        case unionCard, unionCardIssued, modelWorker, newFormWorker
        case elderly, emptyNest, livingAlone, dependent, homeVisitHours
        case university, admissionYear, householdIncome, appliedOn
        case rehabCode, rehabStart, tags

        /// The expression over `members m`, `places t`/`c` and `facilities r` (see
        /// ``MemberSQL/rowFrom``). Tags come as one `;`-separated text (tags never contain
        /// `;`), in no particular order: they become a set.
        var sql: String {
            switch self {
            case .id: "m.id"
            case .idNumber: "m.id_number"
            case .name: "m.name"
            case .sex: "m.sex"
            case .birthDate: "m.birth_date"
            // The id where no place has it (read as an error in `member`).
            case .townCode: "COALESCE(t.code, m.town_id) AS town_code"
            case .communityCode: "COALESCE(c.code, m.community_id) AS community_code"
            case .phone: "m.phone"
            case .employer: "m.employer"
            case .minimumLiving: "m.minimum_living"
            case .extremeHardship: "m.extreme_hardship"
            case .registeredPoor: "m.registered_poor"
            case .certificateNumber: "m.disability_cert_number"
            case .disabilityCategory: "m.disability_category"
            case .disabilityGrade: "m.disability_grade"
            case .certificateIssued: "m.disability_cert_issued"
            case .certificateExpiry: "m.disability_cert_expiry"
            case .unionCard: "m.union_card"
            case .unionCardIssued: "m.union_card_issued"
            case .modelWorker: "m.model_worker"
            case .newFormWorker: "m.new_form_worker"
            case .elderly: "m.elderly"
            case .emptyNest: "m.elderly_empty_nest"
            case .livingAlone: "m.elderly_living_alone"
            case .dependent: "m.elderly_dependent"
            case .homeVisitHours: "m.home_visit_hours"
            case .university: "m.student_university"
            case .admissionYear: "m.student_admission_year"
            case .householdIncome: "m.student_household_income_fen"
            case .appliedOn: "m.student_applied_on"
            case .rehabCode: "r.code AS rehab_code"
            case .rehabStart: "m.rehab_start"
            case .tags: "(SELECT group_concat(g.tag, ';') FROM member_tags g WHERE g.member_id = m.id) AS tags"
            }
        }
    }

    /// The SELECT list for ``member(_:tags:places:)``, in ``Column`` order.
    static let selectList = selectList(tags: true, placeIDs: false)
    /// ``selectList`` without the tags, its last column (so every other position holds): a
    /// member's tags are a look-up of their own per row, a fifth of the SQL of a 26,707-member
    /// scan, and most scripts never read them.
    static let selectListWithoutTags = selectList(tags: false, placeIDs: false)
    /// ``selectList`` with the town's and community's ids (`m.town_id`, `m.community_id`) where
    /// their codes were: no `places` joined, the codes looked up in a ``PlaceCodes``.
    static let selectListByPlaceID = selectList(tags: true, placeIDs: true)
    /// ``selectListByPlaceID`` without the tags.
    static let selectListByPlaceIDWithoutTags = selectList(tags: false, placeIDs: true)

    private static func selectList(tags: Bool, placeIDs: Bool) -> String {
        Column.allCases.filter { tags || $0 != .tags }.map { column in
            switch column {
            case .townCode where placeIDs: "m.town_id"
            case .communityCode where placeIDs: "m.community_id"
            default: column.sql
            }
        }.joined(separator: ", ")
    }

    /// The member in the current row of a statement that selected ``selectList``.
    ///
    /// Identity numbers, phone numbers and dates go through Core's validating initialisers,
    /// as on the way in, and a sex, category or level must be one of its words: a value
    /// changed outside Steward into one that does not hold throws
    /// ``StoreError/invalidStoredValue(table:rowID:column:problem:)`` rather than becoming a
    /// value that breaks its type's guarantees, or a default (a category once read as
    /// `multiple`, a level as `none`). Dates and words are matched on the row's bytes, with no
    /// String made of them; the rest check their stored (normalised) form cheaply.
    ///
    /// With `tags` false the statement selected ``selectListWithoutTags`` and the member's
    /// tags are left empty: the caller reads them when asked (``StoreSnapshot/memberTags(id:)``).
    /// With `places` the statement selected the place ids (``selectListByPlaceID``), and their
    /// codes are looked up there.
    static func member(_ statement: SQLiteStatement, tags: Bool = true, places: PlaceCodes? = nil) throws(StoreError) -> Member {
        let row = StoredRow(statement, table: "members")
        func text(_ column: Column) throws(StoreError) -> String { try row.text(column.rawValue) }
        func optionalText(_ column: Column) throws(StoreError) -> String? { try row.optionalText(column.rawValue) }
        func int(_ column: Column) throws(StoreError) -> Int { try row.int(column.rawValue) }
        func flag(_ column: Column) throws(StoreError) -> Bool { try row.flag(column.rawValue) }
        func date(_ column: Column) throws(StoreError) -> CivilDate { try row.date(column.rawValue) }

        // Every part is read into a local first and the member made once at the end: a member
        // made first and then given its parts was copied and destroyed twice per row (376
        // bytes and a dozen retains each time, 10 % of decoding a member).
        let identity = try row.parse(Column.idNumber.rawValue, IdentityNumber.init)
        let name = try text(.name)
        let sex: Sex = try row.choice(Column.sex.rawValue, "sex")
        let birthDate = try date(.birthDate)
        let placeCode: String
        let communityCode: String?
        if let places {
            placeCode = try places.code(row, Column.townCode.rawValue)
            communityCode = try places.optionalCode(row, Column.communityCode.rawValue)
        } else {
            // Joined (`COALESCE(code, id)`): a whole number is an id that names no place.
            for column in [Column.townCode, .communityCode] {
                if let id = row.wholeNumber(column.rawValue) { throw row.invalid(column.rawValue, "no place has id \(id)") }
            }
            placeCode = try text(.townCode)
            communityCode = try optionalText(.communityCode)
        }
        let phone = try row.optionalParse(Column.phone.rawValue, PhoneNumber.init)
        let household = HouseholdFlags(
            minimumLivingAllowance: try flag(.minimumLiving), extremeHardship: try flag(.extremeHardship),
            registeredPoor: try flag(.registeredPoor))
        let disability: DisabilityCertificate?
        if let category: DisabilityCategory = try row.optionalChoice(Column.disabilityCategory.rawValue, "disability category") {
            disability = DisabilityCertificate(
                number: try text(.certificateNumber),
                category: category,
                grade: try int(.disabilityGrade),
                issued: try date(.certificateIssued),
                expiry: try date(.certificateExpiry))
        } else {
            disability = nil
        }
        let unionCard: UnionCard?
        if let card = try optionalText(.unionCard) {
            unionCard = UnionCard(
                cardNumber: card,
                issued: try date(.unionCardIssued),
                modelWorker: try row.choice(Column.modelWorker.rawValue, "model worker level"),
                newFormWorker: try row.optionalChoice(Column.newFormWorker.rawValue, "new form of work"))
        } else {
            unionCard = nil
        }
        let elderly: ElderlyStatus?
        if try flag(.elderly) {
            elderly = ElderlyStatus(
                emptyNest: try flag(.emptyNest), livingAlone: try flag(.livingAlone),
                dependent: try flag(.dependent), homeVisitHoursPerQuarter: try int(.homeVisitHours))
        } else {
            elderly = nil
        }
        let student: Student?
        if let university = try optionalText(.university) {
            student = Student(
                university: university,
                admissionYear: try int(.admissionYear),
                annualHouseholdIncome: Money(fen: try row.integer(Column.householdIncome.rawValue)),
                appliedOn: try date(.appliedOn))
        } else {
            student = nil
        }
        let rehabChild: RehabChild?
        if let centre = try optionalText(.rehabCode) {
            rehabChild = RehabChild(centreCode: centre, programmeStart: try date(.rehabStart))
        } else {
            rehabChild = nil
        }
        let memberTags: Set<String>
        if tags, let text = try optionalText(.tags) {
            memberTags = Set(text.split(separator: ";").map(String.init))
        } else {
            memberTags = []
        }
        return Member.decoded(
            id: row.rowID, identityNumber: identity, name: name, sex: sex, birthDate: birthDate,
            placeCode: placeCode, communityCode: communityCode, phone: phone, household: household,
            disability: disability, unionCard: unionCard, elderly: elderly, student: student,
            rehabChild: rehabChild, tags: memberTags)
    }

    /// The employer (a column ``Member`` does not carry) in the current row of a statement
    /// that selected ``selectList``.
    static func employer(_ statement: SQLiteStatement) throws(StoreError) -> String? {
        try StoredRow(statement, table: "members").optionalText(Column.employer.rawValue)
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
