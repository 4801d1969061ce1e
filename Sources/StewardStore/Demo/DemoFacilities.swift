import Foundation
import GRDB
import StewardCore

/// The demo district's facilities: 11 homes for disabled persons (5 of them three-star), a
/// sheltered care centre below its 80 % target, a children's rehabilitation centre, worker
/// service centres, a home-care station in every community and village, meal points, and
/// elderly care institutions — each with a dated fire-safety inspection, some overdue.
struct DemoFacilities {
    /// Codes of home-care stations per town code, for placing public-welfare posts.
    var homeCareStations: [String: [String]] = [:]
    var rehabCentreCode = "jt-rehab-01"
    var count = 0

    mutating func install(template: DistrictTemplate, today: CivilDate, rehabChildren: Int,
                          _ generator: inout SeededGenerator, _ db: Database) throws {
        let towns = template.towns
        // 11 homes: one per town and sub-district, a second in the two largest.
        var homeTowns = towns.map(\.code)
        homeTowns += [towns[0].code, towns[3].code]
        let stars = [3, 3, 3, 3, 3, 2, 2, 2, 2, 1, 1]
        for (index, town) in homeTowns.enumerated() {
            let name = (towns.first { $0.code == town }?.name ?? "") + (index >= towns.count ? "第二" : "") + "残疾人之家"
            let capacity = generator.between(20, 40)
            try add(Facility(code: String(format: "jt-dph-%02d", index + 1), name: name, kind: .disabledPersonsHome,
                             placeCode: town, capacity: capacity,
                             occupancy: capacity * generator.between(60, 95) / 100, starRating: stars[index],
                             certifications: index < 3 ? ["ISO 9001:2015"] : []), today: today, &generator, db)
        }
        try add(Facility(code: "jt-shelter-01", name: "金坛区残疾人庇护托养中心", kind: .shelteredCareCentre,
                         placeCode: towns[0].code, capacity: 60, occupancy: 44, certifications: ["ISO 9001:2015"]),
                today: today, &generator, db)
        try add(Facility(code: rehabCentreCode, name: "金坛区残疾人康复培训中心", kind: .childRehabCentre,
                         placeCode: towns[1].code, capacity: max(120, rehabChildren), occupancy: rehabChildren),
                today: today, &generator, db)
        try add(Facility(code: "jt-aids-01", name: "金坛区康复辅具服务中心", kind: .assistiveDeviceCentre,
                         placeCode: towns[1].code, capacity: 30, occupancy: 12), today: today, &generator, db)
        try add(Facility(code: "jt-star-01", name: "金坛区星工坊", kind: .starWorkshop, placeCode: towns[0].code,
                         capacity: 12, occupancy: 9), today: today, &generator, db)
        try add(Facility(code: "jt-wsc-01", name: "金坛区职工服务中心", kind: .workerServiceCentre,
                         placeCode: towns[0].code, capacity: 200, occupancy: 0), today: today, &generator, db)
        for (index, town) in [towns[3], towns[5], towns[7]].enumerated() {
            try add(Facility(code: String(format: "jt-area-%02d", index + 1), name: town.name + "片区职工服务站",
                             kind: .areaServiceStation, placeCode: town.code, capacity: 40, occupancy: 0),
                    areaM2: 230, today: today, &generator, db)
        }
        var station = 0
        var meal = 0
        for town in towns {
            for locality in town.localities {
                station += 1
                let code = String(format: "jt-hcs-%03d", station)
                let capacity = generator.between(15, 40)
                try add(Facility(code: code, name: locality.name + "居家养老服务站", kind: .homeCareStation,
                                 placeCode: locality.code, capacity: capacity,
                                 occupancy: capacity * generator.between(50, 100) / 100), today: today, &generator, db)
                homeCareStations[town.code, default: []].append(code)
                if !locality.isVillage || generator.below(2) == 0 {
                    meal += 1
                    try add(Facility(code: String(format: "jt-meal-%03d", meal), name: locality.name + "助餐点",
                                     kind: .mealPoint, placeCode: locality.code, capacity: generator.between(30, 80),
                                     occupancy: 0), today: today, &generator, db)
                }
            }
        }
        for (index, town) in [towns[0], towns[4], towns[7]].enumerated() {
            let capacity = [220, 150, 120][index]
            try add(Facility(code: String(format: "jt-eci-%02d", index + 1), name: town.name + "敬老院",
                             kind: .elderlyCareInstitution, placeCode: town.code, capacity: capacity,
                             occupancy: capacity * [88, 76, 91][index] / 100,
                             nursingBeds: capacity * [85, 72, 82][index] / 100), today: today, &generator, db)
        }
    }

    /// Adds a facility with a yearly fire-safety inspection 2–16 months ago: those past 12
    /// months are overdue on the demo's today.
    private mutating func add(_ facility: Facility, areaM2: Int? = nil, today: CivilDate,
                              _ generator: inout SeededGenerator, _ db: Database) throws {
        var facility = facility
        let lastFire = try today.adding(days: -generator.between(60, 480))
        facility.inspections = [Inspection(kind: .fireSafety, date: lastFire, passed: generator.below(20) != 0)]
        if facility.kind == .mealPoint || facility.kind == .elderlyCareInstitution {
            facility.inspections.append(Inspection(kind: .foodSafety, date: try today.adding(days: -generator.between(30, 300)),
                                                   passed: true))
        }
        try CatalogWriter.insertFacility(facility, areaM2: areaM2, openedOn: try today.adding(days: -generator.between(400, 4000)), db)
        count += 1
    }
}
