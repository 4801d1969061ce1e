/// The district office that owns a programme, a budget or a kind of facility.
public enum Office: String, Sendable, Hashable, Codable, CaseIterable {
    /// 残疾人联合会 (残联): the disability federation.
    case disabilityFederation = "disability_federation"
    /// 总工会: the trade union federation.
    case tradeUnion = "trade_union"
    /// 民政局: civil affairs, including elderly care.
    case civilAffairs = "civil_affairs"

    /// 残联 / 总工会 / 民政局.
    public var chineseName: String {
        switch self {
        case .disabilityFederation: return "残联"
        case .tradeUnion: return "总工会"
        case .civilAffairs: return "民政局"
        }
    }

    /// Disability Federation / Trade Union Federation / Civil Affairs Bureau.
    public var englishName: String {
        switch self {
        case .disabilityFederation: return "Disability Federation"
        case .tradeUnion: return "Trade Union Federation"
        case .civilAffairs: return "Civil Affairs Bureau"
        }
    }
}
