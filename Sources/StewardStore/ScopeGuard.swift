import GRDB
import StewardCore

/// The store's own check that every record a change set touches lies inside the acting
/// user's scope, inside the commit's transaction. The scripting host refuses such effects as
/// scripts propose them (so the error points at the script's line); this is the same rule
/// once more below it, so that a REPL commit, an approval days later (a member may have
/// moved town since) or any other caller of ``Store/apply(_:run:actor:at:pendingRunID:)``
/// cannot write outside the scope either.
///
/// Rules for a town-scoped actor (a district-scoped one may touch anything):
/// - a member is in scope when its town is the actor's town; a facility when its town is;
///   a place when it is the town or lies inside it; a waitlist entry or an enrolment when
///   its member is;
/// - a quota *setting* without a place is the district-wide quota: outside;
/// - an effect that names no record (a ledger entry or booking with neither member nor
///   place) is left to the budget rule (`allowTownDraw`) and the quotas.
/// Records that do not exist are not judged here: writing them fails with `notFound`.
struct ScopeGuard {
    let db: Database
    let town: String
    let townName: String
    private let directory: PlaceDirectory
    private var memberTowns: [MemberID: String] = [:]
    private var facilityTowns: [String: String] = [:]

    /// A guard for `scope`, or nil when the scope is the district (nothing to check).
    init?(_ scope: ActorScope, _ db: Database) throws {
        guard case .town(let code) = scope else { return nil }
        self.db = db
        town = code
        directory = try PlaceDirectory(StoreSnapshot(db: db).places())
        townName = directory[code]?.name ?? code
    }

    /// One violation per effect that touches a record outside the scope.
    mutating func violations(_ changeSet: ChangeSet) throws -> [InvariantViolation] {
        try preload(changeSet)
        var out: [InvariantViolation] = []
        for (index, effect) in changeSet.effects.enumerated() {
            if let record = try firstOutside(effect) {
                out.append(InvariantViolation(effectIndex: index, reason: .outsideScope(record: record, scope: townName)))
            }
        }
        return out
    }

    /// The first record `effect` touches outside the scope, named for the message.
    private mutating func firstOutside(_ effect: Effect) throws -> String? {
        switch effect {
        case .ledger(let e):
            return outside(member: e.memberID) ?? outside(place: e.placeCode) ?? outside(facility: e.facilityCode)
        case .quotaBooking(let b):
            return outside(member: b.memberID) ?? outside(place: b.placeCode)
        case .setQuota(let q):
            guard let place = q.placeCode else { return "the quota \(q.key)" }
            return outside(place: place).map { _ in "the quota \(q.key)" }
        case .reminder(let r):
            switch r.subjectKind {
            case .member: return outside(member: MemberID(r.subjectID))
            case .facility: return outside(facility: r.subjectID)
            case .place: return outside(place: r.subjectID)
            default: return nil
            }
        case .waitlist(let w):
            return outside(member: w.memberID) ?? outside(facility: w.facilityCode)
        case .enrolment(let e):
            return outside(member: e.memberID) ?? outside(facility: e.facilityCode)
        case .recordUpdate(let u):
            let ref = u.field
            switch ref.entity {
            case .member: return outside(member: MemberID(ref.id))
            case .facility: return outside(facility: ref.id)
            case .place: return outside(place: ref.id)
            case .waitlistEntry:
                let member = try MemberID.fetchOne(db.cachedStatement(sql: "SELECT member_id FROM waitlist WHERE id = ?"),
                                                   arguments: [Int64(ref.id)])
                return try member.flatMap { try outsideLoaded(member: $0) }.map { _ in "waitlist entry \(ref.id)" }
            case .enrolment:
                let member = try MemberID.fetchOne(db.cachedStatement(sql: "SELECT member_id FROM enrolments WHERE id = ?"),
                                                   arguments: [Int64(ref.id)])
                return try member.flatMap { try outsideLoaded(member: $0) }.map { _ in "enrolment \(ref.id)" }
            default:
                return nil
            }
        }
    }

    private func outside(member id: MemberID?) -> String? {
        guard let id, let memberTown = memberTowns[id] else { return nil }
        return memberTown == town ? nil : "member \(id)"
    }

    private mutating func outsideLoaded(member id: MemberID) throws -> String? {
        if memberTowns[id] == nil { try loadMembers([id]) }
        return outside(member: id)
    }

    private func outside(facility code: String?) -> String? {
        guard let code, let facilityTown = facilityTowns[code] else { return nil }
        return facilityTown == town ? nil : "facility '\(code)'"
    }

    private func outside(place code: String?) -> String? {
        guard let code, directory[code] != nil else { return nil }
        return directory.isWithin(code, scope: town) ? nil : "place '\(code)' (\(directory[code]?.name ?? code))"
    }

    /// Reads the towns of every member and facility the change set names, a chunk at a time.
    private mutating func preload(_ changeSet: ChangeSet) throws {
        var members = Set<MemberID>()
        var facilities = Set<String>()
        for effect in changeSet.effects {
            switch effect {
            case .ledger(let e):
                if let m = e.memberID { members.insert(m) }
                if let f = e.facilityCode { facilities.insert(f) }
            case .quotaBooking(let b):
                if let m = b.memberID { members.insert(m) }
            case .reminder(let r):
                if r.subjectKind == .member, let m = MemberID(r.subjectID) { members.insert(m) }
                if r.subjectKind == .facility { facilities.insert(r.subjectID) }
            case .waitlist(let w):
                members.insert(w.memberID)
                if let f = w.facilityCode { facilities.insert(f) }
            case .enrolment(let e):
                members.insert(e.memberID)
                if let f = e.facilityCode { facilities.insert(f) }
            case .recordUpdate(let u):
                if u.field.entity == .member, let m = MemberID(u.field.id) { members.insert(m) }
                if u.field.entity == .facility { facilities.insert(u.field.id) }
            case .setQuota:
                break
            }
        }
        try loadMembers(Array(members))
        let codes = Array(facilities)
        for start in stride(from: 0, to: codes.count, by: 500) {
            let chunk = Array(codes[start..<min(start + 500, codes.count)])
            let rows = try Row.fetchAll(db, sql: """
                SELECT f.code, t.code AS town FROM facilities f JOIN places t ON t.id = f.town_id
                WHERE f.code IN (\(chunk.map { _ in "?" }.joined(separator: ",")))
                """, arguments: StatementArguments(chunk))
            for row in rows { facilityTowns[row["code"]] = row["town"] }
        }
    }

    private mutating func loadMembers(_ ids: [MemberID]) throws {
        for start in stride(from: 0, to: ids.count, by: 500) {
            let chunk = Array(ids[start..<min(start + 500, ids.count)])
            let rows = try Row.fetchAll(db, sql: """
                SELECT m.id, t.code AS town FROM members m JOIN places t ON t.id = m.town_id
                WHERE m.id IN (\(chunk.map { _ in "?" }.joined(separator: ",")))
                """, arguments: StatementArguments(chunk))
            for row in rows { memberTowns[row["id"]] = row["town"] }
        }
    }
}
