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
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM programmes WHERE code = ?"),
                                         arguments: [code]) else {
            return nil
        }
        let parameters = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT * FROM benefit_parameters WHERE programme_id = ? ORDER BY name, effective_from
            """), arguments: [row["id"] as Int64]).map { parameter in
            let value: Int64 = parameter["value"]
            let stored = StoredValues(parameter, table: "benefit_parameters")
            return BenefitParameter(
                name: parameter["name"],
                value: (parameter["unit"] as String) == "money" ? .money(Money(fen: value)) : .integer(value),
                effectiveFrom: try stored.date("effective_from"),
                effectiveTo: try stored.optionalDate("effective_to"))
        }
        // Read as none, damaged quota rules would lift the programme's limits, and a guessed
        // office or kind would change who may run it and how it pays: each throws instead.
        let values = StoredValues(row, table: "programmes")
        return Programme(code: row["code"], name: row["name"], office: try values.choice("office", "office"),
                         kind: try values.choice("kind", "programme kind"), parameters: parameters,
                         quotaRules: try values.json("quota_rules_json", [QuotaRule].self, "a JSON list of quota rules"))
    }

    /// Every programme code, sorted.
    public func programmeCodes() throws -> [String] {
        try String.fetchAll(db.cachedStatement(sql: "SELECT code FROM programmes ORDER BY code"))
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
