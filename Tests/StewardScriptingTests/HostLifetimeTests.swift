import Foundation
import LuaRuntime
import StewardCore
import Testing
@testable import StewardScripting
@testable import StewardStore

/// A run's host — its context, its bindings and their Lua types — is freed when the run ends.
/// The types' closures push each other's objects (a date's `month_end` pushes a date, a
/// member's `birth_date` pushes a date), which makes reference cycles; before `DomainHost`
/// broke them, every run left about 16 KB behind, so a runner or a REPL worker grew without
/// bound (found by `steward-bench soak`).
@Suite("Host lifetime: nothing of a run outlives it")
struct HostLifetimeTests {
    final class Weak: @unchecked Sendable {
        weak var object: AnyObject?
        init(_ object: AnyObject) { self.object = object }
    }

    @Test func aRunFreesItsContextBindingsAndTypes() throws {
        let demo = try DemoDatabase.copy()
        var watched: [(String, Weak)] = []
        var report: RunReport?
        try demo.store.read { snapshot in
            let context = HostContext(snapshot: snapshot, actor: Demo.districtAdmin, today: DemoDatabase.today)
            let host = DomainHost(context: context, parameters: [:], dryRun: true)
            watched = [("context", Weak(context)), ("host", Weak(host)), ("members", Weak(host.members)),
                       ("facilities", Weak(host.facilities)), ("dates", Weak(host.dates)),
                       ("date type", Weak(host.dates.date)), ("member type", Weak(host.members.record)),
                       ("members query type", Weak(host.members.queryType)),
                       ("programme type", Weak(host.programmes.type)), ("budget type", Weak(host.budgets.type))]
            let runner = ScriptRunner(installers: [host.install], hardDeadline: .none)
            // Touch every kind of object, so every type's closures have run.
            report = runner.run(source: """
                local first = members{ disability = true }:order_by("id"):limit(1):list()[1]
                local born = first.birth_date
                local later = born:month_end() + days(3)
                local f = facilities():list()[1]
                local p = programme "free-health-check"
                return later:iso(), f.name ~= nil, p.code
                """, name: "lifetime.lua", limits: LuaLimits())
        }
        #expect(report?.status == .ok, "\(report?.error?.message ?? "")")
        for (name, reference) in watched {
            #expect(reference.object == nil, "the run's \(name) is still alive after the run")
        }
    }
}
