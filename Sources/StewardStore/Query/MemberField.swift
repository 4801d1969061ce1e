/// The member fields scripts may order, group or sum by. Each maps to a fixed SQL expression;
/// a name that is not in this list is refused, so no text a script supplies ever becomes SQL.
public enum MemberField: String, Sendable, Hashable, CaseIterable {
    case id
    case name
    case sex
    case birthDate = "birth_date"
    case town
    case community
    case disabilityCategory = "disability_category"
    case disabilityGrade = "disability_grade"
    case certificateExpiry = "certificate_expiry"
    case modelWorker = "model_worker"
    case newFormWorker = "new_form_worker"
    case employer
    case homeVisitHours = "home_visit_hours"
    case homeVisitHoursUsed = "home_visit_hours_used"
    case income
    case appliedOn = "applied_on"
    case admissionYear = "admission_year"

    /// Reads a field name as scripts write it; a few aliases are accepted (`applied_at`,
    /// `grade`, `category`, `expiry`, `birth`).
    public init?(name: String) {
        switch name {
        case "applied_at": self = .appliedOn
        case "grade": self = .disabilityGrade
        case "category": self = .disabilityCategory
        case "expiry", "certificate_expires": self = .certificateExpiry
        case "birth", "birthday": self = .birthDate
        case "household_income": self = .income
        default:
            guard let field = MemberField(rawValue: name) else { return nil }
            self = field
        }
    }

    /// The SQL expression over `members m`, `places t` (town) and `places c` (community).
    var sql: String {
        switch self {
        case .id: "m.id"
        case .name: "m.name"
        case .sex: "m.sex"
        case .birthDate: "m.birth_date"
        case .town: "t.code"
        case .community: "c.code"
        case .disabilityCategory: "m.disability_category"
        case .disabilityGrade: "m.disability_grade"
        case .certificateExpiry: "m.disability_cert_expiry"
        case .modelWorker: "m.model_worker"
        case .newFormWorker: "m.new_form_worker"
        case .employer: "m.employer"
        case .homeVisitHours: "m.home_visit_hours"
        case .homeVisitHoursUsed: "m.home_visit_hours_used"
        case .income: "m.student_household_income_fen"
        case .appliedOn: "m.student_applied_on"
        case .admissionYear: "m.student_admission_year"
        }
    }

    /// What to GROUP BY: a place field groups by the member's own place id, so SQLite can
    /// count from an index of members without reading a place per member (10× on 1M).
    var groupSQL: String {
        switch self {
        case .town: "m.town_id"
        case .community: "m.community_id"
        default: sql
        }
    }

    /// The FROM clause a grouping by this field needs: the places only for a place field.
    var groupFrom: String {
        switch self {
        case .town: "FROM members m JOIN places t ON t.id = m.town_id"
        case .community: "FROM members m LEFT JOIN places c ON c.id = m.community_id"
        default: "FROM members m"
        }
    }

    /// The display label for a group key: places are grouped by code and labelled by name.
    var labelSQL: String {
        switch self {
        case .town: "t.name"
        case .community: "c.name"
        default: sql
        }
    }

    /// Fields every member has (NOT NULL in the schema; a town is required). Ordering by one
    /// needs no "nulls last" term, which would keep SQLite from reading rows in `id` order.
    var isAlwaysPresent: Bool {
        switch self {
        case .id, .name, .sex, .birthDate, .town: true
        default: false
        }
    }

    /// Fields whose sum means something (hours, money).
    public var isSummable: Bool {
        switch self {
        case .homeVisitHours, .homeVisitHoursUsed, .income: true
        default: false
        }
    }

    /// True when values are money in fen.
    public var isMoney: Bool { self == .income }
}
