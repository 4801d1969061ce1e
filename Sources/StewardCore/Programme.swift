/// What sort of help a programme gives.
public enum ProgrammeKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// Cash paid to people (scholarships, living and care subsidies, consolation money).
    case cashBenefit = "cash_benefit"
    /// Emergency or temporary relief (临时救助, serious-illness relief).
    case relief
    /// Services counted in hours or visits (home visits, health checks, home adaptation).
    case service
    /// Goods (winter-warmth gift packs).
    case inKind = "in_kind"
    /// Loans and their interest subsidies (创保贷).
    case loan
    /// Insurance (long-term care, accident insurance for riders).
    case insurance
    /// Jobs (public-welfare posts).
    case employment
    /// Places in a facility (sheltered care, rehabilitation).
    case placement
    /// Subsidies and refunds to organisations (union fee refunds, blind-massage institutions).
    case organisationSubsidy = "organisation_subsidy"

    /// 现金补贴 / 救助 / 服务 / 实物 / 贷款 / 保险 / 就业岗位 / 机构安置 / 机构补贴.
    public var chineseName: String {
        switch self {
        case .cashBenefit: return "现金补贴"
        case .relief: return "救助"
        case .service: return "服务"
        case .inKind: return "实物"
        case .loan: return "贷款"
        case .insurance: return "保险"
        case .employment: return "就业岗位"
        case .placement: return "机构安置"
        case .organisationSubsidy: return "机构补贴"
        }
    }
}

/// A programme: what is given, to whom, under which rule (圆梦行动, 免费体检, 临时救助, …).
public struct Programme: Sendable, Hashable, Codable, Identifiable {
    /// Stable key used by scripts, `dream-scholarship`.
    public var code: String
    /// Chinese name, `圆梦行动`.
    public var name: String
    public var office: Office
    public var kind: ProgrammeKind
    /// Dated figures; at most one value per name on any day.
    public var parameters: [BenefitParameter]
    public var quotaRules: [QuotaRule]

    public var id: String { code }

    public init(code: String, name: String, office: Office, kind: ProgrammeKind,
                parameters: [BenefitParameter] = [], quotaRules: [QuotaRule] = []) {
        self.code = code
        self.name = name
        self.office = office
        self.kind = kind
        self.parameters = parameters
        self.quotaRules = quotaRules
    }

    /// The parameter `name` in effect on `date`, if any.
    public func parameter(_ name: String, on date: CivilDate) -> BenefitParameter? {
        parameters.first { $0.name == name && $0.isEffective(on: date) }
    }
}

extension Programme: Validatable {
    public func validationErrors() -> [ValidationError] {
        var errors = Check.code(code, record: "programme") + Check.name(name, record: "programme")
        for (index, parameter) in parameters.enumerated() {
            errors += Check.name(parameter.name, record: "programme parameter")
            if let end = parameter.effectiveTo, end < parameter.effectiveFrom {
                errors.append(Check.error("programme", "parameters",
                    "The parameter '\(parameter.name)' of '\(code)' ends (\(end)) before it starts (\(parameter.effectiveFrom))."))
            }
            for other in parameters[(index + 1)...] where other.name == parameter.name && other.overlaps(parameter) {
                errors.append(Check.error("programme", "parameters",
                    "The parameter '\(parameter.name)' of '\(code)' has two values in effect at once (from \(parameter.effectiveFrom) and from \(other.effectiveFrom))."))
            }
        }
        for rule in quotaRules {
            switch rule.limit {
            case .count(let count) where count < 0:
                errors.append(Check.error("programme", "quota_rules", "A quota rule of '\(code)' has a negative limit \(count)."))
            case .amount(let amount) where amount.isNegative:
                errors.append(Check.error("programme", "quota_rules", "A quota rule of '\(code)' has a negative limit \(amount)."))
            default:
                break
            }
        }
        return errors
    }
}
