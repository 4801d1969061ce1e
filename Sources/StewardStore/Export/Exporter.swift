import Foundation
import GRDB
import StewardCore

/// Writes members, facilities, the ledger or budgets as CSV or JSON. Identity, phone and
/// certificate numbers are masked unless `unmask` is true (decided by ``Unmasking``).
public struct Exporter {
    public var format: ExportFormat
    public var unmask: Bool
    /// Chinese headers in CSV when true (the importer reads both).
    public var chineseHeaders: Bool
    /// Only records in this place (a user's scope), when set.
    public var scopePlaceCode: String?

    public init(format: ExportFormat, unmask: Bool, chineseHeaders: Bool, scopePlaceCode: String? = nil) {
        self.format = format
        self.unmask = unmask
        self.chineseHeaders = chineseHeaders
        self.scopePlaceCode = scopePlaceCode
    }

    private func opt(_ text: String?) -> ExportValue { text.map(ExportValue.text) ?? .null }
    private func opt(_ date: CivilDate?) -> ExportValue { date.map { .text($0.iso) } ?? .null }
    private func opt(_ number: Int?) -> ExportValue { number.map { .integer(Int64($0)) } ?? .null }

    /// Streams every member in scope to `sink`; returns how many were written.
    @discardableResult
    public func members(_ snapshot: StoreSnapshot, to sink: @escaping (String) throws -> Void) throws -> Int {
        let columns = MemberColumn.allCases
        var writer = ExportWriter(format: format, keys: columns.map(\.rawValue),
                                  headers: columns.map { chineseHeaders ? $0.chineseHeader : $0.rawValue }, sink: sink)
        var query = MemberQuery()
        query.scopePlaceCode = scopePlaceCode
        // Places by name, as people read them in Excel; the importer takes names or codes.
        let placeNames = Dictionary(uniqueKeysWithValues: try snapshot.places().map { ($0.code, $0.name) })
        let compiled = try MemberSQL.select(query, places: snapshot.placeIndex())
        let rows = try MemberRows(snapshot.db, compiled)
        while try rows.step() {
            let member = try rows.member()
            let employer = try rows.employer()
            try writer.write(columns.map { value(of: $0, member, employer: employer, places: placeNames) })
        }
        return try writer.finish()
    }

    private func value(of column: MemberColumn, _ member: Member, employer: String?, places: [String: String]) -> ExportValue {
        let certificate = member.disability
        let card = member.unionCard
        switch column {
        case .name: return .text(member.name)
        case .idNumber: return .text(unmask ? member.identityNumber.value : member.identityNumber.masked)
        case .sex: return .text(chineseHeaders ? member.sex.chineseName : member.sex.rawValue)
        case .birthDate: return .text(member.birthDate.iso)
        case .town: return .text(places[member.placeCode] ?? member.placeCode)
        case .community: return opt(member.communityCode.map { places[$0] ?? $0 })
        case .phone: return opt(member.phone.map { unmask ? $0.value : $0.masked })
        case .employer: return opt(employer)
        case .minimumLiving: return .bool(member.household.minimumLivingAllowance)
        case .extremeHardship: return .bool(member.household.extremeHardship)
        case .registeredPoor: return .bool(member.household.registeredPoor)
        case .disabilityCategory: return opt(certificate?.category.rawValue)
        case .disabilityGrade: return opt(certificate?.grade)
        case .certificateNumber:
            return opt(certificate.map { unmask ? $0.number : Masking.mask($0.number, keepFirst: 6, keepLast: 2) })
        case .certificateIssued: return opt(certificate?.issued)
        case .certificateExpiry: return opt(certificate?.expiry)
        case .unionCard: return opt(card?.cardNumber)
        case .unionCardIssued: return opt(card?.issued)
        case .modelWorker: return card == nil ? .null : .text(card!.modelWorker.rawValue)
        case .newFormWorker: return opt(card?.newFormWorker?.rawValue)
        case .elderly: return .bool(member.elderly != nil)
        case .emptyNest: return .bool(member.elderly?.emptyNest ?? false)
        case .livingAlone: return .bool(member.elderly?.livingAlone ?? false)
        case .dependent: return .bool(member.elderly?.dependent ?? false)
        case .homeVisitHours: return opt(member.elderly?.homeVisitHoursPerQuarter)
        case .university: return opt(member.student?.university)
        case .admissionYear: return opt(member.student?.admissionYear)
        case .householdIncome: return opt(member.student?.annualHouseholdIncome.plainYuan)
        case .appliedOn: return opt(member.student?.appliedOn)
        case .rehabCentre: return opt(member.rehabChild?.centreCode)
        case .rehabStart: return opt(member.rehabChild?.programmeStart)
        case .tags: return .text(member.tags.sorted().joined(separator: ";"))
        }
    }

    /// Writes every facility in scope.
    @discardableResult
    public func facilities(_ snapshot: StoreSnapshot, to sink: @escaping (String) throws -> Void) throws -> Int {
        let columns = FacilityColumn.allCases
        var writer = ExportWriter(format: format, keys: columns.map(\.rawValue),
                                  headers: columns.map { chineseHeaders ? $0.chineseHeader : $0.rawValue }, sink: sink)
        var query = FacilityQuery()
        query.scopePlaceCode = scopePlaceCode
        let places = Dictionary(uniqueKeysWithValues: try snapshot.places().map { ($0.code, $0) })
        for facility in try snapshot.facilities(query) {
            let place = places[facility.placeCode]
            let isTown = place?.kind.level == 1
            let town = isTown ? facility.placeCode : place?.parentCode ?? facility.placeCode
            try writer.write(columns.map { column in
                switch column {
                case .code: .text(facility.code)
                case .name: .text(facility.name)
                case .kind: .text(facility.kind.rawValue)
                case .town: .text(town)
                case .community: isTown ? .null : .text(facility.placeCode)
                case .capacity: .integer(Int64(facility.capacity))
                case .occupancy: .integer(Int64(facility.occupancy))
                case .starRating: opt(facility.starRating)
                case .certifications: .text(facility.certifications.sorted().joined(separator: ";"))
                case .nursingBeds: opt(facility.nursingBeds)
                }
            })
        }
        return try writer.finish()
    }

    /// Writes every ledger entry in scope, oldest first; amounts in plain yuan. With a town
    /// scope, an entry is in scope when its member lives in the town, or (for an entry without
    /// a member) its place lies in the town; district-level entries are left out.
    @discardableResult
    public func ledger(_ snapshot: StoreSnapshot, to sink: @escaping (String) throws -> Void) throws -> Int {
        var inScope: (LedgerEntry) -> Bool = { _ in true }
        if let scope = scopePlaceCode {
            let directory = try snapshot.placeDirectory()
            if directory[scope]?.kind != .district {
                let members = Set(try Int64.fetchAll(snapshot.db, sql: """
                    SELECT m.id FROM members m JOIN places t ON t.id = m.town_id WHERE t.code = ?
                    """, arguments: [scope]))
                inScope = { entry in
                    if let member = entry.memberID { return members.contains(member) }
                    guard let place = entry.placeCode else { return false }
                    return directory.isWithin(place, scope: scope)
                }
            }
        }
        let keys = ["id", "created_at", "budget", "kind", "amount", "member_id", "place", "facility", "programme",
                    "benefit_kind", "period", "memo", "run_id", "reverses_entry_id", "idempotency_key"]
        let chinese = ["编号", "记账时间", "预算", "类型", "金额", "对象编号", "地点", "机构", "项目", "补助类别", "期间",
                       "备注", "运行编号", "冲正条目", "幂等键"]
        var writer = ExportWriter(format: format, keys: keys, headers: chineseHeaders ? chinese : keys, sink: sink)
        for entry in try snapshot.ledgerEntries() where inScope(entry) {
            try writer.write([
                .integer(entry.id), .text(Timestamp.text(entry.createdAt)), .text(entry.budgetCode), .text(entry.kind.rawValue),
                .text(entry.amount.plainYuan), entry.memberID.map(ExportValue.integer) ?? .null, opt(entry.placeCode),
                opt(entry.facilityCode), opt(entry.programmeCode), opt(entry.benefitKind), opt(entry.period?.description),
                .text(entry.memo), entry.runID.map(ExportValue.integer) ?? .null,
                entry.reversesEntryID.map(ExportValue.integer) ?? .null, opt(entry.idempotencyKey),
            ])
        }
        return try writer.finish()
    }

    /// Writes every budget with its balance.
    @discardableResult
    public func budgets(_ snapshot: StoreSnapshot, to sink: @escaping (String) throws -> Void) throws -> Int {
        let keys = ["code", "name", "office", "year", "total", "allocated", "disbursed", "refunded", "adjusted", "available"]
        let chinese = ["编号", "名称", "部门", "年度", "总额", "已拨付", "已支出", "已退回", "调整", "可用余额"]
        var writer = ExportWriter(format: format, keys: keys, headers: chineseHeaders ? chinese : keys, sink: sink)
        for balance in try snapshot.budgetBalances() {
            let budget = balance.budget
            try writer.write([
                .text(budget.code), .text(budget.name), .text(budget.office.rawValue), .integer(Int64(budget.year)),
                .text(budget.total.plainYuan), .text(balance.allocated.plainYuan), .text(balance.disbursed.plainYuan),
                .text(balance.refunded.plainYuan), .text(balance.adjusted.plainYuan), .text(balance.available.plainYuan),
            ])
        }
        return try writer.finish()
    }
}
