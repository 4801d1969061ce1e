import LuaRuntime
import StewardCore
import StewardStore

extension MemberBindings {
    /// Turns a script's filter table (`{ town = "儒林镇", disability_grade = {1, 2} }`) into
    /// query conditions. Unknown keys are errors listing the known ones (typos must not
    /// silently widen a query that moves money).
    func applyFilters(_ filters: LuaTable, to query: inout MemberQuery, call: LuaCall) throws {
        for (key, value) in filters.entries {
            guard let name = key.stringValue else { throw LuaScriptError("members{}: filter keys are names, got \(key.typeName)") }
            func flag() throws -> Bool {
                guard case .boolean(let b) = value else { throw LuaScriptError("members{}: '\(name)' must be true or false") }
                return b
            }
            func text() throws -> String {
                guard let s = value.stringValue else { throw LuaScriptError("members{}: '\(name)' must be a string") }
                return s
            }
            func integer() throws -> Int {
                guard let i = value.intValue else { throw LuaScriptError("members{}: '\(name)' must be a whole number") }
                return Int(i)
            }
            switch name {
            case "town", "community":
                let names: [String]
                if let list = value.tableValue?.array { names = list.compactMap(\.stringValue) } else { names = [try text()] }
                for n in names {
                    guard let code = context.placeCode(named: n) else { throw LuaScriptError("members{}: no place named '\(n)'") }
                    query.placeCodes.append(code)
                }
            case "tag":
                if let list = value.tableValue?.array { query.tags += list.compactMap(\.stringValue) } else { query.tags.append(try text()) }
            case "id":
                if let list = value.tableValue?.array { query.ids = list.compactMap(\.intValue) } else { query.ids = [Int64(try integer())] }
            case "sex":
                let sexText = try text()
                guard let sex = Sex(rawValue: sexText) ?? (sexText == "男" ? .male : sexText == "女" ? .female : nil) else {
                    throw LuaScriptError("members{}: sex must be \"male\" or \"female\"")
                }
                query.sex = sex
            case "disability": query.hasDisabilityCertificate = try flag()
            case "disability_category":
                let names: [String]
                if let list = value.tableValue?.array { names = list.compactMap(\.stringValue) } else { names = [try text()] }
                for n in names {
                    guard let c = DisabilityCategory(rawValue: n) ?? DisabilityCategory.allCases.first(where: { $0.chineseName == n }) else {
                        throw LuaScriptError("members{}: unknown disability category '\(n)' (\(DisabilityCategory.allCases.map(\.rawValue).joined(separator: ", ")))")
                    }
                    query.disabilityCategories.append(c)
                }
            case "disability_grade":
                if let list = value.tableValue?.array, !list.isEmpty {
                    let grades = list.compactMap(\.intValue).map(Int.init)
                    guard grades.count == list.count, let lo = grades.min(), let hi = grades.max() else {
                        throw LuaScriptError("members{}: disability_grade must be a grade 1–4 or a list of grades")
                    }
                    query.disabilityGrades = lo...hi
                } else {
                    let g = try integer()
                    query.disabilityGrades = g...g
                }
            case "certificate_expiring_within":
                let days = try integer()
                query.certificateExpiring = context.today...((try? context.today.adding(days: days)) ?? context.today)
            case "certificate_expiring_between", "born_between":
                guard let pair = value.tableValue?.array, pair.count == 2 else {
                    throw LuaScriptError("members{}: '\(name)' takes {from, to} dates")
                }
                let from = try dateValue(pair[0], name), to = try dateValue(pair[1], name)
                if name == "born_between" { query.bornBetween = from...max(from, to) } else { query.certificateExpiring = from...max(from, to) }
            case "union_card": query.hasUnionCard = try flag()
            case "model_worker": query.modelWorker = try flag()
            case "new_form_worker": query.newFormWorker = try flag()
            case "age_min": query.requireAge(atLeast: try integer(), on: context.today)
            case "age_max": query.requireAge(atMost: try integer(), on: context.today)
            case "minimum_living_allowance": query.minimumLivingAllowance = try flag()
            case "extreme_hardship": query.extremeHardship = try flag()
            case "registered_poor": query.registeredPoor = try flag()
            case "hardship": query.inHardship = try flag()
            case "elderly": query.elderly = try flag()
            case "empty_nest": query.emptyNest = try flag()
            case "living_alone": query.livingAlone = try flag()
            case "dependent": query.dependent = try flag()
            case "student": query.student = try flag()
            case "rehab_child": query.rehabChild = try flag()
            default:
                throw LuaScriptError("members{}: unknown filter '\(name)' (filters: \(Self.filterKeys.joined(separator: ", ")))")
            }
        }
    }

    /// A date inside a filter table arrives as a copied value: only ISO text can be read
    /// there (date objects stay in Lua), so filters accept `"2025-06-01"` strings.
    func dateValue(_ value: LuaValue, _ name: String) throws -> CivilDate {
        guard let text = value.stringValue, let d = try? CivilDate(parsing: text) else {
            throw LuaScriptError("members{}: '\(name)' dates are written \"YYYY-MM-DD\"")
        }
        return d
    }
}
