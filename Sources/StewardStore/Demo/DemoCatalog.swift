import GRDB
import StewardCore

/// The programmes, budgets, quotas and staff of DOMAIN.md, as the demo district keeps them.
enum DemoCatalog {
    static func money(_ yuan: Int64) -> ParameterValue { .money(Money(fen: yuan * 100)) }

    /// Programmes with their rule values (money in fen; rates in basis points).
    static func programmes(year: Int) -> [(Programme, String)] {
        let start = try! CivilDate(year: year, month: 1, day: 1)
        func p(_ name: String, _ value: ParameterValue) -> BenefitParameter {
            BenefitParameter(name: name, value: value, effectiveFrom: start)
        }
        return [
            (Programme(code: "dream-scholarship", name: "圆梦行动", office: .tradeUnion, kind: .cashBenefit,
                       parameters: [p("tuition", money(5_000)), p("living", money(2_000))]),
             "Undergraduates from families in hardship: 5,000 yuan tuition aid and 2,000 yuan living allowance a year."),
            (Programme(code: "free-health-check", name: "职工免费体检", office: .tradeUnion, kind: .service,
                       quotaRules: [QuotaRule(scope: .district, periodKind: .year, limit: .count(20_000), hard: true)]),
             "Free health checks for outstanding workers: 20,000 a year, shared among towns and employers."),
            (Programme(code: "hospital-consolation", name: "住院慰问", office: .tradeUnion, kind: .relief,
                       parameters: [p("annual_cap", money(2_000)), p("tier_3_days", money(300)),
                                    p("tier_7_days", money(500)), p("tier_15_days", money(800))]),
             "Consolation for union members in hospital, by length of stay, capped per member per year."),
            (Programme(code: "serious-illness-relief", name: "大病救助", office: .tradeUnion, kind: .relief,
                       parameters: [p("grant", money(5_000))]), "Relief for members with a serious illness."),
            (Programme(code: "entrepreneurship-loan", name: "创保贷", office: .tradeUnion, kind: .loan,
                       parameters: [p("max_principal", money(300_000)), p("interest_rate_bp", .integer(430)),
                                    p("premium_rate_bp", .integer(300)), p("full_subsidy_cap", money(100_000)),
                                    p("subsidy_years", .integer(2)), p("fund", money(10_000_000))]),
             "Collateral-free one-year loans up to 300,000 yuan; interest subsidised for 2 years, premium refunded on time."),
            (Programme(code: "winter-warmth", name: "送温暖", office: .tradeUnion, kind: .inKind,
                       parameters: [p("gift_pack", money(500)), p("rider_insurance", money(100))]),
             "Visits before Spring Festival: gift packs, accident insurance for riders, small wishes."),
            (Programme(code: "home-visit", name: "高龄老人上门服务", office: .civilAffairs, kind: .service,
                       parameters: [p("hours_80_89", .integer(8)), p("hours_90_plus", .integer(12))]),
             "Home-visit service hours for residents aged 80 and over; unused hours lapse each quarter."),
            (Programme(code: "welfare-posts", name: "公益性岗位", office: .civilAffairs, kind: .employment,
                       parameters: [p("minimum_wage", money(2_280))]),
             "431 public-welfare posts in elderly care, paid at least the local minimum wage."),
            (Programme(code: "temporary-relief", name: "临时救助", office: .civilAffairs, kind: .relief,
                       parameters: [p("warning_percent", .integer(80))]),
             "Emergency grants from the district's 3,000,000-yuan fund."),
            (Programme(code: "home-adaptation", name: "适老化改造", office: .civilAffairs, kind: .service,
                       parameters: [p("per_household", money(3_000))]), "Home adaptation for elderly households."),
            (Programme(code: "disability-living-subsidy", name: "困难残疾人生活补贴", office: .disabilityFederation,
                       kind: .cashBenefit, parameters: [p("monthly", money(150))]),
             "Monthly living subsidy for certified disabled persons in hardship households."),
            (Programme(code: "disability-care-subsidy", name: "重度残疾人护理补贴", office: .disabilityFederation,
                       kind: .cashBenefit, parameters: [p("monthly", money(150))]),
             "Monthly care subsidy for certified disabled persons of grades 1 and 2."),
            (Programme(code: "sheltered-care", name: "庇护托养", office: .disabilityFederation, kind: .placement,
                       parameters: [p("occupancy_target_percent", .integer(80))]),
             "Places at the sheltered care centre; occupancy target 80 %."),
            (Programme(code: "child-rehab", name: "儿童康复训练", office: .disabilityFederation, kind: .placement,
                       parameters: [p("max_age", .integer(14))]), "Rehabilitation training for children aged 0–14."),
        ]
    }

    /// Budgets: (budget, programme code).
    static func budgets(year: Int) -> [(Budget, String?)] {
        func budget(_ code: String, _ name: String, _ office: Office, _ yuan: Int64, town: Bool = false) -> Budget {
            Budget(code: code, name: name, office: office, year: year, total: Money(fen: yuan * 100), allowTownDraw: town)
        }
        return [
            (budget("relief-\(year)", "\(year)年临时救助资金", .civilAffairs, 3_000_000), "temporary-relief"),
            (budget("dream-scholarship-\(year)", "\(year)年圆梦行动助学金", .tradeUnion, 150_000), "dream-scholarship"),
            (budget("hospital-consolation-\(year)", "\(year)年住院慰问金", .tradeUnion, 200_000, town: true), "hospital-consolation"),
            (budget("serious-illness-\(year)", "\(year)年大病救助金", .tradeUnion, 100_000, town: true), "serious-illness-relief"),
            (budget("loan-subsidy-\(year)", "\(year)年创保贷贴息及保费返还", .tradeUnion, 600_000), "entrepreneurship-loan"),
            (budget("winter-warmth-\(year)", "\(year)年送温暖专项资金", .tradeUnion, 800_000), "winter-warmth"),
            (budget("welfare-posts-\(year)", "\(year)年公益性岗位工资", .civilAffairs, 13_000_000), "welfare-posts"),
            (budget("home-visit-\(year)", "\(year)年高龄老人上门服务", .civilAffairs, 2_400_000), "home-visit"),
            (budget("home-adaptation-\(year)", "\(year)年适老化改造", .civilAffairs, 1_000_000), "home-adaptation"),
            (budget("disability-subsidies-\(year)", "\(year)年残疾人两项补贴", .disabilityFederation, 6_000_000),
             "disability-living-subsidy"),
            (budget("care-facilities-\(year)", "\(year)年托养机构建设", .disabilityFederation, 4_000_000), "sheltered-care"),
        ]
    }

    static func install(year: Int, _ db: Database) throws -> (programmes: Int, budgets: Int) {
        let programmes = programmes(year: year)
        for (programme, description) in programmes {
            try CatalogWriter.insertProgramme(programme, description: description, db)
        }
        let budgets = budgets(year: year)
        for (budget, programme) in budgets {
            try CatalogWriter.insertBudget(budget, placeCode: nil, programmeCode: programme, db)
        }
        try CatalogWriter.insertQuota(Quota(programmeCode: "free-health-check", period: try Period.year(year),
                                            limit: 20_000, hard: true), db)
        return (programmes.count, budgets.count)
    }

    /// Staff besides the admin: one of each role, two of them scoped to a town.
    static let staff: [User] = [
        User(name: "张伟", role: .approver, scopePlaceCode: "320482", canUnmask: true),
        User(name: "赵敏", role: .operator, scopePlaceCode: "320482"),
        User(name: "王芳", role: .operator, scopePlaceCode: "320482101"),
        User(name: "李娜", role: .viewer, scopePlaceCode: "320482100"),
    ]
}
