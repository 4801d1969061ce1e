import CLua
import Foundation
import LuaRuntime
import StewardCore
import StewardScripting
import StewardStore

/// `\d` and `\help NAME` in the worker: what exists in the district (in the user's scope),
/// and what a name of the session is.
extension ReplEvaluator {
    /// What a global is: `(where, type, host type, keys)`.
    func describeGlobal(_ name: String) -> LuaTable? {
        let value = try? withSnapshot { () -> LuaValue? in
            hostFrame { L in _ = lua_getglobal(L, "__repl_describe") }
            return try state.callTop(arguments: [LuaValue(name)]).first
        }
        if state.trippedLimit != nil { state.recover() }
        return value?.tableValue
    }

    /// `\d`: what exists in the district (in the user's scope).
    func describeDistrict() throws -> [ReplDocument] {
        try withSnapshot {
            let snapshot = context.snapshot
            var docs: [ReplDocument] = []
            let programmes = try snapshot.programmeCodes().compactMap { try snapshot.programme(code: $0) }
            docs.append(.rows(kind: "programme", headers: ["programme", "name", "office", "kind"],
                              rows: programmes.map { [.text($0.code), .text($0.name), .text($0.office.rawValue), .text($0.kind.rawValue)] },
                              total: programmes.count))
            let budgets = try snapshot.budgetBalances()
            docs.append(.rows(kind: "budget", headers: ["budget", "name", "year", "total", "available"],
                              rows: budgets.map { b in
                                  [.text(b.budget.code), .text(b.budget.name), .integer(Int64(b.budget.year)),
                                   .money(b.budget.total.fen), .money(b.available.fen)]
                              }, total: budgets.count))
            var counts: [String: Int] = [:]
            var query = FacilityQuery()
            query.scopePlaceCode = actor.isDistrictScope ? nil : actor.scopePlaceCode
            for group in try snapshot.countFacilities(query, by: .kind) { counts[group.label] = group.count }
            let kinds = FacilityKind.allCases
            docs.append(.rows(kind: "facility kind", headers: ["facility kind", "name", "facilities"],
                              rows: kinds.map { [.text($0.rawValue), .text($0.chineseName), .integer(Int64(counts[$0.rawValue] ?? 0))] },
                              total: kinds.count))
            let towns = try snapshot.places().filter { $0.kind == .town || $0.kind == .subdistrict }
                .filter { actor.isDistrictScope || $0.code == actor.scopePlaceCode }
            var members: [String: Int] = [:]
            var mq = MemberQuery()
            mq.scopePlaceCode = actor.isDistrictScope ? nil : actor.scopePlaceCode
            for group in try snapshot.countMembers(mq, by: .town) { members[group.label] = group.count }
            docs.append(.rows(kind: "town", headers: ["town", "name", "members"],
                              rows: towns.map { [.text($0.code), .text($0.name), .integer(Int64(members[$0.name] ?? 0))] },
                              total: towns.count))
            return docs
        }
    }

    /// `\d NAME`: a programme, budget, facility kind, town, host type or global.
    func describe(_ name: String) throws -> [ReplDocument] {
        let found: [ReplDocument] = try withSnapshot {
            let snapshot = context.snapshot
            if let p = try snapshot.programme(code: name) {
                var fields: [ReplField] = [
                    .init(name: "code", value: .text(p.code)), .init(name: "name", value: .text(p.name)),
                    .init(name: "office", value: .text(p.office.rawValue)), .init(name: "kind", value: .text(p.kind.rawValue)),
                ]
                for parameter in p.parameters {
                    let value: ReplCell = parameter.value.money.map { .money($0.fen) }
                        ?? parameter.value.integer.map { .integer(Int64($0)) } ?? .empty
                    fields.append(.init(name: "param \(parameter.name) (from \(parameter.effectiveFrom.iso))", value: value))
                }
                return [.record(kind: "programme", title: "programme \(p.code)", fields: fields)]
            }
            if let b = try snapshot.budgetBalance(code: name) {
                let pending = (try? context.available(budget: name)).flatMap { $0 }
                var fields: [ReplField] = [
                    .init(name: "code", value: .text(b.budget.code)), .init(name: "name", value: .text(b.budget.name)),
                    .init(name: "office", value: .text(b.budget.office.rawValue)),
                    .init(name: "year", value: .integer(Int64(b.budget.year))),
                    .init(name: "total", value: .money(b.budget.total.fen)),
                    .init(name: "available", value: .money(b.available.fen)),
                ]
                if let pending, pending.fen != b.available.fen {
                    fields.append(.init(name: "available with pending", value: .money(pending.fen)))
                }
                return [.record(kind: "budget", title: "budget \(b.budget.code)", fields: fields)]
            }
            if let kind = FacilityKind(rawValue: name) ?? FacilityKind.allCases.first(where: { $0.chineseName == name }) {
                var q = FacilityQuery()
                q.kinds = [kind]
                q.scopePlaceCode = actor.isDistrictScope ? nil : actor.scopePlaceCode
                let rows = try snapshot.facilities(q)
                return [.rows(kind: "facility", headers: ["code", "name", "town", "capacity", "occupancy"],
                              rows: rows.prefix(50).map { f in
                                  [.text(f.code), .text(f.name), .text(context.inScope(placeCode: f.placeCode) ? f.placeCode : "-"),
                                   .integer(Int64(f.capacity)), .integer(Int64(f.occupancy))]
                              }, total: rows.count)]
            }
            if let place = try snapshot.places().first(where: { $0.code == name || $0.name == name }) {
                var q = MemberQuery()
                q.scopePlaceCode = place.code
                let inScope = actor.isDistrictScope || place.code == actor.scopePlaceCode
                    || place.parentCode == actor.scopePlaceCode
                var fields: [ReplField] = [.init(name: "code", value: .text(place.code)), .init(name: "name", value: .text(place.name)),
                                           .init(name: "kind", value: .text(place.kind.rawValue))]
                if inScope { fields.append(.init(name: "members", value: .integer(Int64(try snapshot.countMembers(q))))) }
                return [.record(kind: "place", title: "\(place.kind.rawValue) \(place.name)", fields: fields)]
            }
            return []
        }
        if !found.isEmpty { return found }
        if let members = state.registeredTypeMembers[name] {
            return [.record(kind: "type", title: "\(name) (host type): fields and methods",
                            fields: members.map { .init(name: $0, value: .empty) })]
        }
        if let global = describeGlobal(name) {
            return [describeDocument(name, global)]
        }
        return []
    }

    func describeDocument(_ name: String, _ t: LuaTable) -> ReplDocument {
        var fields: [ReplField] = [.init(name: "kind", value: .text("\(t["where"].stringValue ?? "global") \(t["type"].stringValue ?? "?")"))]
        if let object = t["object"].stringValue {
            fields.append(.init(name: "host type", value: .text(object)))
            if let members = state.registeredTypeMembers[object] {
                fields.append(.init(name: "fields and methods", value: .text(members.joined(separator: ", "))))
            }
        }
        if let keys = t["keys"].tableValue?.array?.compactMap(\.stringValue), !keys.isEmpty {
            fields.append(.init(name: "fields", value: .text(Array(Set(keys)).sorted().joined(separator: ", "))))
        }
        return .record(kind: "global", title: name, fields: fields)
    }
}
