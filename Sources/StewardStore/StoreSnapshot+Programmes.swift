import Foundation
import GRDB
import StewardCore

/// A quota with its usage, for reports and scripts' `prog:quota()`.
public struct QuotaUsage: Sendable, Hashable {
    public let quota: Quota
    /// Bookings counted against it (Core's `QuotaKey.covers` rule).
    public let used: Int
    public var remaining: Int { quota.limit - used }
}

extension StoreSnapshot {
    /// The programme with this code, with its benefit parameters and quota rules.
    public func programme(code: String) throws -> Programme? {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM programmes WHERE code = ?", arguments: [code]) else {
            return nil
        }
        let parameters = try Row.fetchAll(db, sql: """
            SELECT * FROM benefit_parameters WHERE programme_id = ? ORDER BY name, effective_from
            """, arguments: [row["id"] as Int64]).map { parameter in
            let value: Int64 = parameter["value"]
            return BenefitParameter(
                name: parameter["name"],
                value: (parameter["unit"] as String) == "money" ? .money(Money(fen: value)) : .integer(value),
                effectiveFrom: try CivilDate(parsing: parameter["effective_from"] as String),
                effectiveTo: try (parameter["effective_to"] as String?).map { try CivilDate(parsing: $0) })
        }
        let rules = (try? JSONDecoder().decode([QuotaRule].self, from: Data((row["quota_rules_json"] as String).utf8))) ?? []
        return Programme(code: row["code"], name: row["name"], office: Office(rawValue: row["office"]) ?? .civilAffairs,
                         kind: ProgrammeKind(rawValue: row["kind"]) ?? .service, parameters: parameters, quotaRules: rules)
    }

    /// Every programme code, sorted.
    public func programmeCodes() throws -> [String] {
        try String.fetchAll(db, sql: "SELECT code FROM programmes ORDER BY code")
    }

    /// Every quota of a programme with its usage.
    public func quotas(programmeCode: String) throws -> [QuotaUsage] {
        try BalanceReader.quotas(programme: programmeCode, db).map {
            QuotaUsage(quota: $0, used: try BalanceReader.used($0.key, db))
        }
    }

    /// Bookings a quota key covers, whether or not a quota is set for it.
    public func quotaUsed(_ key: QuotaKey) throws -> Int {
        try BalanceReader.used(key, db)
    }
}
