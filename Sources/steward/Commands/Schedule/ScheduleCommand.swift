import ArgumentParser
import Foundation
import StewardCore
import StewardScheduler
import StewardScripting
import StewardStore

/// `steward schedule`: stored scripts on cron timetables, run by `steward runner`.
struct ScheduleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schedule",
        abstract: "Run stored scripts on cron schedules: set, list, next, pause, resume, history.",
        discussion: """
            A schedule runs its stored script's latest version, if approved, as that version's author
            (within the author's scope), committing its effects. Expressions have five fields
            (minute hour day-of-month month day-of-week) or are one of @hourly @daily @weekly
            @monthly @yearly; each schedule has its own time zone (default Asia/Shanghai). Slots that
            fall in a daylight-saving gap run once when it ends; a repeated hour runs once.
            """,
        subcommands: [ScheduleSetCommand.self, ScheduleListCommand.self, ScheduleNextCommand.self,
                      SchedulePauseCommand.self, ScheduleResumeCommand.self, ScheduleHistoryCommand.self]
    )
}

extension StewardScheduler.CatchUpPolicy: ExpressibleByArgument {}
extension StewardScheduler.OverlapPolicy: ExpressibleByArgument {}

/// Parsing a schedule's expression and zone, with refusals that say where and why (exit 2).
enum ScheduleParsing {
    static func schedule(_ text: String, zone: String) throws -> CronSchedule {
        let expression: CronExpression
        do {
            expression = try CronExpression(text)
        } catch {
            var message = "error: invalid cron expression '\(text)': \(error.description)"
            if error.field == nil, case .wrongFieldCount = error.problem {
                message += " (minute hour day-of-month month day-of-week, or @hourly @daily @weekly @monthly @yearly)"
            } else if error.field == nil, case .unknownName = error.problem {
                message += " (known: @hourly @daily @midnight @weekly @monthly @yearly @annually)"
            }
            message += "\n  \(text)\n  " + String(repeating: " ", count: max(0, error.position - 1)) + "^"
            throw fail(message)
        }
        do {
            return try CronSchedule(expression, timeZoneIdentifier: zone)
        } catch {
            throw fail("error: --tz \(zone): \(error.description) (use an IANA name such as Asia/Shanghai or America/New_York)")
        }
    }

    /// A stored schedule's timetable (stored ones were validated when set).
    static func stored(_ record: ScheduleRecord) -> CronSchedule? {
        guard let expression = try? CronExpression(record.cron) else { return nil }
        return try? CronSchedule(expression, timeZoneIdentifier: record.timeZoneIdentifier)
    }

    /// Where the runner would plan from: the last slot, else when the schedule was set.
    static func lastSlot(_ record: ScheduleRecord) -> Date {
        record.lastSlotAt ?? record.createdAt
    }
}

struct ScheduleSetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set",
        abstract: "Create or change the schedule of a stored script.",
        discussion: """
            Catch-up says what a runner does with slots missed while no runner was up: skip (none),
            latest (the most recent one; the default) or all (each once, oldest first, at most
            --max-catch-up). Overlap forbid (the default) skips a slot that falls due while the same
            schedule's previous run is still going, and records why. --max-retries retries a failed
            slot with backoff (1 min, 2, 4, …) only if the script declares `idempotent = true` in its
            script{} header. Five failed slots in a row pause the schedule and leave its author a
            reminder. Exit code 2 for an invalid expression or zone, naming the position and reason.
            """)

    @Argument(help: "The stored script to schedule (the schedule takes its name).")
    var name: String

    @Argument(help: "A cron expression, e.g. \"0 9 1 * *\" or @daily (quote it).")
    var cron: String

    @Option(name: .customLong("tz"), help: "The IANA time zone the expression is read in.")
    var timeZone: String = CronSchedule.defaultTimeZoneIdentifier

    @Option(name: .customLong("catch-up"), help: "skip, latest or all.")
    var catchUp: StewardScheduler.CatchUpPolicy = .latest

    @Option(name: .customLong("max-catch-up"), help: "For catch-up all: the most missed slots run at once.")
    var maxCatchUp: Int = SlotPlanner.defaultCatchUpCap

    @Option(help: "forbid or allow.")
    var overlap: StewardScheduler.OverlapPolicy = .forbid

    @Option(name: .customLong("param"), help: "A script parameter, name=value (repeatable).")
    var params: [String] = []

    @Option(name: .customLong("max-retries"), help: "Retries of a failed slot (idempotent scripts only).")
    var maxRetries: Int = 0

    @Option(name: .customLong("as"), help: "Act as another Steward user (admins only; audited).")
    var asUser: String?

    @Option(help: ArgumentHelp("The time the schedule starts from (tests).", visibility: .hidden))
    var now: String?

    @OptionGroup var database: DatabaseOptions

    func validate() throws {
        guard maxCatchUp >= 1 else { throw ValidationError("--max-catch-up must be at least 1") }
        guard maxRetries >= 0 else { throw ValidationError("--max-retries cannot be negative") }
    }

    func run() throws {
        let schedule = try ScheduleParsing.schedule(cron, zone: timeZone)
        let parameters = try ParameterList.parse(params)
        let instant = try CommandTime.now(now)
        guard schedule.nextSlot(after: instant) != nil else {
            throw fail("error: '\(cron)' never matches a real date (e.g. 30 February): nothing would ever run")
        }
        let session = try ActingSession(database, asName: asUser)
        let settings = ScheduleSettings(
            cron: schedule.expression.description, timeZoneIdentifier: timeZone,
            catchUp: StewardCore.CatchUpPolicy(catchUp), maxCatchUp: maxCatchUp,
            overlap: StewardCore.OverlapPolicy(overlap), parameters: parameters,
            maxRetries: maxRetries)
        do {
            let (record, created) = try session.store.setSchedule(script: name, settings, by: session.actor.userName,
                                                                  actingAdmin: session.actingAdmin, at: instant)
            writeOut("\(created ? "scheduled" : "changed schedule") '\(name)': \(record.cron) in \(record.timeZoneIdentifier), catch-up \(record.catchUp.rawValue), overlap \(record.overlap.rawValue), retries \(record.maxRetries)\(record.enabled ? "" : " (paused)")\n")
            for slot in schedule.nextSlots(after: instant, count: 3) {
                writeOut("  next: \(slot.nominal) → \(CommandTime.local(slot.instant, schedule.timeZone)) (\(CommandTime.utc(slot.instant)))\n")
            }
            if let script = try session.store.read({ try $0.scheduledScript(scheduleID: record.id) }), !script.version.isApproved {
                printError("note: version \(script.version.version) of '\(name)' is not approved: its slots are skipped until another user runs `steward scripts approve \(name)`")
            }
        } catch {
            throw storeFailure(error)
        }
    }
}

struct ScheduleListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the schedules.")

    @Option(help: "Output format: text or json.")
    var format: OutputFormat = .text

    @Option(help: ArgumentHelp("The time to show the next slots from (tests).", visibility: .hidden))
    var now: String?

    @OptionGroup var database: DatabaseOptions

    struct Item: Encodable {
        var name: String
        var cron: String
        var timeZone: String
        var catchUp: String
        var maxCatchUp: Int
        var overlap: String
        var maxRetries: Int
        var parameters: [String: String]
        var enabled: Bool
        var consecutiveFailures: Int
        var lastSlot: Date?
        var nextSlot: Date?
        var nextSlotNominal: String?
    }

    func run() throws {
        let instant = try CommandTime.now(now)
        let store = try database.open(.readOnly)
        let records = try store.read { try $0.schedules() }
        let items = records.map { r -> Item in
            let next = ScheduleParsing.stored(r)?.nextSlot(after: max(instant, ScheduleParsing.lastSlot(r)))
            return Item(name: r.name, cron: r.cron, timeZone: r.timeZoneIdentifier, catchUp: r.catchUp.rawValue,
                        maxCatchUp: r.maxCatchUp, overlap: r.overlap.rawValue, maxRetries: r.maxRetries,
                        parameters: r.parameters, enabled: r.enabled, consecutiveFailures: r.consecutiveFailures,
                        lastSlot: r.lastSlotAt, nextSlot: r.enabled ? next?.instant : nil,
                        nextSlotNominal: r.enabled ? next.map { "\($0.nominal)" } : nil)
        }
        if format == .json {
            try printJSON(items)
            return
        }
        guard !items.isEmpty else {
            printError("no schedules: add one with `steward schedule set SCRIPT \"CRON\"`")
            return
        }
        let rows = items.map { i -> [String] in
            let zone = TimeZone(identifier: i.timeZone) ?? .gmt
            let state = i.enabled ? (i.consecutiveFailures > 0 ? "active, \(i.consecutiveFailures) failed" : "active") : "paused"
            return [i.name, i.cron, i.timeZone, "\(i.catchUp)/\(i.overlap)", state,
                    i.lastSlot.map { CommandTime.local($0, zone) } ?? "-", i.nextSlot.map { CommandTime.local($0, zone) } ?? "-"]
        }
        writeOut(TextTable(headers: ["schedule", "cron", "zone", "catch-up/overlap", "state", "last slot", "next slot"],
                           rows: rows).render() + "\n")
    }
}

struct ScheduleNextCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "next", abstract: "Show a schedule's next slots, in its local time and in UTC.")

    @Argument(help: "The schedule (its script's name).")
    var name: String

    @Option(help: "How many slots.")
    var count: Int = 5

    @Option(help: "Output format: text or json.")
    var format: OutputFormat = .text

    @Option(help: ArgumentHelp("The time to count from (tests).", visibility: .hidden))
    var now: String?

    @OptionGroup var database: DatabaseOptions

    struct Item: Encodable {
        var nominal: String
        var local: String
        var utc: String
        var slot: String
    }

    func validate() throws {
        guard (1...1000).contains(count) else { throw ValidationError("--count must be 1–1000") }
    }

    func run() throws {
        let instant = try CommandTime.now(now)
        let store = try database.open(.readOnly)
        guard let record = try store.read({ try $0.schedule(named: name) }) else { throw fail("error: no schedule '\(name)'") }
        guard let schedule = ScheduleParsing.stored(record) else {
            throw fail("error: schedule '\(name)' has an expression or zone that no longer parses: \(record.cron) \(record.timeZoneIdentifier)")
        }
        let slots = schedule.nextSlots(after: max(instant, ScheduleParsing.lastSlot(record)), count: count)
        let items = slots.map {
            Item(nominal: "\($0.nominal)", local: CommandTime.local($0.instant, schedule.timeZone), utc: CommandTime.utc($0.instant),
                 slot: schedule.slotText($0))
        }
        if format == .json {
            try printJSON(items)
            return
        }
        if !record.enabled { printError("note: schedule '\(name)' is paused; these slots run only after `steward schedule resume \(name)`") }
        let rows = items.map { [$0.nominal.replacingOccurrences(of: "T", with: " "), $0.local, $0.utc] }
        writeOut(TextTable(headers: ["slot (\(record.timeZoneIdentifier))", "runs at", "UTC"], rows: rows).render() + "\n")
    }
}

struct SchedulePauseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "pause", abstract: "Stop a schedule from running.")

    @Argument(help: "The schedule (its script's name).")
    var name: String

    @Option(name: .customLong("as"), help: "Act as another Steward user (admins only; audited).")
    var asUser: String?

    @OptionGroup var database: DatabaseOptions

    func run() throws {
        let session = try ActingSession(database, asName: asUser)
        do {
            let (_, changed) = try session.store.setScheduleEnabled(name, false, by: session.actor.userName,
                                                                    actingAdmin: session.actingAdmin)
            writeOut(changed ? "paused '\(name)'\n" : "'\(name)' was already paused\n")
        } catch {
            throw storeFailure(error)
        }
    }
}

struct ScheduleResumeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resume", abstract: "Resume a paused schedule (slots missed while paused are not caught up).")

    @Argument(help: "The schedule (its script's name).")
    var name: String

    @Option(name: .customLong("as"), help: "Act as another Steward user (admins only; audited).")
    var asUser: String?

    @Option(help: ArgumentHelp("The time it resumes from (tests).", visibility: .hidden))
    var now: String?

    @OptionGroup var database: DatabaseOptions

    func run() throws {
        let instant = try CommandTime.now(now)
        let session = try ActingSession(database, asName: asUser)
        do {
            let (_, changed) = try session.store.setScheduleEnabled(name, true, by: session.actor.userName,
                                                                    actingAdmin: session.actingAdmin, at: instant)
            writeOut(changed ? "resumed '\(name)': its failure count is reset; it runs from its next slot\n"
                : "'\(name)' was not paused\n")
        } catch {
            throw storeFailure(error)
        }
    }
}

struct ScheduleHistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history", abstract: "Show a schedule's slots: run, failed, skipped (and why), abandoned.")

    @Argument(help: "The schedule (its script's name); all schedules when omitted.")
    var name: String?

    @Option(help: "How many slots, newest first.")
    var limit: Int = 50

    @Option(help: "Output format: text or json.")
    var format: OutputFormat = .text

    @OptionGroup var database: DatabaseOptions

    struct Item: Encodable {
        var schedule: String
        var slot: Date
        var nominal: String?
        var status: String
        var attempt: Int
        var runner: String
        var reason: String?
        var run: Int64?
    }

    func run() throws {
        let store = try database.open(.readOnly)
        let (slots, records) = try store.read { s in
            (try s.scheduleSlots(schedule: name, limit: max(1, limit)), try s.schedules())
        }
        if let name, !records.contains(where: { $0.name == name }) { throw fail("error: no schedule '\(name)'") }
        let timetables = Dictionary(uniqueKeysWithValues: records.map { ($0.name, ScheduleParsing.stored($0)) })
        let items = slots.map { s -> Item in
            let nominal = timetables[s.scheduleName]??.slot(at: s.slotAt).nominal
            let status = s.status == "claimed" && s.runnerID.isEmpty ? "retry pending" : s.status
            return Item(schedule: s.scheduleName, slot: s.slotAt, nominal: nominal.map { "\($0)" }, status: status,
                        attempt: s.attempt, runner: s.runnerID, reason: s.reason, run: s.runID)
        }
        if format == .json {
            try printJSON(items)
            return
        }
        let rows = items.map { i in
            [i.schedule, i.nominal?.replacingOccurrences(of: "T", with: " ") ?? "-", CommandTime.utc(i.slot),
             i.status + (i.attempt > 1 ? " (attempt \(i.attempt))" : ""), i.run.map { String($0) } ?? "-",
             i.runner.isEmpty ? "-" : i.runner, i.reason.map { Self.oneLine($0) } ?? ""]
        }
        writeOut(TextTable(headers: ["schedule", "slot", "UTC", "status", "run", "runner", "reason"], rows: rows).render() + "\n")
    }

    static func oneLine(_ text: String) -> String {
        let first = text.split(separator: "\n").first.map(String.init) ?? text
        return first.count > 100 ? String(first.prefix(99)) + "…" : first
    }
}
