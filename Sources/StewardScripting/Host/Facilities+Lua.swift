import LuaRuntime
import StewardCore
import StewardStore

/// A facility record: `facility "JT-HOME-01"` or rows of `facilities{ kind = "disabled_persons_home" }`.
final class FacilityBox {
    let facility: Facility
    init(_ facility: Facility) { self.facility = facility }
}

final class FacilityQueryBox {
    let query: FacilityQuery
    init(_ query: FacilityQuery) { self.query = query }
}

final class FacilityBindings {
    let record = LuaType<FacilityBox>("facility")
    let queryType = LuaType<FacilityQueryBox>("facilities")
    unowned let context: HostContext
    let dates: DateTypes

    static let filterKeys = ["kind", "town", "code", "star_rating", "certification", "has_free_places",
                             "occupancy_below", "inspection_overdue"]

    init(context: HostContext, dates: DateTypes) {
        self.context = context
        self.dates = dates
        defineRecord()
        defineQuery()
    }

    func install(_ state: LuaState) {
        state.registerType(record)
        state.registerType(queryType)
        state.register("facilities") { [unowned self] call in
            var q = FacilityQuery()
            q.scopePlaceCode = context.actor.isDistrictScope ? nil : context.actor.scopePlaceCode
            if !call.isNil(1) { try applyFilters(try call.table(1), to: &q) }
            call.push(FacilityQueryBox(q), as: queryType)
            return 1
        }
        state.register("facility") { [unowned self] call in
            let code = try call.string(1)
            guard let f = try context.snapshot.facility(code: code), context.inScope(placeCode: f.placeCode) else {
                throw LuaScriptError("no facility '\(code)' in your scope")
            }
            call.push(FacilityBox(f), as: record)
            return 1
        }
    }

    private func defineRecord() {
        let record = self.record, dates = self.dates, context = self.context
        record.describe = { "facility \($0.facility.code) \($0.facility.name)" }
        record.property("code") { .init($0.facility.code) }
        record.property("name") { .init($0.facility.name) }
        record.property("kind") { .init($0.facility.kind.rawValue) }
        record.property("kind_name") { .init($0.facility.kind.chineseName) }
        record.property("town") { .init($0.facility.placeCode) }
        record.property("town_name") { [unowned context] in .init(context.placeNames[$0.facility.placeCode] ?? $0.facility.placeCode) }
        // Capacity and occupancy count this run's own enrolments.
        record.property("capacity", cached: false) { [unowned context] f in
            .integer(Int64(try context.facilityState(f.facility.code)?.capacity ?? f.facility.capacity))
        }
        record.property("occupancy", cached: false) { [unowned context] f in
            .integer(Int64(try context.facilityState(f.facility.code)?.occupancy ?? f.facility.occupancy))
        }
        record.property("free_places", cached: false) { [unowned context] f in
            let s = try context.facilityState(f.facility.code)
            return .integer(Int64((s?.capacity ?? f.facility.capacity) - (s?.occupancy ?? f.facility.occupancy)))
        }
        record.property("star_rating") { $0.facility.starRating.map { .integer(Int64($0)) } ?? .nil }
        record.property("nursing_beds") { $0.facility.nursingBeds.map { .integer(Int64($0)) } ?? .nil }
        record.property("certifications") { .table(LuaTable(array: $0.facility.certifications.sorted().map { LuaValue($0) })) }
        // f:occupancy_percent() → occupancy as a percentage of capacity, a float (85.5).
        record.method("occupancy_percent") { [unowned context] box, call in
            let s = try context.facilityState(box.facility.code)
            let cap = s?.capacity ?? box.facility.capacity, occ = s?.occupancy ?? box.facility.occupancy
            call.push(cap > 0 ? Double(occ) * 100 / Double(cap) : 0)
            return 1
        }
        record.method("last_inspection") { box, call in
            let name = try call.string(2)
            guard let kind = InspectionKind(rawValue: name) else {
                throw LuaScriptError("unknown inspection kind '\(name)' (\(InspectionKind.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            if let i = box.facility.latestInspection(of: kind) { dates.push(i.date, call) } else { call.pushNil() }
            return 1
        }
        record.method("inspection_overdue") { [unowned context] box, call in
            let name = try call.string(2)
            guard let kind = InspectionKind(rawValue: name) else { throw LuaScriptError("unknown inspection kind '\(name)'") }
            let months = call.isNil(3) ? 12 : Int(try call.integer(3))
            call.push(box.facility.isInspectionOverdue(kind, on: context.today, everyMonths: months))
            return 1
        }
        record.metamethod("__eq") { call in
            call.push(call.optionalObject(1, record)?.facility.code == call.optionalObject(2, record)?.facility.code)
            return 1
        }
    }

    private func defineQuery() {
        let queryType = self.queryType, record = self.record
        queryType.describe = { _ in "facilities query" }
        queryType.method("count") { [unowned self] box, call in call.push(try context.snapshot.countFacilities(box.query)); return 1 }
        queryType.method("count_by") { [unowned self] box, call in
            let name = try call.string(2)
            guard let field = FacilityField(rawValue: name) else {
                throw LuaScriptError("unknown facility field '\(name)' (\(FacilityField.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            var t = LuaTable()
            for g in try context.snapshot.countFacilities(box.query, by: field) {
                t[field == .town ? LuaValue(g.label) : MemberBindings.lua(g.key)] = .integer(Int64(g.count))
            }
            try call.push(.table(t)); return 1
        }
        queryType.method("order_by") { box, call in
            var q = box.query
            q.order = []
            for i in 2...max(2, call.count) where !call.isNil(i) {
                var name = try call.string(i)
                var descending = false
                if name.hasPrefix("-") { descending = true; name.removeFirst() }
                guard let field = FacilityField(rawValue: name) else { throw LuaScriptError("unknown facility field '\(name)'") }
                q.order.append(FacilityOrder(field, descending: descending))
            }
            call.push(FacilityQueryBox(q), as: queryType); return 1
        }
        queryType.method("list") { [unowned self] box, call in
            let rows = try context.snapshot.facilities(box.query)
            lua_createtable_(call, rows.count)
            for (i, f) in rows.enumerated() {
                call.push(FacilityBox(f), as: record)
                lua_rawseti_(call, Int64(i + 1))
            }
            return 1
        }
        queryType.method("each") { [unowned self] box, call in
            let rows = try context.snapshot.facilities(box.query)
            var index = 0
            call.state.pushFunction(name: "each") { inner in
                guard index < rows.count else { inner.pushNil(); return 1 }
                inner.push(FacilityBox(rows[index]), as: record)
                index += 1
                return 1
            }
            return 1
        }
    }

    func applyFilters(_ filters: LuaTable, to q: inout FacilityQuery) throws {
        for (key, value) in filters.entries {
            guard let name = key.stringValue else { throw LuaScriptError("facilities{}: filter keys are names") }
            switch name {
            case "kind":
                for n in value.tableValue?.array?.compactMap(\.stringValue) ?? [value.stringValue ?? ""] {
                    guard let k = FacilityKind(rawValue: n) ?? FacilityKind.allCases.first(where: { $0.chineseName == n }) else {
                        throw LuaScriptError("facilities{}: unknown kind '\(n)' (\(FacilityKind.allCases.map(\.rawValue).joined(separator: ", ")))")
                    }
                    q.kinds.append(k)
                }
            case "town":
                guard let n = value.stringValue, let code = context.placeCode(named: n) else { throw LuaScriptError("facilities{}: unknown town \(value)") }
                q.placeCodes.append(code)
            case "code": q.codes = value.tableValue?.array?.compactMap(\.stringValue) ?? [value.stringValue ?? ""]
            case "star_rating":
                guard let s = value.intValue else { throw LuaScriptError("facilities{}: star_rating must be 1, 2 or 3") }
                q.starRatings = Int(s)...Int(s)
            case "certification": q.certification = value.stringValue
            case "has_free_places": q.hasFreePlaces = value.boolValue
            case "occupancy_below":
                guard let p = value.intValue else { throw LuaScriptError("facilities{}: occupancy_below is a percentage, e.g. 80") }
                q.occupancyBelowPercent = Int(p)
            case "inspection_overdue":
                guard let n = value.stringValue, let kind = InspectionKind(rawValue: n) else {
                    throw LuaScriptError("facilities{}: inspection_overdue names an inspection kind, e.g. \"fire_safety\"")
                }
                q.inspectionOverdue = (kind, (try? context.today.adding(months: -12)) ?? context.today)
            default:
                throw LuaScriptError("facilities{}: unknown filter '\(name)' (filters: \(Self.filterKeys.joined(separator: ", ")))")
            }
        }
    }
}
