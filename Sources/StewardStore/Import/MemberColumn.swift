/// The columns of a members CSV file, each with its English key and Chinese header; the
/// importer accepts either (and a few synonyms), the exporter writes one or the other.
public enum MemberColumn: String, Sendable, CaseIterable {
    case name, idNumber = "id_number", sex, birthDate = "birth_date", town, community, phone, employer
    case minimumLiving = "minimum_living", extremeHardship = "extreme_hardship", registeredPoor = "registered_poor"
    case disabilityCategory = "disability_category", disabilityGrade = "disability_grade"
    case certificateNumber = "certificate_number", certificateIssued = "certificate_issued"
    case certificateExpiry = "certificate_expiry"
    case unionCard = "union_card", unionCardIssued = "union_card_issued", modelWorker = "model_worker"
    case newFormWorker = "new_form_worker"
    case elderly, emptyNest = "empty_nest", livingAlone = "living_alone", dependent
    case homeVisitHours = "home_visit_hours"
    case university, admissionYear = "admission_year", householdIncome = "household_income", appliedOn = "applied_on"
    case rehabCentre = "rehab_centre", rehabStart = "rehab_start"
    case tags

    /// The header Chinese spreadsheets use.
    public var chineseHeader: String {
        switch self {
        case .name: "姓名"
        case .idNumber: "身份证号"
        case .sex: "性别"
        case .birthDate: "出生日期"
        case .town: "镇街"
        case .community: "社区"
        case .phone: "电话"
        case .employer: "工作单位"
        case .minimumLiving: "低保"
        case .extremeHardship: "特困"
        case .registeredPoor: "建档立卡"
        case .disabilityCategory: "残疾类别"
        case .disabilityGrade: "残疾等级"
        case .certificateNumber: "残疾证号"
        case .certificateIssued: "发证日期"
        case .certificateExpiry: "证件有效期"
        case .unionCard: "工会卡号"
        case .unionCardIssued: "办卡日期"
        case .modelWorker: "劳模"
        case .newFormWorker: "新就业形态"
        case .elderly: "老年登记"
        case .emptyNest: "空巢"
        case .livingAlone: "独居"
        case .dependent: "失能"
        case .homeVisitHours: "季度上门服务时长"
        case .university: "录取院校"
        case .admissionYear: "录取年份"
        case .householdIncome: "家庭年收入"
        case .appliedOn: "申请日期"
        case .rehabCentre: "康复机构"
        case .rehabStart: "康复开始日期"
        case .tags: "标签"
        }
    }

    /// Other headers people write for the same column.
    var synonyms: [String] {
        switch self {
        case .idNumber: ["身份证号码", "公民身份号码", "身份证", "id", "identity_number"]
        case .town: ["镇（街道）", "镇(街道)", "镇/街道", "街道", "镇"]
        case .community: ["社区（村）", "社区(村)", "村", "村（社区）"]
        case .phone: ["联系电话", "手机", "手机号"]
        case .certificateExpiry: ["有效期至", "证件到期日", "certificate_expires"]
        case .disabilityCategory: ["残疾类型"]
        case .disabilityGrade: ["残疾级别"]
        default: []
        }
    }

    /// Finds the column a header names (case, spaces and a BOM ignored).
    static func matching(_ header: String) -> MemberColumn? {
        // A second byte-order mark (a BOM'd file saved again by a tool that adds one) reaches
        // the first header as U+FEFF, which is not whitespace: drop it, as documented.
        let key = header.replacingOccurrences(of: "\u{FEFF}", with: "").importTrimmed().lowercased()
            .replacingOccurrences(of: " ", with: "_")
        return allCases.first { $0.rawValue == key || $0.chineseHeader == key || $0.synonyms.contains(key) }
    }
}

/// The columns of a facilities CSV file.
public enum FacilityColumn: String, Sendable, CaseIterable {
    case code, name, kind, town, community, capacity, occupancy
    case starRating = "star_rating", certifications, nursingBeds = "nursing_beds"

    public var chineseHeader: String {
        switch self {
        case .code: "编号"
        case .name: "名称"
        case .kind: "类型"
        case .town: "镇街"
        case .community: "社区"
        case .capacity: "容量"
        case .occupancy: "在册人数"
        case .starRating: "星级"
        case .certifications: "认证"
        case .nursingBeds: "护理床位"
        }
    }

    var synonyms: [String] {
        switch self {
        case .capacity: ["床位数", "床位"]
        case .occupancy: ["入住人数", "在院人数"]
        case .town: ["镇（街道）", "镇(街道)", "街道", "镇"]
        case .community: ["社区（村）", "村"]
        default: []
        }
    }

    static func matching(_ header: String) -> FacilityColumn? {
        let key = header.replacingOccurrences(of: "\u{FEFF}", with: "").importTrimmed().lowercased()
            .replacingOccurrences(of: " ", with: "_")
        return allCases.first { $0.rawValue == key || $0.chineseHeader == key || $0.synonyms.contains(key) }
    }
}
