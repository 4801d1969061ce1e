import ArgumentParser
import Foundation
import StewardCore
import StewardStore

/// `steward demo`: fills a new database with a realistic district modelled on Jintan.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Fill a new database with a realistic demo district (Jintan 金坛区).",
        discussion: "The same --seed gives the same database. Dates are laid out around --today "
            + "(default 2025-06-15), so certificates expiring within 30 days, quarter hours and overdue "
            + "inspections do not depend on the real date.")

    @OptionGroup var database: DatabaseOptions

    @Option(help: "How many residents to generate.")
    var members: Int = 20_000

    @Option(help: "Random seed; the same seed gives the same database.")
    var seed: UInt64 = 1

    @Option(help: "The demo's today (YYYY-MM-DD).")
    var today: String = DemoOptions.defaultToday.iso

    func validate() throws {
        guard members >= 0 else { throw ValidationError("--members must be 0 or more") }
        guard (try? CivilDate(parsing: today)) != nil else { throw ValidationError("--today must be a date like 2025-06-15") }
    }

    func run() throws {
        let store = try database.open(.create)
        let showProgress = isatty(STDERR_FILENO) == 1
        let started = Date()
        var options = DemoOptions(members: members, seed: seed, today: try CivilDate(parsing: today),
                                  adminAccount: currentOSAccount())
        if showProgress {
            options.progress = { done, total in
                FileHandle.standardError.write(Data("\rgenerating members: \(done) / \(total)".utf8))
                if done == total { FileHandle.standardError.write(Data("\n".utf8)) }
            }
        }
        let summary: DemoSummary
        do {
            summary = try store.generateDemo(options)
            // Runs on this database treat the demo's date as today (see RunClock).
            try store.setSetting("clock.today", options.today.iso)
        } catch let error as DemoTargetNotEmpty {
            throw fail(error.description)
        } catch let error as StoreError {
            throw fail(error.description)
        }
        let seconds = Date().timeIntervalSince(started)
        print("""
            \(database.path): demo district 金坛区 (seed \(seed), today \(today)) in \(String(format: "%.1f", seconds)) s
              members \(summary.members): \(summary.certifiedDisabled) certified disabled \
            (\(summary.certificatesExpiringWithin30Days) certificates expire within 30 days), \
            \(summary.unionCards) union cards (\(summary.modelWorkers) model workers, \(summary.newFormWorkers) new-form workers), \
            \(summary.elderly80Plus) aged 80+, \(summary.students) students in hardship, \(summary.rehabChildren) children in rehabilitation
              \(summary.facilities) facilities, \(summary.welfarePosts) public-welfare posts, \(summary.loans) loans, \
            \(summary.programmes) programmes, \(summary.budgets) budgets
            """)
    }
}
