import Foundation
import LuaRuntime

/// The runtime's micro-figures (issue: the foundation). Per-operation costs are measured as
/// a Lua loop with the operation minus the same loop without it, divided by the count.
enum RuntimeBenchmarks {
    final class Record {
        let amount: Int64 = 120_000
        let name = "王芳"
    }

    /// The runtime's rows, each the median of `repetitions`.
    static func rows(repetitions: Int) -> [Bench.Row] {
        let n = 5_000_000
        var rows: [Bench.Row] = []

        // 1. A fresh sandboxed state, ready to run a script, then closed.
        let states = 2000
        let fresh = Bench.median(repetitions) {
            for _ in 0..<states {
                let s = try! LuaState()
                s.close()
            }
        } / Double(states)
        rows.append(.init(name: "fresh sandboxed state (create + close)", value: Bench.format(fresh),
                          comparison: "-", goal: "≤ 100 µs", met: fresh <= 100e-6))

        // 2–4 share one state with no limits, so only the operation differs.
        let s = try! LuaState(limits: .unlimited)
        s.hardDeadline = .none
        s.register("swiftfn") { call in call.push(try call.integer(1)); return 1 }
        let recordType = LuaType<Record>("record")
        recordType.property("amount") { .integer($0.amount) }
        recordType.property("fen", scalar: { .integer($0.amount) })
        recordType.method("get") { obj, call in call.push(obj.amount); return 1 }
        s.registerType(recordType)
        s.register("make_record") { call in call.push(Record(), as: recordType); return 1 }

        func loop(_ body: String, setup: String = "") -> Double {
            let source = "\(setup)\nlocal x = 0\nfor i = 1, \(n) do \(body) end\nreturn x"
            return Bench.median(repetitions) { _ = try! s.run(source, name: "bench.lua") } / Double(n)
        }
        let setup = "local abs, swiftfn, rec, tbl = math.abs, swiftfn, make_record(), { amount = 120000 }"
        let empty = loop("x = i", setup: setup)
        let cCall = loop("x = abs(i)", setup: setup) - empty
        let swiftCall = loop("x = swiftfn(i)", setup: setup) - empty
        let field = loop("x = tbl.amount", setup: setup) - empty
        let property = loop("x = rec.amount", setup: setup) - empty
        let method = loop("x = rec:get()", setup: setup) - empty
        // First reads: a new object per iteration (a loop over members reads each member's
        // properties once), net of making the object. Making and collecting an object costs
        // far more than a read and its cost drifts as the heap grows, so each repetition runs
        // the three loops back to back, each in a fresh state, and the differences within a
        // repetition are what the medians are taken of.
        func timedInFreshState(_ body: String) -> Double {
            let fresh = try! LuaState(limits: .unlimited)
            fresh.hardDeadline = .none
            fresh.registerType(recordType)
            fresh.register("make_record") { call in call.push(Record(), as: recordType); return 1 }
            defer { fresh.close() }
            let source = "local x = 0\nfor i = 1, \(n) do \(body) end\nreturn x"
            return Bench.median(1) { _ = try! fresh.run(source, name: "bench.lua") } / Double(n)
        }
        var readCosts: [Double] = [], scalarCosts: [Double] = []
        for _ in 0..<repetitions {
            let made = timedInFreshState("local r = make_record(); x = r")
            readCosts.append(timedInFreshState("local r = make_record(); x = r.amount") - made)
            scalarCosts.append(timedInFreshState("local r = make_record(); x = r.fen") - made)
        }
        let firstRead = readCosts.sorted()[repetitions / 2]
        let firstScalar = scalarCosts.sorted()[repetitions / 2]
        rows.append(.init(name: "C function call (math.abs)", value: Bench.format(cCall), comparison: "-", goal: "-", met: nil))
        rows.append(.init(name: "Lua→Swift function call", value: Bench.format(swiftCall),
                          comparison: String(format: "%.2f× C call", swiftCall / cCall), goal: "≤ 1.5× C call",
                          met: swiftCall <= 1.5 * cCall))
        rows.append(.init(name: "plain Lua table field read", value: Bench.format(field), comparison: "-", goal: "-", met: nil))
        rows.append(.init(name: "userdata property read", value: Bench.format(property),
                          comparison: String(format: "%.2f× table field", property / field), goal: "≤ 2× table field",
                          met: property <= 2 * field))
        rows.append(.init(name: "first read of a property (Lua call into Swift)", value: Bench.format(firstRead),
                          comparison: String(format: "%.2f× table field", firstRead / field), goal: "-", met: nil))
        rows.append(.init(name: "first read of a scalar property (read in C)", value: Bench.format(firstScalar),
                          comparison: String(format: "%.2f× the Lua call", firstScalar / firstRead), goal: "-", met: nil))
        rows.append(.init(name: "userdata method call", value: Bench.format(method),
                          comparison: String(format: "%.2f× C call", method / cCall), goal: "-", met: nil))
        s.close()

        // 5. A pure-Lua loop under no limits, the default limits, and an instruction limit.
        let pure = "local x = 0 for i = 1, 20000000 do x = x + i % 7 end return x"
        func pureLoop(_ limits: LuaLimits) -> Double {
            Bench.median(repetitions) {
                let st = try! LuaState(limits: limits)
                st.hardDeadline = .none
                _ = try! st.run(pure, name: "loop.lua")
                st.close()
            }
        }
        var withInstructions = LuaLimits()
        withInstructions.instructions = Int.max / 2
        var none = LuaLimits.unlimited
        none.timeout = nil
        let tNone = pureLoop(none)
        let tDefault = pureLoop(LuaLimits())
        let tInstr = pureLoop(withInstructions)
        rows.append(.init(name: "pure-Lua loop, no limits (20M iterations)", value: Bench.format(tNone), comparison: "-", goal: "-", met: nil))
        rows.append(.init(name: "pure-Lua loop, default limits", value: Bench.format(tDefault),
                          comparison: String(format: "%+.1f%% vs no limits", (tDefault / tNone - 1) * 100),
                          goal: "≤ +10 %", met: tDefault <= tNone * 1.10))
        rows.append(.init(name: "pure-Lua loop, instruction limit (check every \(LuaLimits().instructionCheckInterval))",
                          value: Bench.format(tInstr),
                          comparison: String(format: "%+.1f%% vs no limits", (tInstr / tNone - 1) * 100),
                          goal: "reported", met: nil))
        return rows
    }
}
