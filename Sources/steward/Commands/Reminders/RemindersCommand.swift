import ArgumentParser
import Foundation
import StewardCore
import StewardScripting
import StewardStore

/// `steward reminders`: the outbox scripts' reminders land in when their run commits, and
/// the runner's reminders to authors of paused schedules. Listed, marked done, and delivered
/// as iCalendar or CSV.
struct RemindersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reminders",
        abstract: "Reminders from committed runs: list, mark done, export as iCalendar or CSV.",
        subcommands: [RemindersListCommand.self, RemindersDoneCommand.self, RemindersExportCommand.self]
    )
}

extension ReminderStatus: ExpressibleByArgument {}

/// The filters `list` and `export` share.
struct ReminderFilterOptions: ParsableArguments {
    @Option(name: .customLong("due-within"), help: "Only reminders due within this long from today, overdue included (e.g. 7d, 2w).")
    var dueWithin: String?

    @Option(help: "pending, sent or done (default: pending and sent).")
    var status: ReminderStatus?

    @Option(help: "Only reminders in this town: its code or name (金城镇).")
    var town: String?

    @Option(help: "The date treated as today (YYYY-MM-DD; default: the database's clock.today, else today).")
    var today: String?

    /// The reminders these options select, within `visibility`'s scope: a town user sees their
    /// town's reminders only, with personal numbers masked unless they may unmask.
    func select(_ store: Store, visibility: RunVisibility) throws -> [ReminderRecord] {
        let scope = visibility.viewer.isDistrictScope ? nil : visibility.viewer.user.scopePlaceCode
        let found = try select(store, scope: scope)
        return visibility.viewer.user.canUnmask ? found : found.map { var r = $0; r.text = visibility.text(r.text); return r }
    }

    /// The reminders these options select, in town `scope` when given.
    func select(_ store: Store, scope: String? = nil) throws -> [ReminderRecord] {
        var filter = ReminderFilter(status: status)
        if let dueWithin {
            let seconds = try CommandTime.duration(dueWithin, flag: "--due-within")
            let date = try RunClock.today(explicit: today, store: store)
            guard let last = try? date.adding(days: Int((seconds / 86_400).rounded(.down))) else {
                throw fail("error: --due-within \(dueWithin): too far")
            }
            filter.dueOnOrBefore = last
        }
        if let town {
            let places = try store.read { try $0.places() }
            guard let place = places.first(where: { ($0.code == town || $0.name == town) && ($0.kind == .town || $0.kind == .subdistrict) }) else {
                let towns = places.filter { $0.kind == .town || $0.kind == .subdistrict }.prefix(8).map { "\($0.name) (\($0.code))" }
                throw fail("error: --town \(town): no such town (towns: \(towns.joined(separator: ", "))\(towns.count == 8 ? ", …" : ""))")
            }
            filter.townCode = place.code
        }
        if let scope {
            if let asked = filter.townCode, asked != scope { return [] }
            filter.townCode = scope
        }
        let found = try store.read { try $0.reminders(filter) }
        return status == nil ? found.filter { $0.status != .done } : found
    }
}

struct RemindersListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List reminders, soonest due first.")

    @OptionGroup var filter: ReminderFilterOptions

    @Option(help: "Output format: text or json.")
    var format: OutputFormat = .text

    @OptionGroup var acting: ActingOptions
    @OptionGroup var database: DatabaseOptions

    struct Item: Encodable {
        var id: Int64
        var dueOn: String
        var kind: String
        var subjectKind: String
        var subjectID: String
        var town: String?
        var text: String
        var status: String
        var dedupKey: String
        var runID: Int64?
    }

    func run() throws {
        let store = try database.open(acting.asUser == nil ? .readOnly : .readWrite)
        let visibility = try RunVisibility.resolve(store, asName: acting.asUser, command: "reminders list")
        let reminders = try filter.select(store, visibility: visibility)
        if format == .json {
            try printJSON(reminders.map {
                Item(id: $0.id, dueOn: $0.dueOn.iso, kind: $0.kind, subjectKind: $0.subjectKind, subjectID: $0.subjectID,
                     town: $0.placeName, text: $0.text, status: $0.status.rawValue, dedupKey: $0.dedupKey, runID: $0.runID)
            })
            return
        }
        guard !reminders.isEmpty else {
            printError("no reminders match")
            return
        }
        let rows = reminders.map { r in
            [String(r.id), r.dueOn.iso, r.status.rawValue, r.kind, "\(r.subjectKind) \(r.subjectID)", r.placeName ?? "-",
             ScheduleHistoryCommand.oneLine(r.text)]
        }
        writeOut(TextTable(headers: ["id", "due", "status", "kind", "subject", "place", "text"], rows: rows,
                           rightAligned: [0]).render() + "\n")
    }
}

struct RemindersDoneCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "done", abstract: "Mark a reminder done (acted upon).")

    @Argument(help: ArgumentHelp("The reminder's id (from `steward reminders list`).", valueName: "id"))
    var id: Int64

    @Option(name: .customLong("as"), help: "Act as another Steward user (admins only; audited).")
    var asUser: String?

    @OptionGroup var database: DatabaseOptions

    func run() throws {
        let session = try ActingSession(database, asName: asUser)
        do {
            let before = try session.store.setReminderStatus(id, .done, by: session.actor.userName,
                                                             actingAdmin: session.actingAdmin)
            writeOut(before.status == .done ? "reminder \(id) was already done\n"
                : "reminder \(id) done: \(ScheduleHistoryCommand.oneLine(before.text))\n")
        } catch {
            throw storeFailure(error)
        }
    }
}

struct RemindersExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export reminders as iCalendar (one all-day event each) or CSV, and mark pending ones sent.",
        discussion: """
            ics: RFC 5545, one all-day VEVENT per reminder on its due date; each event's UID comes from
            the reminder's dedup key, so importing a later export updates events rather than adding
            copies. csv: UTF-8 with a byte-order mark and CRLF, as Excel opens it. Exported pending
            reminders become `sent` unless --keep-status is given.
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case ics, csv
    }

    @Option(help: "ics or csv.")
    var format: Format

    @Option(name: [.customShort("o"), .long], help: "Write to this file (default: standard output).")
    var output: String?

    @Flag(help: "Leave pending reminders pending.")
    var keepStatus = false

    @OptionGroup var filter: ReminderFilterOptions

    @Option(help: ArgumentHelp("The export time, for DTSTAMP (tests).", visibility: .hidden))
    var now: String?

    @OptionGroup var acting: ActingOptions
    @OptionGroup var database: DatabaseOptions

    func run() throws {
        let instant = try CommandTime.now(now)
        let store = try database.open(keepStatus && acting.asUser == nil ? .readOnly : .readWrite)
        let visibility = try RunVisibility.resolve(store, asName: acting.asUser, command: "reminders export")
        let reminders = try filter.select(store, visibility: visibility)
        let text = format == .ics ? ICalendarWriter(now: instant).document(reminders) : ReminderCSV.document(reminders)
        if let output {
            guard FileManager.default.createFile(atPath: output, contents: Data(text.utf8)) else {
                throw fail("error: \(output): cannot be written")
            }
        } else {
            writeOut(text)
        }
        if !keepStatus {
            let sent = try store.markRemindersSent(reminders.filter { $0.status == .pending }.map(\.id), at: instant)
            printError("exported \(reminders.count) reminder(s)\(sent > 0 ? "; \(sent) marked sent" : "")")
        } else {
            printError("exported \(reminders.count) reminder(s)")
        }
    }
}
