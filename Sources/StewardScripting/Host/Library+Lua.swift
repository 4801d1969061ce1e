import LuaRuntime
import StewardCore

/// Host helpers that only the trusted Lua library (Stdlib/) calls, and the loading of that
/// library into a state.
enum LibraryBindings {
    static func installHelpers(_ state: LuaState) {
        // __host_render_table(headers, rows, right_aligned) → text
        state.registerTrusted("__host_render_table") { call in
            let headers = try call.table(1).array?.map { $0.stringValue ?? LuaValueText.describe($0) } ?? []
            let rows = try call.table(2).array?.map { row in
                (row.tableValue?.array ?? []).map { $0.stringValue ?? LuaValueText.describe($0) }
            } ?? []
            var right = Set<Int>()
            for (i, flag) in (try call.table(3).array ?? []).enumerated() where flag.isTruthy { right.insert(i) }
            call.push(TextTable(headers: headers, rows: rows, rightAligned: right).render())
            return 1
        }
        // __host_largest_remainder(total, weights, caps, floors) → key → share
        state.registerTrusted("__host_largest_remainder") { call in
            let total = try call.integer(1)
            let weights = try call.table(2)
            let caps = try call.optionalTable(3)
            let floors = try call.optionalTable(4)
            var pairs: [(key: LuaValue, weight: Int64)] = []
            for (k, v) in weights.entries {
                guard let w = v.intValue else {
                    throw LuaScriptError("allocate.largest_remainder: the weight of \(LuaValueText.describe(k)) must be a whole number, got \(LuaValueText.describe(v))")
                }
                pairs.append((k, w))
            }
            pairs.sort { LuaValueText.sortKey($0.key) < LuaValueText.sortKey($1.key) }
            func bounds(_ t: LuaTable?, _ what: String) throws -> [LuaValue: Int64] {
                var out: [LuaValue: Int64] = [:]
                for (k, v) in t?.entries ?? [:] {
                    guard let n = v.intValue else { throw LuaScriptError("allocate.largest_remainder: \(what) of \(LuaValueText.describe(k)) must be a whole number") }
                    out[k] = n
                }
                return out
            }
            do {
                let shares = try Allocation.largestRemainder(total: total, weights: pairs,
                                                             floors: try bounds(floors, "floor"), caps: try bounds(caps, "cap"))
                var result = LuaTable()
                for s in shares { result[s.key] = .integer(s.amount) }
                try call.push(.table(result))
            } catch let error as AllocationError {
                throw LuaScriptError("allocate.largest_remainder: \(error)")
            }
            return 1
        }
    }

    /// Runs Stdlib/ (embedded by dev/gen-stdlib) as trusted code, then makes every host
    /// table read-only so a script cannot replace what later code relies on.
    static func loadStdlib(_ state: LuaState) throws {
        for chunk in try stdlib.get() {
            try state.runTrusted(chunk)
        }
    }

    /// The library's files, then the freezing of its tables, compiled once per process: a
    /// worker makes a state per run, and parsing these 8 KB again each time was a tenth of a
    /// small scheduled run. A file that does not compile fails every run that loads it, as it
    /// did when each run parsed it.
    static let stdlib = Result { () throws(LuaError) -> [LuaTrustedChunk] in
        try StdlibSources.files.map { file throws(LuaError) in try LuaTrustedChunk(file.source, name: file.name) } + [
            try LuaTrustedChunk("""
                for _, name in ipairs { "money", "run", "params" } do
                  if type(sandbox[name]) == "table" and getmetatable(sandbox[name]) == nil then
                    sandbox[name] = readonly(sandbox[name], name)
                  end
                end
                """, name: "freeze.lua"),
        ]
    }
}
