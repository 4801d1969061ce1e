import Foundation
import LuaRuntime
import StewardCore
import StewardScripting
import StewardStore

/// Many consecutive runs in one process — successes, commits, script errors, limit breaches —
/// and what they leave behind: resident memory, open descriptors and, for a long-lived Lua
/// state (what a REPL session keeps), registry references and Lua heap.
///
///   steward-bench soak [RUNS] [CASE]   # default 10,000, all cases; exit code 1 if anything grew
///
/// Growth is measured from the end of a warm-up (a tenth of the runs: caches, SQLite's page
/// cache and malloc's arenas fill up first) to the end, so only what accumulates per run shows.
enum SoakBenchmark {
    /// What a soak may leave behind: resident memory may move by malloc's bookkeeping, not by
    /// anything per run (a leak of 500 bytes a run over 9,000 runs is 4.3 MiB).
    static let allowedResidentGrowth = 4 << 20

    /// One kind of run in the mix, and the status it must end with.
    struct Case {
        var name: String
        var source: String
        var commit: Bool
        var limits: LuaLimits
        var expected: RunReport.Status
    }

    static func cases() -> [Case] {
        var tight = LuaLimits()
        tight.instructions = 200_000
        tight.memoryBytes = 8 << 20
        return [
            Case(name: "query.lua", source: """
                local counts = members{ disability = true }:count_by "town"
                local n = 0
                for person in members{ certificate_expiring_within = 30 }:each() do n = n + 1 end
                local towns = 0
                for _ in pairs(counts) do towns = towns + 1 end
                print(("%d towns, %d expiring"):format(towns, n))
                """, commit: false, limits: LuaLimits(), expected: .ok),
            Case(name: "remind.lua", source: """
                script { name = "soak-reminders", title = "soak", idempotent = true }
                for person in members{ certificate_expiring_within = 30 }:each() do
                  remind{ subject = person, kind = "certificate_expiry", due = person.certificate_expiry,
                          text = person.name .. " 换证" }
                end
                """, commit: true, limits: LuaLimits(), expected: .ok),
            Case(name: "error.lua", source: """
                local t = members{ disability = true }:count_by "town"
                local x = nil
                return x.field
                """, commit: false, limits: LuaLimits(), expected: .scriptError),
            Case(name: "spin.lua", source: "local i = 0\nwhile true do i = i + 1 end",
                 commit: false, limits: tight, expected: .limitExceeded),
            Case(name: "hog.lua", source: "local t = {}\nfor i = 1, 1e8 do t[i] = ('x'):rep(64) .. i end",
                 commit: false, limits: tight, expected: .limitExceeded),
        ]
    }

    /// `only`: run just the case of that name (to find which kind of run leaks).
    static func run(runs: Int, only: String? = nil) -> Int32 {
        let directory = NSTemporaryDirectory() + "steward-soak-\(getpid())"
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store: Store
        do {
            store = try Store.open(at: directory + "/soak.db", mode: .create)
            _ = try store.generateDemo(DemoOptions(members: 2_000, seed: 1, adminAccount: "soak"))
        } catch {
            FileHandle.standardError.write(Data("soak: cannot make the demo database: \(error)\n".utf8))
            return 2
        }
        let actor = RunActor(userName: "soak", role: .admin, scopePlaceCode: "320482", isDistrictScope: true,
                             canUnmask: false)
        let runner = DomainRunner(store: store, actor: actor, today: DemoOptions.defaultToday,
                                  hardDeadline: .none)
        let mix = cases().filter { only == nil || $0.name == only }
        guard !mix.isEmpty else {
            FileHandle.standardError.write(Data("soak: no case named \(only ?? "")\n".utf8))
            return 2
        }
        let warmUp = max(1, runs / 10)
        var failures: [String] = []
        var counts: [RunReport.Status: Int] = [:]
        var baseline: (resident: Int, descriptors: Int, states: Int, callables: Int)?
        let start = DispatchTime.now().uptimeNanoseconds
        for index in 0..<runs {
            if index == warmUp {
                baseline = (residentBytes(), openDescriptors(), LuaDiagnostics.liveStates, LuaDiagnostics.liveCallables)
            }
            let item = mix[index % mix.count]
            var runner = runner
            runner.limits = item.limits
            let report = runner.run(source: item.source, name: item.name, commit: item.commit)
            counts[report.status, default: 0] += 1
            if report.status != item.expected, failures.count < 5 {
                failures.append("run \(index) (\(item.name)): \(report.status.rawValue), expected "
                    + "\(item.expected.rawValue): \(report.error?.message ?? "-")")
            }
        }
        let perRun = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 / Double(runs)
        let end = (resident: residentBytes(), descriptors: openDescriptors(), states: LuaDiagnostics.liveStates,
                   callables: LuaDiagnostics.liveCallables)
        let state = longLivedState(runs: runs)

        let growth = end.resident - (baseline?.resident ?? end.resident)
        var rows: [Bench.Row] = []
        rows.append(.init(name: "runs (ok / script error / limit)", value: "\(runs)",
                          comparison: "\(counts[.ok] ?? 0) / \(counts[.scriptError] ?? 0) / \(counts[.limitExceeded] ?? 0)",
                          goal: "as expected", met: failures.isEmpty))
        rows.append(.init(name: "time per run (fresh state, 2,000 members)", value: Bench.format(perRun),
                          comparison: "-", goal: "-", met: nil))
        rows.append(.init(name: "resident memory after warm-up → end", value: mib(end.resident),
                          comparison: "\(growth >= 0 ? "+" : "")\(mib(growth)) from \(mib(baseline?.resident ?? 0))",
                          goal: "≤ +\(mib(allowedResidentGrowth))", met: growth <= allowedResidentGrowth))
        rows.append(.init(name: "open descriptors after warm-up → end", value: "\(end.descriptors)",
                          comparison: "from \(baseline?.descriptors ?? 0)", goal: "no change",
                          met: end.descriptors == baseline?.descriptors))
        rows.append(.init(name: "live Lua states / Swift callables held by Lua", value: "\(end.states) / \(end.callables)",
                          comparison: "from \(baseline?.states ?? 0) / \(baseline?.callables ?? 0)", goal: "no change",
                          met: end.states == baseline?.states && end.callables == baseline?.callables))
        rows.append(.init(name: "one state, \(runs) chunks: registry references", value: "\(state.registryEnd)",
                          comparison: "from \(state.registryStart)", goal: "no change",
                          met: state.registryEnd == state.registryStart && state.failures.isEmpty))
        rows.append(.init(name: "one state: Lua heap after full GC", value: "\(state.heapEnd / 1024) KiB",
                          comparison: "from \(state.heapStart / 1024) KiB", goal: "≤ +64 KiB",
                          met: state.heapEnd <= state.heapStart + 65_536))
        Bench.printTable("Soak: \(runs) consecutive runs in one process", rows)
        for failure in failures + state.failures { print("  ✗ \(failure)") }
        return rows.allSatisfy { $0.met != false } ? 0 : 1
    }

    /// The same mix evaluated in one sandboxed state, chunk after chunk, as a REPL session
    /// does: whatever a chunk, an error or a limit leaves in the registry or the heap stays.
    static func longLivedState(runs: Int) -> (registryStart: Int, registryEnd: Int, heapStart: Int, heapEnd: Int,
                                             failures: [String]) {
        var failures: [String] = []
        do {
            var limits = LuaLimits()
            limits.instructions = 200_000      // per evaluation, as the REPL's --instructions
            limits.memoryBytes = 4 << 20
            let state = try LuaState(limits: limits)
            defer { state.close() }
            state.hardDeadline = .none
            let chunks = [
                "local t = {} for i = 1, 100 do t[i] = { i, tostring(i) } end return #t",
                "local x = nil return x.y",
                "while true do end",
                "local t = {} for i = 1, 1e7 do t[i] = i end",
                "error(setmetatable({}, { __tostring = function() return 'custom' end }))",
            ]
            var start = (registry: 0, heap: 0)
            let warmUp = max(1, runs / 10)
            for index in 0..<runs {
                if index == warmUp {
                    state.collectGarbage()
                    start = (state.registryCount, state.memoryInUse)
                }
                let source = chunks[index % chunks.count]
                do {
                    _ = try state.run(source, name: "chunk\(index % chunks.count).lua")
                } catch {
                    // Errors and limit breaches are the point; the session goes on, as the
                    // REPL's does, by clearing a tripped limit.
                    if state.trippedLimit != nil { state.recover() }
                }
            }
            state.collectGarbage()
            let check = try state.run("return 6 * 7", name: "check.lua")
            if check.first != .integer(42) { failures.append("the long-lived state answered \(check) to 6 * 7") }
            return (start.registry, state.registryCount, start.heap, state.memoryInUse, failures)
        } catch {
            return (0, -1, 0, 0, ["long-lived state: \(error)"])
        }
    }

    static func residentBytes() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let fields = text.split(separator: " ")
        return fields.count > 1 ? (Int(fields[1]) ?? 0) * Int(sysconf(Int32(_SC_PAGESIZE))) : 0
    }

    static func openDescriptors() -> Int {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count) ?? -1
    }

    static func mib(_ bytes: Int) -> String { String(format: "%.1f MiB", Double(bytes) / 1_048_576) }
}
