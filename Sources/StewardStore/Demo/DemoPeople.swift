import StewardCore

/// Draws the demo's residents: ages from an ageing county's population pyramid, certified
/// disability at about Jintan's rate (14,000 of 540,000, more among the old), union cards for
/// about a third of working-age adults, the elderly register, and the designated groups
/// (students in hardship, children in rehabilitation, public-welfare post holders).
struct DemoPeople {
    enum Role: UInt8 { case none = 0, student, rehabChild, postHolder, loanHolder }

    struct Person {
        var member: Member
        var employer: String?
        var hoursUsed = 0
        var hoursQuarter: String?
    }

    let today: CivilDate
    let template: DistrictTemplate
    let rehabCentre: String
    private let towns: WeightedTable<Int>
    /// Per birth date (days since epoch) and sex, the next free identity sequence number.
    private var sequences: [Int: Int] = [:]
    private var unionCardSerial = 0

    /// Population share per five-year age band, 0–4 up to 95–99, in thousandths.
    private static let ageBands = WeightedTable<Int>([
        (0, 40), (5, 50), (10, 50), (15, 45), (20, 45), (25, 55), (30, 75), (35, 70), (40, 65), (45, 75),
        (50, 90), (55, 85), (60, 65), (65, 65), (70, 50), (75, 32), (80, 22), (85, 12), (90, 5), (95, 2),
    ])
    private static let categories = WeightedTable<DisabilityCategory>([
        (.physical, 290), (.hearing, 240), (.multiple, 163), (.visual, 149), (.mental, 74), (.intellectual, 67),
        (.speech, 15),
    ])
    private static let grades = WeightedTable<Int>([(1, 12), (2, 20), (3, 30), (4, 38)])
    private static let modelLevels = WeightedTable<ModelWorkerLevel>([(.district, 60), (.city, 25), (.provincial, 12), (.national, 3)])
    private static let newForms = WeightedTable<NewFormWorkerKind>([
        (.deliveryRider, 50), (.courier, 30), (.rideHailingDriver, 15), (.truckDriver, 5),
    ])
    static let employers = [
        "金坛华罗庚科技有限公司", "常州茅山建材有限公司", "金坛长荡湖食品有限公司", "江苏金城电子有限公司",
        "金坛指前纺织有限公司", "常州儒林机械制造有限公司", "金坛薛埠茶业有限公司", "直溪农业发展有限公司",
        "金坛区人民医院", "金坛区第一中学", "金坛公交有限公司", "尧塘花木合作社",
    ]
    static let universities = [
        "南京大学", "东南大学", "苏州大学", "江南大学", "南京师范大学", "河海大学", "常州大学", "扬州大学",
        "南京理工大学", "中国矿业大学",
    ]

    init(today: CivilDate, template: DistrictTemplate, rehabCentre: String) {
        self.today = today
        self.template = template
        self.rehabCentre = rehabCentre
        towns = WeightedTable(template.towns.indices.map { ($0, template.towns[$0].weight) })
    }

    mutating func person(role: Role, _ g: inout SeededGenerator) throws -> Person {
        var age: Int
        switch role {
        case .student: age = 18
        case .rehabChild: age = g.between(2, 14)
        case .postHolder: age = g.between(40, 59)
        case .loanHolder: age = g.between(25, 50)
        case .none:
            age = Self.ageBands.pick(&g) + g.below(5)
        }
        let male = g.below(2) == 0
        let birth = try birthDate(age: age, &g)
        let identity = try identityNumber(birth: birth, male: male)
        let townIndex = towns.pick(&g)
        let town = template.towns[townIndex]
        let community = g.below(10) == 0 ? nil : town.localities[g.below(town.localities.count)].code
        var member = Member(id: 0, identityNumber: identity, name: ChineseNames.name(male: male, &g),
                            placeCode: town.code, communityCode: community)
        var person = Person(member: member)
        if age >= 16 && g.below(100) < 85 {
            let prefixes = ["139", "138", "137", "136", "135", "150", "151", "152", "157", "158", "159", "187", "188",
                            "130", "131", "132", "155", "156", "185", "186", "133", "153", "180", "189", "177", "199"]
            member.phone = try PhoneNumber(prefixes[g.below(prefixes.count)] + Self.digits(g.below(100_000_000), 8))
        }
        let disabledPermille = age < 15 ? 5 : age < 60 ? 20 : age < 80 ? 50 : 80
        let disabled = role == .rehabChild ? g.below(3) == 0 : g.chance(permille: disabledPermille)
        let hardshipBoost = disabled ? 6 : 1
        member.household = HouseholdFlags(
            minimumLivingAllowance: g.chance(permille: 15 * hardshipBoost) || role == .student && g.below(2) == 0,
            extremeHardship: g.chance(permille: 2 * hardshipBoost),
            registeredPoor: g.chance(permille: 5 * hardshipBoost) || role == .student && g.below(3) == 0)
        if disabled {
            member.disability = try certificate(identity: identity, age: age, child: role == .rehabChild, &g)
        }
        if role == .loanHolder || role != .student && age >= 18 && age <= 60 && g.below(100) < 30 {
            unionCardSerial += 1
            let isNewForm = g.chance(permille: 40)
            member.unionCard = UnionCard(
                cardNumber: "6217" + "3204" + Self.digits(unionCardSerial, 8),
                issued: try today.adding(days: -g.between(30, 2500)),
                modelWorker: g.chance(permille: 15) ? Self.modelLevels.pick(&g) : .none,
                newFormWorker: isNewForm ? Self.newForms.pick(&g) : nil)
            if !isNewForm { person.employer = Self.employers[g.below(Self.employers.count)] }
        }
        if age >= 80 {
            let hours = age >= 90 ? 12 : 8
            member.elderly = ElderlyStatus(emptyNest: g.below(100) < 30, livingAlone: g.below(100) < 15,
                                           dependent: g.below(100) < 12, homeVisitHoursPerQuarter: hours)
            person.hoursUsed = g.below(hours + 1)
            person.hoursQuarter = Period.containing(today, kind: .quarter).description
        } else if age >= 60 && g.below(10) == 0 {
            member.elderly = ElderlyStatus(emptyNest: g.below(2) == 0, livingAlone: g.below(4) == 0,
                                           dependent: g.below(8) == 0)
        }
        switch role {
        case .student:
            member.student = Student(
                university: Self.universities[g.below(Self.universities.count)], admissionYear: today.year,
                annualHouseholdIncome: Money(fen: Int64(g.between(8, 60)) * 100_000),
                appliedOn: try today.adding(days: -g.between(0, 40)))
            member.tags.insert("student-hardship")
        case .rehabChild:
            member.rehabChild = RehabChild(centreCode: rehabCentre, programmeStart: try today.adding(days: -g.between(30, 700)))
        case .postHolder:
            member.tags.insert("welfare-post")
        case .loanHolder:
            member.tags.insert("loan-holder")
        case .none:
            break
        }
        if member.household.isInHardship { member.tags.insert("winter-warmth-\(today.year)") }
        person.member = member
        return person
    }

    private func birthDate(age: Int, _ g: inout SeededGenerator) throws -> CivilDate {
        // A birthday between (age + 1) years and age years before today, exclusive of the
        // former, so age(on: today) == age.
        let latest = try today.adding(years: -age)
        let earliest = try today.adding(years: -(age + 1)).adding(days: 1)
        return try earliest.adding(days: g.below(earliest.days(until: latest) + 1))
    }

    private mutating func identityNumber(birth: CivilDate, male: Bool) throws -> IdentityNumber {
        let key = birth.daysSinceEpoch * 2 + (male ? 1 : 0)
        let next = sequences[key, default: 0]
        sequences[key] = next + 1
        // Odd sequences for men, even for women; 500 of each per birth date.
        let sequence = (next % 500) * 2 + (male ? 1 : 0)
        return try IdentityNumber.make(region: template.regionCode, birthDate: birth, sequence: sequence)
    }

    private func certificate(identity: IdentityNumber, age: Int, child: Bool, _ g: inout SeededGenerator) throws
        -> DisabilityCertificate {
        let category: DisabilityCategory = child ? (g.below(2) == 0 ? .intellectual : .hearing) : Self.categories.pick(&g)
        let grade = Self.grades.pick(&g)
        // 4 % expire within the next 30 days (reminders are due), 2 % lapsed recently, the
        // rest run on for up to ten years.
        let roll = g.below(100)
        let expiry: CivilDate = if roll < 4 {
            try today.adding(days: g.between(0, 30))
        } else if roll < 6 {
            try today.adding(days: -g.between(1, 60))
        } else {
            try today.adding(days: g.between(31, 3650))
        }
        let issued = max(identity.birthDate, try expiry.adding(years: -10))
        return DisabilityCertificate(number: identity.value + String(category.nationalCode) + String(grade),
                                     category: category, grade: grade, issued: issued, expiry: expiry)
    }

    static func digits(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }
}
