import Foundation
import GRDB
import StewardCore

/// A public-welfare post (公益性岗位) and who holds it.
public struct WelfarePostRecord: Sendable, Hashable {
    public let code: String
    public let title: String
    /// The town or community the post belongs to.
    public let placeCode: String
    /// The home-care station or other facility where the work is done.
    public let facilityCode: String?
    /// The holder; nil while the post is vacant.
    public let memberID: MemberID?
    public let monthlyPay: Money
    public let socialInsurance: Bool
    public let startsOn: CivilDate
    public let endsOn: CivilDate?

    /// True when the post is held on any day of `period`.
    public func isActive(in period: Period) -> Bool {
        startsOn <= period.lastDay && (endsOn.map { $0 >= period.firstDay } ?? true)
    }
}

/// An entrepreneurship loan (创保贷): principal, rates in basis points, term and repayment.
public struct LoanRecord: Sendable, Hashable {
    public let code: String
    public let memberID: MemberID
    public let programmeCode: String
    public let principal: Money
    public let interestRateBP: Int
    public let premiumRateBP: Int
    public let startsOn: CivilDate
    public let dueOn: CivilDate
    public let repaidOn: CivilDate?

    /// Repaid, and no later than the due date.
    public var repaidOnTime: Bool { repaidOn.map { $0 <= dueOn } ?? false }
}

extension StoreSnapshot {
    /// Every public-welfare post, by code.
    public func welfarePosts() throws -> [WelfarePostRecord] {
        try Row.fetchAll(db.cachedStatement(sql: """
            SELECT w.*, p.code AS place_code, f.code AS facility_code FROM welfare_posts w
            JOIN places p ON p.id = w.place_id LEFT JOIN facilities f ON f.id = w.facility_id
            ORDER BY w.code
            """)).map { row in
            let values = StoredValues(row, table: "welfare_posts")
            return WelfarePostRecord(
                code: row["code"], title: row["title"], placeCode: row["place_code"], facilityCode: row["facility_code"],
                memberID: row["member_id"], monthlyPay: Money(fen: row["monthly_pay_fen"]),
                socialInsurance: row["social_insurance"], startsOn: try values.date("starts_on"),
                endsOn: try values.optionalDate("ends_on"))
        }
    }

    /// Loans, by code; only one member's when `memberID` is given.
    public func loans(memberID: MemberID? = nil) throws -> [LoanRecord] {
        var sql = """
            SELECT l.*, p.code AS programme_code FROM loans l JOIN programmes p ON p.id = l.programme_id
            """
        var arguments = StatementArguments()
        if let memberID {
            sql += " WHERE l.member_id = ?"
            _ = arguments.append(contentsOf: [memberID])
        }
        sql += " ORDER BY l.code"
        return try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
            let values = StoredValues(row, table: "loans")
            return LoanRecord(
                code: row["code"], memberID: row["member_id"], programmeCode: row["programme_code"],
                principal: Money(fen: row["principal_fen"]), interestRateBP: row["interest_rate_bp"],
                premiumRateBP: row["premium_rate_bp"], startsOn: try values.date("starts_on"),
                dueOn: try values.date("due_on"), repaidOn: try values.optionalDate("repaid_on"))
        }
    }

    /// Waitlist entries of a programme (and facility, if given) with `status`, in queue order
    /// (earliest first).
    public func waitlist(programmeCode: String, facilityCode: String? = nil,
                         status: WaitlistStatus = .waiting) throws -> [WaitlistEntry] {
        var sql = """
            SELECT w.*, p.code AS programme_code, f.code AS facility_code FROM waitlist w
            JOIN programmes p ON p.id = w.programme_id LEFT JOIN facilities f ON f.id = w.facility_id
            WHERE p.code = ? AND w.status = ?
            """
        var arguments: StatementArguments = [programmeCode, status.rawValue]
        if let facilityCode {
            sql += " AND f.code = ?"
            _ = arguments.append(contentsOf: [facilityCode])
        }
        sql += " ORDER BY w.created_at, w.id"
        // A status read as `waiting` would queue a placed or withdrawn member again, and a
        // queue date of 1970 would put them first: both throw instead.
        return try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
            let values = StoredValues(row, table: "waitlist")
            return WaitlistEntry(id: values.rowID, memberID: row["member_id"], programmeCode: row["programme_code"],
                                 facilityCode: row["facility_code"], reason: row["reason"],
                                 status: try values.choice("status", "waitlist status"), runID: row["run_id"],
                                 createdAt: try values.timestamp("created_at"))
        }
    }
}
